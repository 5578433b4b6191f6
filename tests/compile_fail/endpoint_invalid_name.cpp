// An endpoint name must be an identifier (blueprints add the dots).
// EXPECT: vial: invalid endpoint name
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>", "show_user">(show_user);
#else
constexpr auto user = vial::get<"/user/<int:user_id>", "show-user">(show_user);
#endif
