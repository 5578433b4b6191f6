#ifndef VIAL_ROUTE_CONVERTER_HPP
#define VIAL_ROUTE_CONVERTER_HPP

/// @file
/// Path converters: the built-in ones (int, float, uuid, any, string, path), the `vial::uuid`
/// value type, percent-decoding of segments, and the `vial::converter<"name">` trait a user
/// specializes to add a converter of their own.

#include <vial/route/fixed_string.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vial {

namespace detail {

// Word-at-a-time helpers for the matcher's scans and parsers: eight bytes in a
// std::uint64_t, the byte at the lowest address in the lowest bits on any byte order.

inline constexpr std::uint64_t byte_ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t byte_highs = 0x8080808080808080ULL;

constexpr std::uint64_t byte_swap(std::uint64_t w) noexcept {
    w = ((w & 0x00FF00FF00FF00FFULL) << 8) | ((w >> 8) & 0x00FF00FF00FF00FFULL);
    w = ((w & 0x0000FFFF0000FFFFULL) << 16) | ((w >> 16) & 0x0000FFFF0000FFFFULL);
    return (w << 32) | (w >> 32);
}

/// The eight bytes at `p`.
inline std::uint64_t load_word(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::big) w = byte_swap(w);
    return w;
}

/// The four bytes at `p`, in the low half.
inline std::uint64_t load_half(const char* p) noexcept {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::big) return byte_swap(w) >> 32;
    return w;
}

/// 0x80 in each byte of `w` that equals `c`. Exact up to the first such byte: a borrow can
/// also mark bytes above it, so only the lowest mark gives a position, and a mark above it
/// only says that some byte at or below it equals `c`.
constexpr std::uint64_t bytes_equal(std::uint64_t w, char c) noexcept {
    const std::uint64_t x = w ^ (byte_ones * static_cast<unsigned char>(c));
    return (x - byte_ones) & ~x & byte_highs;
}

/// 0x80 in each byte of `w` that equals `c`, 0 in the others, with no false marks.
constexpr std::uint64_t bytes_equal_exact(std::uint64_t w, char c) noexcept {
    const std::uint64_t x = w ^ (byte_ones * static_cast<unsigned char>(c));
    return ~(((x & ~byte_highs) + ~byte_highs) | x) & byte_highs;
}

/// The marks of a bytes_equal_exact mask as eight bits, bit i for byte i.
constexpr std::uint64_t byte_bits(std::uint64_t mask) noexcept {
    return ((mask >> 7) * 0x0102040810204080ULL) >> 56;
}

/// The value of the `n` (1 to 8) ASCII decimal digits in `w`, the first in the lowest byte,
/// zeros above them. @return false when any of them is not a digit.
constexpr bool digits_word(std::uint64_t w, std::size_t n, std::uint64_t& out) noexcept {
    const std::uint64_t d = (w ^ (byte_ones * '0')) & (~std::uint64_t{0} >> (8 * (8 - n)));
    // A byte is a digit when d is at most 9: its high nibble is 0, and adding 6 keeps it so
    // (no carry leaves a byte while every high nibble is 0).
    if (((d | (d + byte_ones * 6)) & (byte_ones * 0xF0)) != 0) return false;
    // Leading zeros to make eight digits, then pairs, fours and eights combined by multiplying.
    std::uint64_t v = d << (8 * (8 - n));
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
         (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
    out = v;
    return true;
}

/// The index of the lowest byte marked in a nonzero mask from bytes_equal.
constexpr std::size_t first_byte(std::uint64_t mask) noexcept {
    return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
}

/// Eight ASCII hex digits (either case), first digit in the lowest byte, as four bytes, the
/// first two digits in the lowest byte. @return false when any byte is not a hex digit.
inline bool hex_word(std::uint64_t w, std::uint32_t& out) noexcept {
    // For bytes below 0x80, adding 0x80 - lo sets the high bit exactly when the byte is >= lo,
    // and no carry crosses into the next byte; a word with any byte >= 0x80 is rejected.
    const std::uint64_t digit = (w + byte_ones * (0x80 - '0')) & ~(w + byte_ones * (0x7F - '9'));
    const std::uint64_t lower = w | (byte_ones * 0x20);
    const std::uint64_t letter = (lower + byte_ones * (0x80 - 'a')) & ~(lower + byte_ones * (0x7F - 'f')) & byte_highs;
    const bool ok = (((digit | letter) & byte_highs) == byte_highs) & ((w & byte_highs) == 0);
    const std::uint64_t nibbles = (w & (byte_ones * 0x0F)) + (letter >> 7) * 9;
    std::uint64_t p = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF00FF00FF00FFULL;
    p = (p | (p >> 8)) & 0x0000FFFF0000FFFFULL;
    p = (p | (p >> 16)) & 0xFFFFFFFFULL;
    out = static_cast<std::uint32_t>(p);
    return ok;
}

/// Parses the 36 characters at `t` as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case)
/// into the 16 bytes at `out`: the 32 digits as four words of eight, checked and converted at
/// once. @return false, leaving `out` as it was, when they are not a UUID.
inline bool parse_uuid_words(const char* t, std::uint8_t* out) noexcept {
    std::uint32_t part[4];
    // All four words converted, then one test: no branch per word.
    unsigned ok = (t[8] == '-') & (t[13] == '-') & (t[18] == '-') & (t[23] == '-');
    ok &= hex_word(load_word(t), part[0]);
    ok &= hex_word(load_half(t + 9) | load_half(t + 14) << 32, part[1]);
    ok &= hex_word(load_half(t + 19) | load_half(t + 24) << 32, part[2]);
    ok &= hex_word(load_word(t + 28), part[3]);
    if (ok == 0) return false;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out, part, sizeof part);
    } else {
        for (std::size_t i = 0; i < 16; ++i) out[i] = static_cast<std::uint8_t>(part[i / 4] >> (8 * (i % 4)));
    }
    return true;
}

#if defined(__SSE2__) && defined(__x86_64__)
/// parse_uuid_words with SSE2: the 36 characters as three vectors of sixteen (the last two
/// overlapping), each classified and converted at once.
inline bool parse_uuid_sse2(const char* t, std::uint8_t* out) noexcept {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 20));
    // Bytes >= 0x80 are negative to the signed compares, so neither digits nor letters.
    auto nibbles = [](__m128i v, unsigned& hex) {
        const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        const __m128i letter =
            _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
        hex = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, letter)));
        return _mm_add_epi8(_mm_and_si128(v, _mm_set1_epi8(0x0F)), _mm_and_si128(letter, _mm_set1_epi8(9)));
    };
    unsigned hex_a = 0;
    unsigned hex_b = 0;
    unsigned hex_c = 0;
    const __m128i na = nibbles(a, hex_a);
    const __m128i nb = nibbles(b, hex_b);
    const __m128i nc = nibbles(c, hex_c);
    // Digits everywhere but at the hyphens: 8 and 13 in a, 18 and 23 (2 and 7) in b; c adds 32-35.
    if (!((hex_a == 0xDEFF) & (hex_b == 0xFF7B) & ((hex_c & 0xF000) == 0xF000) & (t[8] == '-') & (t[13] == '-') &
          (t[18] == '-') & (t[23] == '-')))
        return false;
    // Byte k of pairs(n) is the pair of digits 2k, 2k+1 of n as one byte; pairs(n >> 8 bits)
    // those that start at odd positions (9, 11, 19, 21).
    auto pairs = [](__m128i n) {
        return _mm_and_si128(_mm_or_si128(_mm_slli_epi16(n, 4), _mm_srli_epi16(n, 8)), _mm_set1_epi16(0xFF));
    };
    const __m128i pa = _mm_packus_epi16(pairs(na), pairs(_mm_srli_si128(na, 1)));
    const __m128i pb = _mm_packus_epi16(pairs(nb), pairs(_mm_srli_si128(nb, 1)));
    const __m128i pc = _mm_packus_epi16(pairs(nc), pairs(nc));
    const auto even_a = static_cast<std::uint64_t>(_mm_cvtsi128_si64(pa));
    const auto odd_a = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_srli_si128(pa, 8)));
    const auto even_b = static_cast<std::uint64_t>(_mm_cvtsi128_si64(pb));
    const auto odd_b = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_srli_si128(pb, 8)));
    const auto even_c = static_cast<std::uint64_t>(_mm_cvtsi128_si64(pc));
    // bytes 0-3: digits 0-7; 4, 5: 9-12; 6: 14-15; 7: 16-17; 8, 9: 19-22; 10-13: 24-31; 14, 15: 32-35.
    const std::uint64_t lo = (even_a & 0xFFFFFFFFULL) | (((odd_a >> 32) & 0xFFFF) << 32) | ((even_a >> 56) << 48) |
                             (even_b << 56);
    const std::uint64_t hi = ((odd_b >> 8) & 0xFFFF) | ((even_b >> 32) << 16) | ((even_c >> 48) << 48);
    std::memcpy(out, &lo, 8);
    std::memcpy(out + 8, &hi, 8);
    return true;
}
#endif

}  // namespace detail

/// A UUID as matched by `<uuid:id>`: 16 bytes, printed in lowercase 8-4-4-4-12 form.
struct uuid {
    std::array<std::uint8_t, 16> bytes{};

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    /// @return true and sets `out` when `text` is a UUID.
    static constexpr bool parse(std::string_view text, uuid& out) noexcept {
        if (text.size() != 36) return false;
        if (!std::is_constant_evaluated()) {
#if defined(__SSE2__) && defined(__x86_64__)
            return detail::parse_uuid_sse2(text.data(), out.bytes.data());
#else
            return detail::parse_uuid_words(text.data(), out.bytes.data());
#endif
        }
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

/// Number of characters in `s` read as UTF-8, as Werkzeug counts them after decoding with
/// errors="replace": a well-formed sequence is one character, and so is each byte or
/// truncated sequence that is not (a lone continuation byte, an overlong lead, a lead
/// without all its continuation bytes: the "maximal subpart" of Unicode's chapter 3).
constexpr std::size_t utf8_length(std::string_view s) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        const auto b = static_cast<unsigned char>(s[i++]);
        if (b < 0xC2 || b > 0xF4) continue;  // ASCII, or a byte that starts nothing
        const std::size_t more = b < 0xE0 ? 1 : (b < 0xF0 ? 2 : 3);
        // The second byte's range depends on the lead (no overlongs, surrogates, or > U+10FFFF).
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (b == 0xE0) lo = 0xA0;
        else if (b == 0xED) hi = 0x9F;
        else if (b == 0xF0) lo = 0x90;
        else if (b == 0xF4) hi = 0x8F;
        for (std::size_t k = 0; k < more && i < s.size(); ++k) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c < lo || c > hi) break;
            ++i;
            lo = 0x80;
            hi = 0xBF;
        }
    }
    return n;
}

/// Parses `-?[0-9]+` (the sign only when `allow_sign`) into sign and magnitude.
constexpr bool parse_int_segment(std::string_view s, bool allow_sign, std::uint16_t fixed_digits,
                                 bool& negative, std::uint64_t& magnitude) noexcept {
    negative = false;
    if (allow_sign && !s.empty() && s[0] == '-') { negative = true; s.remove_prefix(1); }
    if (s.empty() || (fixed_digits != 0 && s.size() != fixed_digits)) return false;
    // 19 digits cannot overflow 64 bits (10^19 - 1 < 2^64): only digits after them are
    // checked against the limit, with a division that the common short number never pays.
    const std::size_t unchecked = s.size() < 19 ? s.size() : 19;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < unchecked; ++i) {
        const auto d = static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) - '0';
        if (d > 9) return false;
        v = v * 10 + d;
    }
    for (std::size_t i = unchecked; i < s.size(); ++i) {
        const auto d = static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) - '0';
        if (d > 9 || v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
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
