#ifndef VIAL_WEB_CRYPTO_HPP
#define VIAL_WEB_CRYPTO_HPP

/// @file
/// The few cryptographic primitives the web layer needs, from OpenSSL's libcrypto:
/// HMAC-SHA256, a constant-time comparison, random bytes, unpadded base64url, and the
/// password hashing helper apps use (`vial::hash_password` / `vial::verify_password`,
/// scrypt with a random salt).

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vial {

namespace detail::crypto {

inline constexpr std::size_t sha256_size = 32;
using digest = std::array<unsigned char, sha256_size>;

/// HMAC-SHA256 of `data` under `key`.
[[nodiscard]] inline digest hmac_sha256(std::string_view key, std::string_view data) {
    digest out{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size) == nullptr ||
        size != out.size())
        throw std::runtime_error("vial: HMAC-SHA256 failed (OpenSSL)");
    return out;
}

/// Whether two byte strings are equal, in a time that depends on their length only.
[[nodiscard]] inline bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

/// `n` bytes from OpenSSL's CSPRNG.
[[nodiscard]] inline std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n != 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("vial: no random bytes (OpenSSL RAND_bytes failed)");
    return out;
}

inline constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url (RFC 4648 section 5) without padding: only cookie-safe characters.
[[nodiscard]] inline std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{at(i)} << 16) | (std::uint32_t{at(i + 1)} << 8) | at(i + 2);
        out += base64url_alphabet[(v >> 18) & 63];
        out += base64url_alphabet[(v >> 12) & 63];
        out += base64url_alphabet[(v >> 6) & 63];
        out += base64url_alphabet[v & 63];
    }
    if (bytes.size() - i == 1) {
        const std::uint32_t v = std::uint32_t{at(i)} << 16;
        out += base64url_alphabet[(v >> 18) & 63];
        out += base64url_alphabet[(v >> 12) & 63];
    } else if (bytes.size() - i == 2) {
        const std::uint32_t v = (std::uint32_t{at(i)} << 16) | (std::uint32_t{at(i + 1)} << 8);
        out += base64url_alphabet[(v >> 18) & 63];
        out += base64url_alphabet[(v >> 12) & 63];
        out += base64url_alphabet[(v >> 6) & 63];
    }
    return out;
}

[[nodiscard]] constexpr int base64url_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

/// Decodes unpadded base64url; std::nullopt on any other character, an impossible length or
/// non-zero trailing bits (so that each byte string has exactly one encoding).
[[nodiscard]] inline std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : text) {
        const int v = base64url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    if (bits != 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

}  // namespace detail::crypto

/// Work factors of `vial::hash_password` (scrypt, RFC 7914). The defaults cost about 16 MiB
/// and a few tens of milliseconds per hash: slow for an attacker, fine for a sign-in.
struct password_options {
    std::uint64_t n = std::uint64_t{1} << 14;  ///< CPU/memory cost, a power of two
    std::uint64_t r = 8;                       ///< block size
    std::uint64_t p = 1;                       ///< parallelism
};

namespace detail::crypto {

inline constexpr std::size_t password_key_size = 32;
inline constexpr std::size_t password_salt_size = 16;

[[nodiscard]] inline std::string scrypt(std::string_view password, std::string_view salt, const password_options& o) {
    std::string key(password_key_size, '\0');
    // Memory limit: scrypt needs 128 * r * N bytes (and a little more).
    const std::uint64_t max_mem = 128 * o.r * o.n + 128 * o.r * o.p + (std::uint64_t{1} << 20);
    if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                       salt.size(), o.n, o.r, o.p, max_mem, reinterpret_cast<unsigned char*>(key.data()),
                       key.size()) != 1)
        throw std::invalid_argument("vial: scrypt failed: n must be a power of two above 1, r and p small enough");
    return key;
}

[[nodiscard]] inline std::optional<std::uint64_t> parse_u64(std::string_view s) noexcept {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace detail::crypto

/// Hashes a password for storage: scrypt with a fresh random salt. The result names its
/// parameters, so that hashes made with other work factors still verify:
/// `scrypt$16384$8$1$<salt>$<key>` (salt and key in base64url).
/// @param password the password as the user typed it
/// @param options scrypt's work factors
/// @return the string to store
/// @par Example
/// @code
/// db.add_user(name, vial::hash_password(form.password));
/// if (!vial::verify_password(form.password, user.password_hash)) return sign_in_failed();
/// @endcode
[[nodiscard]] inline std::string hash_password(std::string_view password, const password_options& options = {}) {
    namespace c = detail::crypto;
    const std::string salt = c::random_bytes(c::password_salt_size);
    const std::string key = c::scrypt(password, salt, options);
    return "scrypt$" + std::to_string(options.n) + '$' + std::to_string(options.r) + '$' + std::to_string(options.p) +
           '$' + c::base64url_encode(salt) + '$' + c::base64url_encode(key);
}

/// Checks a password against a hash made by `hash_password`, comparing in constant time.
/// @return false for a wrong password and for a stored hash that is malformed
[[nodiscard]] inline bool verify_password(std::string_view password, std::string_view stored) {
    namespace c = detail::crypto;
    std::string_view parts[6];
    std::size_t count = 0;
    for (std::size_t at = 0; count < 6;) {
        const std::size_t end = stored.find('$', at);
        parts[count++] = stored.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        if (end == std::string_view::npos) break;
        at = end + 1;
    }
    if (count != 6 || parts[0] != "scrypt" || stored.find('$', static_cast<std::size_t>(parts[5].data() - stored.data())) !=
                                                  std::string_view::npos)
        return false;
    const auto n = c::parse_u64(parts[1]);
    const auto r = c::parse_u64(parts[2]);
    const auto p = c::parse_u64(parts[3]);
    const auto salt = c::base64url_decode(parts[4]);
    const auto key = c::base64url_decode(parts[5]);
    // Refuse work factors an attacker could use to exhaust memory or time through a forged hash.
    if (!n || !r || !p || !salt || !key || *n < 2 || *n > (std::uint64_t{1} << 20) || *r == 0 || *r > 32 || *p == 0 ||
        *p > 16 || key->size() != c::password_key_size)
        return false;
    try {
        return c::equal_constant_time(c::scrypt(password, *salt, password_options{*n, *r, *p}), *key);
    } catch (const std::invalid_argument&) {
        return false;
    }
}

}  // namespace vial

#endif  // VIAL_WEB_CRYPTO_HPP
