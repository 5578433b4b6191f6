// A parameter with a converter but no name.
// EXPECT: vial: empty parameter name in route
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>">(show_user);
#else
constexpr auto user = vial::get<"/user/<int:>">(show_user);
#endif
