#include <vial/http/response.hpp>
#include <vial/http/raw.hpp>  // res.raw(): every Set-Cookie field
#include <vial/json.hpp>      // json_response({...})

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;

std::vector<std::string> set_cookies(const vial::response& res) {
    std::vector<std::string> out;
    const auto [first, last] = res.raw().equal_range(boost::beast::http::field::set_cookie);
    for (auto it = first; it != last; ++it) out.emplace_back(it->value());
    return out;
}

TEST(Response, ExistingMembersStillWork) {
    vial::response res(201, "made", "text/plain");
    EXPECT_EQ(res.status(), 201u);
    EXPECT_EQ(res.body(), "made");
    EXPECT_EQ(res.header("content-type"), "text/plain");
    res.set_header("X-A", "1").add_header("X-A", "2").content_type("text/html").body("b").status(202);
    EXPECT_EQ(res.header("X-A"), "1");
    EXPECT_EQ(res.status(), 202u);
    EXPECT_TRUE(res.has_header("x-a"));
    res.remove_header("X-A");
    EXPECT_FALSE(res.has_header("x-a"));
}

TEST(Response, RejectsHeaderInjection) {
    vial::response res;
    EXPECT_THROW(res.set_header("X-A", "1\r\nSet-Cookie: evil=1"), std::invalid_argument);
    EXPECT_THROW(res.add_header("X-\nA", "1"), std::invalid_argument);
    EXPECT_THROW(res.add_header("", "1"), std::invalid_argument);
}

TEST(ResponseCookies, DefaultIsSessionCookieForWholeSite) {
    vial::response res;
    res.set_cookie("sid", "abc123");
    EXPECT_EQ(set_cookies(res), std::vector<std::string>{"sid=abc123; Path=/"});
}

TEST(ResponseCookies, EveryAttributeFormatted) {
    vial::response res;
    const auto when = std::chrono::sys_days{std::chrono::year{2030} / 1 / 2} + 3h + 4min + 5s + 600ms;
    res.set_cookie("sid", "abc", {.max_age = 3600s, .expires = when, .path = "/app", .domain = "example.com",
                                  .secure = true, .http_only = true, .same_site = "lax"});
    EXPECT_EQ(set_cookies(res), std::vector<std::string>{
                                    "sid=abc; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Max-Age=3600; "
                                    "Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=Lax"});
}

TEST(ResponseCookies, OneHeaderPerCookie) {
    vial::response res;
    res.set_cookie("a", "1").set_cookie("b", "2", {.path = "", .same_site = "Strict"});
    EXPECT_EQ(set_cookies(res), (std::vector<std::string>{"a=1; Path=/", "b=2; SameSite=Strict"}));
}

TEST(ResponseCookies, ValuesOutsideCookieOctetsAreQuoted) {
    vial::response res;
    res.set_cookie("msg", "hi there; \"x\",\\");
    EXPECT_EQ(set_cookies(res), std::vector<std::string>{R"(msg="hi\040there\073\040\042x\042\054\134"; Path=/)"});
}

TEST(ResponseCookies, QuotedValueRoundTripsThroughRequestParsing) {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    const auto header = vial::format_set_cookie("v", all, {.path = ""});
    const auto parsed = vial::parse_cookie_header(header);
    EXPECT_EQ(parsed.at("v"), all);
}

TEST(ResponseCookies, RejectsBadNamesAndAttributes) {
    vial::response res;
    for (const char* name : {"", "a b", "a=b", "a;b", "a,b", "a\"b", "a(b)", "a/b", "a\x01", "caf\xC3\xA9"})
        EXPECT_THROW(res.set_cookie(name, "v"), std::invalid_argument) << name;
    EXPECT_THROW(res.set_cookie("a", "v", {.path = "/x;y"}), std::invalid_argument);
    EXPECT_THROW(res.set_cookie("a", "v", {.domain = "a\r\nb"}), std::invalid_argument);
    EXPECT_THROW(res.set_cookie("a", "v", {.same_site = "Sometimes"}), std::invalid_argument);
    EXPECT_THROW(res.set_cookie("a", "v", {.same_site = "None"}), std::invalid_argument);
    EXPECT_NO_THROW(res.set_cookie("a", "v", {.secure = true, .same_site = "None"}));
    EXPECT_THROW(res.set_cookie("__Secure-id", "v"), std::invalid_argument);
    EXPECT_THROW(res.set_cookie("__Host-id", "v", {.domain = "x.com", .secure = true}), std::invalid_argument);
    EXPECT_NO_THROW(res.set_cookie("__Host-id", "v", {.secure = true}));
    EXPECT_NO_THROW(res.set_cookie("!#$%&'*+-.^_`|~09AZaz", "v"));
}

TEST(ResponseCookies, NegativeMaxAgeIsSentAsZero) {
    EXPECT_EQ(vial::format_set_cookie("a", "b", {.max_age = -5s}), "a=b; Max-Age=0; Path=/");
}

TEST(ResponseCookies, DeleteCookieExpiresInThePast) {
    vial::response res;
    res.delete_cookie("sid");
    res.delete_cookie("pref", "/app", "example.com");
    res.delete_cookie("__Host-s", vial::cookie_options{.secure = true});
    EXPECT_EQ(set_cookies(res),
              (std::vector<std::string>{"sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
                                        "pref=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
                                        "Domain=example.com; Path=/app",
                                        "__Host-s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure"}));
}

TEST(ResponseHelpers, TextAndHtml) {
    const auto t = vial::text("hello", 201);
    EXPECT_EQ(t.status(), 201u);
    EXPECT_EQ(t.body(), "hello");
    EXPECT_EQ(t.header("Content-Type"), "text/plain; charset=utf-8");
    const auto h = vial::html("<p>hi</p>");
    EXPECT_EQ(h.status(), 200u);
    EXPECT_EQ(h.header("Content-Type"), "text/html; charset=utf-8");
}

TEST(ResponseHelpers, JsonResponse) {
    const auto r = vial::json_response({{"id", 7}, {"name", "Ada"}}, 201);
    EXPECT_EQ(r.status(), 201u);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(r.body(), R"({"id":7,"name":"Ada"})");
    EXPECT_EQ(vial::json_response(std::string("\xff")).body(), "\"\xEF\xBF\xBD\"");  // no throw on bad UTF-8
}

TEST(ResponseHelpers, RedirectCodesAndLocation) {
    const auto r = vial::redirect("/login?next=%2F");
    EXPECT_EQ(r.status(), 302u);
    EXPECT_EQ(r.header("Location"), "/login?next=%2F");
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    for (unsigned code : {301u, 302u, 303u, 307u, 308u}) EXPECT_EQ(vial::redirect("/x", code).status(), code);
    for (unsigned code : {200u, 300u, 304u, 305u, 404u}) EXPECT_THROW((void)vial::redirect("/x", code), std::invalid_argument);
    EXPECT_THROW((void)vial::redirect("/x\r\nSet-Cookie: a=b"), std::invalid_argument);
}

TEST(ResponseHelpers, RedirectBodyEscapesLocation) {
    const auto r = vial::redirect("/a?<script>&b=\"c\"");
    EXPECT_NE(r.body().find("/a?&lt;script&gt;&amp;b=&quot;c&quot;"), std::string::npos);
    EXPECT_EQ(r.body().find("<script>"), std::string::npos);
}

}  // namespace
