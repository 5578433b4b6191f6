// <float:...> yields a double: a float parameter would silently lose precision.
// EXPECT: vial: handler parameter type does not match the route's converter: .*float takes double
#include <vial/route.hpp>

#include <string>

#ifdef VIAL_CONTROL
std::string show_price(double amount);
#else
std::string show_price(float amount);
#endif

constexpr auto price = vial::get<"/price/<float:amount>">(show_price);
