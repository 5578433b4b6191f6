#include <vial/http/cookies.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace {

TEST(HttpDate, ImfFixdate) {
    using namespace std::chrono;
    EXPECT_EQ(vial::format_http_date(system_clock::time_point{}), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(vial::format_http_date(sys_days{year{1994} / 11 / 6} + 8h + 49min + 37s), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(vial::format_http_date(sys_days{year{2024} / 2 / 29} + 23h + 59min + 59s + 999ms),
              "Thu, 29 Feb 2024 23:59:59 GMT");
}

TEST(CookieName, Validity) {
    static_assert(vial::is_valid_cookie_name("session_id"));
    static_assert(!vial::is_valid_cookie_name("a b"));
    EXPECT_FALSE(vial::is_valid_cookie_name(""));
    EXPECT_FALSE(vial::is_valid_cookie_name("a\tb"));
}

TEST(ParseCookieHeader, UnquotesOctalAndBackslashEscapes) {
    const auto c = vial::parse_cookie_header(R"(a="x\040y\"z"; b="unterminated; c=""; d="\q")");
    EXPECT_EQ(c.at("a"), "x y\"z");
    EXPECT_EQ(c.at("b"), "\"unterminated");
    EXPECT_EQ(c.at("c"), "");
    EXPECT_EQ(c.at("d"), "q");
}

TEST(ParseCookieHeader, ValuesAreNotPercentDecoded) {
    EXPECT_EQ(vial::parse_cookie_header("a=%20b").at("a"), "%20b");
}

}  // namespace
