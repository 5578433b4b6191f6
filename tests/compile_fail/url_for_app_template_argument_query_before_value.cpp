// The route's values come first, then the vial::query{name, value} arguments: a value after a
// query argument is refused as a wrong number of arguments.
// EXPECT: vial: url_for: wrong number of arguments: .*then any vial::query\{name, value\}
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>());

#ifdef VIAL_CONTROL
std::string link() { return vial::url_for<"show_user", app>(42, vial::query{"tab", "posts"}); }
#else
std::string link() { return vial::url_for<"show_user", app>(vial::query{"tab", "posts"}, 42); }
#endif
