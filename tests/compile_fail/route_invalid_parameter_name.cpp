// A parameter name must be an identifier.
// EXPECT: vial: invalid parameter name in route: use letters, digits and '_'
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>">(show_user);
#else
constexpr auto user = vial::get<"/user/<int:user-id>">(show_user);
#endif
