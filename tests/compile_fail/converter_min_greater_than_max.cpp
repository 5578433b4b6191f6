// An int converter whose min is above its max.
// EXPECT: vial: bad converter arguments in route: min is greater than max
#include <vial/route.hpp>

#include <string>

std::string show_page(int page);

#ifdef VIAL_CONTROL
constexpr auto page = vial::get<"/page/<int(min=1, max=100):page>">(show_page);
#else
constexpr auto page = vial::get<"/page/<int(min=100, max=1):page>">(show_page);
#endif
