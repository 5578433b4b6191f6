// Query strings and application/x-www-form-urlencoded bodies (vial::parse_query, what
// request.args() and request.form() read): any bytes parse, and encoding the pairs again
// (vial::urlencode) then parsing gives the same pairs, in the same order.
#include <vial/http/url.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto pairs = vial::parse_query(text);
    const auto encoded = vial::urlencode(pairs);
    const auto again = vial::parse_query(encoded);
    if (!(std::equal(pairs.begin(), pairs.end(), again.begin(), again.end()))) std::abort();
    // Encoding is canonical: a second round changes nothing.
    if (vial::urlencode(again) != encoded) std::abort();
    return 0;
}
