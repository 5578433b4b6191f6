// A string converter whose maxlength is below its minlength.
// EXPECT: vial: bad converter arguments in route: string needs minlength at least 1 and maxlength not below minlength
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_code(std::string_view code);

#ifdef VIAL_CONTROL
constexpr auto code = vial::get<"/code/<string(minlength=2, maxlength=8):code>">(show_code);
#else
constexpr auto code = vial::get<"/code/<string(minlength=8, maxlength=2):code>">(show_code);
#endif
