#ifndef VIAL_APP_HOOKS_HPP
#define VIAL_APP_HOOKS_HPP

/// @file
/// Hooks and error handlers, declared in the same constexpr expressions as the routes:
/// @code
/// constexpr auto admin = vial::blueprint<"admin", "/admin">(
///     vial::before_request(require_login),          // runs for admin.* routes only
///     vial::get<"/", dashboard>());
/// constexpr auto app = vial::app(
///     vial::before_request([](vial::request& req) -> std::optional<vial::response> { ... }),
///     vial::after_request([](vial::response& res) { res.set_header("X-Frame-Options", "DENY"); }),
///     vial::teardown_request([](std::exception_ptr error) { ... }),
///     vial::errorhandler<404>([](const vial::http_error& e) { return "nothing here"; }),
///     vial::errorhandler<std::out_of_range>([](const std::out_of_range& e) { ... }),
///     admin);
/// @endcode
/// Like handlers, hooks ask for what they need by type: the request, the response (after
/// hooks), the error (error handlers), `std::exception_ptr` (teardown), services.
/// A hook declared in a blueprint runs only for that blueprint's routes (and its nested
/// blueprints'); one declared on the app runs for every request.

#include <vial/route/blueprint.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/handler.hpp>

#include <cstddef>
#include <string_view>

namespace vial {

namespace diagnostic {
/// `vial::errorhandler<Code>` with a status that is not an error or redirect.
template <unsigned Code>
struct errorhandler_status_out_of_range {
    static_assert(always_false<Code>,
                  "vial: errorhandler<Code>: the status must be an error or redirect status, 300 to 599; "
                  "for exceptions write vial::errorhandler<ExceptionType>(f)");
};
}  // namespace diagnostic

enum class hook_kind : unsigned char { before_request, after_request, teardown_request };

/// A hook, scoped to a blueprint ("" for the whole app).
template <hook_kind Kind, class F, fixed_string Scope = "">
struct hook {
    F fn_;
    static constexpr hook_kind kind = Kind;
    static constexpr auto scope = Scope;

    template <fixed_string Blueprint>
    constexpr auto in_blueprint() const {
        return hook<Kind, F, detail::nested_scope<Blueprint, Scope>>{fn_};
    }
};

/// The key of an error handler for an HTTP status: `vial::errorhandler<404>(f)`.
template <unsigned Code>
struct status_code {
    static constexpr unsigned value = Code;
};

/// An error handler for a status (Key = status_code<N>) or an exception type, scoped.
template <class Key, class F, fixed_string Scope = "">
struct error_handler {
    F fn_;
    using key = Key;
    static constexpr auto scope = Scope;

    template <fixed_string Blueprint>
    constexpr auto in_blueprint() const {
        return error_handler<Key, F, detail::nested_scope<Blueprint, Scope>>{fn_};
    }
};

namespace detail {

template <hook_kind Kind, class F>
constexpr auto make_hook(F f) {
    if constexpr (!callable_traits<F>::valid) {
        (void)diagnostic::report<diagnostic::handler_not_callable<F>>;
        return invalid_rule{};
    } else {
        return hook<Kind, F>{f};
    }
}

}  // namespace detail

/// Runs before each request's handler. Returning a response (or a non-empty std::optional
/// of one) answers the request at once, without calling the handler.
template <class F>
constexpr auto before_request(F f) {
    return detail::make_hook<hook_kind::before_request>(f);
}
/// Runs after the handler (and error handlers) with the response; may change it, or return a
/// replacement.
template <class F>
constexpr auto after_request(F f) {
    return detail::make_hook<hook_kind::after_request>(f);
}
/// Runs last, always, even when a handler threw. May ask for a `std::exception_ptr`: as in
/// Flask, the exception no error handler took (it became a 500), null otherwise.
template <class F>
constexpr auto teardown_request(F f) {
    return detail::make_hook<hook_kind::teardown_request>(f);
}

/// Handles `abort(Code)` and the errors vial raises itself (404, 405, 400 for bad input...);
/// `errorhandler<500>` also answers for exceptions no other handler took, as in Flask.
/// What it returns is sent with status Code unless it returns a response or a status pair.
/// It may ask for the `const vial::http_error&`, the original `std::exception_ptr`, the
/// request and services.
template <unsigned Code, class F>
constexpr auto errorhandler(F f) {
    if constexpr (Code < 300 || Code > 599) {
        (void)diagnostic::report<diagnostic::errorhandler_status_out_of_range<Code>>;
        return invalid_rule{};
    } else if constexpr (!detail::callable_traits<F>::valid) {
        (void)diagnostic::report<diagnostic::handler_not_callable<F>>;
        return invalid_rule{};
    } else {
        return error_handler<status_code<Code>, F>{f};
    }
}
/// Handles exceptions of type E (or derived from it) thrown by handlers and hooks. Of the
/// handlers that catch an exception, the most specific wins (after a blueprint's handlers,
/// for its routes, before the app's).
template <class E, class F>
constexpr auto errorhandler(F f) {
    if constexpr (!detail::callable_traits<F>::valid) {
        (void)diagnostic::report<diagnostic::handler_not_callable<F>>;
        return invalid_rule{};
    } else {
        return error_handler<E, F>{f};
    }
}

namespace detail {

/// Whether an item scoped to `scope` applies to a route of blueprint `blueprint`.
constexpr bool scope_applies(std::string_view scope, std::string_view blueprint) noexcept {
    if (scope.empty()) return true;
    if (blueprint.size() < scope.size() || blueprint.substr(0, scope.size()) != scope) return false;
    return blueprint.size() == scope.size() || blueprint[scope.size()] == '.';
}

constexpr std::size_t scope_depth(std::string_view scope) noexcept {
    if (scope.empty()) return 0;
    std::size_t d = 1;
    for (char c : scope) d += c == '.';
    return d;
}

}  // namespace detail
}  // namespace vial

#endif  // VIAL_APP_HOOKS_HPP
