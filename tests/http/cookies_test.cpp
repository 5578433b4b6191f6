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

TEST(HttpDate, ParsesEveryFormACookieJarMeets) {
    using namespace std::chrono;
    const system_clock::time_point expected = sys_days{year{1994} / 11 / 6} + 8h + 49min + 37s;
    EXPECT_EQ(vial::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
    EXPECT_EQ(vial::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
    EXPECT_EQ(vial::parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
    EXPECT_EQ(vial::parse_http_date("Sun, 06-Nov-1994 08:49:37 GMT"), expected);
    EXPECT_EQ(vial::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), system_clock::time_point{});
    EXPECT_EQ(vial::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"), sys_days{year{2015} / 10 / 21} + 7h + 28min);
    const auto now = floor<seconds>(system_clock::now());
    EXPECT_EQ(vial::parse_http_date(vial::format_http_date(now)), now);
    EXPECT_EQ(vial::parse_http_date(""), std::nullopt);
    EXPECT_EQ(vial::parse_http_date("yesterday"), std::nullopt);
    EXPECT_EQ(vial::parse_http_date("Sun, 06 Nov 1994 GMT"), std::nullopt);  // no time
    EXPECT_EQ(vial::parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(vial::parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), std::nullopt);
}

TEST(HttpDate, DatesBeyondTheClockAreItsFirstOrLastTime) {
    using namespace std::chrono;
    using time_point = system_clock::time_point;
    EXPECT_EQ(vial::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), time_point::max());
    EXPECT_EQ(vial::parse_http_date("Sat, 12 Apr 2262 00:00:00 GMT"), time_point::max());
    EXPECT_EQ(vial::parse_http_date("Fri, 11 Apr 2262 00:00:00 GMT"), time_point{sys_days{year{2262} / 4 / 11}});
    EXPECT_EQ(vial::parse_http_date("Mon, 01 Jan 1601 00:00:00 GMT"), time_point::min());
    EXPECT_EQ(vial::parse_http_date("Tue, 21 Sep 1677 00:00:00 GMT"), time_point::min());
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
