#ifndef VIAL_JSON_HPP
#define VIAL_JSON_HPP

/// @file
/// Untyped JSON with nlohmann/json: handlers that return `nlohmann::json` (or a type with
/// `to_json`), `req.json()`'s value, `vial::json_response`.
///
/// <vial/vial.hpp> only declares `nlohmann::json` (<nlohmann/json_fwd.hpp>): nlohmann's full
/// header costs about as much to compile as the rest of an app's file, so only the files that
/// build or read JSON trees include it, through this header.
/// @par Example
/// @code
/// #include <vial/vial.hpp>
/// #include <vial/json.hpp>
///
/// nlohmann::json show_user(int id) { return {{"id", id}}; }   // 200, application/json
/// @endcode
/// Typed bodies (`vial::json<T>`, reflected results) come with <vial/typed.hpp>, which
/// includes this header.

#include <vial/app/result.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <type_traits>

namespace vial {

namespace detail {

/// Appends `value` as `dump()` writes it, for the values whose text is plain: null, booleans,
/// integers, and strings of printable ASCII without `"` or `\\`, in arrays and objects.
/// @return false at anything else (floats, escapes, UTF-8, binary): `out` then holds a part
///         and the caller lets nlohmann's serializer write the whole value instead
bool dump_plain_json(const nlohmann::json& value, std::string& out);

/// `value.dump()` (compact, UTF-8 as is), cheaper: plain values are written directly (see
/// `dump_plain_json`); the others by a serializer that each thread keeps per error handler,
/// with its output buffer, its 512-byte indentation string and its locale lookup, instead of
/// building one per call.
/// @param on_error what invalid UTF-8 in a string does: throw (strict) or become U+FFFD (replace)
/// @throws nlohmann::json::type_error 316 on invalid UTF-8 with `strict`, as `dump()` does
[[nodiscard]] std::string dump_json(const nlohmann::json& value,
                                    nlohmann::json::error_handler_t on_error = nlohmann::json::error_handler_t::strict);

/// A handler's `nlohmann::json` result: 200 (or the error handler's status), application/json,
/// compact (invalid UTF-8 throws, and so becomes a 500, as `dump()` does).
template <>
struct json_result<nlohmann::json> {
    static response write(const nlohmann::json& value, unsigned status) {
        return response(status, dump_json(value), "application/json");
    }
};

/// A result of any other type nlohmann can convert (a type with `to_json`, a container of
/// them): converted, then written as above.
template <class T>
    requires(!std::is_same_v<T, nlohmann::json> && std::is_constructible_v<nlohmann::json, const T&>)
struct json_result<T> {
    static response write(const T& value, unsigned status) {
        return json_result<nlohmann::json>::write(nlohmann::json(value), status);
    }
};

}  // namespace detail
}  // namespace vial

#endif  // VIAL_JSON_HPP
