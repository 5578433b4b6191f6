// url_for<"name", app>(...) on a route with a custom converter checks each argument against the
// converter's value_type (here std::uint32_t): text where it takes a number is refused, as for
// the built-in converters.
// EXPECT: vial: url_for: argument type does not match the route's converter
#include <vial/route.hpp>

#include <cstdint>
#include <string>
#include <string_view>

template <>
struct vial::converter<"hex"> {
    using value_type = std::uint32_t;
    static bool parse(std::string_view s, value_type& out) {
        out = static_cast<value_type>(s.size());
        return !s.empty();
    }
    static std::string to_url(const value_type& v) { return std::to_string(v); }
};

std::string show_colour(std::uint32_t rgb, int page);

constexpr auto app = vial::app(vial::get<"/colour/<hex:rgb>/<int:page>", show_colour>());

#ifdef VIAL_CONTROL
std::string link() { return vial::url_for<"show_colour", app>(std::uint32_t{0xff00ff}, 2); }
#else
std::string link() { return vial::url_for<"show_colour", app>(std::string("ff00ff"), 2); }
#endif
