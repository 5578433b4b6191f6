#ifndef VIAL_WEB_SESSION_CODEC_HPP
#define VIAL_WEB_SESSION_CODEC_HPP

/// @file
/// The session cookie's value: the session's JSON object, a timestamp and an HMAC-SHA256
/// signature, as Flask's default (itsdangerous) session does:
///
///     cookie    = payload "." timestamp "." signature
///     payload   = base64url(JSON object)          ; no padding
///     timestamp = decimal seconds since the epoch  ; when the cookie was signed
///     signature = base64url(HMAC-SHA256(K, payload "." timestamp))
///     K         = HMAC-SHA256(secret key, "vial.session")
///
/// The data is signed, not encrypted: the user can read it (do not store secrets in it) but
/// cannot change it. Decoding never throws: a value that is not exactly what `encode` makes
/// with one of the keys, or that is older than the maximum age, gives std::nullopt.

#include <vial/web/crypto.hpp>
#include <vial/web/secret_keys.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vial {

/// Signs and verifies session cookie values with a set of keys.
class session_codec {
public:
    /// The largest value `decode` looks at (a browser keeps 4096 bytes per cookie).
    static constexpr std::size_t max_value_size = 4096;

    /// @param keys the keys, newest (signing) first
    /// @param salt separates these signatures from others made with the same keys
    explicit session_codec(const secret_keys& keys, std::string_view salt = "vial.session") {
        derived_.reserve(keys.all().size());
        for (const auto& key : keys.all()) {
            const auto d = detail::crypto::hmac_sha256(key, salt);
            derived_.emplace_back(reinterpret_cast<const char*>(d.data()), d.size());
        }
    }

    /// @param data a JSON object
    /// @param now the signing time
    /// @return the cookie value, signed with the newest key
    [[nodiscard]] std::string encode(const nlohmann::json& data, std::chrono::system_clock::time_point now) const {
        std::string out = detail::crypto::base64url_encode(data.dump());
        out += '.';
        out += std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
        const auto sig = detail::crypto::hmac_sha256(derived_.front(), out);
        out += '.';
        out += detail::crypto::base64url_encode(
            std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size()));
        return out;
    }

    /// @param value a cookie value
    /// @param now the current time
    /// @param max_age how old a signature may be
    /// @return the JSON object, or std::nullopt when the value is malformed, signed with no
    ///         known key, too old, from the future (by more than a minute) or not an object
    [[nodiscard]] std::optional<nlohmann::json> decode(std::string_view value, std::chrono::system_clock::time_point now,
                                                       std::chrono::seconds max_age) const noexcept {
        try {
            if (value.size() > max_value_size) return std::nullopt;
            const std::size_t dot2 = value.rfind('.');
            if (dot2 == std::string_view::npos || dot2 == 0) return std::nullopt;
            const std::size_t dot1 = value.rfind('.', dot2 - 1);
            if (dot1 == std::string_view::npos) return std::nullopt;
            const std::string_view signed_part = value.substr(0, dot2);
            const auto sig = detail::crypto::base64url_decode(value.substr(dot2 + 1));
            if (!sig || sig->size() != detail::crypto::sha256_size) return std::nullopt;
            bool verified = false;
            for (const auto& key : derived_) {
                const auto expected = detail::crypto::hmac_sha256(key, signed_part);
                verified |= detail::crypto::equal_constant_time(
                    *sig, std::string_view(reinterpret_cast<const char*>(expected.data()), expected.size()));
            }
            if (!verified) return std::nullopt;
            // Signed by us from here on: the rest is as encode() wrote it, unless it is too old.
            const auto stamp = detail::crypto::parse_u64(value.substr(dot1 + 1, dot2 - dot1 - 1));
            if (!stamp) return std::nullopt;
            const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
            const auto age = static_cast<long long>(now_s) - static_cast<long long>(*stamp);
            if (*stamp > (std::uint64_t{1} << 40) || age > max_age.count() || age < -60) return std::nullopt;
            const auto text = detail::crypto::base64url_decode(value.substr(0, dot1));
            if (!text) return std::nullopt;
            auto data = nlohmann::json::parse(*text, nullptr, false);
            if (data.is_discarded() || !data.is_object()) return std::nullopt;
            return data;
        } catch (...) {
            return std::nullopt;
        }
    }

private:
    std::vector<std::string> derived_;
};

}  // namespace vial

#endif  // VIAL_WEB_SESSION_CODEC_HPP
