#ifndef VIAL_ROUTE_CONVERTER_HPP
#define VIAL_ROUTE_CONVERTER_HPP

/// @file
/// Path converters: the built-in ones (int, float, uuid, any, string, path), the `vial::uuid`
/// value type, percent-decoding of segments, and the `vial::converter<"name">` trait a user
/// specializes to add a converter of their own.

#include <vial/route/fixed_string.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace vial {

/// A UUID as matched by `<uuid:id>`: 16 bytes, printed in lowercase 8-4-4-4-12 form.
struct uuid {
    std::array<std::uint8_t, 16> bytes{};

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    /// @return true and sets `out` when `text` is a UUID.
    static constexpr bool parse(std::string_view text, uuid& out) noexcept {
        if (text.size() != 36) return false;
        std::size_t b = 0;
        for (std::size_t i = 0; i < 36;) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (text[i] != '-') return false;
                ++i;
                continue;
            }
            const int hi = hex(text[i]);
            const int lo = hex(text[i + 1]);
            if (hi < 0 || lo < 0) return false;
            out.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
            i += 2;
        }
        return true;
    }
    /// @return the canonical lowercase text form.
    [[nodiscard]] std::string to_string() const {
        std::string s;
        s.reserve(36);
        constexpr char digits[] = "0123456789abcdef";
        for (std::size_t i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
            s += digits[bytes[i] >> 4];
            s += digits[bytes[i] & 15];
        }
        return s;
    }
    constexpr bool operator==(const uuid&) const = default;

    static constexpr int hex(char c) noexcept {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
};

/// Specialize to add a converter usable as `<name:param>` in routes:
/// @code
/// template <> struct vial::converter<"hex"> {
///     using value_type = std::uint32_t;
///     // true and sets `out` when the (percent-decoded) segment converts
///     static bool parse(std::string_view segment, value_type& out);
///     static std::string to_url(const value_type& v);   // used by url_for
/// };
/// @endcode
/// Custom converters rank between the built-in typed converters and `string`; they take no
/// arguments. A value_type that is trivially copyable and at most 16 bytes is parsed once
/// during matching; a larger one is parsed again just before the handler is called.
template <fixed_string Name>
struct converter;

/// The value a matched parameter holds between matching and the handler call.
struct param_value {
    std::string_view raw{};  ///< the segment as sent (still percent-encoded); the rest for `path`
    bool encoded = false;    ///< raw contains '%'
    bool negative = false;   ///< int: the value is below zero (stored as int64_t, else uint64_t)
    alignas(16) unsigned char storage[16];

    template <class T>
    [[nodiscard]] T get() const noexcept {
        static_assert(sizeof(T) <= sizeof(storage) && std::is_trivially_copyable_v<T>);
        T v;
        std::memcpy(&v, storage, sizeof(T));
        return v;
    }
    template <class T>
    void set(const T& v) noexcept {
        static_assert(sizeof(T) <= sizeof(storage) && std::is_trivially_copyable_v<T>);
        std::memcpy(storage, &v, sizeof(T));
    }
    /// @return the percent-decoded text of the segment.
    [[nodiscard]] std::string text() const;
};

namespace detail {

/// Percent-decodes `in` into `out` (at most `cap` bytes); invalid escapes are kept as written.
/// @param plus_as_space decode '+' as a space (query strings and form bodies), not in paths
/// @return the decoded length, or `cap + 1` when the result does not fit.
constexpr std::size_t percent_decode_into(std::string_view in, char* out, std::size_t cap,
                                          bool plus_as_space = false) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%' && i + 2 < in.size()) {
            const int hi = uuid::hex(in[i + 1]);
            const int lo = uuid::hex(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = static_cast<char>(hi * 16 + lo);
                i += 2;
            }
        } else if (c == '+' && plus_as_space) {
            c = ' ';
        }
        if (n == cap) return cap + 1;
        out[n++] = c;
    }
    return n;
}

inline std::string percent_decode(std::string_view in, bool plus_as_space = false) {
    std::string s(in.size(), '\0');
    s.resize(percent_decode_into(in, s.data(), s.size(), plus_as_space));
    return s;
}

/// Number of UTF-8 code points in `s` (bytes that are not continuation bytes).
constexpr std::size_t utf8_length(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

/// Parses `-?[0-9]+` (the sign only when `allow_sign`) into sign and magnitude.
constexpr bool parse_int_segment(std::string_view s, bool allow_sign, std::uint16_t fixed_digits,
                                 bool& negative, std::uint64_t& magnitude) noexcept {
    negative = false;
    if (allow_sign && !s.empty() && s[0] == '-') { negative = true; s.remove_prefix(1); }
    if (s.empty() || (fixed_digits != 0 && s.size() != fixed_digits)) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    magnitude = v;
    return true;
}

/// Parses `-?[0-9]+\.[0-9]+` (Werkzeug's float converter: a dot is required).
inline bool parse_float_segment(std::string_view s, bool allow_sign, double& out) noexcept {
    std::size_t i = 0;
    if (allow_sign && !s.empty() && s[0] == '-') i = 1;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++digits; }
    if (digits == 0 || i == s.size() || s[i] != '.') return false;
    ++i;
    std::size_t frac = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++frac; }
    if (frac == 0 || i != s.size()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

/// Characters url_for leaves as they are: RFC 3986 unreserved and sub-delims, ':' and '@'.
constexpr bool is_url_safe(char c, bool keep_slash) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '-': case '.': case '_': case '~': case '!': case '$': case '&': case '\'': case '(':
    case ')': case '*': case '+': case ',': case ';': case '=': case ':': case '@':
        return true;
    case '/': return keep_slash;
    default: return false;
    }
}

/// Appends `in` to `out`, percent-encoding every byte for which `keep` is false.
template <class Keep>
void append_escaped(std::string& out, std::string_view in, Keep keep) {
    constexpr char digits[] = "0123456789ABCDEF";
    for (char c : in) {
        if (keep(c)) {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
}

/// Appends `in` percent-encoded to `out`; '/' is kept only when `keep_slash`.
inline void percent_encode_to(std::string& out, std::string_view in, bool keep_slash) {
    append_escaped(out, in, [keep_slash](char c) { return is_url_safe(c, keep_slash); });
}

/// Appends `in` encoded for a query string component ('&', '=', '+', ';', '#' encoded; space as %20).
inline void query_encode_to(std::string& out, std::string_view in) {
    append_escaped(out, in, [](char c) { return c != '&' && c != '=' && c != '+' && c != ';' && is_url_safe(c, true); });
}

}  // namespace detail

inline std::string param_value::text() const {
    return encoded ? detail::percent_decode(raw) : std::string(raw);
}

}  // namespace vial

#endif  // VIAL_ROUTE_CONVERTER_HPP
