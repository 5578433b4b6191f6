#ifndef VIAL_ROUTE_APP_HPP
#define VIAL_ROUTE_APP_HPP

/// @file
/// The app: all routes and blueprints in one constexpr expression, its dispatch table built
/// at compile time, and the embeddable match / dispatch API.
/// @par Example
/// @code
/// constexpr auto app = vial::app(vial::get<"/user/<int:id>", "user">(show_user));
/// auto m = app.match(vial::method::get, "/user/42?x=1");
/// if (m.status() == vial::match_status::found)
///     app.dispatch(m, [](const auto& result) { /* send result */ });
/// @endcode

#include <vial/route/blueprint.hpp>
#include <vial/route/converter.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/handler.hpp>
#include <vial/route/method.hpp>
#include <vial/route/rule.hpp>
#include <vial/route/table.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

/// What a void handler's result is passed to dispatch()'s visitor as.
struct void_result {};

/// The result of matching one request: the route and its parsed parameters, or why not.
template <std::size_t MaxParams>
class match_result {
public:
    [[nodiscard]] match_status status() const noexcept { return status_; }
    [[nodiscard]] bool found() const noexcept { return status_ == match_status::found; }
    /// @return the index of the matched route in the app (valid when found()).
    [[nodiscard]] std::size_t route() const noexcept { return static_cast<std::size_t>(route_); }
    /// @return the endpoint name ("users.show_user"), "" for an unnamed route.
    [[nodiscard]] std::string_view endpoint() const noexcept { return found() ? endpoints_[route_] : std::string_view{}; }
    /// @return the route's pattern ("/users/user/<int:user_id>").
    [[nodiscard]] std::string_view rule() const noexcept { return found() ? rules_[route_] : std::string_view{}; }
    /// @return for 405 and OPTIONS: the methods the path answers (with HEAD wherever GET, and OPTIONS).
    [[nodiscard]] method_set allowed() const noexcept { return allowed_; }
    /// @return true when a HEAD request matched a GET route (send headers only).
    [[nodiscard]] bool head_as_get() const noexcept { return head_as_get_; }
    /// @return the request target as given, and its path part.
    [[nodiscard]] std::string_view target() const noexcept { return target_; }
    [[nodiscard]] std::string_view path() const noexcept { return path_; }
    /// @return for redirect: the path with a trailing '/', and the query string kept.
    [[nodiscard]] std::string redirect_location() const {
        std::string out(path_);
        out += '/';
        out += target_.substr(path_.size());
        return out;
    }
    /// @return parameter `i` (in route order) as matched.
    [[nodiscard]] const param_value& param(std::size_t i) const noexcept { return params_[i]; }
    [[nodiscard]] const param_value* params() const noexcept { return params_.data(); }
    [[nodiscard]] param_value* params() noexcept { return params_.data(); }

private:
    template <class, class>
    friend class app_def;

    match_status status_ = match_status::not_found;
    std::int16_t route_ = -1;
    bool head_as_get_ = false;
    method_set allowed_{};
    std::string_view target_{};
    std::string_view path_{};
    const std::string_view* endpoints_ = nullptr;
    const std::string_view* rules_ = nullptr;
    std::array<param_value, MaxParams> params_;
};

/// A route's description for listings (`--routes`, OpenAPI).
struct route_info {
    std::string_view endpoint;
    std::string_view rule;
    method_set methods;
    std::string_view blueprint;
};

namespace detail {

template <class T>
struct value_arg {
    T value;
    T&& get() { return std::move(value); }
};

/// A string parameter: the segment itself when it has no escapes, else its decoded copy.
struct text_arg {
    std::string_view raw;
    std::string decoded;
    bool encoded;
    [[nodiscard]] std::string_view get() const noexcept { return encoded ? std::string_view{decoded} : raw; }
};

template <class Rule, std::size_t I>
auto route_argument(const param_value& v) {
    using Arg = nth_t<I, typename Rule::args>;
    using D = std::remove_cvref_t<Arg>;
    constexpr converter_kind kind = Rule::template param<I>().kind;
    if constexpr (kind == converter_kind::int_) {
        return value_arg<D>{v.negative ? static_cast<D>(v.get<std::int64_t>()) : static_cast<D>(v.get<std::uint64_t>())};
    } else if constexpr (kind == converter_kind::float_) {
        return value_arg<D>{static_cast<D>(v.get<double>())};
    } else if constexpr (kind == converter_kind::uuid) {
        return value_arg<uuid>{v.get<uuid>()};
    } else if constexpr (kind == converter_kind::custom) {
        using V = typename Rule::template custom_value_t<I>;
        if constexpr (stored_in_slot<V>) {
            return value_arg<V>{v.get<V>()};
        } else {
            V value{};
            converter<Rule::template converter_name<I>>::parse(v.text(), value);
            return value_arg<V>{std::move(value)};
        }
    } else if constexpr (std::is_same_v<D, std::string>) {
        return value_arg<std::string>{v.text()};
    } else {
        return text_arg{v.raw, v.encoded ? v.text() : std::string{}, v.encoded};
    }
}

template <class Arg, class Extra>
constexpr bool provides() {
    using D = std::remove_cvref_t<Arg>;
    using E = std::remove_cvref_t<Extra>;
    return std::is_base_of_v<D, E> || std::is_same_v<D, E> ||
           requires(E& e) { e.provide(std::type_identity<D>{}); };
}

/// Whether any of the extras provides a parameter of type Arg.
template <class Arg, class... Extras>
inline constexpr bool provided_by = (provides<Arg, Extras>() || ...);

/// The value of a handler parameter that is not a route parameter: the first extra that is
/// (or derives from) its type, or that can provide it.
template <class Arg, class E0, class... Es>
decltype(auto) provide(E0& e0, Es&... es) {
    using D = std::remove_cvref_t<Arg>;
    using E = std::remove_cvref_t<E0>;
    if constexpr (std::is_base_of_v<D, E> || std::is_same_v<D, E>) {
        return (e0);
    } else if constexpr (requires { e0.provide(std::type_identity<D>{}); }) {
        return e0.provide(std::type_identity<D>{});
    } else {
        return provide<Arg>(es...);
    }
}

template <class Arg, class... Extras>
constexpr bool provided() {
    return (provides<Arg, Extras>() || ...);
}

template <class Rule, class... Extras>
constexpr std::size_t first_unprovided() {
    using args = typename Rule::args;
    return []<std::size_t... J>(std::index_sequence<J...>) {
        std::size_t bad = npos;
        ((bad == npos && !provided<nth_t<Rule::param_count + J, args>, Extras...>() ? bad = Rule::param_count + J : bad),
         ...);
        return bad;
    }(std::make_index_sequence<args::size - Rule::param_count>{});
}

/// What `visit` returns for a rule's handler result.
template <class Rule, class Visitor>
using visit_result_t = decltype(std::declval<Visitor&>()(std::declval<std::conditional_t<
    std::is_void_v<typename Rule::traits::result>, void_result, typename Rule::traits::result>>()));

/// Calls a rule's handler with its route parameters and what the extras provide, and hands
/// the result to `visit`.
template <class Rule, class Visitor, class... Extras>
decltype(auto) call_rule(const Rule& r, const param_value* params, Visitor& visit, Extras&... extras) {
    using args = typename Rule::args;
    constexpr std::size_t P = Rule::param_count;
    constexpr std::size_t bad = first_unprovided<Rule, Extras...>();
    if constexpr (bad != npos) {
        (void)diagnostic::report<diagnostic::cannot_provide_parameter<bad, nth_t<bad, args>>>;
        // The do-nothing path: the type dispatch() expects, so the mistake gives one error.
        return []() -> visit_result_t<Rule, Visitor> { std::terminate(); }();
    } else {
        return [&]<std::size_t... I, std::size_t... J>(std::index_sequence<I...>, std::index_sequence<J...>) -> decltype(auto) {
            std::tuple<decltype(route_argument<Rule, I>(params[I]))...> values{route_argument<Rule, I>(params[I])...};
            if constexpr (std::is_void_v<typename Rule::traits::result>) {
                r.handler_(std::get<I>(values).get()..., provide<nth_t<P + J, args>>(extras...)...);
                return visit(void_result{});
            } else {
                return visit(r.handler_(std::get<I>(values).get()..., provide<nth_t<P + J, args>>(extras...)...));
            }
        }(std::make_index_sequence<P>{}, std::make_index_sequence<args::size - P>{});
    }
}

/// call_rule behind a function pointer of one type for every route.
template <class Rule, class R, class Visitor, class... Extras>
R call_erased(const void* rule, const param_value* params, Visitor& visit, Extras&... extras) {
    return call_rule(*static_cast<const Rule*>(rule), params, visit, extras...);
}

}  // namespace detail

template <class RuleTuple, class ItemTuple>
class app_def;

/// An app: the flat list of its routes (blueprints already applied), its dispatch table, and
/// its other items (hooks, error handlers), each scoped to the blueprint that declared it.
template <class... Rules, class... Items>
class app_def<detail::flat_list<Rules...>, std::tuple<Items...>> {
public:
    detail::flat_list<Rules...> rules_;
    std::tuple<Items...> items_;

    static constexpr std::size_t route_count = sizeof...(Rules);
    static constexpr std::size_t max_params = std::max({std::size_t{1}, Rules::param_count...});
    using match_type = match_result<max_params>;

    static constexpr std::array<detail::route_desc, route_count> descs{Rules::desc()...};
    static constexpr detail::table_sizes sizes = detail::measure(descs);
    static constexpr detail::table<sizes> table = detail::build_table<sizes>(descs);
    static constexpr detail::table_view view = table.view();
    static constexpr std::array<std::string_view, route_count + 1> endpoints{Rules::name.view()..., {}};
    static constexpr std::array<std::string_view, route_count + 1> patterns{Rules::pattern.view()..., {}};
    /// Indices of the named routes, sorted by endpoint name (first of equal names first).
    static constexpr std::size_t named_count = ((Rules::name.size() != 0 ? 1 : 0) + ... + 0);
    static constexpr auto by_name = [] {
        std::array<std::size_t, named_count + 1> out{};
        std::size_t n = 0;
        for (std::size_t i = 0; i < route_count; ++i)
            if (!endpoints[i].empty()) out[n++] = i;
        std::sort(out.begin(), out.begin() + n, [](std::size_t a, std::size_t b) {
            return endpoints[a] < endpoints[b] || (endpoints[a] == endpoints[b] && a < b);
        });
        return out;
    }();

    /// Every route, in declaration order.
    static constexpr std::array<route_info, route_count> routes() noexcept {
        return {route_info{Rules::name.view(), Rules::pattern.view(), Rules::methods, Rules::blueprint.view()}...};
    }

    /// @return the index of endpoint `name`, or route_count when there is none.
    static constexpr std::size_t find(std::string_view name) noexcept {
        // Binary search over the names sorted once, so that N url_for calls cost N log N.
        std::size_t lo = 0;
        std::size_t hi = named_count;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            const std::string_view at = endpoints[by_name[mid]];
            if (at == name) return by_name[mid];
            if (at < name) lo = mid + 1;
            else hi = mid;
        }
        return route_count;
    }

    /// Matches a request. The query string is ignored; no allocation, no start-up work.
    /// @param m the method (method::unknown for others: 405 where the path exists)
    /// @param target the origin-form target, e.g. "/users/42?x=1"
    [[nodiscard]] match_type match(method m, std::string_view target) const noexcept {
        match_type r;
        r.target_ = target;
        r.path_ = target.substr(0, detail::path_length(target));
        r.endpoints_ = endpoints.data();
        r.rules_ = patterns.data();
        if (r.path_.empty() || r.path_.front() != '/') return r;
        detail::matcher walker(view, m, r.path_, r.params_.data());
        if (walker.run()) {
            r.status_ = match_status::found;
            r.route_ = walker.found;
            r.head_as_get_ = walker.head_as_get;
        } else if (!walker.allowed.empty()) {
            r.allowed_ = walker.allowed | method::options;
            r.status_ = m == method::options ? match_status::options : match_status::method_not_allowed;
        } else if (walker.redirect) {
            r.status_ = match_status::redirect;
        }
        return r;
    }
    /// @overload
    /// The method as text (`"GET"`); a method vial does not know gives method::unknown.
    [[nodiscard]] match_type match(std::string_view m, std::string_view target) const noexcept {
        return match(parse_method(m), target);
    }

    /// Calls the matched route's handler and passes what it returns to `visit`.
    /// Handler parameters after the route's own are taken from `extras`: an extra of that
    /// type (or derived from it), or one with `provide(std::type_identity<T>)`.
    /// @return what `visit` returns (the same type for every route)
    template <class Visitor, class... Extras>
    decltype(auto) dispatch(const match_type& m, Visitor&& visit, Extras&&... extras) const {
        using R = decltype(detail::call_rule(detail::list_at<0>(rules_), m.params(), visit, extras...));
        using fn = R (*)(const void*, const param_value*, Visitor&, Extras&...);
        // One entry per route, each templated on its rule alone (not on the whole app), so a
        // large app does not repeat its type in hundreds of function names.
        static constexpr std::array<fn, route_count> table{&detail::call_erased<Rules, R, Visitor, Extras...>...};
        // Where each rule lies in an app of this type, measured once.
        static const auto offsets = [this]<std::size_t... I>(std::index_sequence<I...>) {
            const auto* base = reinterpret_cast<const char*>(this);
            return std::array<std::ptrdiff_t, route_count>{
                (reinterpret_cast<const char*>(&static_cast<const detail::list_slot<I, Rules>&>(rules_).value_) -
                 base)...};
        }(std::make_index_sequence<route_count>{});
        const void* const rule = reinterpret_cast<const char*>(this) + offsets[m.route()];
        return table[m.route()](rule, m.params(), visit, extras...);
    }
};

namespace detail {

template <class RuleTuple, class ItemTuple>
constexpr auto make_app(const RuleTuple& rules, const ItemTuple& items) {
    return app_def<RuleTuple, ItemTuple>{rules, items};
}

/// The first duplicate endpoint name, or -1.
template <class App>
constexpr int duplicate_endpoint() {
    std::array<std::string_view, App::route_count + 1> names{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < App::route_count; ++i)
        if (!App::endpoints[i].empty()) names[n++] = App::endpoints[i];
    std::sort(names.begin(), names.begin() + n);
    for (std::size_t i = 1; i < n; ++i)
        if (names[i] == names[i - 1]) return static_cast<int>(App::find(names[i]));
    return -1;
}

/// Reports the app's first duplicate route or endpoint name, if any.
template <class A>
constexpr A checked_app(const A& a) {
    if constexpr (A::table.duplicate_first >= 0) {
        using first = detail::list_at_t<static_cast<std::size_t>(A::table.duplicate_first), decltype(a.rules_)>;
        using second = detail::list_at_t<static_cast<std::size_t>(A::table.duplicate_second), decltype(a.rules_)>;
        (void)diagnostic::report<diagnostic::duplicate_route<first::pattern, second::pattern>>;
    } else if constexpr (constexpr int dup = duplicate_endpoint<A>(); dup >= 0) {
        (void)diagnostic::report<diagnostic::duplicate_endpoint_name<detail::list_at_t<static_cast<std::size_t>(dup), decltype(a.rules_)>::name>>;
    }
    return a;
}

}  // namespace detail

/// Builds the app from routes and blueprints; checks for duplicate routes and endpoint names.
/// @par Example
/// @code
/// constexpr auto app = vial::app(vial::get<"/">(index), users);
/// @endcode
template <class... Items>
constexpr auto app(const Items&... items) {
    constexpr std::size_t foreign = detail::first_foreign_item<Items...>();
    if constexpr (foreign != static_cast<std::size_t>(-1)) {
        // Checked before the items are taken apart, which a foreign item would fail: one error.
        (void)diagnostic::report<diagnostic::not_an_app_item<foreign, detail::nth_t<foreign, detail::type_list<Items...>>>>;
        return detail::make_app(detail::flat_list<>{}, std::tuple<>{});
    } else {
        return detail::checked_app(
            detail::make_app(detail::collect_rules(detail::same_item{}, items...),
                             detail::collect_items(detail::same_item{}, items...)));
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_APP_HPP
