#ifndef VIAL_ROUTE_METHOD_HPP
#define VIAL_ROUTE_METHOD_HPP

/// @file
/// HTTP methods and sets of them: `vial::GET | vial::POST`.

#include <array>
#include <cstdint>
#include <string_view>

namespace vial {

/// The request methods a route can answer.
enum class method : std::uint8_t { get, head, post, put, del, patch, options, unknown };

inline constexpr std::size_t method_count = 7;

inline constexpr std::array<std::string_view, method_count> method_names{
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};

/// A set of methods, combined with `|`.
struct method_set {
    std::uint8_t bits_ = 0;

    [[nodiscard]] constexpr bool contains(method m) const noexcept {
        return m != method::unknown && (bits_ >> static_cast<unsigned>(m) & 1U) != 0;
    }
    [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
    [[nodiscard]] constexpr bool intersects(method_set o) const noexcept { return (bits_ & o.bits_) != 0; }
    constexpr method_set operator|(method_set o) const noexcept {
        return {static_cast<std::uint8_t>(bits_ | o.bits_)};
    }
    constexpr method_set operator|(method m) const noexcept { return *this | of(m); }
    constexpr bool operator==(const method_set&) const = default;

    static constexpr method_set of(method m) noexcept {
        return {static_cast<std::uint8_t>(1U << static_cast<unsigned>(m))};
    }
};

inline constexpr method_set GET = method_set::of(method::get);
inline constexpr method_set HEAD = method_set::of(method::head);
inline constexpr method_set POST = method_set::of(method::post);
inline constexpr method_set PUT = method_set::of(method::put);
inline constexpr method_set DELETE = method_set::of(method::del);
inline constexpr method_set PATCH = method_set::of(method::patch);
inline constexpr method_set OPTIONS = method_set::of(method::options);

/// @return the method named by `name` ("GET", ...), or method::unknown. Case-sensitive, as in HTTP.
[[nodiscard]] constexpr method parse_method(std::string_view name) noexcept {
    for (std::size_t i = 0; i < method_count; ++i)
        if (method_names[i] == name) return static_cast<method>(i);
    return method::unknown;
}

/// @return "GET", "POST", ... ("" for method::unknown).
[[nodiscard]] constexpr std::string_view to_string(method m) noexcept {
    return m == method::unknown ? std::string_view{} : method_names[static_cast<std::size_t>(m)];
}

/// Writes the methods of `set` as an `Allow` header value ("GET, HEAD, OPTIONS") into `out`.
/// @return the number of characters written; `out` must hold 64 characters.
constexpr std::size_t format_allow(method_set set, char* out) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < method_count; ++i) {
        if (!set.contains(static_cast<method>(i))) continue;
        if (n != 0) { out[n++] = ','; out[n++] = ' '; }
        for (char c : method_names[i]) out[n++] = c;
    }
    return n;
}

}  // namespace vial

#endif  // VIAL_ROUTE_METHOD_HPP
