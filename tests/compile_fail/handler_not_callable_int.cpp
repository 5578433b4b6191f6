// Something that is not a function where the handler belongs.
// EXPECT: vial: handler is not callable
#include <vial/route.hpp>

#include <string>

std::string index_page();

#ifdef VIAL_CONTROL
constexpr auto home = vial::get<"/">(index_page);
#else
constexpr auto home = vial::get<"/">(42);
#endif
