#ifndef VIAL_TESTS_ROUTE_HEX_CONVERTER_HPP
#define VIAL_TESTS_ROUTE_HEX_CONVERTER_HPP

// A custom converter for the route tests: lower-case hexadecimal numbers of up to 8 digits.

#include <vial/route/converter.hpp>

#include <cstdint>
#include <string>
#include <string_view>

template <>
struct vial::converter<"hex"> {
    using value_type = std::uint32_t;
    static bool parse(std::string_view s, value_type& out) {
        if (s.empty() || s.size() > 8) return false;
        std::uint32_t v = 0;
        for (char c : s) {
            const int d = vial::uuid::hex(c);
            if (d < 0) return false;
            v = v * 16 + static_cast<std::uint32_t>(d);
        }
        out = v;
        return true;
    }
    static std::string to_url(const value_type& v) {
        constexpr char digits[] = "0123456789abcdef";
        std::string s;
        for (int shift = 28; shift >= 0; shift -= 4)
            if (!s.empty() || ((v >> shift) & 15U) != 0 || shift == 0) s += digits[(v >> shift) & 15U];
        return s;
    }
};

#endif  // VIAL_TESTS_ROUTE_HEX_CONVERTER_HPP
