#ifndef VIAL_HTTP_ERRORS_HPP
#define VIAL_HTTP_ERRORS_HPP

/// @file
/// Errors a handler (or the request parser) throws to answer with an HTTP status.
///
/// The design, in one place:
/// - `vial::http_error` is *the* exception type: a status (300-599), a reason text and optional
///   extra headers (`Allow` for 405, `Location` for a 3xx, `WWW-Authenticate` for 401, ...).
///   `to_response()` turns it into the response the client receives: a plain-text body
///   "404 Not Found: <reason>" plus the headers.
/// - `vial::http_exception` derives from `http_error` and carries a complete response, which
///   `to_response()` returns unchanged. Throw it with `vial::abort_with(response)`, e.g.
///   `vial::abort_with(vial::redirect("/login"))` to leave a handler with a redirect.
/// - So a server needs one `catch (const vial::http_error& e) { res = e.to_response(); }`.
/// - `vial::abort(code, reason)` is the Flask spelling of `throw vial::http_error(code, reason)`.
/// - The request's lazy parsers (form, files, json) throw `http_error(400, reason)` on bad input.

#include <vial/http/detail/header_params.hpp>
#include <vial/http/response.hpp>
#include <vial/http/status.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial {

/// An exception that answers the request with an HTTP error status.
///
/// @par Example
/// @code
/// if (!user) throw vial::http_error(404, "no such user");
/// throw vial::http_error(405).with_header("Allow", "GET, HEAD");
/// @endcode
class http_error : public std::exception {
public:
    /// Extra headers sent with the error response, in order.
    using header_list = std::vector<std::pair<std::string, std::string>>;

    /// @param status an error or redirect status, 300-599
    /// @param reason what went wrong, for the client; empty means the status phrase ("Not Found")
    /// @param headers extra response headers
    /// @throws std::invalid_argument when `status` is outside 300-599 (to answer with a 2xx,
    ///         use `vial::abort_with(response)`), or when a header contains CR, LF or NUL
    explicit http_error(unsigned status, std::string reason = {}, header_list headers = {})
        : http_error(checked_status(status), std::move(reason), std::move(headers), unchecked{}) {}

    /// @return the status code, e.g. 404
    [[nodiscard]] unsigned status() const noexcept { return status_; }
    /// @return the reason given, or the status phrase ("Not Found") when none was
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
    /// @return the extra headers
    [[nodiscard]] const header_list& headers() const noexcept { return headers_; }

    /// @param name a header name (case-insensitive)
    /// @return the value of the first extra header `name`, or "" when absent
    [[nodiscard]] std::string_view header(std::string_view name) const noexcept {
        for (const auto& [n, v] : headers_)
            if (detail::http_text::iequals(n, name)) return v;
        return {};
    }

    /// Adds an extra header to the error response.
    /// @param name header name
    /// @param value header value
    /// @return `*this`, to chain and throw
    /// @throws std::invalid_argument when the name or value contains CR, LF or NUL
    http_error& with_header(std::string name, std::string value) & {
        check_header(name, value);
        headers_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    /// @copydoc with_header
    http_error&& with_header(std::string name, std::string value) && {
        return std::move(with_header(std::move(name), std::move(value)));
    }

    /// @return "404 Not Found" or "404 Not Found: <reason>"
    [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }

    /// @return the response to send: status, extra headers, plain-text body `what()`
    [[nodiscard]] virtual response to_response() const;

    ~http_error() override = default;

protected:
    struct unchecked {};
    http_error(unsigned status, std::string reason, header_list headers, unchecked);

private:
    static unsigned checked_status(unsigned status);
    static void check_header(std::string_view name, std::string_view value);

    unsigned status_;
    std::string reason_;
    header_list headers_;
    std::string what_;
};

/// An `http_error` that carries the full response to send; thrown by `vial::abort_with`.
class http_exception : public http_error {
public:
    /// @param res the response to send, any status
    explicit http_exception(vial::response res)
        : http_error(res.status(), {}, {}, unchecked{}), response_(std::move(res)) {}

    /// @return the carried response
    [[nodiscard]] const vial::response& response() const noexcept { return response_; }
    /// @return a copy of the carried response
    [[nodiscard]] vial::response to_response() const override { return response_; }

private:
    vial::response response_;
};

/// Stops the handler and answers with an error status, like Flask's `abort(404)`.
/// @param code a status 300-599
/// @param reason what went wrong, for the client (default: the status phrase)
/// @throws vial::http_error always; std::invalid_argument when `code` is outside 300-599
[[noreturn]] inline void abort(unsigned code, std::string reason = {}) {
    throw http_error(code, std::move(reason));
}

/// Stops the handler and sends `res` as is, e.g. `vial::abort_with(vial::redirect("/login"))`.
/// @param res the response to send
/// @throws vial::http_exception always
[[noreturn]] inline void abort_with(response res) { throw http_exception(std::move(res)); }

/// Stops the handler and sends `res` as is, like Flask's `abort(response)`: the same as
/// `abort_with(res)`, e.g. `vial::abort(vial::redirect("/login"))`.
/// @param res the response to send
/// @throws vial::http_exception always
[[noreturn]] inline void abort(response res) { abort_with(std::move(res)); }

}  // namespace vial

#endif  // VIAL_HTTP_ERRORS_HPP
