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

#include <tuple>
#include <type_traits>

namespace vial {

/// A checked blueprint: its rules already carry its prefix and name, and its other items
/// (hooks, error handlers) its name as their scope.
template <fixed_string Name, fixed_string Prefix, class RuleTuple, class ItemTuple>
struct blueprint_def {
    RuleTuple rules_;
    ItemTuple items_;
    static constexpr auto name = Name;
    static constexpr auto prefix = Prefix;
};

/// Items other than routes (hooks, error handlers) take part in apps and blueprints by
/// providing `in_blueprint<"name">()`, which returns the item scoped to that blueprint.
template <class T>
concept scoped_item = requires(const T& t) { t.template in_blueprint<fixed_string{"b"}>(); };

namespace detail {

/// How many rules an item brings to an app or blueprint, and its K-th.
template <class T>
inline constexpr std::size_t rule_count_v = 0;
template <fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
inline constexpr std::size_t rule_count_v<rule<P, N, M, H, B>> = 1;
template <fixed_string N, fixed_string P, class R, class I>
inline constexpr std::size_t rule_count_v<blueprint_def<N, P, R, I>> = R::size;

template <std::size_t K, fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
constexpr const rule<P, N, M, H, B>& rule_of(const rule<P, N, M, H, B>& r) noexcept {
    return r;
}
template <std::size_t K, fixed_string N, fixed_string P, class R, class I>
constexpr const auto& rule_of(const blueprint_def<N, P, R, I>& b) noexcept {
    return list_at<K>(b.rules_);
}

/// How many non-route items (hooks, error handlers) an item brings, and its K-th.
template <class T>
inline constexpr std::size_t item_count_v = scoped_item<T> ? 1 : 0;
template <fixed_string N, fixed_string P, class R, class I>
inline constexpr std::size_t item_count_v<blueprint_def<N, P, R, I>> = std::tuple_size_v<I>;

template <std::size_t K, scoped_item T>
constexpr const T& item_of(const T& item) noexcept {
    return item;
}
template <std::size_t K, fixed_string N, fixed_string P, class R, class I>
constexpr const auto& item_of(const blueprint_def<N, P, R, I>& b) noexcept {
    return std::get<K>(b.items_);
}

/// The rules of all items, in order, each passed through `f`, as one flat_list. Unlike
/// std::tuple_cat, no recursion over the items: 300 routes at top level compile.
template <class F, class... Items>
constexpr auto collect_rules(F f, const Items&... items) {
    constexpr auto from = list_sources<rule_count_v<Items>...>();
    const flat_list<const Items*...> all{&items...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return flat_list<decltype(f(rule_of<from[I].index>(*list_at<from[I].list>(all))))...>{
            f(rule_of<from[I].index>(*list_at<from[I].list>(all)))...};
    }(std::make_index_sequence<(std::size_t{0} + ... + rule_count_v<Items>)>{});
}

/// The non-route items of all items, in order, each passed through `f`, as a tuple.
template <class F, class... Items>
constexpr auto collect_items(F f, const Items&... items) {
    constexpr auto from = list_sources<item_count_v<Items>...>();
    const flat_list<const Items*...> all{&items...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple<decltype(f(item_of<from[I].index>(*list_at<from[I].list>(all))))...>{
            f(item_of<from[I].index>(*list_at<from[I].list>(all)))...};
    }(std::make_index_sequence<(std::size_t{0} + ... + item_count_v<Items>)>{});
}

template <class T>
struct is_app_item : std::bool_constant<scoped_item<T>> {};
template <fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
struct is_app_item<rule<P, N, M, H, B>> : std::true_type {};
template <fixed_string N, fixed_string P, class R, class I>
struct is_app_item<blueprint_def<N, P, R, I>> : std::true_type {};
template <>
struct is_app_item<invalid_rule> : std::true_type {};

/// The index of the first argument that is not a route, blueprint, hook or error handler.
template <class... Items>
constexpr std::size_t first_foreign_item() {
    constexpr bool ok[] = {is_app_item<Items>::value..., true};
    for (std::size_t i = 0; i < sizeof...(Items); ++i)
        if (!ok[i]) return i;
    return static_cast<std::size_t>(-1);
}

/// A scope ("admin.users") seen from inside blueprint `Name`.
template <fixed_string Name, fixed_string Scope>
constexpr auto nested_scope = [] {
    if constexpr (Scope.size() == 0) return Name;
    else return concat<Name, ".", Scope>;
}();

template <fixed_string BpName, fixed_string Prefix, fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
constexpr auto prefixed(const rule<P, N, M, H, B>& r) {
    constexpr auto full_name = [] {
        if constexpr (N.size() == 0) return fixed_string{""};
        else return concat<BpName, ".", N>;
    }();
    return rule<concat<Prefix, P>, full_name, M, H, nested_scope<BpName, B>>{r.handler_};
}

// Named function objects rather than lambdas: a lambda's instantiations are named after the
// function that holds it (a blueprint of hundreds of rules), a struct's only after itself.
template <fixed_string BpName, fixed_string Prefix>
struct prefix_rule {
    template <class Rule>
    constexpr auto operator()(const Rule& r) const {
        return prefixed<BpName, Prefix>(r);
    }
};
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
    constexpr std::size_t foreign = detail::first_foreign_item<Items...>();
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
        auto rules = detail::collect_rules(detail::prefix_rule<Name, Prefix>{}, items...);
        auto others = detail::collect_items(detail::scope_item<Name>{}, items...);
        return blueprint_def<Name, Prefix, decltype(rules), decltype(others)>{rules, others};
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_BLUEPRINT_HPP
