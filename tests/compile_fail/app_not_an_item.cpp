// Something that is not a route, a blueprint, a hook or an error handler passed to vial::app.
// EXPECT: vial: not a route, blueprint, hook or error handler
#include <vial/route.hpp>

#include <string>

std::string index_page();

#ifdef VIAL_CONTROL
constexpr auto app = vial::app(vial::get<"/", index_page>());
#else
constexpr auto app = vial::app(vial::get<"/", index_page>(), index_page);
#endif
