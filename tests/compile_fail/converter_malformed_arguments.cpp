// Converter arguments with a trailing ','.
// EXPECT: vial: bad converter arguments in route: write them as name=value, separated by ','
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_code(std::string_view code);

#ifdef VIAL_CONTROL
constexpr auto code = vial::get<"/code/<string(minlength=2, maxlength=8):code>">(show_code);
#else
constexpr auto code = vial::get<"/code/<string(minlength=2, ):code>">(show_code);
#endif
