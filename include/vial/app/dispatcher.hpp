#ifndef VIAL_APP_DISPATCHER_HPP
#define VIAL_APP_DISPATCHER_HPP

/// @file
/// Runs one request through an app the way Flask does: match, before_request hooks, the
/// handler, error handlers, after_request hooks, teardown hooks. The server and the test
/// client both call `dispatcher::handle`, so they share one code path.

#include <vial/app/binding.hpp>
#include <vial/app/hooks.hpp>
#include <vial/app/result.hpp>
#include <vial/http/errors.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/route/app.hpp>
#include <vial/route/method.hpp>

#include <algorithm>
#include <exception>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

namespace detail {
/// @return `&std::clog`, from the vial library (so that this header need not include <iostream>)
std::ostream* standard_log() noexcept;
}  // namespace detail

/// Settings of the request pipeline.
struct app_settings {
    bool debug = false;                           ///< put exception messages in 500 responses
    std::ostream* log = detail::standard_log();  ///< where uncaught exceptions are logged (nullptr: nowhere; default std::clog)
};

namespace diagnostic {
/// A hook or error handler asks for an exception it is not given.
template <std::size_t Index, class Parameter>
struct exception_parameter_not_provided {
    static_assert(always_false<Index>,
                  "vial: nothing provides this exception parameter: errorhandler<Code> gets a const "
                  "vial::http_error&, errorhandler<E> a const E& (or a base of E); an error handler or a "
                  "teardown_request hook may ask for the original exception as a std::exception_ptr");
};
}  // namespace diagnostic

namespace detail {

// The parts of the pipeline that do not depend on the app, compiled once (src/app/dispatcher.cpp).

/// Writes "vial: exception in <where> for <method> <target>: <what>" to `log` (nothing when
/// null), one line at a time across threads.
void log_exception(std::ostream* log, std::string_view where, const std::exception_ptr& error,
                   std::string_view method, std::string_view target);

/// @return the 500 response for an exception nothing handled; with `debug`, its message in the body
response internal_error_response(bool debug, const std::exception_ptr& error);

/// @throws http_error 405 with the Allow header for `allowed`
[[noreturn]] void throw_method_not_allowed(method_set allowed);
/// @return the answer to OPTIONS: 200, no body, the Allow header for `allowed`
response options_response(method_set allowed);
/// @return the strict-slash redirect: 308 to `location`
response slash_redirect_response(const std::string& location);

/// The steps of one app's pipeline, as plain functions over its dispatcher (`self`), so that
/// the flow around them (the order of hooks, the error handling, the logging) is compiled once
/// into the library instead of in every app's file. A step the app has no item for is null.
struct pipeline_steps {
    /// before_request hooks; true when one answered (into `res`)
    bool (*before)(const void* self, request& req, std::string_view blueprint, response& res) = nullptr;
    /// the route's handler (or 404, 405, OPTIONS, the slash redirect), for the match `match`
    void (*main)(const void* self, const void* match, request& req, response& res) = nullptr;
    void (*after)(const void* self, response& res, request& req, std::string_view blueprint) = nullptr;
    /// teardown_request hooks; each catches and logs what it throws
    void (*teardown)(const void* self, const std::exception_ptr& error, request& req,
                     std::string_view blueprint) = nullptr;
    /// the error handler for an http_error's status, if the app has one that applies
    std::optional<response> (*by_status)(const void* self, const http_error& e, const std::exception_ptr& error,
                                         std::string_view blueprint, request& req) = nullptr;
    /// the error handler for the exception's type, if the app has one that applies
    std::optional<response> (*by_type)(const void* self, const std::exception_ptr& error, std::string_view blueprint,
                                       request& req, unsigned status) = nullptr;
};

/// Runs one request through an app's steps, as Flask does: before_request hooks, the handler,
/// error handlers (innermost blueprint first; else the default answer), after_request hooks,
/// teardown hooks with the exception no handler took. Never throws: errors become responses.
void run_pipeline(const pipeline_steps& steps, const void* self, const void* match, const app_settings& settings,
                  std::string_view blueprint, request& req, response& res);

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};

template <class Item, hook_kind Kind>
inline constexpr bool is_hook_v = false;
template <hook_kind K, class F, fixed_string S, hook_kind Kind>
inline constexpr bool is_hook_v<hook<K, F, S>, Kind> = K == Kind;

template <class Item>
inline constexpr bool is_error_handler_v = false;
template <class K, class F, fixed_string S>
inline constexpr bool is_error_handler_v<error_handler<K, F, S>> = true;

/// Whether Item is an error handler for a strict base class of Key.
template <class Item, class Key>
inline constexpr bool handles_base_of_v = false;
template <class K, class F, fixed_string S, class Key>
inline constexpr bool handles_base_of_v<error_handler<K, F, S>, Key> =
    std::is_class_v<Key> && std::is_base_of_v<K, Key> && !std::is_same_v<K, Key>;

/// How specific an exception handler's key is: the number of the app's handlers for its
/// base classes. Of the handlers that catch an exception, the highest rank is one no other
/// derives from.
template <class Key, class Items>
struct handler_rank;
template <class Key, class... Items>
struct handler_rank<Key, std::tuple<Items...>> {
    static constexpr std::size_t value = (std::size_t{0} + ... + std::size_t{handles_base_of_v<Items, Key>});
};

template <class Key>
inline constexpr bool is_status_key_v = false;
template <unsigned C>
inline constexpr bool is_status_key_v<status_code<C>> = true;

/// Whether an item is an error handler for a status (ByStatus) or for an exception type.
template <class Item, bool ByStatus>
inline constexpr bool is_error_handler_by_v = false;
template <class K, class F, fixed_string S, bool ByStatus>
inline constexpr bool is_error_handler_by_v<error_handler<K, F, S>, ByStatus> = is_status_key_v<K> == ByStatus;

/// Which kinds of items an app has: the pipeline skips the steps it has none for.
template <class Items>
struct item_kinds;
template <class... Items>
struct item_kinds<std::tuple<Items...>> {
    static constexpr bool before = (is_hook_v<Items, hook_kind::before_request> || ... || false);
    static constexpr bool after = (is_hook_v<Items, hook_kind::after_request> || ... || false);
    static constexpr bool teardown = (is_hook_v<Items, hook_kind::teardown_request> || ... || false);
    static constexpr bool by_status = (is_error_handler_by_v<Items, true> || ... || false);
    static constexpr bool by_type = (is_error_handler_by_v<Items, false> || ... || false);
};

/// Calls a hook or error handler with what its parameters ask for, taken from `extras`.
template <class F, class... Extras>
decltype(auto) call_with(const F& fn, Extras&... extras) {
    using args = typename callable_traits<F>::args;
    constexpr std::size_t bad = []<std::size_t... J>(std::index_sequence<J...>) {
        std::size_t b = npos;
        ((b == npos && !provided_by<nth_t<J, args>, Extras...> ? b = J : b), ...);
        return b;
    }(std::make_index_sequence<args::size>{});
    if constexpr (bad != npos) {
        using P = std::remove_cvref_t<nth_t<bad, args>>;
        if constexpr (std::is_base_of_v<std::exception, P>)
            (void)diagnostic::report<diagnostic::exception_parameter_not_provided<bad, nth_t<bad, args>>>;
        else
            (void)diagnostic::report<diagnostic::cannot_provide_parameter<bad, nth_t<bad, args>>>;
        return void_result{};  // the do-nothing path: one error, not a cascade
    } else {
        return [&]<std::size_t... J>(std::index_sequence<J...>) -> decltype(auto) {
            return fn(provide<nth_t<J, args>>(extras...)...);
        }(std::make_index_sequence<args::size>{});
    }
}

/// Turns a handler's result into a response (a named type, so that per-route code is named
/// after the route, not after the whole app).
struct response_visitor {
    template <class T>
    response operator()(T&& result) const {
        return to_response(std::forward<T>(result));
    }
};

template <class Tuple>
struct max_scope_depth;
template <class... Items>
struct max_scope_depth<std::tuple<Items...>> {
    static constexpr std::size_t value = std::max({std::size_t{0}, scope_depth(Items::scope.view())...});
};

}  // namespace detail

/// The request pipeline of one app with its services.
template <class App, class... Services>
class dispatcher {
public:
    explicit dispatcher(const App& app, Services&... services) : app_(app), services_(services...) {}

    app_settings settings;

    /// Answers one request. Never throws: errors become responses.
    [[nodiscard]] response handle(request& req) const {
        response res;
        handle(req, res);
        return res;
    }

    /// Answers one request into `res` (a fresh response), as the server calls it. Never
    /// throws: errors become responses.
    void handle(request& req, response& res) const {
        const auto m = app_.match(req.method(), req.target());
        // From the match and the app's text, not from arrays of string_views here: each would
        // be emitted with a relocation per route against a symbol named after the whole app.
        const std::string_view blueprint = m.found() ? App::blueprint_of(m.route()) : std::string_view{};
        if (m.found()) req.matched_route(m.endpoint(), m.rule());
        else req.matched_route({}, {});
        detail::run_pipeline(steps, this, &m, settings, blueprint, req, res);
    }

private:
    using items_type = decltype(std::declval<const App&>().items_);
    static constexpr std::size_t max_depth = detail::max_scope_depth<items_type>::value;

    /// Per route: the function that binds its bound parameters, or nullptr.
    static constexpr auto binders = [] {
        std::array<detail::bind_fn, App::route_count + 1> out{};
        std::size_t n = 0;
        detail::add_binders(static_cast<const typename App::tree_type*>(nullptr), out.data(), n);
        return out;
    }();

    using kinds = detail::item_kinds<items_type>;
    using match_type = typename App::match_type;

    static const dispatcher& self(const void* p) noexcept { return *static_cast<const dispatcher*>(p); }

    /// This app's steps: one small function each, null where the app has no such item.
    static constexpr detail::pipeline_steps steps = [] {
        detail::pipeline_steps out;
        if constexpr (kinds::before)
            out.before = [](const void* p, request& req, std::string_view bp, response& res) {
                return self(p).run_before(req, bp, res);
            };
        out.main = [](const void* p, const void* m, request& req, response& res) {
            res = self(p).main_response(*static_cast<const match_type*>(m), req);
        };
        if constexpr (kinds::after)
            out.after = [](const void* p, response& res, request& req, std::string_view bp) {
                self(p).run_after(res, req, bp);
            };
        if constexpr (kinds::teardown)
            out.teardown = [](const void* p, const std::exception_ptr& error, request& req, std::string_view bp) {
                self(p).run_teardown(error, req, bp);
            };
        if constexpr (kinds::by_status)
            out.by_status = [](const void* p, const http_error& e, const std::exception_ptr& error, std::string_view bp,
                               request& req) { return self(p).by_status(e, error, bp, req); };
        if constexpr (kinds::by_type)
            out.by_type = [](const void* p, const std::exception_ptr& error, std::string_view bp, request& req,
                             unsigned status) { return self(p).by_type(error, bp, req, status); };
        return out;
    }();

    template <class F>
    decltype(auto) with_services(F&& f) const {
        return std::apply([&](auto&... s) -> decltype(auto) { return f(s...); }, services_);
    }

    /// Calls `f(item)` for the items that apply to `blueprint`, app-level first (or, with
    /// `deepest_first`, the innermost blueprint's first, each level in reverse order), until f
    /// returns true.
    template <bool DeepestFirst, class F>
    bool visit_items(std::string_view blueprint, F&& f) const {
        bool done = false;
        for (std::size_t level = 0; level <= max_depth && !done; ++level) {
            const std::size_t depth = DeepestFirst ? max_depth - level : level;
            auto one = [&](const auto& item) {
                using I = std::remove_cvref_t<decltype(item)>;
                if (done || detail::scope_depth(I::scope.view()) != depth) return;
                if (!detail::scope_applies(I::scope.view(), blueprint)) return;
                done = f(item);
            };
            std::apply(
                [&](const auto&... items) {
                    if constexpr (DeepestFirst) {
                        constexpr std::size_t n = sizeof...(items);
                        const auto refs = std::tie(items...);
                        [&]<std::size_t... K>(std::index_sequence<K...>) {
                            (one(std::get<n - 1 - K>(refs)), ...);
                        }(std::make_index_sequence<n>{});
                    } else {
                        (one(items), ...);
                    }
                },
                app_.items_);
        }
        return done;
    }

    bool run_before(request& req, std::string_view blueprint, response& res) const {
        return visit_items<false>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_hook_v<I, hook_kind::before_request>) {
                return with_services([&](auto&... s) {
                    using R = decltype(detail::call_with(item.fn_, req, s...));
                    if constexpr (std::is_void_v<R>) {
                        detail::call_with(item.fn_, req, s...);
                        return false;
                    } else if constexpr (detail::is_std_optional<std::remove_cvref_t<R>>::value) {
                        auto answer = detail::call_with(item.fn_, req, s...);
                        if (!answer) return false;
                        res = to_response(std::move(*answer));
                        return true;
                    } else {
                        res = to_response(detail::call_with(item.fn_, req, s...));
                        return true;
                    }
                });
            } else {
                return false;
            }
        });
    }

    void run_after(response& res, request& req, std::string_view blueprint) const {
        visit_items<true>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_hook_v<I, hook_kind::after_request>) {
                with_services([&](auto&... s) {
                    using R = decltype(detail::call_with(item.fn_, res, req, s...));
                    if constexpr (std::is_void_v<R>) detail::call_with(item.fn_, res, req, s...);
                    else res = to_response(detail::call_with(item.fn_, res, req, s...));
                });
            }
            return false;
        });
    }

    void run_teardown(std::exception_ptr error, request& req, std::string_view blueprint) const {
        visit_items<true>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_hook_v<I, hook_kind::teardown_request>) {
                try {
                    with_services([&](auto&... s) { (void)detail::call_with(item.fn_, error, req, s...); });
                } catch (...) {
                    log_exception("teardown_request hook", std::current_exception(), req);
                }
            }
            return false;
        });
    }

    response main_response(const match_type& m, request& req) const {
        switch (m.status()) {
        case match_status::found:
            if constexpr (App::route_count != 0) {
                // Parameters read from the request as a whole (typed bodies, queries, headers)
                // are bound first, all at once: bad input never reaches the handler.
                detail::bound_parameters bound;
                if (const detail::bind_fn bind = binders[m.route()]; bind != nullptr) bind(req, bound);
                return with_services([&](auto&... s) {
                    return app_.dispatch(m, detail::response_visitor{}, req, bound, s...);
                });
            }
            break;
        case match_status::method_not_allowed:
            detail::throw_method_not_allowed(m.allowed());
        case match_status::options:
            return detail::options_response(m.allowed());
        case match_status::redirect:
            return detail::slash_redirect_response(m.redirect_location());
        case match_status::not_found:
            break;
        }
        throw http_error(404);
    }

    /// The error handler registered for `e.status()`, innermost blueprint first.
    std::optional<response> by_status(const http_error& e, std::exception_ptr error, std::string_view blueprint,
                                      request& req) const {
        std::optional<response> handled;
        visit_items<true>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_error_handler_v<I>) {
                if constexpr (detail::is_status_key_v<typename I::key>) {
                    if (I::key::value != e.status()) return false;
                    handled = with_services([&](auto&... s) {
                        return to_response(detail::call_with(item.fn_, e, req, error, s...), e.status());
                    });
                    return true;
                }
            }
            return false;
        });
        return handled;
    }

    /// The error handler for the exception's type: the innermost blueprint with one that
    /// catches it, and there the most specific (a handler for a derived class before one for
    /// its base, whatever the order of declaration), as Flask walks the class hierarchy.
    std::optional<response> by_type(std::exception_ptr error, std::string_view blueprint, request& req,
                                    unsigned status) const {
        const void* best = nullptr;
        std::size_t best_rank = 0;
        std::size_t best_level = detail::npos;
        visit_items<true>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_error_handler_v<I>) {
                if constexpr (!detail::is_status_key_v<typename I::key>) {
                    const std::size_t level = detail::scope_depth(I::scope.view());
                    if (best != nullptr && level != best_level) return true;  // a deeper level had one
                    constexpr std::size_t rank = detail::handler_rank<typename I::key, items_type>::value;
                    if (best != nullptr && rank <= best_rank) return false;
                    try {
                        std::rethrow_exception(error);
                    } catch (const typename I::key&) {
                        best = &item;
                        best_rank = rank;
                        best_level = level;
                    } catch (...) {
                    }
                }
            }
            return false;
        });
        if (best == nullptr) return std::nullopt;
        std::optional<response> handled;
        visit_items<true>(blueprint, [&](const auto& item) {
            using I = std::remove_cvref_t<decltype(item)>;
            if constexpr (detail::is_error_handler_v<I>) {
                if constexpr (!detail::is_status_key_v<typename I::key>) {
                    if (static_cast<const void*>(&item) != best) return false;
                    try {
                        std::rethrow_exception(error);
                    } catch (const typename I::key& e) {
                        handled = with_services([&](auto&... s) {
                            return to_response(detail::call_with(item.fn_, e, req, error, s...), status);
                        });
                    }
                    return true;
                }
            }
            return false;
        });
        return handled;
    }

    void log_exception(std::string_view where, const std::exception_ptr& error, const request& req) const {
        detail::log_exception(settings.log, where, error, req.method(), req.target());
    }

    const App& app_;
    std::tuple<Services&...> services_;
};

}  // namespace vial

#endif  // VIAL_APP_DISPATCHER_HPP
