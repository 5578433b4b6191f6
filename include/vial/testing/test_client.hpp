#ifndef VIAL_TESTING_TEST_CLIENT_HPP
#define VIAL_TESTING_TEST_CLIENT_HPP

/// @file
/// An in-process client for tests: requests go through the same pipeline as the server's
/// (routing, hooks, handlers, error handlers), minus the socket.
/// @par Example
/// @code
/// vial::test_client client(app, db);
/// auto res = client.get("/users/42");
/// EXPECT_EQ(res.status(), 200);
/// client.post("/login", "user=ann", "application/x-www-form-urlencoded");  // keeps the session cookie
/// client.del("/users/42", {{"X-Token", "t"}});
/// @endcode

#include <vial/app/dispatcher.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/testing/form_data.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace vial {

namespace diagnostic {
/// `vial::test_client client(vial::app(...))`: the client would keep a dangling reference.
template <std::size_t N>
struct test_client_over_temporary_app {
    static_assert(always_false<N>,
                  "vial: test_client keeps a reference to the app, which must outlive it: declare the app "
                  "first (constexpr auto app = vial::app(...);) and pass that variable");
};
}  // namespace diagnostic

/// Extra request headers for the test client: `{{"Accept", "text/html"}}`.
using header_list = std::vector<std::pair<std::string, std::string>>;

namespace detail {

/// The test client's cookies, kept as a browser keeps them (RFC 6265 §5.2 to §5.4, the
/// attributes a test needs: Max-Age, which wins over Expires, Expires, Domain, Path).
/// Not a template: compiled once into the vial library.
class test_cookie_jar {
public:
    /// @return the Cookie header for a request to `host` and `path` ("" when none applies)
    std::string header_for(std::string_view host, std::string_view path);
    /// Keeps the cookies of every Set-Cookie header of `res`, the answer to a request to
    /// `host` and `request_path`.
    void keep(const response& res, const std::string& host, std::string_view request_path);
    [[nodiscard]] std::string value(std::string_view name) const;
    [[nodiscard]] bool has(std::string_view name) const;
    void set(std::string_view name, std::string_view value, std::string_view path);
    void erase(std::string_view name);
    void clear() { jar_.clear(); }

private:
    using clock = std::chrono::system_clock;
    struct stored_cookie {
        std::string name;
        std::string value;       // as sent in Set-Cookie, quotes included
        std::string domain;      // "" (any host) only for cookies given to set_cookie
        bool host_only = true;   // no Domain attribute: only the host that set it
        std::string path;
        std::optional<clock::time_point> expires;

        [[nodiscard]] bool expired() const { return expires && *expires <= clock::now(); }
    };
    void store(stored_cookie c);

    std::vector<stored_cookie> jar_;
};

/// The request a test client sends: Host localhost, User-Agent vial-test-client, the
/// Content-Type, `headers` (replacing those of the same names), the jar's cookies unless
/// `headers` has a Cookie, and Content-Length for a body or a POST, PUT or PATCH.
/// @param host set to the Host header's host, lowercased, without the port
request make_test_request(std::string_view method, std::string_view target, std::string body,
                          std::string_view content_type, const header_list& headers, test_cookie_jar& jar,
                          std::string& host);

/// Keeps the cookies `res` sets and, for HEAD, drops its body as a server does (keeping its
/// Content-Length).
void finish_test_response(response& res, std::string_view method, std::string_view target, const std::string& host,
                          test_cookie_jar& jar);

}  // namespace detail

/// Drives an app in-process. Services are held by reference when given as lvalues, by value
/// when given as temporaries. Cookies the app sets are kept and sent back, as a browser does
/// (see `cookie`).
template <class App, class... Services>
class test_client {
public:
    explicit test_client(const App& app, Services&&... services)
        : app_(app), services_(std::forward<Services>(services)...) {}

    /// A temporary app is refused: the client keeps a reference to the app.
    template <class... S>
    explicit test_client(const App&& app, S&&...) : app_(app) {
        (void)diagnostic::report<diagnostic::test_client_over_temporary_app<sizeof...(S)>>;
    }

    /// Settings of the pipeline (debug: exception text in 500 bodies; log: where uncaught
    /// exceptions are logged).
    app_settings settings;

    /// @param target the path and query, e.g. "/search?q=x"
    /// @param headers extra request headers (they replace the client's own Host, User-Agent
    ///        and Cookie when given; a name given twice is sent twice)
    response get(std::string_view target, const header_list& headers = {}) { return request("GET", target, {}, {}, headers); }
    /// As `get`; the answer has no body but says its Content-Length, as a server sends it.
    response head(std::string_view target, const header_list& headers = {}) { return request("HEAD", target, {}, {}, headers); }
    response options(std::string_view target, const header_list& headers = {}) {
        return request("OPTIONS", target, {}, {}, headers);
    }
    /// A DELETE without a body (`delete` is a C++ keyword).
    response del(std::string_view target, const header_list& headers = {}) { return request("DELETE", target, {}, {}, headers); }
    /// A DELETE with a body.
    response del(std::string_view target, std::string body, std::string_view content_type,
                 const header_list& headers = {}) {
        return request("DELETE", target, std::move(body), content_type, headers);
    }
    /// @param target the path and query
    /// @param body the request body, sent with its Content-Length
    /// @param content_type the Content-Type, e.g. "application/json"; empty sends none
    /// @param headers extra request headers
    response post(std::string_view target, std::string body = {}, std::string_view content_type = {},
                  const header_list& headers = {}) {
        return request("POST", target, std::move(body), content_type, headers);
    }
    response put(std::string_view target, std::string body = {}, std::string_view content_type = {},
                 const header_list& headers = {}) {
        return request("PUT", target, std::move(body), content_type, headers);
    }
    response patch(std::string_view target, std::string body = {}, std::string_view content_type = {},
                   const header_list& headers = {}) {
        return request("PATCH", target, std::move(body), content_type, headers);
    }
    /// `post`, `put`, `patch` and `del` with a body and headers but no content type argument
    /// (give a Content-Type among the headers): `client.post("/x", body, {{"Content-Type", "text/csv"}})`.
    response post(std::string_view target, std::string body, const header_list& headers) {
        return request("POST", target, std::move(body), {}, headers);
    }
    response put(std::string_view target, std::string body, const header_list& headers) {
        return request("PUT", target, std::move(body), {}, headers);
    }
    response patch(std::string_view target, std::string body, const header_list& headers) {
        return request("PATCH", target, std::move(body), {}, headers);
    }
    response del(std::string_view target, std::string body, const header_list& headers) {
        return request("DELETE", target, std::move(body), {}, headers);
    }
    /// Sends a `multipart/form-data` body with its Content-Type, as a browser posts a form
    /// with file inputs: `client.post("/upload", vial::form_data().file("doc", "a.txt", "hi"))`.
    response post(std::string_view target, const form_data& form, const header_list& headers = {}) {
        return request("POST", target, form.body(), form.content_type(), headers);
    }
    /// @copydoc post(std::string_view, const form_data&, const header_list&)
    response put(std::string_view target, const form_data& form, const header_list& headers = {}) {
        return request("PUT", target, form.body(), form.content_type(), headers);
    }

    /// Sends any request. A HEAD answer has its body removed, as a server sends it.
    response request(std::string_view method, std::string_view target, std::string body = {},
                     std::string_view content_type = {}, const header_list& headers = {}) {
        std::string host;
        vial::request req = detail::make_test_request(method, target, std::move(body), content_type, headers, jar_, host);
        response res = std::apply(
            [&](auto&... s) {
                dispatcher<App, std::remove_reference_t<Services>...> d(app_, s...);
                d.settings = settings;
                return d.handle(req);
            },
            services_);
        detail::finish_test_response(res, method, target, host, jar_);
        return res;
    }

    /// @param name a cookie name
    /// @return the value of the cookie `name` the client holds (for any path), unquoted as
    ///         `request::cookies()` reads it, or "" when it holds none
    [[nodiscard]] std::string cookie(std::string_view name) const { return jar_.value(name); }
    /// @return whether the client holds a cookie `name`
    [[nodiscard]] bool has_cookie(std::string_view name) const { return jar_.has(name); }
    /// Stores a cookie as if the app had set it, sent with requests for `path` and below.
    /// @param name the cookie name
    /// @param value its value (quoted when needed, as `response::set_cookie` does)
    /// @param path the cookie's path
    void set_cookie(std::string_view name, std::string_view value, std::string_view path = "/") {
        jar_.set(name, value, path);
    }
    /// Forgets every cookie `name`.
    void delete_cookie(std::string_view name) { jar_.erase(name); }
    /// Forgets every cookie.
    void clear_cookies() { jar_.clear(); }

private:
    const App& app_;
    std::tuple<Services...> services_;
    detail::test_cookie_jar jar_;
};

template <class App, class... Services>
test_client(const App&, Services&&...) -> test_client<App, Services...>;

}  // namespace vial

#endif  // VIAL_TESTING_TEST_CLIENT_HPP
