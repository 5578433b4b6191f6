// A misspelled built-in converter: "integer" for "int".
// EXPECT: vial: unknown converter in route; known: int, float, uuid, any, string, path
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>">(show_user);
#else
constexpr auto user = vial::get<"/user/<integer:user_id>">(show_user);
#endif
