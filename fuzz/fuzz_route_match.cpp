// Route matching, differential: vial's compiled table (route_table.hpp) against the plain
// reference matcher (reference_router.hpp) for every input. Same status (found, 404, 405,
// OPTIONS, 308), same route, same HEAD-as-GET, same Allow methods, same parameters (as sent
// and decoded), or the harness aborts and libFuzzer keeps the input.
//
// Input: one byte picks the method (GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, or one
// vial does not know), the rest is the request target.
#include "reference_router.hpp"
#include "route_table.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

[[noreturn]] void differ(const char* what, std::string_view target, int method) {
    std::fprintf(stderr, "route_match: %s differs for method %d, target '%.*s'\n", what, method,
                 static_cast<int>(target.size()), target.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const auto m = static_cast<vial::method>(data[0] % 8);  // 7 is method::unknown
    // The target in a heap block of its exact size: the matcher reads words at a time.
    const std::size_t n = size - 1;
    const auto exact = std::make_unique<char[]>(n == 0 ? 1 : n);
    std::memcpy(exact.get(), data + 1, n);
    const std::string_view target(exact.get(), n);

    const auto got = fuzz_routes::app.match(m, target);
    const auto want = reference::match(fuzz_routes::reference_routes(), m, target);
    const int method = data[0] % 8;
    if (static_cast<int>(got.status()) != static_cast<int>(want.st)) differ("status", target, method);
    switch (want.st) {
    case reference::status::found: {
        const auto& rule = fuzz_routes::rules[want.route];
        if (got.endpoint() != rule.endpoint) differ("route", target, method);
        if (got.head_as_get() != want.head_as_get) differ("head_as_get", target, method);
        for (std::size_t i = 0; i < want.params.size(); ++i) {
            if (got.param(i).raw != want.params[i].raw) differ("raw parameter", target, method);
            if (got.param(i).text() != want.params[i].text) differ("decoded parameter", target, method);
        }
        break;
    }
    case reference::status::method_not_allowed:
    case reference::status::options:
        if (!(got.allowed() == want.allowed)) differ("Allow", target, method);
        break;
    case reference::status::redirect: {
        // The Location is the path with a '/' added, the query kept.
        const auto path_end = std::min(target.find('?'), target.find('#'));
        const std::string location = std::string(target.substr(0, path_end)) + "/" +
                                     std::string(path_end == std::string_view::npos ? "" : target.substr(path_end));
        if (got.redirect_location() != location) differ("Location", target, method);
        break;
    }
    default: break;
    }
    return 0;
}
