#ifndef VIAL_HTTP_DATE_HPP
#define VIAL_HTTP_DATE_HPP

/// @file
/// HTTP dates (RFC 9110 §5.6.7 IMF-fixdate), for Expires, Date and Last-Modified.

#include <chrono>
#include <cstdio>
#include <string>

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

}  // namespace vial

#endif  // VIAL_HTTP_DATE_HPP
