#ifndef VIAL_HTTP_RESPONSE_HPP
#define VIAL_HTTP_RESPONSE_HPP

/// @file
/// The response a handler returns or edits: status, headers, cookies, body; and the helpers
/// that build common responses (`text`, `html`, `json_response`, `redirect`).
///
/// This header does not include Boost.Beast: the message is held in storage of the response's
/// own and its functions are compiled into the vial library. `raw()`, the underlying Beast
/// message, is declared here and usable once a program includes <vial/http/raw.hpp>.

#include <vial/http/cookies.hpp>
#include <vial/http/detail/opaque.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

namespace detail {

/// @return whether `text` holds a CR, LF or NUL (which would let a header field split the
///         head), looking at eight bytes at a time
[[nodiscard]] bool has_cr_lf_nul(std::string_view text) noexcept;

}  // namespace detail

/// The Beast message a vial response wraps: `boost::beast::http::response<string_body>`,
/// defined in <vial/http/raw.hpp>.
struct raw_response;

namespace detail {
/// Part of an open file sent as a response body (see response::file_body). Closes the file.
struct file_part {
    int fd = -1;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    file_part(int f, std::uint64_t off, std::uint64_t len) noexcept : fd(f), offset(off), length(len) {}
    file_part(const file_part&) = delete;
    file_part& operator=(const file_part&) = delete;
    ~file_part();
};
}  // namespace detail

/// An HTTP response.
class response {
public:
    response();
    /// @param status the status code
    /// @param body the body
    /// @param content_type the Content-Type; empty leaves the header out
    explicit response(unsigned status, std::string body = {},
                      std::string_view content_type = "text/plain; charset=utf-8");
    response(const response& other);
    response(response&& other) noexcept;
    response& operator=(const response& other);
    response& operator=(response&& other) noexcept;
    ~response();

    /// @return the underlying Beast message (include <vial/http/raw.hpp> to use it)
    [[nodiscard]] raw_response& raw() noexcept;
    [[nodiscard]] const raw_response& raw() const noexcept;

    [[nodiscard]] unsigned status() const noexcept;
    response& status(unsigned code);

    /// Sets header `name`, replacing any previous value.
    /// @throws std::invalid_argument when the name or value contains CR, LF or NUL (header injection)
    response& set_header(std::string_view name, std::string_view value);
    /// Adds header `name`, keeping previous values (Set-Cookie).
    /// @throws std::invalid_argument when the name or value contains CR, LF or NUL
    response& add_header(std::string_view name, std::string_view value);
    /// @return the value of header `name` (case-insensitive), or "" when absent
    [[nodiscard]] std::string_view header(std::string_view name) const;
    /// @return whether header `name` (case-insensitive) is present
    [[nodiscard]] bool has_header(std::string_view name) const;
    /// Removes every header `name`.
    response& remove_header(std::string_view name);

    [[nodiscard]] std::string& body() noexcept;
    [[nodiscard]] const std::string& body() const noexcept;
    response& body(std::string text);
    response& content_type(std::string_view type) { return set_header("Content-Type", type); }

    /// Makes the body `length` bytes of an open file from `offset`, sent without being read
    /// into memory: the server uses sendfile(2); the test client reads them into body().
    /// The response takes the file descriptor and closes it. `body(text)` drops the file.
    /// @param fd an open, readable file descriptor
    /// @param offset where the body starts in the file
    /// @param length how many bytes to send
    /// @return `*this`
    response& file_body(int fd, std::uint64_t offset, std::uint64_t length);
    /// @return the file part sent as the body, or null when the body is body()
    [[nodiscard]] const std::shared_ptr<const detail::file_part>& file_body() const noexcept { return file_; }

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
    // The Beast message, constructed in place by the library (src/http/response.cpp checks
    // that it fits).
    detail::opaque<160> raw_;
    std::shared_ptr<const detail::file_part> file_;  // a body from a file, shared by copies
};

namespace detail::http_text {

/// @return `text` with `& < > " '` written as HTML character references
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace detail::http_text

/// @param body the text
/// @param status the status code
/// @return a response with Content-Type "text/plain; charset=utf-8"
[[nodiscard]] response text(std::string body, unsigned status = 200);

/// @param body the HTML document
/// @param status the status code
/// @return a response with Content-Type "text/html; charset=utf-8"
[[nodiscard]] response html(std::string body, unsigned status = 200);

/// @param value the JSON value, serialized compactly (invalid UTF-8 is replaced by U+FFFD);
///        this header only declares `nlohmann::json`: include <vial/json.hpp> to build one
/// @param status the status code
/// @return a response with Content-Type "application/json"
[[nodiscard]] response json_response(const nlohmann::json& value, unsigned status = 200);

/// A redirect, like Flask's `redirect()`: the Location header and a small HTML body.
/// To redirect from deep inside a handler, throw it: `vial::abort_with(vial::redirect("/login"))`.
/// @param location the target URL, sent as is (encode it first if it contains spaces etc.)
/// @param code 301, 302 (default), 303, 307 or 308
/// @return the response
/// @throws std::invalid_argument on another code, or a location containing CR, LF or NUL
[[nodiscard]] response redirect(std::string_view location, unsigned code = 302);

}  // namespace vial

#endif  // VIAL_HTTP_RESPONSE_HPP
