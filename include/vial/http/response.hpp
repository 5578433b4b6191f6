#ifndef VIAL_HTTP_RESPONSE_HPP
#define VIAL_HTTP_RESPONSE_HPP

/// @file
/// The response a handler returns or edits: status, headers, cookies, body; and the helpers
/// that build common responses (`text`, `html`, `json_response`, `redirect`).

#include <vial/http/cookies.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

namespace detail {

/// @return whether `text` holds a CR, LF or NUL (which would let a header field split the
///         head), looking at eight bytes at a time
[[nodiscard]] inline bool has_cr_lf_nul(std::string_view text) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u;
    constexpr std::uint64_t highs = 0x8080808080808080u;
    const auto has_zero_byte = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, text.data() + i, 8);
        if (has_zero_byte(x) || has_zero_byte(x ^ (ones * '\r')) || has_zero_byte(x ^ (ones * '\n'))) return true;
    }
    for (; i < text.size(); ++i)
        if (text[i] == '\r' || text[i] == '\n' || text[i] == '\0') return true;
    return false;
}

}  // namespace detail

/// The Beast message type a vial response wraps.
using raw_response = boost::beast::http::response<boost::beast::http::string_body>;

/// An HTTP response.
class response {
public:
    response() { raw_.result(200); }
    /// @param status the status code
    /// @param body the body
    /// @param content_type the Content-Type; empty leaves the header out
    explicit response(unsigned status, std::string body = {},
                      std::string_view content_type = "text/plain; charset=utf-8") {
        raw_.result(status);
        raw_.body() = std::move(body);
        if (!content_type.empty()) {
            if (detail::has_cr_lf_nul(content_type)) check_header("Content-Type", content_type);  // throws
            raw_.set(boost::beast::http::field::content_type, content_type);  // no lookup of the name
        }
    }

    [[nodiscard]] raw_response& raw() noexcept { return raw_; }
    [[nodiscard]] const raw_response& raw() const noexcept { return raw_; }

    [[nodiscard]] unsigned status() const noexcept { return raw_.result_int(); }
    response& status(unsigned code) { raw_.result(code); return *this; }

    /// Sets header `name`, replacing any previous value.
    /// @throws std::invalid_argument when the name or value contains CR, LF or NUL (header injection)
    response& set_header(std::string_view name, std::string_view value) {
        check_header(name, value);
        raw_.set(name, value);
        return *this;
    }
    /// Adds header `name`, keeping previous values (Set-Cookie).
    /// @throws std::invalid_argument when the name or value contains CR, LF or NUL
    response& add_header(std::string_view name, std::string_view value) {
        check_header(name, value);
        raw_.insert(name, value);
        return *this;
    }
    /// @return the value of header `name` (case-insensitive), or "" when absent
    [[nodiscard]] std::string_view header(std::string_view name) const {
        const auto it = raw_.find(name);
        return it == raw_.end() ? std::string_view{} : std::string_view{it->value().data(), it->value().size()};
    }
    /// @return whether header `name` (case-insensitive) is present
    [[nodiscard]] bool has_header(std::string_view name) const { return raw_.find(name) != raw_.end(); }
    /// Removes every header `name`.
    response& remove_header(std::string_view name) { raw_.erase(name); return *this; }

    [[nodiscard]] std::string& body() noexcept { return raw_.body(); }
    [[nodiscard]] const std::string& body() const noexcept { return raw_.body(); }
    response& body(std::string text) { raw_.body() = std::move(text); return *this; }
    response& content_type(std::string_view type) { return set_header("Content-Type", type); }

    /// Adds a `Set-Cookie` header (one per call; earlier cookies are kept).
    /// @param name the cookie name: letters, digits and ``!#$%&'*+-.^_`|~``
    /// @param value any bytes; quoted with octal escapes when not plain cookie-octets
    ///        (see vial/http/cookies.hpp), which `request::cookies()` undoes
    /// @param options Max-Age, Expires, Path ("/"), Domain, Secure, HttpOnly, SameSite
    /// @return `*this`
    /// @throws std::invalid_argument as `vial::format_set_cookie` does (bad name, bad SameSite, ...)
    /// @par Example
    /// @code
    /// res.set_cookie("sid", token, {.max_age = std::chrono::hours(1), .http_only = true, .same_site = "Lax"});
    /// // Set-Cookie: sid=...; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax
    /// @endcode
    response& set_cookie(std::string_view name, std::string_view value, const cookie_options& options = {}) {
        return add_header("Set-Cookie", format_set_cookie(name, value, options));
    }

    /// Tells the client to drop a cookie: an empty value that expired at the epoch, Max-Age=0.
    /// Path and domain must match those the cookie was set with.
    /// @param name the cookie name
    /// @param path the cookie's path
    /// @param domain the cookie's domain, or empty
    /// @return `*this`
    response& delete_cookie(std::string_view name, std::string path = "/", std::string domain = {}) {
        cookie_options options;
        options.path = std::move(path);
        options.domain = std::move(domain);
        return delete_cookie(name, std::move(options));
    }
    /// @copybrief delete_cookie(std::string_view, std::string, std::string)
    /// Use this overload for `__Host-`/`__Secure-` cookies, which need `secure` set.
    /// @param name the cookie name
    /// @param options the cookie's attributes; max_age and expires are overridden
    /// @return `*this`
    response& delete_cookie(std::string_view name, cookie_options options) {
        options.max_age = std::chrono::seconds(0);
        options.expires = std::chrono::system_clock::time_point{};
        return set_cookie(name, {}, options);
    }

private:
    static void check_header(std::string_view name, std::string_view value) {
        if (name.empty() || detail::has_cr_lf_nul(name) || detail::has_cr_lf_nul(value))
            throw std::invalid_argument("vial: header '" + std::string(name.substr(0, 64)) +
                                        "' has an empty name or contains CR, LF or NUL");
    }

    raw_response raw_;
};

namespace detail::http_text {

[[nodiscard]] inline std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace detail::http_text

namespace detail {

/// Appends `value` as `dump()` writes it, for the values whose text is plain: null, booleans,
/// integers, and strings of printable ASCII without `"` or `\\`, in arrays and objects.
/// @return false at anything else (floats, escapes, UTF-8, binary): `out` then holds a part
///         and the caller lets nlohmann's serializer write the whole value instead
inline bool dump_plain_json(const nlohmann::json& value, std::string& out) {
    using t = nlohmann::json::value_t;
    const auto plain_string = [&out](const std::string& s) {
        for (const char c : s)
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        out.push_back('"');
        out.append(s);
        out.push_back('"');
        return true;
    };
    char digits[24];
    switch (value.type()) {
        case t::null: out.append("null"); return true;
        case t::boolean: out.append(value.get_ref<const bool&>() ? "true" : "false"); return true;
        case t::number_integer: {
            const auto r = std::to_chars(digits, digits + sizeof digits, value.get_ref<const std::int64_t&>());
            out.append(digits, static_cast<std::size_t>(r.ptr - digits));
            return true;
        }
        case t::number_unsigned: {
            const auto r = std::to_chars(digits, digits + sizeof digits, value.get_ref<const std::uint64_t&>());
            out.append(digits, static_cast<std::size_t>(r.ptr - digits));
            return true;
        }
        case t::string: return plain_string(value.get_ref<const std::string&>());
        case t::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& element : value.get_ref<const nlohmann::json::array_t&>()) {
                if (!first) out.push_back(',');
                first = false;
                if (!dump_plain_json(element, out)) return false;
            }
            out.push_back(']');
            return true;
        }
        case t::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& [key, element] : value.get_ref<const nlohmann::json::object_t&>()) {
                if (!first) out.push_back(',');
                first = false;
                if (!plain_string(key)) return false;
                out.push_back(':');
                if (!dump_plain_json(element, out)) return false;
            }
            out.push_back('}');
            return true;
        }
        default: return false;  // floats, binary, discarded
    }
}

/// `value.dump()` (compact, UTF-8 as is), cheaper: plain values are written directly (see
/// `dump_plain_json`); the others by a serializer that each thread keeps per error handler,
/// with its output buffer, its 512-byte indentation string and its locale lookup, instead of
/// building one per call.
/// @param on_error what invalid UTF-8 in a string does: throw (strict) or become U+FFFD (replace)
/// @throws nlohmann::json::type_error 316 on invalid UTF-8 with `strict`, as `dump()` does
[[nodiscard]] inline std::string dump_json(const nlohmann::json& value,
                                           nlohmann::json::error_handler_t on_error =
                                               nlohmann::json::error_handler_t::strict) {
    std::string text;
    text.reserve(64);  // one allocation for a small document, not one per doubling
    if (dump_plain_json(value, text)) return text;
    using handler_t = nlohmann::json::error_handler_t;
    struct cached {
        explicit cached(handler_t h) : to(nlohmann::detail::output_adapter<char, std::string>(out), ' ', h) {}
        std::string out;
        nlohmann::detail::serializer<nlohmann::json> to;
    };
    if (on_error == handler_t::ignore) return value.dump(-1, ' ', false, on_error);
    thread_local cached strict(handler_t::strict);
    thread_local cached replace(handler_t::replace);
    auto& c = on_error == handler_t::strict ? strict : replace;
    c.out.clear();
    c.to.dump(value, false, false, 0);
    if (c.out.size() > 4096) return std::move(c.out);  // a large one is handed over, not copied
    return c.out;
}

}  // namespace detail

/// @param body the text
/// @param status the status code
/// @return a response with Content-Type "text/plain; charset=utf-8"
[[nodiscard]] inline response text(std::string body, unsigned status = 200) {
    return response(status, std::move(body), "text/plain; charset=utf-8");
}

/// @param body the HTML document
/// @param status the status code
/// @return a response with Content-Type "text/html; charset=utf-8"
[[nodiscard]] inline response html(std::string body, unsigned status = 200) {
    return response(status, std::move(body), "text/html; charset=utf-8");
}

/// @param value the JSON value, serialized compactly (invalid UTF-8 is replaced by U+FFFD)
/// @param status the status code
/// @return a response with Content-Type "application/json"
[[nodiscard]] inline response json_response(const nlohmann::json& value, unsigned status = 200) {
    return response(status, detail::dump_json(value, nlohmann::json::error_handler_t::replace), "application/json");
}

/// A redirect, like Flask's `redirect()`: the Location header and a small HTML body.
/// To redirect from deep inside a handler, throw it: `vial::abort_with(vial::redirect("/login"))`.
/// @param location the target URL, sent as is (encode it first if it contains spaces etc.)
/// @param code 301, 302 (default), 303, 307 or 308
/// @return the response
/// @throws std::invalid_argument on another code, or a location containing CR, LF or NUL
[[nodiscard]] inline response redirect(std::string_view location, unsigned code = 302) {
    if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308)
        throw std::invalid_argument("vial::redirect: status " + std::to_string(code) +
                                    " is not a redirect; use 301, 302, 303, 307 or 308");
    const auto escaped = detail::http_text::html_escape(location);
    response res(code,
                 "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
                 "<p>You should be redirected automatically to the target URL: <a href=\"" +
                     escaped + "\">" + escaped + "</a>. If not, click the link.\n",
                 "text/html; charset=utf-8");
    res.set_header("Location", location);
    return res;
}

}  // namespace vial

#endif  // VIAL_HTTP_RESPONSE_HPP
