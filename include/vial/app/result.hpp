#ifndef VIAL_APP_RESULT_HPP
#define VIAL_APP_RESULT_HPP

/// @file
/// What a handler may return, and how it becomes a response:
/// | returned                         | response                                            |
/// |----------------------------------|-----------------------------------------------------|
/// | `std::string`, `std::string_view`, `const char*` | 200, text/plain; charset=utf-8      |
/// | `nlohmann::json`, or a type with `to_json`       | 200, application/json                |
/// | `vial::response`                 | as it is                                            |
/// | `std::pair<int, T>`              | T's response with that status: `return {201, "made"};` |
/// | `void`                           | 204 No Content                                      |
/// Error handlers default to the error's status instead of 200.

#include <vial/http/response.hpp>
#include <vial/route/app.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vial {

namespace diagnostic {
/// A handler returns a type vial does not know how to send.
template <class T>
struct return_type_not_sendable {
    static_assert(always_false<sizeof(T*)>,
                  "vial: handler returns a type vial cannot send: return std::string, nlohmann::json, a "
                  "type with to_json, vial::response, std::pair<int, T> (status, body) or void");
};
}  // namespace diagnostic

namespace detail {
template <class T>
struct is_status_pair : std::false_type {};
template <class S, class T>
struct is_status_pair<std::pair<S, T>> : std::bool_constant<std::is_integral_v<S>> {};
}  // namespace detail

/// Turns what a handler returned into a response.
/// @param value the handler's result
/// @param status the status for results that do not carry one (200 for handlers)
template <class T>
response to_response(T&& value, unsigned status = 200) {
    using D = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<D, response>) {
        return std::forward<T>(value);
    } else if constexpr (std::is_same_v<D, void_result>) {
        return response(status == 200 ? 204 : status, {}, {});
    } else if constexpr (std::is_same_v<D, std::string>) {
        return response(status, std::forward<T>(value));
    } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
        return response(status, std::string(std::string_view(value)));
    } else if constexpr (detail::is_status_pair<D>::value) {
        return to_response(std::forward<T>(value).second, static_cast<unsigned>(value.first));
    } else if constexpr (std::is_same_v<D, nlohmann::json>) {
        return response(status, detail::dump_json(value), "application/json");
    } else if constexpr (std::is_constructible_v<nlohmann::json, const D&>) {
        return response(status, detail::dump_json(nlohmann::json(value)), "application/json");
    } else {
        (void)diagnostic::report<diagnostic::return_type_not_sendable<D>>;
        return response(500);
    }
}

}  // namespace vial

#endif  // VIAL_APP_RESULT_HPP
