// The session cookie codec (vial::session_codec, web/session_codec.hpp): the value of the
// session cookie, a signed JSON object.
//
// Properties:
// 1. Any cookie value decodes without a crash or an exception, and is accepted only when it
//    is signed: decode() returns data only if the value's signature is the HMAC-SHA256 that
//    the harness computes itself (with OpenSSL, from the documented format) over its payload
//    and timestamp, with one of the codec's keys; a codec with other keys never accepts it.
// 2. Tampering is refused: the input also edits a freshly signed cookie (one byte changed,
//    inserted, removed, or the value cut); any edited value that differs is refused.
// 3. Round trip of arbitrary maps: a JSON object made from the input (string keys to string
//    values, or the input itself when it is a JSON object) is signed, decoded to the same
//    object with the signing key and after a rotation (an older key), and refused by other
//    keys, too old (past max_age) or from the future. Text that is not UTF-8 cannot be JSON:
//    encode() then throws nlohmann's type_error (316), never anything else.
#include <vial/web/session_codec.hpp>

#include <openssl/hmac.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using clock = std::chrono::system_clock;
using json = nlohmann::json;

const std::string key_new(32, 'n');
const std::string key_old(32, 'o');
const std::string key_other(32, 'x');
const clock::time_point now{std::chrono::seconds(1'800'000'000)};
constexpr std::chrono::seconds max_age{3600};

std::string hmac(std::string_view key, std::string_view text) {
    unsigned char out[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), out, &n);
    return std::string(reinterpret_cast<const char*>(out), n);
}

std::string b64url(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : bytes) {
        acc = (acc << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
    return out;
}

/// Whether `value` carries a signature made with `key` (as docs/sessions.md defines it).
bool signed_with(std::string_view key, std::string_view value) {
    const std::size_t dot = value.rfind('.');
    if (dot == std::string_view::npos) return false;
    const std::string derived = hmac(key, "vial.session");
    return b64url(hmac(derived, value.substr(0, dot))) == value.substr(dot + 1);
}

[[noreturn]] void fail(const char* what, std::string_view value) {
    std::fprintf(stderr, "session_codec: %s\n  value: %.*s\n", what, static_cast<int>(value.size()), value.data());
    std::abort();
}

void check_arbitrary(const vial::session_codec& codec, const vial::session_codec& other, std::string_view value) {
    const auto d = codec.decode(value, now, max_age);
    if (d && !signed_with(key_new, value) && !signed_with(key_old, value)) fail("accepted without a signature", value);
    if (d && !d->is_object()) fail("decoded to something not an object", value);
    if (other.decode(value, now, max_age)) fail("accepted with the wrong key", value);
}

void round_trip(const vial::session_codec& codec, const vial::session_codec& rotated,
                const vial::session_codec& other, const json& data, std::string_view edits) {
    std::string value;
    try {
        value = codec.encode(data, now);
    } catch (const json::type_error& e) {
        if (e.id != 316) throw;
        return;  // not UTF-8
    }
    if (value.size() > vial::session_codec::max_value_size) {
        // Larger than a browser keeps: never looked at.
        if (codec.decode(value, now, max_age)) fail("a value over max_value_size was accepted", value);
        return;
    }
    const auto back = codec.decode(value, now + std::chrono::seconds(5), max_age);
    if (!back || *back != data) fail("signed, then not decoded to the same object", value);
    if (const auto r = rotated.decode(value, now, max_age); !r || *r != data) fail("refused after a key rotation", value);
    if (other.decode(value, now, max_age)) fail("accepted with another key", value);
    if (codec.decode(value, now + max_age + std::chrono::seconds(1), max_age)) fail("accepted past max_age", value);
    if (codec.decode(value, now - std::chrono::seconds(120), max_age)) fail("accepted from the future", value);

    // Edits: each 3 bytes of `edits` are (operation, position, byte).
    for (std::size_t i = 0; i + 3 <= edits.size() && i < 30; i += 3) {
        std::string edited = value;
        const std::size_t at = static_cast<unsigned char>(edits[i + 1]) * edited.size() / 256;
        const char byte = edits[i + 2];
        switch (edits[i] & 3) {
        case 0: edited[at] = byte; break;
        case 1: edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(at), byte); break;
        case 2: edited.erase(at, 1); break;
        default: edited.resize(at); break;
        }
        if (edited != value && codec.decode(edited, now, max_age)) fail("an edited cookie was accepted", edited);
        check_arbitrary(codec, other, edited);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const vial::session_codec codec(vial::secret_keys{key_new, key_old});
    static const vial::session_codec other(vial::secret_keys{key_other});
    static const vial::session_codec signed_old(vial::secret_keys{key_old});
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // 1. The input as a cookie value.
    check_arbitrary(codec, other, input);

    // 3. A map from the input: "key=value" pairs separated by '&' (raw bytes, no decoding);
    //    the last 30 bytes drive the edits of 2.
    const std::string_view edits = input.substr(input.size() > 30 ? input.size() - 30 : 0);
    json map = json::object();
    std::size_t begin = 0;
    while (begin <= input.size()) {
        std::size_t end = input.find('&', begin);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view pair = input.substr(begin, end - begin);
        const std::size_t eq = pair.find('=');
        map[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
        begin = end + 1;
    }
    round_trip(codec, codec, other, map, edits);
    // Signed with the old key (before a rotation), read by the codec that has both.
    round_trip(signed_old, codec, other, map, {});
    // The input itself, when it is a JSON object (nested values, numbers...).
    const json parsed = json::parse(input.begin(), input.end(), nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) round_trip(codec, codec, other, parsed, edits);
    return 0;
}
