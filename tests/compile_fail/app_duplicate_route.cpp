// Two GET routes of the same shape: parameter names do not tell them apart.
// EXPECT: vial: duplicate route: two routes have the same pattern shape and a common method
#include <vial/route.hpp>

#include <string>

std::string show_user(int user_id);
std::string update_user(int id);

#ifdef VIAL_CONTROL
constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>(),
                               vial::put<"/user/<int:id>", update_user>());
#else
constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>(),
                               vial::get<"/user/<int:id>", update_user>());
#endif
