#ifndef VIAL_TYPED_RESULTS_HPP
#define VIAL_TYPED_RESULTS_HPP

/// @file
/// Typed results: what a handler returns when its outcomes should be documented.
/// - a reflected struct `T` (or `std::vector<T>`, `std::optional<T>`, `std::map<std::string, T>`):
///   200 with its JSON, written straight from the value;
/// - `vial::created<T>`: 201 with its JSON and, when given, a `Location` header;
/// - `vial::with_status<Code, T>` (`vial::ok<T>`, `vial::not_found<T>`...): that status and
///   T's JSON; `vial::with_status<204>` has no body;
/// - `vial::responses<A, B...>`: one of several of the above, each listed in the document:
/// @code
/// vial::responses<vial::ok<todo>, vial::not_found<api_error>> get_todo(int id, todo_store& store) {
///     if (auto t = store.find(id)) return vial::ok<todo>{*t};
///     return vial::not_found<api_error>{{"no todo " + std::to_string(id)}};
/// }
/// @endcode

#include <vial/app/result.hpp>
#include <vial/json.hpp>
#include <vial/http/response.hpp>
#include <vial/typed/json_writer.hpp>
#include <vial/typed/reflect.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace vial {

namespace detail {
/// Whether T is written as a typed JSON body: a reflected struct, or a vector, optional or
/// string-keyed map of one (other JSON-able types keep their untyped nlohmann path).
template <class T>
inline constexpr bool is_typed_body = reflected<T>;
template <class T>
inline constexpr bool is_typed_body<std::vector<T>> = is_typed_body<T>;
template <class T>
inline constexpr bool is_typed_body<std::optional<T>> = is_typed_body<T>;
template <class T>
inline constexpr bool is_typed_body<std::map<std::string, T>> = is_typed_body<T>;

template <class T>
response json_body(unsigned status, const T& value) {
    std::string body;
    write_json(body, value);
    return response(status, std::move(body), "application/json");
}
}  // namespace detail

/// A status and a typed body. `with_status<204>` (T = void) has no body.
template <unsigned Code, class T = void>
struct with_status {
    static_assert(Code >= 100 && Code <= 599, "vial: with_status<Code, T> needs an HTTP status, 100 to 599");
    static constexpr unsigned status = Code;
    using body_type = T;
    T body;
};
template <unsigned Code>
struct with_status<Code, void> {
    static_assert(Code >= 100 && Code <= 599, "vial: with_status<Code> needs an HTTP status, 100 to 599");
    static constexpr unsigned status = Code;
    using body_type = void;
};

template <class T>
using ok = with_status<200, T>;
template <class T>
using accepted = with_status<202, T>;
using no_content = with_status<204>;
template <class T>
using bad_request = with_status<400, T>;
template <class T>
using forbidden = with_status<403, T>;
template <class T>
using not_found = with_status<404, T>;
template <class T>
using conflict = with_status<409, T>;

/// 201 Created with T's JSON, and a `Location` header when one is given (build it with
/// `vial::url_for`).
/// @par Example
/// @code
/// return vial::created<todo>{t, vial::url_for<"todos.get_todo", app>(t.id)};
/// @endcode
template <class T>
struct created {
    static constexpr unsigned status = 201;
    using body_type = T;
    T body;
    std::string location{};
};

/// One of several outcomes, each a `with_status<...>` or `created<...>` (or a typed body, for
/// 200); every one appears in the OpenAPI document with its status and schema.
template <class... Outcomes>
struct responses : std::variant<Outcomes...> {
    static_assert(sizeof...(Outcomes) > 0, "vial: responses<...> needs at least one outcome");
    using std::variant<Outcomes...>::variant;
};

template <class T>
    requires detail::is_typed_body<T>
struct result_writer<T> {
    static response write(T&& value, unsigned status) { return detail::json_body(status, value); }
};

template <unsigned Code, class T>
struct result_writer<with_status<Code, T>> {
    static response write(with_status<Code, T>&& value, unsigned) {
        if constexpr (std::is_void_v<T>) {
            (void)value;
            return response(Code, {}, {});
        } else if constexpr (detail::is_typed_body<T>) {
            return detail::json_body(Code, value.body);
        } else {
            return to_response(std::move(value.body), Code);
        }
    }
};

template <class T>
struct result_writer<created<T>> {
    static response write(created<T>&& value, unsigned) {
        response res = [&] {
            if constexpr (detail::is_typed_body<T>) return detail::json_body(201, value.body);
            else return to_response(std::move(value.body), 201);
        }();
        if (!value.location.empty()) res.set_header("Location", value.location);
        return res;
    }
};

template <class... O>
struct result_writer<responses<O...>> {
    static response write(responses<O...>&& value, unsigned status) {
        return std::visit([&](auto&& one) { return to_response(std::move(one), status); },
                          static_cast<std::variant<O...>&&>(value));
    }
};

}  // namespace vial

#endif  // VIAL_TYPED_RESULTS_HPP
