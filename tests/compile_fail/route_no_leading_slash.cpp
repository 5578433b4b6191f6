// A route must start with '/'.
// EXPECT: vial: route must start with '/'
#include <vial/route.hpp>

#include <string>

std::string list_users();

#ifdef VIAL_CONTROL
constexpr auto users = vial::get<"/users">(list_users);
#else
constexpr auto users = vial::get<"users">(list_users);
#endif
