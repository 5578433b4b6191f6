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

#include <tuple>
#include <type_traits>

namespace vial {

/// A checked blueprint: its rules already carry its prefix and name.
template <fixed_string Name, fixed_string Prefix, class... Rules>
struct blueprint_def {
    std::tuple<Rules...> rules_;
    static constexpr auto name = Name;
    static constexpr auto prefix = Prefix;
};

namespace detail {

/// Every item that can stand in an app or blueprint is turned into a tuple of rules.
template <fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
constexpr auto as_rules(const rule<P, N, M, H, B>& r) {
    return std::tuple<rule<P, N, M, H, B>>{r};
}
template <fixed_string N, fixed_string P, class... R>
constexpr auto as_rules(const blueprint_def<N, P, R...>& b) {
    return b.rules_;
}
constexpr std::tuple<> as_rules(const invalid_rule&) { return {}; }

template <class T>
struct is_route_item : std::false_type {};
template <fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
struct is_route_item<rule<P, N, M, H, B>> : std::true_type {};
template <fixed_string N, fixed_string P, class... R>
struct is_route_item<blueprint_def<N, P, R...>> : std::true_type {};
template <>
struct is_route_item<invalid_rule> : std::true_type {};

/// Items that are not routes (hooks, error handlers) contribute no rules.
template <class T>
    requires(!is_route_item<T>::value)
constexpr std::tuple<> as_rules(const T&) {
    return {};
}

template <fixed_string BpName, fixed_string Prefix, fixed_string P, fixed_string N, method_set M, class H, fixed_string B>
constexpr auto prefixed(const rule<P, N, M, H, B>& r) {
    constexpr auto full_name = [] {
        if constexpr (N.size() == 0) return fixed_string{""};
        else return concat<BpName, ".", N>;
    }();
    constexpr auto full_blueprint = [] {
        if constexpr (B.size() == 0) return BpName;
        else return concat<BpName, ".", B>;
    }();
    return rule<concat<Prefix, P>, full_name, M, H, full_blueprint>{r.handler_};
}

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
    if constexpr (!detail::is_identifier(Name.view())) {
        (void)sizeof(diagnostic::invalid_blueprint_name<Name>);
        return invalid_rule{};
    } else if constexpr (!detail::valid_prefix(Prefix.view())) {
        (void)sizeof(diagnostic::malformed_blueprint_prefix<Name, Prefix>);
        return invalid_rule{};
    } else {
        auto all = std::tuple_cat(detail::as_rules(items)...);
        return std::apply(
            [](const auto&... rules) {
                return blueprint_def<Name, Prefix, decltype(detail::prefixed<Name, Prefix>(rules))...>{
                    {detail::prefixed<Name, Prefix>(rules)...}};
            },
            all);
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_BLUEPRINT_HPP
