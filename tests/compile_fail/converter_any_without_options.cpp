// any() needs at least one option.
// EXPECT: vial: bad converter arguments in route: any\(\) needs at least one option
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_lang(std::string_view lang);

#ifdef VIAL_CONTROL
constexpr auto lang = vial::get<"/docs/<any(en, fr):lang>">(show_lang);
#else
constexpr auto lang = vial::get<"/docs/<any():lang>">(show_lang);
#endif
