#ifndef VIAL_ROUTE_FIXED_STRING_HPP
#define VIAL_ROUTE_FIXED_STRING_HPP

/// @file
/// A string usable as a template argument: `vial::get<"/user/<int:id>">`.

#include <cstddef>
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

}  // namespace vial

#endif  // VIAL_ROUTE_FIXED_STRING_HPP
