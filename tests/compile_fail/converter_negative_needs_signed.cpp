// int and float match no '-' unless signed=True, so a negative bound could never be reached.
// EXPECT: vial: bad converter arguments in route: a negative min or max needs signed=True
#include <vial/route.hpp>

#include <string>

std::string show_offset(int hours);

#ifdef VIAL_CONTROL
constexpr auto offset = vial::get<"/tz/<int(min=-12, max=14, signed=True):hours>">(show_offset);
#else
constexpr auto offset = vial::get<"/tz/<int(min=-12, max=14):hours>">(show_offset);
#endif
