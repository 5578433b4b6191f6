// Two routes with the same endpoint name: url_for could not tell them apart.
// EXPECT: vial: duplicate endpoint name
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_user(int user_id);
std::string show_user_by_name(std::string_view name);

#ifdef VIAL_CONTROL
constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", "show_user">(show_user),
                               vial::get<"/user/<name>", "show_user_by_name">(show_user_by_name));
#else
constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", "show_user">(show_user),
                               vial::get<"/user/<name>", "show_user">(show_user_by_name));
#endif
