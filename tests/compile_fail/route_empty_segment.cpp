// A doubled '/' leaves an empty segment.
// EXPECT: vial: empty segment '//' in route
#include <vial/route.hpp>

#include <string>

std::string show_post(int post_id);

#ifdef VIAL_CONTROL
constexpr auto post = vial::get<"/blog/<int:post_id>">(show_post);
#else
constexpr auto post = vial::get<"/blog//<int:post_id>">(show_post);
#endif
