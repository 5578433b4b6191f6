// The server's request parser, fed the same bytes whole and in random splits: the outcome
// (requests parsed, their method, target, version, fields and body, and whether the stream is
// refused) must not depend on the split, and the parser must never read outside what it is
// given.
//
// Input: one byte of options (small limits or the defaults), two bytes of split seed, then
// the bytes of the stream.
#include <vial/server/detail/request_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using parser = vial::server::detail::request_parser;

struct outcome {
    std::vector<std::string> requests;
    unsigned error = 0;
    bool operator==(const outcome&) const = default;
};

std::string describe(const vial::raw_request& req) {
    std::string s(req.method_string());
    s += ' ';
    s += std::string_view(req.target());
    s += " v" + std::to_string(req.version());
    for (const auto& f : req) {
        s += '|';
        s += std::string_view(f.name_string());
        s += ':';
        s += std::string_view(f.value());
    }
    s += "|body:" + req.body();
    return s;
}

/// Feeds `data` in pieces whose sizes come from `seed` (0: all at once). Each piece is
/// appended to a buffer that is copied into a heap block of exactly its size before every
/// call, so that ASan sees any read past the end.
outcome run(const char* data, std::size_t size, unsigned seed, const vial::server::options& opts) {
    parser p(opts);
    p.reset();
    vial::raw_request req;
    outcome out;
    std::string buffer;
    std::size_t fed = 0;
    unsigned state = seed * 2654435761u + 1;
    for (int guard = 0; guard < 100000; ++guard) {
        const auto exact = std::make_unique<char[]>(buffer.size() + 1);
        std::memcpy(exact.get(), buffer.data(), buffer.size());
        std::size_t consumed = 0;
        const auto r = p.parse(exact.get(), buffer.size(), consumed, req);
        if (consumed > buffer.size()) std::abort();
        buffer.erase(0, consumed);
        if (r == parser::result::error) {
            out.error = p.error_status();
            if (out.error < 400 || out.error > 505 || p.error_reason().empty()) std::abort();
            return out;
        }
        if (r == parser::result::complete) {
            out.requests.push_back(describe(req));
            p.reset();
            continue;
        }
        if (r == parser::result::head_done) continue;
        if (fed == size) return out;
        std::size_t n = size - fed;
        if (seed != 0) {
            state = state * 1103515245u + 12345u;
            n = std::min<std::size_t>(n, 1 + (state >> 16) % 17);
        }
        buffer.append(data + fed, n);
        fed += n;
    }
    std::abort();  // the parser made no progress
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    vial::server::options opts;
    if ((data[0] & 1) != 0) {
        opts.max_request_line = 64;
        opts.max_header_line = 64;
        opts.max_header_bytes = 256;
        opts.max_header_fields = 8;
        opts.max_body = 128;
        opts.max_chunk_extensions = 32;
    }
    opts.allow_unknown_methods = (data[0] & 2) != 0;
    opts.accept_ice_and_rtsp = (data[0] & 4) != 0;
    const unsigned seed = data[1] | (data[2] << 8);
    const char* text = reinterpret_cast<const char*>(data + 3);
    const std::size_t n = size - 3;
    const outcome whole = run(text, n, 0, opts);
    const outcome split = run(text, n, seed | 1, opts);
    // Splitting changes nothing: the same requests, and an error in both or in neither. Which
    // of 400, 413, 414 and 431 is reported may differ when a line breaks a rule and a limit at
    // once (the limits are checked as bytes arrive, the rules on what has arrived).
    if (whole.requests != split.requests || (whole.error == 0) != (split.error == 0)) std::abort();
    auto size_or_syntax = [](unsigned s) { return s == 400 || s == 413 || s == 414 || s == 431; };
    if (whole.error != split.error && !(size_or_syntax(whole.error) && size_or_syntax(split.error))) std::abort();
    return 0;
}
