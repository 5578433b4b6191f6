// A '>' without an opening '<'.
// EXPECT: vial: stray '>' in route without an opening '<'
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>">(show_user);
#else
constexpr auto user = vial::get<"/user/int:user_id>">(show_user);
#endif
