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

/// Builds a fixed string from a constexpr string_view-producing callable.
template <auto Make>
constexpr auto to_fixed = [] {
    constexpr std::string_view text = Make();
    fixed_string<text.size() + 1> out{};
    for (std::size_t i = 0; i < text.size(); ++i) out.value_[i] = text[i];
    return out;
}();

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

template <fixed_string First, fixed_string Second>
constexpr auto pack_text() noexcept {
    constexpr std::size_t total = First.size() + Second.size();
    packed_text<total / 8 + 1> out{};
    out.first_size = static_cast<std::uint16_t>(First.size());
    out.second_size = static_cast<std::uint16_t>(Second.size());
    for (std::size_t i = 0; i < total; ++i) {
        const char c = i < First.size() ? First.value_[i] : Second.value_[i - First.size()];
        out.words[i / 8] |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * (i % 8));
    }
    return out;
}

/// The first and the second string of a packed_text, as fixed strings.
template <auto Text>
constexpr auto unpack_first = [] {
    fixed_string<Text.first_size + 1> out{};
    for (std::size_t i = 0; i < Text.first_size; ++i) out.value_[i] = Text.at(i);
    return out;
}();
template <auto Text>
constexpr auto unpack_second = [] {
    fixed_string<Text.second_size + 1> out{};
    for (std::size_t i = 0; i < Text.second_size; ++i) out.value_[i] = Text.at(Text.first_size + i);
    return out;
}();

}  // namespace detail

}  // namespace vial

#endif  // VIAL_ROUTE_FIXED_STRING_HPP
