// Values beyond the route's parameters go in vial::query{name, value}.
// EXPECT: vial: url_for: wrong number of arguments: .*then any vial::query\{name, value\}
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>());

#ifdef VIAL_CONTROL
std::string link() { return vial::url_for<"show_user">(app, 42, vial::query{"tab", "posts"}); }
#else
std::string link() { return vial::url_for<"show_user">(app, 42, "posts"); }
#endif
