// Two parameters of one route share a name.
// EXPECT: vial: parameter name used twice in route
#include <vial/route.hpp>

#include <string>

std::string show_comment(int post_id, int comment_id);

#ifdef VIAL_CONTROL
constexpr auto comment = vial::get<"/post/<int:post_id>/comment/<int:comment_id>">(show_comment);
#else
constexpr auto comment = vial::get<"/post/<int:id>/comment/<int:id>">(show_comment);
#endif
