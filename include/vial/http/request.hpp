#ifndef VIAL_HTTP_REQUEST_HPP
#define VIAL_HTTP_REQUEST_HPP

/// @file
/// The request a handler sees: method, target, path, query, headers, body, client address.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace vial {

/// The Beast message type a vial request wraps.
using raw_request = boost::beast::http::request<boost::beast::http::string_body>;

/// An HTTP request, as parsed by the server or built by the test client.
class request {
public:
    request() = default;
    explicit request(raw_request raw, std::string remote_address = {})
        : raw_(std::move(raw)), remote_address_(std::move(remote_address)) {}

    /// @return the underlying Beast message.
    [[nodiscard]] raw_request& raw() noexcept { return raw_; }
    [[nodiscard]] const raw_request& raw() const noexcept { return raw_; }

    /// @return the method as sent ("GET").
    [[nodiscard]] std::string_view method() const noexcept { return to_view(raw_.method_string()); }
    /// @return the request target as sent ("/a/b?x=1").
    [[nodiscard]] std::string_view target() const noexcept { return to_view(raw_.target()); }
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
    [[nodiscard]] std::string_view header(std::string_view name) const {
        const auto it = raw_.find(name);
        return it == raw_.end() ? std::string_view{} : to_view(it->value());
    }
    [[nodiscard]] bool has_header(std::string_view name) const { return raw_.find(name) != raw_.end(); }
    /// @return the raw body bytes.
    [[nodiscard]] const std::string& body() const noexcept { return raw_.body(); }
    /// @return the client's address ("127.0.0.1"), or "" in-process.
    [[nodiscard]] std::string_view remote_address() const noexcept { return remote_address_; }
    void remote_address(std::string address) { remote_address_ = std::move(address); }

private:
    static std::string_view to_view(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

    raw_request raw_;
    std::string remote_address_;
};

}  // namespace vial

#endif  // VIAL_HTTP_REQUEST_HPP
