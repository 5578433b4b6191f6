// A blueprint name is an identifier: it becomes the "name." prefix of endpoints.
// EXPECT: vial: invalid blueprint name
#include <vial/route.hpp>

#include <string>

std::string list_users();

#ifdef VIAL_CONTROL
constexpr auto users = vial::blueprint<"user_admin", "/users">(vial::get<"/", list_users>());
#else
constexpr auto users = vial::blueprint<"user.admin", "/users">(vial::get<"/", list_users>());
#endif
