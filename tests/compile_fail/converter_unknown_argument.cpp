// An argument the converter does not take: int has min, max, fixed_digits and signed.
// EXPECT: vial: bad converter arguments in route: unknown argument; int takes min, max, fixed_digits, signed
#include <vial/route.hpp>

#include <string>

std::string show_page(int page);

#ifdef VIAL_CONTROL
constexpr auto page = vial::get<"/page/<int(max=100):page>">(show_page);
#else
constexpr auto page = vial::get<"/page/<int(maximum=100):page>">(show_page);
#endif
