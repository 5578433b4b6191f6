#ifndef VIAL_APP_RESULT_HPP
#define VIAL_APP_RESULT_HPP

/// @file
/// What a handler may return, and how it becomes a response:
/// | returned                         | response                                            |
/// |----------------------------------|-----------------------------------------------------|
/// | `std::string`, `std::string_view`, `const char*` | 200, text/plain; charset=utf-8      |
/// | `nlohmann::json`, or a type with `to_json` (include <vial/json.hpp>) | 200, application/json |
/// | `vial::response`                 | as it is                                            |
/// | `std::pair<int, T>`, `std::pair<T, int>`, `std::tuple` of the same | T's response with that status: `return {201, "made"};` |
/// | `void`                           | 204 No Content                                      |
/// Error handlers default to the error's status instead of 200.

#include <vial/http/response.hpp>
#include <vial/route/app.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

namespace diagnostic {
/// A handler returns a type vial does not know how to send.
template <class T>
struct return_type_not_sendable {
    static_assert(always_false<sizeof(T*)>,
                  "vial: handler returns a type vial cannot send: return std::string, nlohmann::json, a "
                  "type with to_json, vial::response, std::pair<int, T> (status, body), std::pair<T, int> (body, "
                  "status) or void (nlohmann::json and to_json types need #include <vial/json.hpp>)");
};
/// A handler returns nlohmann::json in a file that has not included <vial/json.hpp>.
template <class T>
struct json_result_needs_json_header {
    static_assert(always_false<sizeof(T*)>,
                  "vial: handler returns nlohmann::json: #include <vial/json.hpp> in this file (<vial/vial.hpp> "
                  "only declares nlohmann::json, so that files without JSON do not compile nlohmann)");
};
}  // namespace diagnostic

/// Turns a typed result into a response. Not defined for any type here: the typed headers
/// (`<vial/typed.hpp>`) specialize it, with `static response write(T&& value, unsigned status)`.
template <class T>
struct result_writer;

namespace detail {
/// Turns an untyped JSON result (`nlohmann::json`, a type with `to_json`) into a response. Not
/// defined here: <vial/json.hpp> defines it, so that only the files that return JSON compile
/// nlohmann's serializer. `static response write(const T& value, unsigned status)`.
template <class T>
struct json_result;

/// Whether a result type has a json_result (its file included <vial/json.hpp>).
template <class T>
concept untyped_json_result = requires(const T& v) { json_result<T>::write(v, 200u); };

/// Whether a result type has a result_writer.
template <class T>
concept written_result = requires(T&& v) { result_writer<T>::write(std::move(v), 200u); };

/// A status and a body, in either order: std::pair or std::tuple of an integer and anything.
/// `index` is the position of the status (the first integer when both are).
template <class T>
struct status_and_body {
    static constexpr bool value = false;
};
template <template <class...> class Pair, class A, class B>
    requires(std::is_same_v<Pair<A, B>, std::pair<A, B>> || std::is_same_v<Pair<A, B>, std::tuple<A, B>>)
struct status_and_body<Pair<A, B>> {
    static constexpr bool value = is_integer_v<A> || is_integer_v<B>;
    static constexpr std::size_t index = is_integer_v<A> ? 0 : 1;
};
}  // namespace detail

/// Turns what a handler returned into a response.
/// @param value the handler's result
/// @param status the status for results that do not carry one (200 for handlers)
template <class T>
response to_response(T&& value, unsigned status = 200) {
    using D = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<D, response>) {
        return std::forward<T>(value);
    } else if constexpr (detail::written_result<D>) {
        return result_writer<D>::write(D(std::forward<T>(value)), status);
    } else if constexpr (std::is_same_v<D, nlohmann::json>) {
        // Before the traits below, which need a complete type.
        if constexpr (detail::untyped_json_result<D>) {
            return detail::json_result<D>::write(value, status);
        } else {
            (void)diagnostic::report<diagnostic::json_result_needs_json_header<D>>;
            return response(500);
        }
    } else if constexpr (std::is_same_v<D, void_result>) {
        return response(status == 200 ? 204 : status, {}, {});
    } else if constexpr (std::is_same_v<D, std::string>) {
        return response(status, std::forward<T>(value));
    } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
        return response(status, std::string(std::string_view(value)));
    } else if constexpr (detail::status_and_body<D>::value) {
        constexpr std::size_t s = detail::status_and_body<D>::index;
        const auto code = static_cast<unsigned>(std::get<s>(value));
        response res = to_response(std::get<1 - s>(std::forward<T>(value)), code);
        res.status(code);  // also over a vial::response's own, as Flask's (response, status)
        return res;
    } else if constexpr (detail::untyped_json_result<D>) {
        return detail::json_result<D>::write(value, status);
    } else {
        (void)diagnostic::report<diagnostic::return_type_not_sendable<D>>;
        return response(500);
    }
}

}  // namespace vial

#endif  // VIAL_APP_RESULT_HPP
