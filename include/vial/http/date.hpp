#ifndef VIAL_HTTP_DATE_HPP
#define VIAL_HTTP_DATE_HPP

/// @file
/// HTTP dates (RFC 9110 §5.6.7 IMF-fixdate), for Expires, Date and Last-Modified: formatting,
/// and parsing as a cookie jar reads them.

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace vial {

/// Formats a time as an IMF-fixdate, always in GMT, seconds truncated.
/// @param time the time
/// @return e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
[[nodiscard]] inline std::string format_http_date(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    static constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto secs = floor<seconds>(time);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> hms{secs - day};
    const weekday wd{day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", day_names[wd.c_encoding()],
                  static_cast<unsigned>(ymd.day()), month_names[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf;
}

/// Parses a date as RFC 6265 §5.1.1 reads a cookie's `Expires`, which accepts every form
/// HTTP has used: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
/// ("Sunday, 06-Nov-94 08:49:37 GMT"), asctime ("Sun Nov  6 08:49:37 1994") and the
/// dashed form some servers send ("Sun, 06-Nov-1994 08:49:37 GMT"). Always GMT.
/// @param text the date
/// @return the time, or std::nullopt when a day, month, year or time is missing or invalid; a
///         date outside what system_clock holds (about 1678 to 2262) as its first or last
///         time, as RFC 6265 §5.2.1 allows ("Expires=Fri, 31 Dec 9999 23:59:59 GMT" is common)
[[nodiscard]] inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
    using namespace std::chrono;
    static constexpr std::string_view months = "janfebmaraprmayjunjulaugsepoctnovdec";
    auto is_delimiter = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == 0x09 || (u >= 0x20 && u <= 0x2F) || (u >= 0x3B && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
               (u >= 0x7B && u <= 0x7E);
    };
    auto digits = [](std::string_view t, std::size_t min, std::size_t max, int& value) {
        std::size_t n = 0;
        value = 0;
        while (n < t.size() && n < max && t[n] >= '0' && t[n] <= '9') value = value * 10 + (t[n++] - '0');
        return n >= min && (n == t.size() || t[n] < '0' || t[n] > '9');
    };
    std::optional<int> hour, minute, second, day, month, year;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_delimiter(text[i])) ++i;
        std::size_t end = i;
        while (end < text.size() && !is_delimiter(text[end])) ++end;
        const auto token = text.substr(i, end - i);
        i = end;
        if (token.empty()) continue;
        int a = 0, b = 0, c = 0;
        if (!hour && digits(token, 1, 2, a)) {
            const auto c1 = token.find(':');
            const auto c2 = c1 == std::string_view::npos ? c1 : token.find(':', c1 + 1);
            if (c2 != std::string_view::npos && digits(token.substr(c1 + 1), 1, 2, b) &&
                digits(token.substr(c2 + 1), 1, 2, c)) {
                hour = a, minute = b, second = c;
                continue;
            }
        }
        if (!day && token.size() <= 2 && digits(token, 1, 2, a)) {
            day = a;
            continue;
        }
        if (!month && token.size() >= 3) {
            char lower[3];
            for (int k = 0; k < 3; ++k) lower[k] = static_cast<char>(token[static_cast<std::size_t>(k)] | 0x20);
            const auto at = months.find(std::string_view(lower, 3));
            if (at != std::string_view::npos && at % 3 == 0) {
                month = static_cast<int>(at / 3) + 1;
                continue;
            }
        }
        if (!year && digits(token, 2, 4, a)) year = a;
    }
    if (!hour || !day || !month || !year) return std::nullopt;
    if (*year >= 70 && *year <= 99) *year += 1900;
    if (*year >= 0 && *year <= 69) *year += 2000;
    if (*year < 1601 || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
    const year_month_day ymd{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                             std::chrono::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok()) return std::nullopt;
    // In seconds first: in system_clock's nanoseconds, such a date overflows.
    const sys_seconds at = sys_days{ymd} + hours{*hour} + minutes{*minute} + seconds{*second};
    using time_point = system_clock::time_point;
    if (at > floor<seconds>(time_point::max())) return time_point::max();
    if (at < ceil<seconds>(time_point::min())) return time_point::min();
    return time_point{at};
}

}  // namespace vial

#endif  // VIAL_HTTP_DATE_HPP
