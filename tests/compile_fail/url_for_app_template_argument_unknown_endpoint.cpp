// The app as url_for's template argument (url_for<"name", app>) checks the endpoint as the
// app as its first argument does: an endpoint inside a blueprint is named "blueprint.name".
// EXPECT: vial: url_for: unknown endpoint
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

constexpr auto users = vial::blueprint<"users", "/users">(vial::get<"/<int:user_id>", show_user>());
constexpr auto app = vial::app(users);

#ifdef VIAL_CONTROL
std::string link() { return vial::url_for<"users.show_user", app>(42); }
#else
std::string link() { return vial::url_for<"show_user", app>(42); }
#endif
