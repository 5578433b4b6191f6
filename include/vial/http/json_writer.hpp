#ifndef VIAL_HTTP_JSON_WRITER_HPP
#define VIAL_HTTP_JSON_WRITER_HPP

/// @file
/// `vial::json_writer`: writes JSON text straight into a string, with no tree in between and
/// without nlohmann's headers (which cost an app's file about as much to compile as the rest
/// of it). For handlers that answer with small JSON documents built by hand; for JSON trees
/// use nlohmann::json (<vial/json.hpp>), for structs the typed layer (<vial/typed.hpp>).
///
/// The text is what nlohmann's `dump()` writes for the same values: compact, object members in
/// the order written (nlohmann sorts them: write them sorted to get its bytes), strings with the
/// double quote, the backslash and control characters escaped (a newline as backslash-n, U+001F
/// as backslash-u001f), other text, UTF-8 included, as it is.
/// Numbers are integers (write floating-point values with nlohmann or the typed layer).
/// @par Example
/// @code
/// vial::response message() {
///     return vial::json_writer().begin_object().member("message", "Hello, World!").end_object().to_response();
/// }   // 200, application/json, {"message":"Hello, World!"}
/// @endcode

#include <vial/http/response.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vial {

/// Writes one JSON value (an object, an array, a string...) into a string. Commas and colons
/// are written for you; nesting is not checked (an `end_object` without its `begin_object`
/// writes bad JSON).
class json_writer {
public:
    json_writer() = default;

    /// Starts an object: then `key` + a value (or `member`) per member, then `end_object`.
    json_writer& begin_object() { return open('{'); }
    json_writer& end_object() { return close('}'); }
    /// Starts an array: then its values, then `end_array`.
    json_writer& begin_array() { return open('['); }
    json_writer& end_array() { return close(']'); }

    /// Writes an object member's name; its value comes next.
    /// @throws std::invalid_argument when `name` is not valid UTF-8
    json_writer& key(std::string_view name);

    /// Writes a string.
    /// @throws std::invalid_argument when `text` is not valid UTF-8 (nlohmann's dump() throws too)
    json_writer& value(std::string_view text);
    json_writer& value(const char* text) { return value(std::string_view(text)); }
    json_writer& value(const std::string& text) { return value(std::string_view(text)); }
    /// Writes `true` or `false`, or an integer.
    template <class T>
        requires std::integral<T>
    json_writer& value(T number) {
        if constexpr (std::is_same_v<T, bool>) return boolean(number);
        else if constexpr (std::is_signed_v<T>) return signed_integer(number);
        else return unsigned_integer(number);
    }
    /// Writes `null`.
    json_writer& value(std::nullptr_t);

    /// `key(name).value(v)`.
    template <class T>
    json_writer& member(std::string_view name, T&& v) {
        key(name);
        return value(std::forward<T>(v));
    }

    /// @return the text written so far
    [[nodiscard]] const std::string& str() const& noexcept { return out_; }
    [[nodiscard]] std::string str() && noexcept { return std::move(out_); }

    /// Moves the text into a response (the writer is empty afterwards).
    /// @param status the status code
    /// @return a response with the text as its body and Content-Type application/json
    [[nodiscard]] response to_response(unsigned status = 200);

private:
    json_writer& open(char c);
    json_writer& close(char c);
    json_writer& boolean(bool b);
    json_writer& signed_integer(long long n);
    json_writer& unsigned_integer(unsigned long long n);
    void separate();

    std::string out_;
    bool need_comma_ = false;  // a value was written at this level: the next one needs a ','
};

}  // namespace vial

#endif  // VIAL_HTTP_JSON_WRITER_HPP
