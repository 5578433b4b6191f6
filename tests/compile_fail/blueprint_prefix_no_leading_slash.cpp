// A blueprint prefix must start with '/'.
// EXPECT: vial: malformed blueprint prefix
#include <vial/route.hpp>

#include <string>

std::string list_users();

#ifdef VIAL_CONTROL
constexpr auto users = vial::blueprint<"users", "/users">(vial::get<"/", list_users>());
#else
constexpr auto users = vial::blueprint<"users", "users">(vial::get<"/", list_users>());
#endif
