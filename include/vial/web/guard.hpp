#ifndef VIAL_WEB_GUARD_HPP
#define VIAL_WEB_GUARD_HPP

/// @file
/// Guards: Flask's view decorators (`@login_required`, a role check, a rate limit) in the
/// route expression. A guard is any callable that takes what a handler takes (the route's
/// leading parameters, the request, services, `vial::session<T>&`, ...) and returns a
/// `std::optional` of something a handler may return: empty lets the request through, a
/// value answers it at once.
/// @code
/// constexpr auto login_required = vial::guard(
///     [](vial::request& req, vial::session<>& s) -> std::optional<vial::response> {
///         if (s.contains("user_id")) return std::nullopt;
///         return vial::redirect("/signin?next=" + vial::url_quote(req.target()), 303);
///     });
///
/// constexpr auto app = vial::web_app(
///     login_required(vial::post<"/books/<int:id>/reviews", post_review>()),  // one route
///     login_required(vial::blueprint<"account", "/account">(...)),          // every route of a blueprint
///     vial::guard(login_required, admin_only)(vial::get<"/admin", admin>()));  // composed: in order
/// @endcode
/// Guards run when the route's handler would: after the app's and the blueprints'
/// before_request hooks (so those may load the user a guard checks), before the handler. A
/// guard wrapped around another (`a(b(route))`) runs first, as stacked decorators do.

#include <vial/app/result.hpp>
#include <vial/http/response.hpp>
#include <vial/route/app.hpp>
#include <vial/route/blueprint.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/handler.hpp>
#include <vial/route/rule.hpp>
#include <vial/http/request.hpp>
#include <vial/http/url.hpp>
#include <vial/web/session.hpp>

#include <algorithm>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

namespace diagnostic {
/// A guard that does not return a std::optional.
template <class Guard, class Result>
struct guard_must_return_optional {
    static_assert(always_false<sizeof(Guard*)>,
                  "vial: a guard must return std::optional<R> (R: what a handler may return, such as "
                  "vial::response): std::nullopt lets the request through, a value answers it");
};
/// vial::guard(...) applied to something that is not a route or a blueprint.
template <class Item>
struct guard_applied_to_non_route {
    static_assert(always_false<sizeof(Item*)>,
                  "vial: a guard applies to a route (vial::get<...>(h)) or a blueprint (vial::blueprint<...>(...)); "
                  "for hooks and error handlers, put them inside a guarded blueprint");
};
}  // namespace diagnostic

namespace detail::web {

template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

template <std::size_t K, class List>
struct drop_front;
template <class... T>
struct drop_front<0, type_list<T...>> {
    using type = type_list<T...>;
};
template <std::size_t K, class H, class... T>
    requires(K > 0)
struct drop_front<K, type_list<H, T...>> : drop_front<K - 1, type_list<T...>> {};

/// How many of a route's parameters a guard takes: its leading parameters that bind to the
/// route's leading parameters, as a handler's would.
template <class Rule, class Guard>
constexpr std::size_t route_params_taken() {
    using args = typename callable_traits<Guard>::args;
    return []<std::size_t... I>(std::index_sequence<I...>) {
        const bool ok[] = {binds<Rule::template kind<I>, nth_t<I, args>, typename Rule::template custom_value_t<I>>()...,
                           false};
        std::size_t k = 0;
        while (k < sizeof...(I) && ok[k]) ++k;
        return k;
    }(std::make_index_sequence<std::min(Rule::param_count, args::size)>{});
}

/// A handler with a guard in front: the handler's parameters, then the guard's other than
/// the `RouteParams` route parameters it shares with the handler (provided by the same means
/// as a handler's), so that route parameters still bind to the handler's first ones.
template <class Handler, class Guard, std::size_t RouteParams,
          class HandlerArgs = typename callable_traits<Handler>::args,
          class GuardArgs = typename drop_front<RouteParams, typename callable_traits<Guard>::args>::type>
struct guarded;
template <class Handler, class Guard, std::size_t RouteParams, class... A, class... B>
struct guarded<Handler, Guard, RouteParams, type_list<A...>, type_list<B...>> {
    /// The handler as written (its result type is what a listing such as OpenAPI describes).
    using inner_handler = Handler;
    Handler handler_;
    Guard guard_;

    response operator()(A... a, B... b) const {
        const auto early = [&]<std::size_t... I>(std::index_sequence<I...>) {
            // Route parameters are lent to the guard (it sees them as lvalues), then handed on.
            [[maybe_unused]] const auto params = std::tie(a...);
            return guard_(std::get<I>(params)..., static_cast<B&&>(b)...);
        }(std::make_index_sequence<RouteParams>{});
        if (early) return to_response(std::move(*early));
        using R = typename callable_traits<Handler>::result;
        if constexpr (std::is_void_v<R>) {
            handler_(static_cast<A&&>(a)...);
            return to_response(void_result{});
        } else {
            return to_response(handler_(static_cast<A&&>(a)...));
        }
    }
};

template <class Guard, class Item>
constexpr auto apply_guard(const Guard& g, const Item& item);

template <class Guard, class... T>
constexpr auto guard_list(const Guard& g, const flat_list<T...>& list) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return flat_list<decltype(apply_guard(g, list_at<I>(list)))...>{{{apply_guard(g, list_at<I>(list))}...}};
    }(std::index_sequence_for<T...>{});
}

template <class Guard, class Item>
constexpr auto apply_guard(const Guard& g, const Item& item) {
    if constexpr (is_rule_v<Item>) {
        return [&]<packed_text Text, method_set M, class H>(const rule<Text, M, H>& r) {
            using G = guarded<H, Guard, route_params_taken<Item, Guard>()>;
            return rule<Text, M, G>{{}, G{r.handler_, g}, r.doc_};  // the route keeps its OpenAPI doc
        }(item);
    } else if constexpr (is_blueprint_v<Item>) {
        auto tree = guard_list(g, item.tree_);
        return blueprint_def<Item::name, Item::prefix, decltype(tree), decltype(item.items_)>{tree, item.items_};
    } else {
        return item;  // hooks, error handlers, and invalid_rule after an error already reported
    }
}

template <class Guard>
constexpr bool check_guard() {
    using R = std::remove_cvref_t<typename callable_traits<Guard>::result>;
    if constexpr (!callable_traits<Guard>::valid) {
        (void)diagnostic::report<diagnostic::handler_not_callable<Guard>>;
        return false;
    } else if constexpr (!is_optional_v<R>) {
        (void)diagnostic::report<diagnostic::guard_must_return_optional<Guard, R>>;
        return false;
    } else {
        return true;
    }
}

}  // namespace detail::web

/// Guards to apply, in order, to routes or blueprints: `g(route)`, `g(blueprint)`.
template <class... Guards>
struct guard_def {
    std::tuple<Guards...> guards_;

    /// @return the item with every route (a blueprint's, nested ones included) guarded
    template <class Item>
    constexpr auto operator()(const Item& item) const {
        if constexpr (!detail::is_rule_v<Item> && !detail::is_blueprint_v<Item> &&
                      !std::is_same_v<Item, invalid_rule>) {
            (void)diagnostic::report<diagnostic::guard_applied_to_non_route<Item>>;
            return invalid_rule{};
        } else {
            return apply_all<sizeof...(Guards)>(item);
        }
    }

private:
    // The last guard wraps first, so the first runs first.
    template <std::size_t N, class Item>
    constexpr auto apply_all(const Item& item) const {
        if constexpr (N == 0) return item;
        else return apply_all<N - 1>(detail::web::apply_guard(std::get<N - 1>(guards_), item));
    }
};

namespace detail::web {
template <class G>
struct guard_parts {
    static constexpr auto get(const G& g) { return std::tuple<G>{g}; }
};
template <class... G>
struct guard_parts<guard_def<G...>> {
    static constexpr auto get(const guard_def<G...>& g) { return g.guards_; }
};
template <class G>
inline constexpr bool guard_ok = check_guard<G>();
template <class... G>
inline constexpr bool guard_ok<guard_def<G...>> = true;
}  // namespace detail::web

/// Makes a guard of callables (or of other guards), run in the order given.
/// @param guards each returns `std::optional<R>`: empty to go on, a value to answer with
/// @return a guard: call it on a route or a blueprint
template <class... Guards>
constexpr auto guard(const Guards&... guards) {
    if constexpr (!(detail::web::guard_ok<Guards> && ...)) {
        return guard_def<>{};
    } else {
        auto all = std::tuple_cat(detail::web::guard_parts<Guards>::get(guards)...);
        return [&]<class... G>(const std::tuple<G...>& t) { return guard_def<G...>{t}; }(all);
    }
}

/// Whether `target` is safe to redirect to after signing in: a path on this site ("/books/1?x=2"),
/// not a URL elsewhere ("https://evil", "//evil", "/\\evil") nor anything with control characters.
[[nodiscard]] constexpr bool is_local_url(std::string_view target) noexcept {
    if (target.empty() || target.front() != '/') return false;
    if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return false;
    for (const char c : target)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
    return true;
}

/// The `next` argument of a sign-in request if it is a local URL (see is_local_url), else
/// `fallback`: where to send the user once signed in, without an open redirect.
[[nodiscard]] inline std::string next_url(const request& req, std::string_view fallback = "/") {
    auto next = req.args().get("next");
    if (!next) next = req.form().get("next");
    return next && is_local_url(*next) ? std::move(*next) : std::string(fallback);
}

namespace detail::web {
template <fixed_string SignIn, fixed_string Key>
struct login_check {
    std::optional<response> operator()(const request& req, session<>& s) const {
        if (s.contains(Key.view())) return std::nullopt;
        return redirect(std::string(SignIn.view()) + "?next=" + percent_encode(req.target(), "/"), 303);
    }
};
}  // namespace detail::web

/// A guard that lets signed-in users through (their session has `Key`) and sends others to
/// the sign-in page with a `next` argument that brings them back (Flask-Login's
/// `login_required`). Read `next` with `vial::next_url(req)` after signing in.
/// @tparam SignIn the sign-in page's path
/// @tparam Key the session key that holds the signed-in user
template <fixed_string SignIn, fixed_string Key = "user_id">
inline constexpr auto login_required = guard(detail::web::login_check<SignIn, Key>{});

}  // namespace vial

#endif  // VIAL_WEB_GUARD_HPP
