// url_for<"name", app>(...) needs one value per route parameter, as url_for<"name">(app, ...).
// EXPECT: vial: url_for: wrong number of arguments
#include <vial/route.hpp>

#include <string>

std::string show_comment(int post_id, int comment_id);

constexpr auto app = vial::app(vial::get<"/post/<int:post_id>/comment/<int:comment_id>", show_comment>());

#ifdef VIAL_CONTROL
std::string link() { return vial::url_for<"show_comment", app>(7, 42); }
#else
std::string link() { return vial::url_for<"show_comment", app>(42); }
#endif
