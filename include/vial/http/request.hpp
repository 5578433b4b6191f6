#ifndef VIAL_HTTP_REQUEST_HPP
#define VIAL_HTTP_REQUEST_HPP

/// @file
/// The request a handler sees: method, target, path, query arguments, headers, cookies, body,
/// form fields, uploaded files, JSON, client address.
///
/// Parsed views (`args`, `cookies`, `form`, `files`, `json`) are computed on first use and
/// cached: a request belongs to one thread at a time.
///
/// This header does not include Boost.Beast: the message is held in storage of the request's
/// own and its functions are compiled into the vial library. `raw()`, the underlying Beast
/// message, is declared here and usable once a program includes <vial/http/raw.hpp>; the
/// non-const `raw()` drops the caches, so edits made through it are seen by the next call.

#include <vial/http/cookies.hpp>
#include <vial/http/detail/header_params.hpp>
#include <vial/http/errors.hpp>
#include <vial/http/multi_dict.hpp>
#include <vial/http/multipart.hpp>
#include <vial/http/url.hpp>

#include <vial/http/detail/opaque.hpp>

#include <nlohmann/json_fwd.hpp>

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial {

/// The Beast message a vial request wraps: `boost::beast::http::request<string_body>`,
/// defined in <vial/http/raw.hpp>.
struct raw_request;

/// An HTTP request, as parsed by the server or built by the test client.
class request {
public:
    request();
    /// @param raw the Beast message (see <vial/http/raw.hpp>)
    /// @param remote_address the client's address ("127.0.0.1" from the test client), or ""
    explicit request(raw_request raw, std::string remote_address = {});
    request(const request& other);
    request(request&& other) noexcept;
    request& operator=(const request& other);
    request& operator=(request&& other) noexcept;
    ~request();

    /// @return the underlying Beast message (include <vial/http/raw.hpp> to use it); the
    ///         non-const overload drops the parsed caches.
    [[nodiscard]] raw_request& raw() noexcept;
    [[nodiscard]] const raw_request& raw() const noexcept;

    /// @return the method as sent ("GET").
    [[nodiscard]] std::string_view method() const noexcept;
    /// @return the request target as sent ("/a/b?x=1").
    [[nodiscard]] std::string_view target() const noexcept;
    /// @return the path part of the target, not decoded ("/a/b").
    [[nodiscard]] std::string_view path() const noexcept {
        const auto t = target();
        return t.substr(0, t.find_first_of("?#"));
    }
    /// @return the query string without the '?', not decoded ("x=1").
    [[nodiscard]] std::string_view query_string() const noexcept {
        const auto t = target();
        const auto q = t.find('?');
        if (q == std::string_view::npos) return {};
        return t.substr(q + 1, t.find('#', q) - (q + 1));
    }
    /// @return the value of header `name` (case-insensitive), or "" when absent.
    [[nodiscard]] std::string_view header(std::string_view name) const;
    [[nodiscard]] bool has_header(std::string_view name) const;
    /// @return the values of every header line `name` (case-insensitive), in order; empty
    ///         when absent (what `vial::header<"X-Name", std::vector<T>>` reads)
    [[nodiscard]] std::vector<std::string_view> header_values(std::string_view name) const;
    /// @return the raw body bytes.
    [[nodiscard]] const std::string& body() const noexcept;
    /// @return the client's address ("127.0.0.1"; the test client says so too), or "" when the
    ///         request was built without one.
    [[nodiscard]] std::string_view remote_address() const noexcept { return remote_address_; }
    void remote_address(std::string address) { remote_address_ = std::move(address); }

    /// @return the endpoint of the route that matched, as Flask's `request.endpoint`
    ///         ("books.show"); "" when none did (a 404, a 405, a redirect, OPTIONS) or when
    ///         the route has no name. Set by the app before its before_request hooks run.
    [[nodiscard]] std::string_view endpoint() const noexcept { return endpoint_; }
    /// @return the rule of the route that matched, as Flask's `request.url_rule.rule`
    ///         ("/books/<int:id>", with its blueprints' prefixes); "" when none did
    [[nodiscard]] std::string_view url_rule() const noexcept { return url_rule_; }
    /// Records the route that matched (the app does, before its before_request hooks run).
    /// @param endpoint its endpoint name, @param rule its rule: strings that outlive the
    ///        request (the app's, which are constants); both "" when no route matched
    void matched_route(std::string_view endpoint, std::string_view rule) noexcept {
        endpoint_ = endpoint;
        url_rule_ = rule;
    }

    /// The decoded query arguments, like Flask's `request.args`.
    /// @return the arguments of `query_string()` in order, repeated keys kept, '+' and `%XX`
    ///         decoded (malformed escapes kept literally), see `vial::parse_query`
    [[nodiscard]] const multi_dict& args() const;

    /// The request cookies, from every Cookie header (RFC 6265, leniently; see
    /// `vial::parse_cookie_header`).
    /// @return the cookies by name
    [[nodiscard]] const cookie_map& cookies() const;
    /// @param name a cookie name
    /// @return the cookie's value, or std::nullopt
    [[nodiscard]] std::optional<std::string> cookie(std::string_view name) const;

    /// The form fields, like Flask's `request.form`: from an
    /// `application/x-www-form-urlencoded` body, or the non-file parts of a
    /// `multipart/form-data` body; empty for any other Content-Type.
    /// @return the fields in order, repeated names kept
    /// @throws vial::http_error 400 on a malformed multipart body (413 with too many parts)
    [[nodiscard]] const multi_dict& form() const;

    /// The uploaded files of a `multipart/form-data` body, like Flask's `request.files`.
    /// @return the files in the order sent; empty for other Content-Types
    /// @throws vial::http_error 400 on a malformed multipart body (413 with too many parts)
    [[nodiscard]] const std::vector<uploaded_file>& files() const;
    /// @param field a form field name
    /// @return the first file uploaded under `field`, or nullptr
    /// @throws vial::http_error as `files()`
    [[nodiscard]] const uploaded_file* file(std::string_view field) const;

    /// The body parsed as JSON, whatever the Content-Type (check `is_json()` to insist on it).
    /// This header only declares `nlohmann::json`: to read the value, include
    /// <vial/json.hpp> (or <nlohmann/json.hpp>).
    /// @return the parsed value
    /// @throws vial::http_error 400 "invalid JSON body: <parser message>" when the body is
    ///         not valid JSON (an empty body included)
    [[nodiscard]] const nlohmann::json& json() const;

    /// @return the media type of the body without parameters, lowercased
    ///         ("application/json" for "Application/JSON; charset=utf-8"); "" when absent
    [[nodiscard]] std::string content_type() const;

    /// @return whether the Content-Type is application/json or a `+json` type
    [[nodiscard]] bool is_json() const;

    /// @return the Content-Length header as a number; std::nullopt when absent or not a
    ///         plain decimal number (a chunked request has none)
    [[nodiscard]] std::optional<std::uint64_t> content_length() const;

private:
    void clear_caches() noexcept;

    void parse_form() const;

    // Every function above that parses (args, cookies, form, files, json, content_type...) is
    // compiled into the library: an app's file does not instantiate the parsers.

    // The Beast message, constructed in place by the library (src/http/request.cpp checks
    // that it fits).
    detail::opaque<160> raw_;
    std::string remote_address_;
    std::string_view endpoint_;
    std::string_view url_rule_;
    mutable std::optional<multi_dict> args_;
    mutable std::optional<cookie_map> cookies_;
    mutable std::optional<multipart_data> form_;
    // Parsed once, never changed after: copies of the request share it. A pointer, so that
    // this header needs only nlohmann's declarations.
    mutable std::shared_ptr<const nlohmann::json> json_;
};

}  // namespace vial

#endif  // VIAL_HTTP_REQUEST_HPP
