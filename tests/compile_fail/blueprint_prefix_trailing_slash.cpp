// A blueprint prefix must not end with '/': routes inside start with one.
// EXPECT: vial: malformed blueprint prefix: .*not end with '/'
#include <vial/route.hpp>

#include <string>

std::string list_users();

#ifdef VIAL_CONTROL
constexpr auto users = vial::blueprint<"users", "/users">(vial::get<"/", list_users>());
#else
constexpr auto users = vial::blueprint<"users", "/users/">(vial::get<"/", list_users>());
#endif
