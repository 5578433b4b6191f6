// A parameter shares its segment with literal text.
// EXPECT: vial: a parameter must span a whole segment
#include <vial/route.hpp>

#include <string>

std::string show_report(int year);

#ifdef VIAL_CONTROL
constexpr auto report = vial::get<"/report/<int:year>">(show_report);
#else
constexpr auto report = vial::get<"/report-<int:year>">(show_report);
#endif
