#ifndef VIAL_ROUTE_HANDLER_HPP
#define VIAL_ROUTE_HANDLER_HPP

/// @file
/// What vial knows of a handler's signature, and which C++ types a converter binds to.

#include <vial/route/converter.hpp>
#include <vial/route/grammar.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace vial::detail {

template <class... T>
struct type_list {
    static constexpr std::size_t size = sizeof...(T);
};

template <std::size_t I, class List>
struct nth;
template <std::size_t I, class Head, class... Tail>
struct nth<I, type_list<Head, Tail...>> : nth<I - 1, type_list<Tail...>> {};
template <class Head, class... Tail>
struct nth<0, type_list<Head, Tail...>> {
    using type = Head;
};
template <std::size_t I, class List>
using nth_t = typename nth<I, List>::type;

/// The signature of a handler: a function, a function pointer, or an object with one
/// non-template const call operator (a lambda with typed parameters, not `mutable`).
template <class F, class = void>
struct callable_traits {
    static constexpr bool valid = false;
    using args = type_list<>;
    using result = void;
};
template <class R, class... A>
struct function_traits {
    static constexpr bool valid = true;
    using args = type_list<A...>;
    using result = R;
};
template <class R, class... A>
struct callable_traits<R (*)(A...)> : function_traits<R, A...> {};
template <class R, class... A>
struct callable_traits<R (*)(A...) noexcept> : function_traits<R, A...> {};
template <class M>
struct member_call_traits {
    static constexpr bool valid = false;
};
template <class R, class C, class... A>
struct member_call_traits<R (C::*)(A...) const> : function_traits<R, A...> {};
template <class R, class C, class... A>
struct member_call_traits<R (C::*)(A...) const noexcept> : function_traits<R, A...> {};
template <class F>
struct callable_traits<F, std::void_t<decltype(&F::operator())>> : member_call_traits<decltype(&F::operator())> {};

template <class T>
inline constexpr bool is_integer_v = std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                     !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> &&
                                     !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
                                     !std::is_same_v<T, char32_t>;

/// Whether a handler parameter of type Arg can take the value of converter kind K
/// (custom converters pass their value_type as Custom).
template <converter_kind K, class Arg, class Custom = void>
constexpr bool binds() {
    using D = std::remove_cvref_t<Arg>;
    // A non-const lvalue reference cannot bind to the converted value.
    if constexpr (std::is_lvalue_reference_v<Arg> && !std::is_const_v<std::remove_reference_t<Arg>>) {
        return false;
    } else if constexpr (K == converter_kind::int_) {
        return is_integer_v<D>;
    } else if constexpr (K == converter_kind::float_) {
        return std::is_same_v<D, double> || std::is_same_v<D, long double>;
    } else if constexpr (K == converter_kind::uuid) {
        return std::is_same_v<D, uuid>;
    } else if constexpr (K == converter_kind::custom) {
        return std::is_same_v<D, Custom>;
    } else {
        return std::is_same_v<D, std::string> || std::is_same_v<D, std::string_view>;
    }
}

/// The name of a function given as a template argument, as the compiler spells it.
/// Plain loops over the characters rather than string_view's find: this runs once per route
/// declared with its handler as a template argument, and each char_traits call is a constexpr
/// call the compiler evaluates (and g++ remembers).
template <auto F>
constexpr std::string_view function_name() noexcept {
    const std::string_view s = __PRETTY_FUNCTION__;
    // "... [with auto F = &ns::name; ...]" (g++), "... [F = &ns::name]" (clang).
    std::size_t b = 0;
    while (b + 4 <= s.size() && !(s[b] == 'F' && s[b + 1] == ' ' && s[b + 2] == '=' && s[b + 3] == ' ')) ++b;
    b += 4;
    std::size_t e = b;
    while (e < s.size() && s[e] != ';' && s[e] != ']') ++e;
    if (b < e && s[b] == '&') ++b;
    for (std::size_t i = e; i > b + 1; --i)
        if (s[i - 1] == ':' && s[i - 2] == ':') {
            b = i;
            break;
        }
    return s.substr(b, e - b);
}

}  // namespace vial::detail

#endif  // VIAL_ROUTE_HANDLER_HPP
