// uuid takes no arguments.
// EXPECT: vial: bad converter arguments in route: path, uuid and custom converters take no arguments
#include <vial/route.hpp>

#include <string>

std::string show_order(vial::uuid order_id);

#ifdef VIAL_CONTROL
constexpr auto order = vial::get<"/order/<uuid:order_id>">(show_order);
#else
constexpr auto order = vial::get<"/order/<uuid(version=4):order_id>">(show_order);
#endif
