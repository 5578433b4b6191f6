#ifndef VIAL_ROUTE_BLUEPRINT_HPP
#define VIAL_ROUTE_BLUEPRINT_HPP

/// @file
/// Blueprints group routes under a name and a URL prefix, and nest:
/// `vial::blueprint<"users", "/users">(vial::get<"/<int:id>", "show">(show))` answers
/// `/users/42` as endpoint `users.show`.

#include <vial/route/diagnostics.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/grammar.hpp>
#include <vial/route/rule.hpp>
#include <vial/route/detail/rule_list.hpp>

#include <cstddef>
#include <initializer_list>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

/// A checked blueprint. Its routes and nested blueprints stay as written, in `tree_`: the app
/// applies prefixes and names once, for all levels, so a route nested three blueprints deep
/// is not rebuilt at every level. `items_` holds its hooks and error handlers (and those of
/// nested blueprints), each scoped to the blueprint that declared it.
/// @tparam Tree `detail::flat_list` of the items as written
template <fixed_string Name, fixed_string Prefix, class Tree, class ItemTuple>
struct blueprint_def {
    Tree tree_;
    ItemTuple items_;
    static constexpr auto name = Name;
    static constexpr auto prefix = Prefix;
};

/// Items other than routes (hooks, error handlers) take part in apps and blueprints by
/// providing `in_blueprint<"name">()`, which returns the item scoped to that blueprint.
template <class T>
concept scoped_item = requires(const T& t) { t.template in_blueprint<fixed_string{"b"}>(); };

namespace detail {

// Traits as class templates (and concepts over them) rather than variable templates: g++
// enters each instantiated variable in its symbol table under its mangled name, and a
// variable template of a blueprint or an app is named after every route it holds (hundreds
// of kilobytes at 1,000 routes, mangled in time that grows faster than the name).
template <class T>
struct is_rule : std::false_type {};
template <packed_text T, method_set M, class H>
struct is_rule<rule<T, M, H>> : std::true_type {};
template <class T>
concept is_rule_v = is_rule<T>::value;

template <class T>
struct is_blueprint : std::false_type {};
template <fixed_string N, fixed_string P, class T, class I>
struct is_blueprint<blueprint_def<N, P, T, I>> : std::true_type {};
template <class T>
concept is_blueprint_v = is_blueprint<T>::value;

/// How many routes an item brings, nested blueprints included.
template <class T>
struct rule_count : std::integral_constant<std::size_t, is_rule<T>::value ? 1 : 0> {};
template <class... T>
struct rule_count<flat_list<T...>> : std::integral_constant<std::size_t, sum_sizes({std::size_t{0}, rule_count<T>::value...})> {};
template <fixed_string N, fixed_string P, class T, class I>
struct rule_count<blueprint_def<N, P, T, I>> : rule_count<T> {};
template <class T>
inline constexpr std::size_t rule_count_v = rule_count<T>::value;

/// How many blueprints an item is or holds, nested ones included.
template <class T>
struct blueprint_count : std::integral_constant<std::size_t, 0> {};
template <class... T>
struct blueprint_count<flat_list<T...>>
    : std::integral_constant<std::size_t, sum_sizes({std::size_t{0}, blueprint_count<T>::value...})> {};
template <fixed_string N, fixed_string P, class T, class I>
struct blueprint_count<blueprint_def<N, P, T, I>> : std::integral_constant<std::size_t, 1 + blueprint_count<T>::value> {};

/// How many non-route items (hooks, error handlers) an item brings, and its K-th.
template <class T>
struct item_count : std::integral_constant<std::size_t, scoped_item<T> ? 1 : 0> {};
template <packed_text T, method_set M, class H>
struct item_count<rule<T, M, H>> : std::integral_constant<std::size_t, 0> {};
template <fixed_string N, fixed_string P, class T, class I>
struct item_count<blueprint_def<N, P, T, I>> : std::integral_constant<std::size_t, std::tuple_size<I>::value> {};
template <class T>
inline constexpr std::size_t item_count_v = item_count<T>::value;

template <std::size_t K, scoped_item T>
constexpr const T& item_of(const T& item) noexcept {
    return item;
}
template <std::size_t K, fixed_string N, fixed_string P, class T, class I>
constexpr const auto& item_of(const blueprint_def<N, P, T, I>& b) noexcept {
    return std::get<K>(b.items_);
}

template <class F, class... Items>
constexpr auto collect_items_from(F f, const Items&... items) {
    constexpr auto from = list_sources<item_count<Items>::value...>();
    const flat_list<const Items*...> all{{{&items}...}};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple<decltype(f(item_of<from[I].index>(*list_at<from[I].list>(all))))...>{
            f(item_of<from[I].index>(*list_at<from[I].list>(all)))...};
    }(std::make_index_sequence<sum_sizes({std::size_t{0}, item_count<Items>::value...})>{});
}

/// The non-route items of all items, in order, each passed through `f`, as a tuple. Unlike
/// std::tuple_cat, no recursion over the items: hundreds of items compile.
template <class F, class... Items>
constexpr auto collect_items([[maybe_unused]] F f, [[maybe_unused]] const Items&... items) {
    if constexpr (sum_sizes({std::size_t{0}, item_count<Items>::value...}) == 0) {
        // Routes and blueprints without hooks or error handlers (most of them): no list of
        // pointers to every item, a type that names them all (in clang 14's -ftime-trace, half
        // the cost of instantiating a blueprint of ten rules).
        return std::tuple<>{};
    } else {
        return collect_items_from(f, items...);
    }
}

template <class T>
struct is_app_item : std::bool_constant<scoped_item<T>> {};
template <packed_text T, method_set M, class H>
struct is_app_item<rule<T, M, H>> : std::true_type {};
template <fixed_string N, fixed_string P, class T, class I>
struct is_app_item<blueprint_def<N, P, T, I>> : std::true_type {};
template <>
struct is_app_item<invalid_rule> : std::true_type {};

/// The index of the first argument that is not a route, blueprint, hook or error handler.
/// The index of the first false of some flags, or -1.
constexpr std::size_t first_false_flag(std::initializer_list<bool> flags) noexcept {
    std::size_t i = 0;
    for (bool f : flags) {
        if (!f) return i;
        ++i;
    }
    return static_cast<std::size_t>(-1);
}

/// The index of the first item that is not a route, blueprint, hook or error handler, or -1.
/// A class rather than a function or variable template: those are named after every item.
template <class... Items>
struct first_foreign : std::integral_constant<std::size_t, first_false_flag({is_app_item<Items>::value...})> {};

template <class... Items>
constexpr std::size_t first_foreign_item() {
    return first_foreign<Items...>::value;
}

/// Whether any of some items holds a hook or error handler.
template <class... Items>
struct has_scoped_items : std::bool_constant<sum_sizes({std::size_t{0}, item_count<Items>::value...}) != 0> {};

/// The tuple collect_items returns (std::tuple<> without instantiating it when there are none).
template <bool Any, class F, class... Items>
struct collected_items {
    using type = std::tuple<>;
};
template <class F, class... Items>
struct collected_items<true, F, Items...> {
    using type = decltype(collect_items_from(std::declval<F>(), std::declval<const Items&>()...));
};
template <class F, class... Items>
using collected_items_t = typename collected_items<has_scoped_items<Items...>::value, F, Items...>::type;

/// A scope ("admin.users") seen from inside blueprint `Name`.
template <fixed_string Name, fixed_string Scope>
constexpr auto nested_scope = [] {
    if constexpr (Scope.size() == 0) return Name;
    else return concat<Name, ".", Scope>;
}();

// A named function object rather than a lambda: a lambda's instantiations are named after
// the function that holds it (a blueprint of hundreds of rules), a struct's only after itself.
template <fixed_string BpName>
struct scope_item {
    template <class Item>
    constexpr auto operator()(const Item& i) const {
        return i.template in_blueprint<BpName>();
    }
};
struct same_item {
    template <class Item>
    constexpr Item operator()(const Item& i) const {
        return i;
    }
};

constexpr bool valid_prefix(std::string_view prefix) {
    if (prefix.empty()) return true;
    const auto r = parse_route<64>(prefix);
    if (!r.ok() || r.param_count != 0 || prefix.back() == '/') return false;
    return true;
}

}  // namespace detail

/// Groups routes and nested blueprints under `Name` (endpoint prefix `Name.`) and `Prefix`.
/// @tparam Name an identifier; endpoints inside become "Name.endpoint"
/// @tparam Prefix "" or a static path such as "/users" (no trailing '/')
template <fixed_string Name, fixed_string Prefix, class... Items>
constexpr auto blueprint(const Items&... items) {
    constexpr std::size_t foreign = detail::first_foreign<Items...>::value;
    if constexpr (foreign != static_cast<std::size_t>(-1)) {
        (void)diagnostic::report<diagnostic::not_an_app_item<foreign, detail::nth_t<foreign, detail::type_list<Items...>>>>;
        return invalid_rule{};
    } else if constexpr (!detail::is_identifier(Name.view())) {
        (void)diagnostic::report<diagnostic::invalid_blueprint_name<Name>>;
        return invalid_rule{};
    } else if constexpr (!detail::valid_prefix(Prefix.view())) {
        (void)diagnostic::report<diagnostic::malformed_blueprint_prefix<Name, Prefix>>;
        return invalid_rule{};
    } else {
        // Hooks and error handlers collected only where there are some: the function that
        // collects them is named after every item.
        if constexpr (detail::has_scoped_items<Items...>::value) {
            auto others = detail::collect_items_from(detail::scope_item<Name>{}, items...);
            return blueprint_def<Name, Prefix, detail::flat_list<Items...>, decltype(others)>{
                detail::flat_list<Items...>{{{items}...}}, others};
        } else {
            return blueprint_def<Name, Prefix, detail::flat_list<Items...>, std::tuple<>>{
                detail::flat_list<Items...>{{{items}...}}, std::tuple<>{}};
        }
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_BLUEPRINT_HPP
