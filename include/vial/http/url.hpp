#ifndef VIAL_HTTP_URL_HPP
#define VIAL_HTTP_URL_HPP

/// @file
/// Percent-encoding (RFC 3986 §2.1) and `application/x-www-form-urlencoded` (WHATWG URL §5).

#include <vial/http/multi_dict.hpp>
#include <vial/route/converter.hpp>

#include <string>
#include <string_view>

namespace vial {

namespace detail::http_text {

/// @return whether `c` is an RFC 3986 unreserved character: ALPHA / DIGIT / "-" / "." / "_" / "~"
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

inline void append_encoded(std::string& out, std::string_view text, std::string_view safe, bool space_as_plus) {
    static constexpr char digits[] = "0123456789ABCDEF";
    for (const char c : text) {
        if (is_unreserved(c) || (c != '%' && safe.find(c) != std::string_view::npos)) {
            out += c;
        } else if (c == ' ' && space_as_plus) {
            out += '+';
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 0xF];
        }
    }
}

}  // namespace detail::http_text

/// Decodes `%XX` escapes. Never fails: an escape that is not `%` followed by two hex digits is
/// kept literally ("100%" stays "100%", "%zz" stays "%zz"). The result is bytes; it is UTF-8
/// only if the sender encoded UTF-8.
/// @param text the encoded text
/// @param plus_as_space decode '+' as a space, as in query strings and form bodies
/// @return the decoded bytes
/// @par Example
/// @code
/// vial::percent_decode("a%20b+c", true);  // "a b c"
/// @endcode
[[nodiscard]] inline std::string percent_decode(std::string_view text, bool plus_as_space = false) {
    return detail::percent_decode(text, plus_as_space);
}

/// Encodes every byte except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) and those in
/// `safe` as `%XX` (uppercase hex). '%' is always encoded.
/// @param text the bytes to encode
/// @param safe extra characters to leave as they are, e.g. "/" for a path
/// @return the encoded text
/// @par Example
/// @code
/// vial::percent_encode("a b/c");       // "a%20b%2Fc"
/// vial::percent_encode("a b/c", "/");  // "a%20b/c"
/// @endcode
[[nodiscard]] inline std::string percent_encode(std::string_view text, std::string_view safe = {}) {
    std::string out;
    out.reserve(text.size());
    detail::http_text::append_encoded(out, text, safe, false);
    return out;
}

/// Parses a query string or `application/x-www-form-urlencoded` body: pairs split on '&',
/// '+' and `%XX` decoded, repeated keys kept in order, empty pairs skipped, a pair without '='
/// gives an empty value. A leading '?' is not stripped.
/// @param text e.g. "a=1&b=x+y&a=2"
/// @return the decoded pairs
[[nodiscard]] inline multi_dict parse_query(std::string_view text) {
    multi_dict out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) {
            out.add(percent_decode(pair, true), {});
        } else {
            out.add(percent_decode(pair.substr(0, eq), true), percent_decode(pair.substr(eq + 1), true));
        }
    }
    return out;
}

/// Encodes pairs as `application/x-www-form-urlencoded` (space as '+'), the inverse of
/// `parse_query`.
/// @param pairs the pairs, in order
/// @return e.g. "a=1&b=x+y&a=2"
[[nodiscard]] inline std::string urlencode(const multi_dict& pairs) {
    std::string out;
    for (const auto& [key, value] : pairs) {
        if (!out.empty()) out += '&';
        detail::http_text::append_encoded(out, key, {}, true);
        out += '=';
        detail::http_text::append_encoded(out, value, {}, true);
    }
    return out;
}

}  // namespace vial

#endif  // VIAL_HTTP_URL_HPP
