#ifndef VIAL_HTTP_RESPONSE_HPP
#define VIAL_HTTP_RESPONSE_HPP

/// @file
/// The response a handler returns or edits: status, headers, body.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace vial {

/// The Beast message type a vial response wraps.
using raw_response = boost::beast::http::response<boost::beast::http::string_body>;

/// An HTTP response.
class response {
public:
    response() { raw_.result(200); }
    explicit response(unsigned status, std::string body = {},
                      std::string_view content_type = "text/plain; charset=utf-8") {
        raw_.result(status);
        raw_.body() = std::move(body);
        if (!content_type.empty()) raw_.set(boost::beast::http::field::content_type, content_type);
    }

    [[nodiscard]] raw_response& raw() noexcept { return raw_; }
    [[nodiscard]] const raw_response& raw() const noexcept { return raw_; }

    [[nodiscard]] unsigned status() const noexcept { return raw_.result_int(); }
    response& status(unsigned code) { raw_.result(code); return *this; }

    /// Sets header `name`, replacing any previous value.
    response& set_header(std::string_view name, std::string_view value) {
        raw_.set(name, value);
        return *this;
    }
    /// Adds header `name`, keeping previous values (Set-Cookie).
    response& add_header(std::string_view name, std::string_view value) {
        raw_.insert(name, value);
        return *this;
    }
    /// @return the value of header `name` (case-insensitive), or "" when absent.
    [[nodiscard]] std::string_view header(std::string_view name) const {
        const auto it = raw_.find(name);
        return it == raw_.end() ? std::string_view{} : std::string_view{it->value().data(), it->value().size()};
    }
    [[nodiscard]] std::string& body() noexcept { return raw_.body(); }
    [[nodiscard]] const std::string& body() const noexcept { return raw_.body(); }
    response& body(std::string text) { raw_.body() = std::move(text); return *this; }
    response& content_type(std::string_view type) { return set_header("Content-Type", type); }

private:
    raw_response raw_;
};

}  // namespace vial

#endif  // VIAL_HTTP_RESPONSE_HPP
