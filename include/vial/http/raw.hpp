#ifndef VIAL_HTTP_RAW_HPP
#define VIAL_HTTP_RAW_HPP

/// @file
/// The Boost.Beast messages under `vial::request` and `vial::response`, for the programs that
/// want them: include this header to call `req.raw()` / `res.raw()` or to build a request from
/// a Beast message. <vial/vial.hpp> does not include it, so that an app's files never parse
/// Beast; it costs about as much to compile as the rest of vial together.
///
/// @par Example
/// @code
/// #include <vial/http/raw.hpp>
/// // every value of a header sent several times
/// const auto [first, last] = req.raw().equal_range("X-Forwarded-For");
/// @endcode

#include <vial/http/request.hpp>
#include <vial/http/response.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <utility>

namespace vial {

/// `boost::beast::http::request<string_body>`, under a name that vial's headers can declare
/// without including Beast. Converts from and to the Beast type.
struct raw_request : boost::beast::http::request<boost::beast::http::string_body> {
    using beast_type = boost::beast::http::request<boost::beast::http::string_body>;
    using beast_type::beast_type;
    using beast_type::operator=;
    raw_request() = default;
    raw_request(const beast_type& m) : beast_type(m) {}             // NOLINT: converts, as the alias did
    raw_request(beast_type&& m) noexcept : beast_type(std::move(m)) {}  // NOLINT
};

/// `boost::beast::http::response<string_body>`, under a name that vial's headers can declare
/// without including Beast. Converts from and to the Beast type.
struct raw_response : boost::beast::http::response<boost::beast::http::string_body> {
    using beast_type = boost::beast::http::response<boost::beast::http::string_body>;
    using beast_type::beast_type;
    using beast_type::operator=;
    raw_response() = default;
    raw_response(const beast_type& m) : beast_type(m) {}             // NOLINT
    raw_response(beast_type&& m) noexcept : beast_type(std::move(m)) {}  // NOLINT
};

}  // namespace vial

#endif  // VIAL_HTTP_RAW_HPP
