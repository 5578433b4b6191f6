// Two blueprints whose prefixes and routes add up to the same full path.
// EXPECT: vial: duplicate route: two routes have the same pattern shape
#include <vial/route.hpp>

#include <string>

std::string list_users();
std::string list_members();

constexpr auto api = vial::blueprint<"api", "/api">(vial::get<"/users/list", list_users>());
#ifdef VIAL_CONTROL
constexpr auto members = vial::blueprint<"members", "/api/members">(vial::get<"/list", list_members>());
#else
constexpr auto members = vial::blueprint<"members", "/api/users">(vial::get<"/list", list_members>());
#endif
constexpr auto app = vial::app(api, members);
