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
/// @endcode

#include <vial/app/dispatcher.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace vial {

/// Extra request headers for the test client: `{{"Accept", "text/html"}}`.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// Drives an app in-process. Services are held by reference when given as lvalues, by value
/// when given as temporaries. Cookies the app sets are kept and sent back, like a browser.
template <class App, class... Services>
class test_client {
public:
    explicit test_client(const App& app, Services&&... services)
        : app_(app), services_(std::forward<Services>(services)...) {}

    /// Settings of the pipeline (debug: exception text in 500 bodies).
    app_settings settings;

    response get(std::string_view target, const header_list& headers = {}) { return request("GET", target, {}, {}, headers); }
    response head(std::string_view target, const header_list& headers = {}) { return request("HEAD", target, {}, {}, headers); }
    response options(std::string_view target, const header_list& headers = {}) {
        return request("OPTIONS", target, {}, {}, headers);
    }
    response del(std::string_view target, const header_list& headers = {}) { return request("DELETE", target, {}, {}, headers); }
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

    /// Sends any request. A HEAD answer has its body removed, as a server sends it.
    response request(std::string_view method, std::string_view target, std::string body = {},
                     std::string_view content_type = {}, const header_list& headers = {}) {
        raw_request raw;
        raw.method_string(method);
        raw.target(target);
        raw.version(11);
        raw.set(boost::beast::http::field::host, "localhost");
        raw.set(boost::beast::http::field::user_agent, "vial-test-client");
        if (!content_type.empty()) raw.set(boost::beast::http::field::content_type, content_type);
        std::string cookie_header;
        for (const auto& [name, value] : cookies_) {
            if (!cookie_header.empty()) cookie_header += "; ";
            cookie_header += name + "=" + value;
        }
        if (!cookie_header.empty()) raw.set(boost::beast::http::field::cookie, cookie_header);
        for (const auto& [name, value] : headers) raw.set(name, value);
        raw.body() = std::move(body);
        if (!raw.body().empty() || method == "POST" || method == "PUT" || method == "PATCH") raw.prepare_payload();
        vial::request req(std::move(raw), "127.0.0.1");
        response res = std::apply(
            [&](auto&... s) {
                dispatcher<App, std::remove_reference_t<Services>...> d(app_, s...);
                d.settings = settings;
                return d.handle(req);
            },
            services_);
        keep_cookies(res);
        if (method == "HEAD") {
            res.set_header("Content-Length", std::to_string(res.body().size()));
            res.body().clear();
        }
        return res;
    }

    /// @return the cookie `name` the client holds, or "".
    [[nodiscard]] std::string cookie(const std::string& name) const {
        const auto it = cookies_.find(name);
        return it == cookies_.end() ? std::string{} : it->second;
    }
    void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
    void clear_cookies() { cookies_.clear(); }

private:
    void keep_cookies(const response& res) {
        for (const auto& field : res.raw()) {
            if (field.name() != boost::beast::http::field::set_cookie) continue;
            const std::string_view line(field.value().data(), field.value().size());
            const std::string_view pair = line.substr(0, line.find(';'));
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            const std::string name(pair.substr(0, eq));
            const std::string value(pair.substr(eq + 1));
            const bool expired = line.find("Max-Age=0") != std::string_view::npos ||
                                 line.find("Expires=Thu, 01 Jan 1970") != std::string_view::npos;
            if (expired) cookies_.erase(name);
            else cookies_[name] = value;
        }
    }

    const App& app_;
    std::tuple<Services...> services_;
    std::map<std::string, std::string> cookies_;
};

template <class App, class... Services>
test_client(const App&, Services&&...) -> test_client<App, Services...>;

}  // namespace vial

#endif  // VIAL_TESTING_TEST_CLIENT_HPP
