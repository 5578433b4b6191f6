// A converter argument whose value has the wrong form.
// EXPECT: vial: bad converter arguments in route: bad value; min and max take numbers
#include <vial/route.hpp>

#include <string>

std::string show_page(int page);

#ifdef VIAL_CONTROL
constexpr auto page = vial::get<"/page/<int(min=1):page>">(show_page);
#else
constexpr auto page = vial::get<"/page/<int(min=one):page>">(show_page);
#endif
