// url_for then match: for a route of route_table.hpp and values taken from the input,
// url_for either refuses the values (build_error: out of the converter's range or length) or
// builds a URL that (1) the route's own rule matches, with parameters that decode back to
// exactly the values given, and (2) vial's table matches as the reference matcher does (a
// route of higher precedence may take the URL: url_for<"user_name">("new") is /users/new).
//
// Input: one byte picks the route, then the values: text as length-prefixed bytes, integers
// and doubles as 8 raw bytes, uuids as 16.
#include "reference_router.hpp"
#include "route_table.hpp"

#include <vial/route/url_for.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct input {
    const std::uint8_t* p;
    std::size_t n;
    std::string text() {
        if (n == 0) return {};
        const std::size_t len = std::min<std::size_t>(p[0], n - 1);
        std::string s(reinterpret_cast<const char*>(p + 1), len);
        p += len + 1;
        n -= len + 1;
        return s;
    }
    template <class T>
    T raw() {
        T v{};
        const std::size_t k = std::min(sizeof(T), n);
        std::memcpy(&v, p, k);
        p += k;
        n -= k;
        return v;
    }
};

[[noreturn]] void fail(const char* what, std::size_t route, const std::string& url) {
    std::fprintf(stderr, "url_for: %s for route %zu (%s), url '%s'\n", what, route,
                 std::string(fuzz_routes::rules[route].endpoint).c_str(), url.c_str());
    std::abort();
}

std::string number_text(double d) {
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, r.ptr);
}

/// Checks a URL built for route `index` from values whose decoded texts are `expected`
/// (an empty string for a value that is not compared as text: floats, compared as numbers).
void check(std::size_t index, const std::string& url, const std::vector<std::string>& expected,
           const std::vector<double>& numbers = {}) {
    const auto& routes = fuzz_routes::reference_routes();
    const auto params = reference::match_rule(routes[index].specs, url.substr(0, url.find('?')));
    if (!params) fail("the route's own rule does not match the URL", index, url);
    if (params->size() != expected.size()) fail("parameter count", index, url);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (i < numbers.size() && !std::isnan(numbers[i])) {
            double d = 0;
            const auto& t = (*params)[i].text;
            const auto r = std::from_chars(t.data(), t.data() + t.size(), d);
            if (r.ec != std::errc{} || d != numbers[i]) fail("a float does not round-trip", index, url);
        } else if ((*params)[i].text != expected[i]) {
            fail("a value does not round-trip", index, url);
        }
    }
    // vial's table: the same outcome as the reference, for a method of the route.
    vial::method m = vial::method::get;
    for (std::size_t k = 0; k < vial::method_count; ++k)
        if (fuzz_routes::rules[index].methods.contains(static_cast<vial::method>(k))) {
            m = static_cast<vial::method>(k);
            break;
        }
    const auto got = fuzz_routes::app.match(m, url);
    const auto want = reference::match(routes, m, url);
    if (want.st != reference::status::found || !got.found()) fail("not found", index, url);
    if (got.endpoint() != fuzz_routes::rules[want.route].endpoint) fail("a different route", index, url);
}

template <vial::fixed_string Endpoint, class... Args>
void round_trip(std::size_t index, const std::vector<std::string>& expected, const std::vector<double>& numbers,
                const Args&... args) {
    std::string url;
    try {
        url = vial::url_for<Endpoint>(fuzz_routes::app, args...);
    } catch (const vial::build_error&) {
        return;  // a value the converter would not match: refused, as documented
    }
    check(index, url, expected, numbers);
}

std::string uuid_text(const vial::uuid& id) { return id.to_string(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    input in{data + 1, size - 1};
    const std::vector<double> none;
    switch (data[0] % 20) {
    case 0: round_trip<"root">(0, {}, none); break;
    case 1: {
        const auto v = in.raw<std::uint64_t>();
        round_trip<"project">(3, {std::to_string(v)}, none, v);
        break;
    }
    case 2: {
        const auto s = in.text();
        round_trip<"user_name">(7, {s}, none, s);
        break;
    }
    case 3: {
        const auto s = in.text();
        round_trip<"user_posts">(8, {s}, none, s);
        break;
    }
    case 4: {
        const auto s = in.text();
        round_trip<"files">(10, {s}, none, s);
        break;
    }
    case 5: {
        const auto s = in.text();
        round_trip<"file_meta">(12, {s}, none, s);
        break;
    }
    case 6: {
        const auto d = in.raw<double>();
        round_trip<"float">(13, {number_text(d)}, {d}, d);
        break;
    }
    case 7: {
        const auto d = in.raw<double>();
        round_trip<"float_signed">(14, {number_text(d)}, {d}, d);
        break;
    }
    case 8: {
        const auto v = in.raw<std::uint64_t>() % 100000;
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(v));
        round_trip<"year">(16, {buf}, none, v);
        break;
    }
    case 9: {
        const auto v = in.raw<std::int64_t>();
        round_trip<"page">(18, {std::to_string(v)}, none, v);
        break;
    }
    case 10: {
        const auto v = in.raw<std::int64_t>();
        round_trip<"signed">(21, {std::to_string(v)}, none, v);
        break;
    }
    case 11: {
        const auto v = in.raw<std::int64_t>();
        round_trip<"signed_small">(22, {std::to_string(v)}, none, v);
        break;
    }
    case 12: {
        vial::uuid id;
        id.bytes = in.raw<std::array<std::uint8_t, 16>>();
        round_trip<"uuid_x">(24, {uuid_text(id)}, none, id);
        break;
    }
    case 13: {
        const auto s = in.text();
        round_trip<"any">(25, {s}, none, s);
        break;
    }
    case 14: {
        const auto s = in.text();
        round_trip<"len2">(26, {s}, none, s);
        break;
    }
    case 15: {
        const auto s = in.text();
        round_trip<"max3">(27, {s}, none, s);
        break;
    }
    case 16: {
        const auto a = in.text();
        const auto b = in.text();
        round_trip<"two">(34, {a, b}, none, a, b);
        break;
    }
    case 17: {
        const auto a = in.text();
        const auto b = in.raw<std::uint64_t>();
        const auto c = in.text();
        round_trip<"deep">(35, {a, std::to_string(b), c}, none, a, b, c);
        break;
    }
    case 18: {
        const auto s = in.text();
        round_trip<"ab_rest">(33, {s}, none, s);
        break;
    }
    case 19: {
        const auto v = in.raw<std::int64_t>();
        round_trip<"x_neg">(43, {std::to_string(v)}, none, v);
        break;
    }
    }
    return 0;
}
