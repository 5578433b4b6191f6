// HTTP dates (vial::parse_http_date, as a cookie jar reads Expires): any text parses or is
// refused without a crash; a parsed time formats (vial::format_http_date) to a date that
// parses back to the same second, and formatting is stable.
#include <vial/http/date.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto t = vial::parse_http_date(text);
    if (!t) return 0;
    using namespace std::chrono;
    const auto secs = floor<seconds>(*t);
    // Only years 1601 to 9999 have a four-digit IMF-fixdate that the parser reads back.
    const auto ymd = year_month_day{floor<days>(secs)};
    if (ymd.year() < year{1601} || ymd.year() > year{9999}) return 0;
    const auto formatted = vial::format_http_date(*t);
    const auto again = vial::parse_http_date(formatted);
    if (!again || floor<seconds>(*again) != secs) std::abort();
    if (vial::format_http_date(*again) != formatted) std::abort();
    return 0;
}
