#ifndef VIAL_ROUTE_DETAIL_RULE_LIST_HPP
#define VIAL_ROUTE_DETAIL_RULE_LIST_HPP

/// @file
/// A flat list of values of different types: what an app and a blueprint keep their rules in.
/// Element I is a base of its own (`list_slot<I, T>`), so building, copying and indexing a
/// list of N rules costs N small instantiations; std::tuple's recursive layout and its
/// constructor constraints cost far more at a few hundred elements, and std::tuple_cat over
/// hundreds of items exceeds the default template depth.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <utility>

namespace vial::detail {

template <std::size_t I, class T>
struct list_slot {
    T value_;
};

template <class Indices, class... T>
struct flat_list_base;
template <std::size_t... I, class... T>
struct flat_list_base<std::index_sequence<I...>, T...> : list_slot<I, T>... {};

/// An aggregate, built as `flat_list<T...>{{{values}...}}` (the braces of its base and of each
/// slot written out, for clang's -Wmissing-braces): no constructor, because g++ enters every
/// constructor in its symbol table under its mangled name, and the constructor of an app's or
/// a blueprint's list is named after every route in it, twice (its class and its parameters).
template <class... T>
struct flat_list : flat_list_base<std::index_sequence_for<T...>, T...> {
    static constexpr std::size_t size = sizeof...(T);
};

/// Element I of a flat_list (found by deduction against the one base with that index).
template <std::size_t I, class T>
constexpr const T& list_at(const list_slot<I, T>& slot) noexcept {
    return slot.value_;
}
template <std::size_t I, class List>
using list_at_t = std::remove_cvref_t<decltype(list_at<I>(std::declval<const List&>()))>;

/// The sum of some sizes: `sum_sizes({N...})` instead of a fold expression, which clang 14
/// refuses over more than 256 elements ("exceeded expression nesting limit", a blueprint of
/// 300 blueprints).
constexpr std::size_t sum_sizes(std::initializer_list<std::size_t> sizes) noexcept {
    std::size_t sum = 0;
    for (std::size_t n : sizes) sum += n;
    return sum;
}

/// Where element i of a concatenation of lists of the given sizes comes from.
struct list_source {
    std::size_t list = 0;
    std::size_t index = 0;
};
template <std::size_t... Sizes>
constexpr auto list_sources() {
    std::array<list_source, sum_sizes({Sizes...}) + 1> out{};
    const std::size_t sizes[] = {Sizes..., 0};
    std::size_t n = 0;
    for (std::size_t l = 0; l < sizeof...(Sizes); ++l)
        for (std::size_t k = 0; k < sizes[l]; ++k) out[n++] = list_source{l, k};
    return out;
}

}  // namespace vial::detail

#endif  // VIAL_ROUTE_DETAIL_RULE_LIST_HPP
