// <path:...> takes the rest of the URL, so nothing may follow it.
// EXPECT: vial: <path:\.\.\.> must be the last segment of the route
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_file(std::string_view file);

#ifdef VIAL_CONTROL
constexpr auto file = vial::get<"/raw/<path:file>">(show_file);
#else
constexpr auto file = vial::get<"/<path:file>/raw">(show_file);
#endif
