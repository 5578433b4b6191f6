// <string:...> (or no converter) handed to an int parameter.
// EXPECT: vial: handler parameter type does not match the route's converter: .*string/path/any take std::string or std::string_view
#include <vial/route.hpp>

#include <string>
#include <string_view>

#ifdef VIAL_CONTROL
std::string show_user(std::string_view name);
#else
std::string show_user(int name);
#endif

constexpr auto user = vial::get<"/user/<string:name>">(show_user);
