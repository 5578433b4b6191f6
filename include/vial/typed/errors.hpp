#ifndef VIAL_TYPED_ERRORS_HPP
#define VIAL_TYPED_ERRORS_HPP

/// @file
/// What the typed readers report: `vial::validation_error` (the input does not fit the type:
/// every error at once, in FastAPI's shape, 422 upstream) and `vial::malformed_json` (the bytes
/// are not JSON, with where they broke: 400 upstream).

#include <vial/http/errors.hpp>
#include <vial/http/response.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace vial {

namespace detail {
/// An error body may quote input read from a query string or a header, which may hold invalid
/// UTF-8: replaced with U+FFFD, never thrown (nlohmann's plain dump() would throw).
std::string dump_replacing_invalid_utf8(const nlohmann::json& j);
}  // namespace detail

/// One step of an error's location: a field name or an array index.
using loc_item = std::variant<std::string, std::size_t>;
/// Where an error is: `{"body", "items", 2, "price"}`.
using loc = std::vector<loc_item>;

/// One validation error, as pydantic v2 and FastAPI report it.
struct error_detail {
    std::string type;      ///< pydantic's error type: "missing", "int_parsing", "greater_than_equal", ...
    vial::loc where;       ///< written as "loc"
    std::string msg;       ///< pydantic's wording: "Field required", ...
    nlohmann::json input;  ///< the offending value (for "missing": the enclosing object)
    nlohmann::json ctx;    ///< null, or the constraint: {"ge": 1}, {"min_length": 3}, ...

    /// @return `{"type": ..., "loc": [...], "msg": ..., "input": ...[, "ctx": {...}]}`
    [[nodiscard]] nlohmann::json to_json() const;
};

/// The input does not fit the type: every error found, not the first only. An http_error:
/// thrown from a handler's typed parameters it is a 422 with `to_json()` as the body, unless
/// an errorhandler<422> or errorhandler<vial::validation_error> answers.
class validation_error : public http_error {
public:
    explicit validation_error(std::vector<error_detail> errors)
        : http_error(422, summary(errors)), errors_(std::move(errors)) {}

    /// @return 422 with `to_json()`, application/json
    [[nodiscard]] response to_response() const override;

    /// @return every error, in the order of the input
    [[nodiscard]] const std::vector<error_detail>& errors() const noexcept { return errors_; }
    /// @return `{"detail": [ ...every error... ]}`, FastAPI's 422 body
    [[nodiscard]] nlohmann::json to_json() const;

private:
    static std::string summary(const std::vector<error_detail>& errors);
    std::vector<error_detail> errors_;
};

/// The bytes are not JSON (or nest deeper than `vial::json_max_depth`). An http_error: a 400
/// with `to_json()` as the body, unless an error handler answers.
class malformed_json : public http_error {
public:
    malformed_json(std::string reason, std::size_t offset, std::size_t line, std::size_t column)
        : http_error(400, where(reason, offset, line, column)), message_(where(reason, offset, line, column)),
          reason_(std::move(reason)), offset_(offset), line_(line), column_(column) {}

    /// @return "<reason> at line L column C (byte B)"
    [[nodiscard]] const char* what() const noexcept override;
    /// @return 400 with `to_json()`, application/json
    [[nodiscard]] response to_response() const override;

    /// @return what is wrong: "expected ',' or '}'", "nesting deeper than 64", ...
    [[nodiscard]] std::string_view reason() const noexcept { return reason_; }
    /// @return the byte offset (from 0) where the input broke
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
    /// @return the line (from 1) where the input broke
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// @return the column (from 1, in bytes) where the input broke
    [[nodiscard]] std::size_t column() const noexcept { return column_; }
    /// @return FastAPI's shape for a JSON decode error:
    ///   `{"detail": [{"type": "json_invalid", "loc": ["body", offset], "msg": "JSON decode error",
    ///   "input": {}, "ctx": {"error": "<reason> at line L column C (byte B)"}}]}`
    [[nodiscard]] nlohmann::json to_json() const;

private:
    static std::string where(const std::string& reason, std::size_t offset, std::size_t line, std::size_t column);
    std::string message_;
    std::string reason_;
    std::size_t offset_;
    std::size_t line_;
    std::size_t column_;
};

/// Thrown by the writer for a std::string that is not UTF-8 (nlohmann's dump() throws too).
class invalid_utf8 : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a reader produced: the value, or why not.
template <class T>
struct read_result {
    T value{};                                ///< complete only when ok()
    std::optional<malformed_json> malformed;  ///< set: the bytes are not JSON (400)
    std::vector<error_detail> errors;         ///< non-empty: the shape does not fit (422)

    [[nodiscard]] bool ok() const noexcept { return !malformed && errors.empty(); }
    /// @return the value; @throws malformed_json or validation_error when not ok()
    T& get() & {
        if (malformed) throw *malformed;
        if (!errors.empty()) throw validation_error(errors);
        return value;
    }
    T&& get() && { return std::move(get()); }
};

}  // namespace vial

#endif  // VIAL_TYPED_ERRORS_HPP
