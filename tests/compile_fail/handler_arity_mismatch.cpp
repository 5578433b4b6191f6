// The route has two parameters; the handler takes one.
// EXPECT: vial: handler takes fewer parameters than the route has
#include <vial/route.hpp>

#include <string>

#ifdef VIAL_CONTROL
std::string show_comment(int post_id, int comment_id);
#else
std::string show_comment(int post_id);
#endif

constexpr auto comment = vial::get<"/post/<int:post_id>/comment/<int:comment_id>">(show_comment);
