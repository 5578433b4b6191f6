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
#include <vial/http/cookies.hpp>
#include <vial/http/date.hpp>
#include <vial/http/detail/header_params.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/testing/form_data.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <charconv>
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
        raw_request raw;
        raw.method_string(method);
        raw.target(target);
        raw.version(11);
        raw.set(boost::beast::http::field::host, "localhost");
        raw.set(boost::beast::http::field::user_agent, "vial-test-client");
        if (!content_type.empty()) raw.set(boost::beast::http::field::content_type, content_type);
        for (const auto& header : headers) raw.erase(header.first);
        for (const auto& [name, value] : headers) raw.insert(name, value);
        const std::string host = host_of(raw);
        const std::string_view path = target.substr(0, target.find_first_of("?#"));
        if (raw.find(boost::beast::http::field::cookie) == raw.end()) {
            const std::string cookie_header = cookies_for(host, path);
            if (!cookie_header.empty()) raw.set(boost::beast::http::field::cookie, cookie_header);
        }
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
        keep_cookies(res, host, path);
        if (method == "HEAD") {
            // A handler may give the length itself (a static file, unread), as the server honours.
            if (res.header("Content-Length").empty()) res.set_header("Content-Length", std::to_string(res.body().size()));
            res.body().clear();
        }
        return res;
    }

    /// @param name a cookie name
    /// @return the value of the cookie `name` the client holds (for any path), unquoted as
    ///         `request::cookies()` reads it, or "" when it holds none
    [[nodiscard]] std::string cookie(std::string_view name) const {
        for (const auto& c : jar_)
            if (c.name == name && !c.expired()) return detail::http_text::unquote_cookie_value(c.value);
        return {};
    }
    /// @return whether the client holds a cookie `name`
    [[nodiscard]] bool has_cookie(std::string_view name) const {
        for (const auto& c : jar_)
            if (c.name == name && !c.expired()) return true;
        return false;
    }
    /// Stores a cookie as if the app had set it, sent with requests for `path` and below.
    /// @param name the cookie name
    /// @param value its value (quoted when needed, as `response::set_cookie` does)
    /// @param path the cookie's path
    void set_cookie(std::string_view name, std::string_view value, std::string_view path = "/") {
        store({std::string(name), detail::http_text::quote_cookie_value(value), {}, false, std::string(path), {}});
    }
    /// Forgets every cookie `name`.
    void delete_cookie(std::string_view name) {
        std::erase_if(jar_, [&](const stored_cookie& c) { return c.name == name; });
    }
    /// Forgets every cookie.
    void clear_cookies() { jar_.clear(); }

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

    static std::string host_of(const raw_request& raw) {
        const auto it = raw.find(boost::beast::http::field::host);
        const std::string_view host =
            it == raw.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
        // without the port
        return detail::http_text::to_lower(host.substr(0, host.starts_with('[') ? host.find(']') + 1 : host.find(':')));
    }

    // RFC 6265 §5.1.3 and §5.1.4.
    static bool domain_matches(std::string_view host, const stored_cookie& c) {
        if (c.domain.empty() || host == c.domain) return true;
        return !c.host_only && host.size() > c.domain.size() && host.ends_with(c.domain) &&
               host[host.size() - c.domain.size() - 1] == '.';
    }
    static bool path_matches(std::string_view path, std::string_view cookie_path) {
        if (path.empty()) path = "/";
        if (!path.starts_with(cookie_path)) return false;
        return path.size() == cookie_path.size() || cookie_path.ends_with('/') || path[cookie_path.size()] == '/';
    }
    static std::string default_path(std::string_view path) {
        if (path.empty() || path.front() != '/') return "/";
        const auto last = path.rfind('/');
        return last == 0 ? std::string("/") : std::string(path.substr(0, last));
    }

    std::string cookies_for(std::string_view host, std::string_view path) {
        std::erase_if(jar_, [](const stored_cookie& c) { return c.expired(); });
        std::vector<const stored_cookie*> sent;
        for (const auto& c : jar_)
            if (domain_matches(host, c) && path_matches(path, c.path)) sent.push_back(&c);
        // Longer paths first, as browsers send them (RFC 6265 §5.4).
        std::stable_sort(sent.begin(), sent.end(),
                         [](const auto* a, const auto* b) { return a->path.size() > b->path.size(); });
        std::string header;
        for (const auto* c : sent) {
            if (!header.empty()) header += "; ";
            header += c->name + "=" + c->value;
        }
        return header;
    }

    void store(stored_cookie c) {
        std::erase_if(jar_, [&](const stored_cookie& old) {
            return old.name == c.name && old.domain == c.domain && old.path == c.path;
        });
        if (!c.expired()) jar_.push_back(std::move(c));
    }

    // RFC 6265 §5.2 and §5.3, for the attributes a test needs: Max-Age (which wins over
    // Expires), Expires, Domain, Path.
    void keep_cookies(const response& res, const std::string& host, std::string_view request_path) {
        using detail::http_text::iequals;
        using detail::http_text::trim;
        for (const auto& field : res.raw()) {
            if (field.name() != boost::beast::http::field::set_cookie) continue;
            std::string_view line(field.value().data(), field.value().size());
            const std::string_view pair = line.substr(0, line.find(';'));
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos || trim(pair.substr(0, eq)).empty()) continue;
            stored_cookie c{std::string(trim(pair.substr(0, eq))), std::string(trim(pair.substr(eq + 1))), host,
                            true, default_path(request_path), {}};
            std::optional<clock::time_point> max_age;
            line = line.substr(pair.size());
            bool rejected = false;
            while (!line.empty()) {
                line.remove_prefix(1);  // the ';'
                const auto attribute = line.substr(0, line.find(';'));
                line = line.substr(attribute.size());
                const auto aeq = attribute.find('=');
                const auto name = trim(attribute.substr(0, aeq));
                const auto value = aeq == std::string_view::npos ? std::string_view{} : trim(attribute.substr(aeq + 1));
                if (iequals(name, "max-age")) {
                    long long seconds = 0;
                    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
                    if (ec == std::errc{} && end == value.data() + value.size()) {
                        // Past the clock's last time (centuries), that time: the sum would overflow.
                        const auto now = clock::now();
                        const auto left = std::chrono::floor<std::chrono::seconds>(clock::time_point::max() - now);
                        max_age = seconds <= 0             ? clock::time_point{}
                                  : seconds >= left.count() ? clock::time_point::max()
                                                            : now + std::chrono::seconds(seconds);
                    }
                } else if (iequals(name, "expires")) {
                    if (const auto when = parse_http_date(value)) c.expires = when;
                } else if (iequals(name, "domain") && !value.empty()) {
                    std::string domain = detail::http_text::to_lower(value.front() == '.' ? value.substr(1) : value);
                    if (host != domain && !(host.ends_with("." + domain))) rejected = true;  // not for this host
                    c.domain = std::move(domain);
                    c.host_only = false;
                } else if (iequals(name, "path")) {
                    c.path = value.starts_with('/') ? std::string(value) : default_path(request_path);
                }
            }
            if (rejected) continue;
            if (max_age) c.expires = max_age;
            store(std::move(c));
        }
    }

    const App& app_;
    std::tuple<Services...> services_;
    std::vector<stored_cookie> jar_;
};

template <class App, class... Services>
test_client(const App&, Services&&...) -> test_client<App, Services...>;

}  // namespace vial

#endif  // VIAL_TESTING_TEST_CLIENT_HPP
