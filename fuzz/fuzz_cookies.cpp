// Cookies: any Cookie header parses (vial::parse_cookie_header); any value set with
// vial::format_set_cookie comes back, byte for byte, when its name=value is sent back in a
// Cookie header, quoting and escapes included.
//
// Input: one byte splits it into a Cookie header to parse and a value to round-trip.
#include <vial/http/cookies.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t split = std::min<std::size_t>(data[0], size - 1);
    const std::string_view header(reinterpret_cast<const char*>(data + 1), split);
    const std::string_view value(reinterpret_cast<const char*>(data + 1 + split), size - 1 - split);
    const auto cookies = vial::parse_cookie_header(header);
    for (const auto& [name, v] : cookies)
        if (name.empty()) std::abort();

    const std::string set = vial::format_set_cookie("sid", value);
    const std::string pair = set.substr(0, set.find(';'));  // "sid=..." as a browser sends it back
    const auto back = vial::parse_cookie_header("theme=dark; " + pair + "; sid=second");
    const auto it = back.find("sid");
    if (it == back.end() || it->second != value) std::abort();
    return 0;
}
