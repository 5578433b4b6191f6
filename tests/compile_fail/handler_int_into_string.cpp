// <int:...> handed to a std::string parameter.
// EXPECT: vial: handler parameter type does not match the route's converter: int takes an integer type
#include <vial/route.hpp>

#include <string>

#ifdef VIAL_CONTROL
std::string show_user(int user_id);
#else
std::string show_user(std::string user_id);
#endif

constexpr auto user = vial::get<"/user/<int:user_id>">(show_user);
