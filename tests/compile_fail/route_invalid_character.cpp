// A route cannot hold a space, a control character, '?' or '#'.
// EXPECT: vial: invalid character in route
#include <vial/route.hpp>

#include <string>

std::string search();

#ifdef VIAL_CONTROL
constexpr auto find = vial::get<"/search">(search);
#else
constexpr auto find = vial::get<"/search?q">(search);
#endif
