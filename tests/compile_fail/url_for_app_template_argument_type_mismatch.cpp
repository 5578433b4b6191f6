// url_for<"name", app>(...) checks its arguments' types against the route's converters: a
// std::string where the route has <int:...>.
// EXPECT: vial: url_for: argument type does not match the route's converter: int takes an integer
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>());

#ifdef VIAL_CONTROL
std::string link(int user_id) { return vial::url_for<"show_user", app>(user_id); }
#else
std::string link(const std::string& user_id) { return vial::url_for<"show_user", app>(user_id); }
#endif
