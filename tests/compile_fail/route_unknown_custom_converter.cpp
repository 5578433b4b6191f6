// A custom converter used in a route without a vial::converter<"name"> specialization.
// EXPECT: vial: unknown converter in route; .*specialize vial::converter<.*name.*> before the route
#include <vial/route.hpp>

#include <string>
#include <string_view>

#ifdef VIAL_CONTROL
template <>
struct vial::converter<"hex"> {
    using value_type = unsigned;
    static bool parse(std::string_view segment, unsigned& out);
    static std::string to_url(const unsigned& value);
};
#endif

std::string show_color(unsigned rgb);

constexpr auto color = vial::get<"/color/<hex:rgb>">(show_color);
