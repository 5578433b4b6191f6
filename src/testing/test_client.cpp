// The test client's request building and cookie jar (vial/testing/test_client.hpp): not
// templates, so compiled once into the vial library instead of in every test.
#include <vial/http/cookies.hpp>
#include <vial/http/date.hpp>
#include <vial/http/detail/header_params.hpp>
#include <vial/http/raw.hpp>
#include <vial/testing/test_client.hpp>

#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial::detail {

namespace {

// RFC 6265 §5.1.3 and §5.1.4.
bool domain_matches(std::string_view host, std::string_view domain, bool host_only) {
    if (domain.empty() || host == domain) return true;
    return !host_only && host.size() > domain.size() && host.ends_with(domain) &&
           host[host.size() - domain.size() - 1] == '.';
}
bool path_matches(std::string_view path, std::string_view cookie_path) {
    if (path.empty()) path = "/";
    if (!path.starts_with(cookie_path)) return false;
    return path.size() == cookie_path.size() || cookie_path.ends_with('/') || path[cookie_path.size()] == '/';
}
std::string default_path(std::string_view path) {
    if (path.empty() || path.front() != '/') return "/";
    const auto last = path.rfind('/');
    return last == 0 ? std::string("/") : std::string(path.substr(0, last));
}

}  // namespace

std::string test_cookie_jar::header_for(std::string_view host, std::string_view path) {
    std::erase_if(jar_, [](const stored_cookie& c) { return c.expired(); });
    std::vector<const stored_cookie*> sent;
    for (const auto& c : jar_)
        if (domain_matches(host, c.domain, c.host_only) && path_matches(path, c.path)) sent.push_back(&c);
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

void test_cookie_jar::store(stored_cookie c) {
    std::erase_if(jar_, [&](const stored_cookie& old) {
        return old.name == c.name && old.domain == c.domain && old.path == c.path;
    });
    if (!c.expired()) jar_.push_back(std::move(c));
}

void test_cookie_jar::keep(const response& res, const std::string& host, std::string_view request_path) {
    using http_text::iequals;
    using http_text::trim;
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
                std::string domain = http_text::to_lower(value.front() == '.' ? value.substr(1) : value);
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


std::string test_cookie_jar::value(std::string_view name) const {
    for (const auto& c : jar_)
        if (c.name == name && !c.expired()) return http_text::unquote_cookie_value(c.value);
    return {};
}

bool test_cookie_jar::has(std::string_view name) const {
    for (const auto& c : jar_)
        if (c.name == name && !c.expired()) return true;
    return false;
}

void test_cookie_jar::set(std::string_view name, std::string_view value, std::string_view path) {
    store({std::string(name), http_text::quote_cookie_value(value), {}, false, std::string(path), {}});
}

void test_cookie_jar::erase(std::string_view name) {
    std::erase_if(jar_, [&](const stored_cookie& c) { return c.name == name; });
}

request make_test_request(std::string_view method, std::string_view target, std::string body,
                          std::string_view content_type, const header_list& headers, test_cookie_jar& jar,
                          std::string& host) {
    raw_request raw;
    raw.method_string(method);
    raw.target(target);
    raw.version(11);
    raw.set(boost::beast::http::field::host, "localhost");
    raw.set(boost::beast::http::field::user_agent, "vial-test-client");
    if (!content_type.empty()) raw.set(boost::beast::http::field::content_type, content_type);
    for (const auto& header : headers) raw.erase(header.first);
    for (const auto& [name, value] : headers) raw.insert(name, value);
    {
        const auto it = raw.find(boost::beast::http::field::host);
        const std::string_view h =
            it == raw.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
        // without the port
        host = http_text::to_lower(h.substr(0, h.starts_with('[') ? h.find(']') + 1 : h.find(':')));
    }
    const std::string_view path = target.substr(0, target.find_first_of("?#"));
    if (raw.find(boost::beast::http::field::cookie) == raw.end()) {
        const std::string cookie_header = jar.header_for(host, path);
        if (!cookie_header.empty()) raw.set(boost::beast::http::field::cookie, cookie_header);
    }
    raw.body() = std::move(body);
    if (!raw.body().empty() || method == "POST" || method == "PUT" || method == "PATCH") raw.prepare_payload();
    return request(std::move(raw), "127.0.0.1");
}

void finish_test_response(response& res, std::string_view method, std::string_view target, const std::string& host,
                          test_cookie_jar& jar) {
    jar.keep(res, host, target.substr(0, target.find_first_of("?#")));
    if (const auto file = res.file_body()) {
        // What the server would send with sendfile(2), read here so that tests see it.
        std::string bytes(file->length, '\0');
        std::uint64_t done = 0;
        while (done < file->length) {
            const ssize_t n = ::pread(file->fd, bytes.data() + done, file->length - done,
                                      static_cast<off_t>(file->offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<std::uint64_t>(n);
        }
        bytes.resize(done);
        res.body(std::move(bytes));
    }
    if (method == "HEAD") {
        // A handler may give the length itself (a static file, unread), as the server honours.
        if (!res.has_header("Content-Length")) res.set_header("Content-Length", std::to_string(res.body().size()));
        res.body().clear();
    }
}

}  // namespace vial::detail
