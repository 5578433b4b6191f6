// Percent-decoding and encoding: the HTTP layer's decoder (vial::percent_decode) and the
// router's (vial::detail::percent_decode, percent_decode_into with a small buffer) agree on
// every input, '+' as space or not; decoding what percent_encode made gives the bytes back.
#include <vial/http/url.hpp>
#include <vial/route/converter.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool plus = (data[0] & 1) != 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string http = vial::percent_decode(text, plus);
    const std::string route = vial::detail::percent_decode(text, plus);
    if (http != route) std::abort();
    if (http.size() > text.size()) std::abort();
    // The router's fixed buffer: the length when it fits, cap + 1 when not, and a prefix.
    char buf[16];
    const std::size_t n = vial::detail::percent_decode_into(text, buf, sizeof buf, plus);
    if (http.size() <= sizeof buf ? n != http.size() : n != sizeof buf + 1) std::abort();
    if (std::memcmp(buf, http.data(), std::min(http.size(), sizeof buf)) != 0) std::abort();
    // Round trips, with and without '/' kept.
    if (vial::percent_decode(vial::percent_encode(text)) != text) std::abort();
    if (vial::percent_decode(vial::percent_encode(text, "/")) != text) std::abort();
    return 0;
}
