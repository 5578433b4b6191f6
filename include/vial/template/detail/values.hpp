#ifndef VIAL_TEMPLATE_DETAIL_VALUES_HPP
#define VIAL_TEMPLATE_DETAIL_VALUES_HPP

/// @file
/// The kinds of values a template handles, and what it does with each: print (escaped or
/// not), test for truth, compare. Standard library and Boost.Hana only; nothing here
/// allocates except the std::string results of filters outside an output tag.

#include <vial/http/multi_dict.hpp>
#include <vial/template/globals.hpp>

#include <boost/hana/accessors.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/unpack.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vial::detail::tpl {

/// What an expression yields after a compile error was reported: every use of it is silent,
/// so one mistake gives one error.
struct invalid {};
/// The literal `none`.
struct none_t {};
/// A value that may be undefined (a missing map key, a list index out of range): prints as
/// nothing, is false, and `default` replaces it.
template <class T>
struct nullable {
    const T* p = nullptr;
};
/// Text that is printed as is (`|safe`, `|tojson`, the result of `|escape`).
struct safe_view {
    std::string_view s;
};
struct safe_string {
    std::string s;
};
/// `loop` inside a for.
struct loop_state {
    std::size_t index0 = 0;
    std::size_t length = 0;
};
/// `request` inside a template.
struct request_view {
    std::string_view path;
    const multi_dict* args;
};
/// A session in a template: the data, or null for none.
template <class S>
struct session_view {
    const S* data;
};
/// `get_flashed_messages()` without categories: the messages only.
struct messages_view {
    std::span<const flashed_message> all;
    struct iterator {
        const flashed_message* at;
        const std::string& operator*() const noexcept { return at->message; }
        iterator& operator++() noexcept {
            ++at;
            return *this;
        }
        bool operator!=(const iterator& o) const noexcept { return at != o.at; }
        bool operator==(const iterator& o) const noexcept { return at == o.at; }
    };
    iterator begin() const noexcept { return {all.data()}; }
    iterator end() const noexcept { return {all.data() + all.size()}; }
    std::size_t size() const noexcept { return all.size(); }
};
/// `map.items()`: iterating yields the pairs.
template <class M>
struct items_view {
    const M* map;
    auto begin() const { return map->begin(); }
    auto end() const { return map->end(); }
    std::size_t size() const { return map->size(); }
};

template <class T>
using bare = std::remove_cvref_t<T>;

template <class T>
inline constexpr bool is_string_v = std::is_same_v<bare<T>, std::string> || std::is_same_v<bare<T>, std::string_view> ||
                                   std::is_same_v<bare<T>, const char*> || std::is_same_v<bare<T>, char*>;
template <class T>
inline constexpr bool is_safe_v = std::is_same_v<bare<T>, safe_view> || std::is_same_v<bare<T>, safe_string>;
template <class T>
inline constexpr bool is_text_v = is_string_v<T> || is_safe_v<T>;
template <class T>
inline constexpr bool is_bool_v = std::is_same_v<bare<T>, bool>;
template <class T>
inline constexpr bool is_int_v = std::is_integral_v<bare<T>> && !is_bool_v<T> && !std::is_same_v<bare<T>, char>;
template <class T>
inline constexpr bool is_float_v = std::is_floating_point_v<bare<T>>;
template <class T>
inline constexpr bool is_number_v = is_int_v<T> || is_float_v<T> || is_bool_v<T>;

template <class T>
struct optional_traits : std::false_type {};
template <class T>
struct optional_traits<std::optional<T>> : std::true_type {
    using value_type = T;
};
template <class T>
inline constexpr bool is_optional_v = optional_traits<bare<T>>::value;
template <class T>
struct nullable_traits : std::false_type {};
template <class T>
struct nullable_traits<nullable<T>> : std::true_type {
    using value_type = T;
};
template <class T>
inline constexpr bool is_nullable_v = nullable_traits<bare<T>>::value;

template <class T>
concept map_like = requires(const bare<T>& m) {
    typename bare<T>::key_type;
    typename bare<T>::mapped_type;
    m.find(std::declval<const typename bare<T>::key_type&>());
    m.end();
};
template <class T>
concept range_like = !is_text_v<T> && !map_like<T> && requires(const bare<T>& r) {
    std::begin(r);
    std::end(r);
};
template <class T>
inline constexpr bool is_struct_v = boost::hana::Struct<bare<T>>::value;
template <class T>
inline constexpr bool is_multi_dict_v = std::is_same_v<bare<T>, multi_dict>;
template <class T>
struct items_traits : std::false_type {};
template <class M>
struct items_traits<items_view<M>> : std::true_type {};
template <class T>
inline constexpr bool is_items_v = items_traits<bare<T>>::value;
template <class T>
struct session_traits : std::false_type {};
template <class S>
struct session_traits<session_view<S>> : std::true_type {
    using data = S;
};
template <class T>
inline constexpr bool is_session_v = session_traits<bare<T>>::value;

template <class T>
inline constexpr bool is_printable_v = is_text_v<T> || is_number_v<T> || std::is_same_v<bare<T>, none_t> ||
                                      std::is_same_v<bare<T>, invalid>;

template <class T>
constexpr bool printable() {
    if constexpr (is_optional_v<T>) return printable<typename optional_traits<bare<T>>::value_type>();
    else if constexpr (is_nullable_v<T>) return printable<typename nullable_traits<bare<T>>::value_type>();
    else return is_printable_v<T>;
}

template <class T>
constexpr std::string_view text_of(const T& v) noexcept {
    if constexpr (std::is_same_v<T, safe_view>) return v.s;
    else if constexpr (std::is_same_v<T, safe_string>) return v.s;
    else if constexpr (std::is_pointer_v<T>) return v == nullptr ? std::string_view{} : std::string_view(v);
    else return std::string_view(v);
}

/// Which bytes HTML escaping replaces.
inline constexpr auto html_special = [] {
    std::array<bool, 256> t{};
    t['&'] = t['<'] = t['>'] = t['"'] = t['\''] = true;
    return t;
}();

#if defined(__SSE2__)
/// A mask of the bytes of v that HTML escaping replaces: '&' and '\'' differ only in bit 0,
/// '<' and '>' only in bit 1, so three compares find all five.
inline int html_special_bits(__m128i v) noexcept {
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8('\'')),
                                                  _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'))),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    return _mm_movemask_epi8(hit);
}
#endif

#if defined(__SSE2__)
/// The first of HTML's special characters in [p, end), which holds sizeof(Half) to 15 bytes:
/// its first and last sizeof(Half) bytes, overlapping, in one vector whose other bytes are
/// zero (which matches no special character). A special in the overlap is found in the first
/// half, which is looked at first.
template <class Half>
inline const char* find_html_special_in_halves(const char* p, const char* end) noexcept {
    constexpr unsigned width = sizeof(Half);
    Half first = 0;
    Half last = 0;
    std::memcpy(&first, p, width);
    std::memcpy(&last, end - width, width);
    __m128i v;
    if constexpr (width == 8) v = _mm_set_epi64x(static_cast<long long>(last), static_cast<long long>(first));
    else v = _mm_set_epi32(0, 0, static_cast<int>(last), static_cast<int>(first));
    const auto bits = static_cast<unsigned>(html_special_bits(v));
    if ((bits & ((1u << width) - 1)) != 0) return p + __builtin_ctz(bits);
    return bits != 0 ? end - width + __builtin_ctz(bits >> width) : end;
}
#endif

/// The first of HTML's five special characters in [p, end), or end; the bytes from `readable`
/// (at or before p) on may be read. Sixteen bytes at a time with SSE2 (every x86-64 has it),
/// the last few by reading the sixteen before `end` again when the text is that long, a text
/// of 4 to 15 bytes as two overlapping halves in one vector; else, and elsewhere, a table.
inline const char* find_html_special(const char* p, const char* end, const char* readable) noexcept {
#if defined(__SSE2__)
    for (; end - p >= 16; p += 16) {
        const int bits = html_special_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        if (bits != 0) return p + __builtin_ctz(static_cast<unsigned>(bits));
    }
    if (p != end && end - readable >= 16) {
        const auto seen = static_cast<unsigned>(16 - (end - p));  // bytes of the block before p
        const unsigned bits = static_cast<unsigned>(html_special_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16)))) >> seen;
        return bits != 0 ? p + __builtin_ctz(bits) : end;
    }
    // A short text (a name, a date): its first and last 8 bytes (or 4 and 4) at once.
    if (end - p >= 8) return find_html_special_in_halves<std::uint64_t>(p, end);
    if (end - p >= 4) return find_html_special_in_halves<std::uint32_t>(p, end);
#else
    (void)readable;
#endif
    while (p != end && !html_special[static_cast<unsigned char>(*p)]) ++p;
    return p;
}
inline const char* find_html_special(const char* p, const char* end) noexcept { return find_html_special(p, end, p); }

/// The entities of the special characters, padded to eight bytes so that one store writes
/// each, indexed by the character's low five bits (distinct for the five).
struct html_entity {
    char text[8];
    std::size_t size;
};
inline constexpr auto html_entities = [] {
    std::array<html_entity, 32> t{};
    t['&' & 31] = {{'&', 'a', 'm', 'p', ';'}, 5};
    t['<' & 31] = {{'&', 'l', 't', ';'}, 4};
    t['>' & 31] = {{'&', 'g', 't', ';'}, 4};
    t['"' & 31] = {{'&', '#', '3', '4', ';'}, 5};
    t['\'' & 31] = {{'&', '#', '3', '9', ';'}, 5};
    return t;
}();

/// Writes [p, end) at w with HTML's five special characters escaped, as far as the room up to
/// `limit` surely holds, and returns the end of what it wrote; `p` is left where it stopped
/// (`end` when all is written, always so with room for 5 * (end - p) + 16 bytes: an entity is
/// at most five bytes, and a block is stored whole before the next write overwrites what
/// follows). Reads [p, end) only.
/// Sixteen bytes at a time: each block is stored whole; for each special character in it (a
/// bit of its mask), the entity is written where the character would be, then the rest of the
/// block is stored again after it, so a block with k specials costs one scan and k small
/// stores, not k scans. The last blocks, which cannot read 16 bytes past a special, take one
/// special per scan; the last few bytes, a table.
/// It stops before a block of 16 bytes when fewer than 96 bytes of room are left (a block
/// writes up to 80 and is followed by a store of 16), and before the last bytes when fewer
/// than five times theirs and 16 are left.
inline char* escape_into(char* w, const char*& p, const char* const end, const char* const limit) noexcept {
    const auto put_entity = [&w](char c) {
        const html_entity& e = html_entities[static_cast<unsigned char>(c) & 31];
        std::memcpy(w, e.text, 8);
        w += e.size;
    };
#if defined(__SSE2__)
    while (end - p >= 32) {
        if (limit - w < 96) return w;
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        auto bits = static_cast<unsigned>(html_special_bits(v));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
        unsigned done = 0;  // bytes of the block written
        while (bits != 0) {
            const auto at = static_cast<unsigned>(__builtin_ctz(bits));
            w += at - done;  // the bytes before the special are already there
            put_entity(p[at]);
            done = at + 1;
            _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + done)));
            bits &= bits - 1;
        }
        w += 16 - done;
        p += 16;
    }
#endif
    if (limit - w < 5 * (end - p) + 16) return w;
#if defined(__SSE2__)
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const int bits = html_special_bits(v);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
        if (bits == 0) {
            w += 16;
            p += 16;
        } else {
            const int at = __builtin_ctz(static_cast<unsigned>(bits));
            w += at;
            p += at;
            put_entity(*p);
            ++p;
        }
    }
#endif
    for (; p != end; ++p) {
        if (html_special[static_cast<unsigned char>(*p)]) put_entity(*p);
        else *w++ = *p;
    }
    return w;
}

/// Appends text with HTML's five special characters escaped, as Jinja (MarkupSafe) does. Text
/// without one is appended whole; otherwise what comes before the first is appended as it is,
/// and escape_into writes the rest straight into the output, grown first by twice the rest's
/// length (an entity is at most five bytes, but most texts have far fewer specials than one in
/// four bytes, and std::string zero-fills what it grows by), then, if that runs short, by five
/// times what is left in chunks of 4 KB of input; the output is cut to what was written. (No
/// first pass to size it: that scan cost as much as the writing.)
inline void escape_to(std::string& out, std::string_view s) {
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* const first = find_html_special(p, end);
    if (first == end) {
        out.append(p, s.size());
        return;
    }
    out.append(p, static_cast<std::size_t>(first - p));
    p = first;
    std::size_t size = out.size();
    std::size_t room = 2 * static_cast<std::size_t>(end - p) + 96;
    for (;;) {
        out.resize(size + room);
        char* const base = out.data();
        size = static_cast<std::size_t>(escape_into(base + size, p, end, base + out.size()) - base);
        if (p == end) break;
        constexpr std::size_t chunk = 4096;
        const auto left = static_cast<std::size_t>(end - p);
        room = 5 * (left < chunk ? left : chunk) + 96;
    }
    out.resize(size);
}

/// Whether text has a character HTML escaping replaces.
inline bool has_html_special(std::string_view s) noexcept {
    return find_html_special(s.data(), s.data() + s.size()) != s.data() + s.size();
}

inline void put_text(std::string& out, std::string_view s, bool escape) {
    if (escape) escape_to(out, s);
    else out += s;
}

/// Appends an integer. Its few digits are pushed one by one: push_back is inline, where an
/// append of a few bytes is a call into the library and one to memcpy.
template <class T>
void put_int(std::string& out, T v) {
    char buf[24];
    const char* const end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    for (const char* c = buf; c != end; ++c) out.push_back(*c);
}

/// A float as Python's repr prints it: shortest round trip, with ".0" when whole.
inline void put_float(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "nan";
        return;
    }
    if (std::isinf(v)) {
        out += v < 0 ? "-inf" : "inf";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
    out += s;
    if (s.find_first_of(".en") == std::string_view::npos) out += ".0";
}

/// Prints a printable value.
template <class T>
void print(std::string& out, const T& v, bool escape) {
    if constexpr (std::is_same_v<T, invalid>) {
    } else if constexpr (is_safe_v<T>) {
        out += text_of(v);
    } else if constexpr (is_string_v<T>) {
        put_text(out, text_of(v), escape);
    } else if constexpr (is_bool_v<T>) {
        out += v ? "True" : "False";
    } else if constexpr (is_int_v<T>) {
        put_int(out, v);
    } else if constexpr (is_float_v<T>) {
        put_float(out, static_cast<double>(v));
    } else if constexpr (std::is_same_v<T, none_t>) {
        out += "None";
    } else if constexpr (is_optional_v<T>) {
        if (v) print(out, *v, escape);
        else out += "None";
    } else if constexpr (is_nullable_v<T>) {
        if (v.p != nullptr) print(out, *v.p, escape);
    }
}

/// Python's truth of a value.
template <class T>
bool truthy(const T& v) {
    if constexpr (std::is_same_v<T, invalid> || std::is_same_v<T, none_t>) return false;
    else if constexpr (is_bool_v<T>) return v;
    else if constexpr (is_number_v<T>) return v != 0;
    else if constexpr (is_text_v<T>) return !text_of(v).empty();
    else if constexpr (is_optional_v<T>) return v.has_value() && truthy(*v);
    else if constexpr (is_nullable_v<T>) return v.p != nullptr && truthy(*v.p);
    else if constexpr (is_session_v<T>) return v.data != nullptr;
    else if constexpr (is_multi_dict_v<T>) return v.begin() != v.end();
    else if constexpr (requires { std::begin(v) == std::end(v); }) return !(std::begin(v) == std::end(v));
    else return true;
}

/// Whether a value is defined for `default`: an empty optional and an undefined value
/// (a missing key, an attribute of an empty optional) are not.
template <class T>
bool defined(const T& v) {
    if constexpr (is_optional_v<T>) return v.has_value() && defined(*v);
    else if constexpr (is_nullable_v<T>) return v.p != nullptr && defined(*v.p);
    else return true;
}

/// Whether two values can be compared for equality and order.
template <class A, class B>
constexpr bool comparable() {
    using X = bare<A>;
    using Y = bare<B>;
    if constexpr (std::is_same_v<X, invalid> || std::is_same_v<Y, invalid>) return true;
    else if constexpr (is_optional_v<X>) return std::is_same_v<Y, none_t> || comparable<typename optional_traits<X>::value_type, Y>();
    else if constexpr (is_nullable_v<X>) return std::is_same_v<Y, none_t> || comparable<typename nullable_traits<X>::value_type, Y>();
    else if constexpr (is_optional_v<Y> || is_nullable_v<Y>) return comparable<B, A>();
    else if constexpr (std::is_same_v<X, none_t> || std::is_same_v<Y, none_t>) return std::is_same_v<X, Y>;
    else if constexpr (is_number_v<X> && is_number_v<Y>) return true;
    else if constexpr (is_text_v<X> && is_text_v<Y>) return true;
    else return false;
}

/// -1, 0 or 1 (or 2 for "not equal and not ordered": none against a value).
template <class A, class B>
int compare_values(const A& a, const B& b) {
    if constexpr (std::is_same_v<A, invalid> || std::is_same_v<B, invalid>) {
        return 2;
    } else if constexpr (is_optional_v<A>) {
        if constexpr (std::is_same_v<B, none_t>) return a.has_value() ? 2 : 0;
        else return a.has_value() ? compare_values(*a, b) : 2;
    } else if constexpr (is_nullable_v<A>) {
        if constexpr (std::is_same_v<B, none_t>) return a.p != nullptr ? 2 : 0;
        else return a.p != nullptr ? compare_values(*a.p, b) : 2;
    } else if constexpr (is_optional_v<B> || is_nullable_v<B>) {
        const int r = compare_values(b, a);
        return r == 2 ? 2 : -r;
    } else if constexpr (std::is_same_v<A, none_t>) {
        return 0;
    } else if constexpr (is_int_v<A> && is_int_v<B>) {
        return std::cmp_less(a, b) ? -1 : std::cmp_equal(a, b) ? 0 : 1;
    } else if constexpr (is_number_v<A> && is_number_v<B>) {
        const double x = static_cast<double>(a);
        const double y = static_cast<double>(b);
        return x < y ? -1 : x == y ? 0 : x > y ? 1 : 2;
    } else {
        const int c = text_of(a).compare(text_of(b));
        return c < 0 ? -1 : c == 0 ? 0 : 1;
    }
}

// ---- Hana structs ----------------------------------------------------------------------

template <class S>
constexpr auto member_names() {
    return boost::hana::unpack(boost::hana::accessors<S>(), [](auto... p) {
        return std::array<std::string_view, sizeof...(p) + 1>{
            std::string_view(boost::hana::to<const char*>(boost::hana::first(p)))..., std::string_view{}};
    });
}

/// The index of member `name` of struct S, or npos.
template <class S>
constexpr std::size_t member_index(std::string_view name) {
    constexpr auto names = member_names<S>();
    for (std::size_t i = 0; i + 1 < names.size(); ++i)
        if (names[i] == name) return i;
    return static_cast<std::size_t>(-1);
}

template <std::size_t I, class S>
constexpr decltype(auto) member(const S& s) {
    return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<S>()))(s);
}

// ---- text helpers for filters -----------------------------------------------------------

/// Number of UTF-8 code points.
constexpr std::size_t code_points(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
    return n;
}
/// Byte offset of code point `n` (or the size).
constexpr std::size_t offset_of_code_point(std::string_view s, std::size_t n) noexcept {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) {
            if (seen == n) return i;
            ++seen;
        }
    }
    return s.size();
}

inline char ascii_upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline bool ascii_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
}

enum class case_op : std::uint8_t { upper, lower, title, capitalize };

/// Each byte's upper- and lower-case (ASCII letters only change), and whether a word starts
/// after it for Jinja's title (whitespace and - ( { [ <).
struct case_tables {
    std::array<char, 256> upper{};
    std::array<char, 256> lower{};
    std::array<bool, 256> word_break{};
};
inline constexpr case_tables case_table = [] {
    case_tables t{};
    for (int i = 0; i < 256; ++i) {
        const char c = static_cast<char>(i);
        t.upper[static_cast<std::size_t>(i)] = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
        t.lower[static_cast<std::size_t>(i)] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    for (const char c : {' ', '\t', '\n', '\r', '-', '(', '{', '[', '<'}) t.word_break[static_cast<unsigned char>(c)] = true;
    return t;
}();

/// Changes the (ASCII) letters of p[0, n) in place.
template <case_op Op>
void change_case(char* p, std::size_t n) noexcept {
    if constexpr (Op == case_op::upper) {
        for (std::size_t i = 0; i < n; ++i) p[i] = case_table.upper[static_cast<unsigned char>(p[i])];
    } else if constexpr (Op == case_op::lower) {
        for (std::size_t i = 0; i < n; ++i) p[i] = case_table.lower[static_cast<unsigned char>(p[i])];
    } else if constexpr (Op == case_op::capitalize) {
        if (n == 0) return;
        p[0] = case_table.upper[static_cast<unsigned char>(p[0])];
        for (std::size_t i = 1; i < n; ++i) p[i] = case_table.lower[static_cast<unsigned char>(p[i])];
    } else {
        bool word_start = true;
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<unsigned char>(p[i]);
            p[i] = word_start ? case_table.upper[c] : case_table.lower[c];
            word_start = case_table.word_break[c];
        }
    }
}

/// Writes s with its (ASCII) letters changed, escaped where asked: appended whole, then
/// changed in place; text with a character to escape is changed first, then escaped.
template <case_op Op>
void put_cased(std::string& out, std::string_view s, bool escape) {
    if (escape && has_html_special(s)) {
        std::string tmp(s);
        change_case<Op>(tmp.data(), tmp.size());
        escape_to(out, tmp);
        return;
    }
    const std::size_t start = out.size();
    out += s;
    change_case<Op>(out.data() + start, s.size());
}

inline std::string_view trimmed(std::string_view s) noexcept {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
    return s.substr(b, e - b);
}

/// Whether the n bytes at p are all ASCII: eight at a time.
inline bool is_ascii(const char* p, std::size_t n) noexcept {
    std::uint64_t high = 0;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        high |= w;
    }
    for (; i < n; ++i) high |= static_cast<unsigned char>(p[i]);
    return (high & 0x8080808080808080ULL) == 0;
}

/// Jinja's truncate: at most `length` characters (plus `leeway`), cut at a word unless
/// `killwords`, with `end` appended when cut. Writes the result's two pieces. A text of at
/// most length + leeway bytes is never cut (it has no more characters than bytes); a longer
/// one is walked once, and only as far as the character that makes it too long.
inline void put_truncated(std::string& out, std::string_view s, std::size_t length, bool killwords, std::string_view end,
                          std::size_t leeway, bool escape) {
    const std::size_t limit = length > static_cast<std::size_t>(-1) - leeway ? static_cast<std::size_t>(-1) : length + leeway;
    if (s.size() <= limit) {
        put_text(out, s, escape);
        return;
    }
    const std::size_t end_chars = code_points(end);
    const std::size_t keep = length > end_chars ? length - end_chars : 0;
    // When the first limit + 1 bytes are ASCII, each is a character: the text is too long,
    // and character `keep` starts at byte `keep`. Otherwise count.
    std::size_t cut = keep;
    if (!is_ascii(s.data(), limit + 1)) {
        std::size_t seen = 0;
        bool too_long = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if ((static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) continue;
            if (seen == keep) cut = i;
            if (seen == limit) {
                too_long = true;
                break;
            }
            ++seen;
        }
        if (!too_long) {
            put_text(out, s, escape);
            return;
        }
    }
    std::string_view head = s.substr(0, cut);
    if (!killwords) {
        const std::size_t space = head.rfind(' ');
        if (space != std::string_view::npos) head = head.substr(0, space);
    }
    put_text(out, head, escape);
    put_text(out, end, escape);
}

/// Python's quote(s, safe="/"), as Jinja's urlencode for a string.
inline void put_urlencoded(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || c == '/') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

/// Jinja's htmlsafe_json_dumps of a string: JSON with < > & ' as \u escapes.
inline void put_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += "\\u003c"; break;
        case '>': out += "\\u003e"; break;
        case '&': out += "\\u0026"; break;
        case '\'': out += "\\u0027"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

template <class T>
constexpr bool jsonable() {
    using X = bare<T>;
    if constexpr (is_text_v<X> || is_number_v<X> || std::is_same_v<X, none_t> || std::is_same_v<X, invalid>) return true;
    else if constexpr (is_optional_v<X>) return jsonable<typename optional_traits<X>::value_type>();
    else if constexpr (is_nullable_v<X>) return jsonable<typename nullable_traits<X>::value_type>();
    else if constexpr (map_like<X>) return is_string_v<typename X::key_type> && jsonable<typename X::mapped_type>();
    else if constexpr (range_like<X>) return jsonable<std::iter_value_t<decltype(std::begin(std::declval<const X&>()))>>();
    else if constexpr (is_struct_v<X>) {
        return boost::hana::unpack(boost::hana::accessors<X>(), [](auto... p) {
            return (jsonable<decltype(boost::hana::second(p)(std::declval<const X&>()))>() && ... && true);
        });
    } else return false;
}

/// Writes a value as JSON (htmlsafe).
template <class T>
void put_json(std::string& out, const T& v) {
    if constexpr (std::is_same_v<T, invalid>) {
    } else if constexpr (is_text_v<T>) {
        put_json_string(out, text_of(v));
    } else if constexpr (is_bool_v<T>) {
        out += v ? "true" : "false";
    } else if constexpr (is_int_v<T>) {
        put_int(out, v);
    } else if constexpr (is_float_v<T>) {
        if (std::isfinite(static_cast<double>(v))) put_float(out, static_cast<double>(v));
        else out += "null";
    } else if constexpr (std::is_same_v<T, none_t>) {
        out += "null";
    } else if constexpr (is_optional_v<T>) {
        if (v) put_json(out, *v);
        else out += "null";
    } else if constexpr (is_nullable_v<T>) {
        if (v.p != nullptr) put_json(out, *v.p);
        else out += "null";
    } else if constexpr (map_like<T>) {
        out += '{';
        bool first = true;
        for (const auto& [k, x] : v) {
            if (!first) out += ", ";
            first = false;
            put_json_string(out, text_of(k));
            out += ": ";
            put_json(out, x);
        }
        out += '}';
    } else if constexpr (range_like<T>) {
        out += '[';
        bool first = true;
        for (const auto& x : v) {
            if (!first) out += ", ";
            first = false;
            put_json(out, x);
        }
        out += ']';
    } else if constexpr (is_struct_v<T>) {
        out += '{';
        bool first = true;
        boost::hana::unpack(boost::hana::accessors<T>(), [&](auto... p) {
            ((out += first ? "" : ", ", first = false,
              put_json_string(out, boost::hana::to<const char*>(boost::hana::first(p))), out += ": ",
              put_json(out, boost::hana::second(p)(v))),
             ...);
        });
        out += '}';
    }
}

/// Python's round(x, n), as Jinja's round filter: 'common' rounds half to even.
inline double round_to(double v, long long precision, int method) {
    const double scale = std::pow(10.0, static_cast<double>(precision));
    const double x = v * scale;
    const double r = method == 1 ? std::ceil(x) : method == 2 ? std::floor(x) : std::nearbyint(x);  // Python rounds half to even
    return r / scale;
}

/// Jinja's int filter on text: the leading integer, or 0.
inline long long parse_int(std::string_view s) {
    s = trimmed(s);
    long long v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{}) {
        double d = 0;
        const auto f = std::from_chars(s.data(), s.data() + s.size(), d);
        if (f.ec == std::errc{} && f.ptr == s.data() + s.size() && std::isfinite(d)) return static_cast<long long>(d);
        return 0;
    }
    return r.ptr == s.data() + s.size() ? v : 0;
}

}  // namespace vial::detail::tpl

#endif  // VIAL_TEMPLATE_DETAIL_VALUES_HPP
