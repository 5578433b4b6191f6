#ifndef VIAL_ROUTE_FIXED_STRING_HPP
#define VIAL_ROUTE_FIXED_STRING_HPP

/// @file
/// A string usable as a template argument: `vial::get<"/user/<int:id>">`.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vial {

/// A string literal captured by value so it can be a non-type template argument.
/// @par Example
/// @code
/// template <vial::fixed_string S> constexpr std::size_t length = S.size();
/// static_assert(length<"abc"> == 3);
/// @endcode
template <std::size_t N>
struct fixed_string {
    char value_[N]{};

    constexpr fixed_string() = default;
    constexpr fixed_string(const char (&text)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i) value_[i] = text[i];
    }

    /// @return the number of characters, without the terminating NUL.
    [[nodiscard]] constexpr std::size_t size() const noexcept { return N - 1; }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {value_, N - 1}; }
    [[nodiscard]] constexpr const char* c_str() const noexcept { return value_; }
    constexpr operator std::string_view() const noexcept { return view(); }

    template <std::size_t M>
    constexpr bool operator==(const fixed_string<M>& other) const noexcept {
        return view() == other.view();
    }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N>;

/// Joins fixed strings at compile time: `concat<"/users", "/<int:id>">`.
template <fixed_string... Parts>
constexpr auto concat = [] {
    constexpr std::size_t total = (Parts.size() + ... + 0) + 1;
    fixed_string<total> out{};
    std::size_t at = 0;
    ((([&] {
         for (char c : Parts.view()) out.value_[at++] = c;
     })()),
     ...);
    out.value_[at] = '\0';
    return out;
}();

namespace detail {

/// A string_view's text as a fixed string of N characters (its size): one function per length.
template <std::size_t N>
constexpr fixed_string<N + 1> fixed_from(std::string_view text) noexcept {
    fixed_string<N + 1> out{};
    for (std::size_t i = 0; i < N; ++i) out.value_[i] = text[i];
    return out;
}

}  // namespace detail

/// Builds a fixed string from a constexpr string_view-producing callable.
template <auto Make>
inline constexpr auto to_fixed = detail::fixed_from<Make().size()>(Make());

namespace detail {

/// Two strings (a route's pattern and endpoint name) packed eight characters to a 64-bit
/// word. A type with this as a template argument gets a symbol name about half as long as
/// with char arrays (each char is mangled as `Lc97E`), and an app type holds hundreds.
template <std::size_t Words>
struct packed_text {
    std::uint64_t words[Words]{};
    std::uint16_t first_size = 0;
    std::uint16_t second_size = 0;

    [[nodiscard]] constexpr char at(std::size_t i) const noexcept {
        return static_cast<char>((words[i / 8] >> (8 * (i % 8))) & 0xffU);
    }
};

/// Two strings of sizes N1 and N2 packed into one packed_text: one function per pair of
/// sizes, shared by every route whose pattern and name have those lengths.
template <std::size_t N1, std::size_t N2>
constexpr packed_text<(N1 + N2) / 8 + 1> pack_text(const char* first, const char* second) noexcept {
    packed_text<(N1 + N2) / 8 + 1> out{};
    out.first_size = static_cast<std::uint16_t>(N1);
    out.second_size = static_cast<std::uint16_t>(N2);
    for (std::size_t i = 0; i < N1 + N2; ++i) {
        const char c = i < N1 ? first[i] : second[i - N1];
        out.words[i / 8] |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * (i % 8));
    }
    return out;
}

/// Characters [from, from + N) of a packed_text as a fixed string: one function per length,
/// shared by every text, where a lambda per text would be a class and a function per route.
template <std::size_t N, std::size_t W>
constexpr fixed_string<N + 1> unpack_text(const packed_text<W>& text, std::size_t from) noexcept {
    fixed_string<N + 1> out{};
    for (std::size_t i = 0; i < N; ++i) out.value_[i] = text.at(from + i);
    return out;
}

/// The first and the second string of a packed_text, as fixed strings.
template <auto Text>
inline constexpr auto unpack_first = unpack_text<Text.first_size>(Text, 0);
template <auto Text>
inline constexpr auto unpack_second = unpack_text<Text.second_size>(Text, Text.first_size);

}  // namespace detail

}  // namespace vial

#endif  // VIAL_ROUTE_FIXED_STRING_HPP
