#include <vial/web/session_codec.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using clock_type = std::chrono::system_clock;

namespace {
const vial::secret_keys keys{"0123456789abcdef-new-key"};
const auto t0 = clock_type::time_point(std::chrono::seconds(1'800'000'000));
const nlohmann::json data = {{"user_id", "42"}, {"n", 3}};
}  // namespace

TEST(web_session_codec, round_trips_a_json_object) {
    const vial::session_codec codec(keys);
    const std::string v = codec.encode(data, t0);
    EXPECT_EQ(v.find_first_of(" ;,\"\\="), std::string::npos);  // cookie-safe as it is
    const auto back = codec.decode(v, t0 + 10s, 3600s);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, data);
}

TEST(web_session_codec, any_changed_byte_is_rejected) {
    const vial::session_codec codec(keys);
    const std::string v = codec.encode(data, t0);
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::string t = v;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        if (t == v) continue;
        EXPECT_FALSE(codec.decode(t, t0, 3600s)) << "byte " << i;
    }
}

TEST(web_session_codec, truncated_and_garbage_values_are_rejected) {
    const vial::session_codec codec(keys);
    const std::string v = codec.encode(data, t0);
    for (std::size_t n = 0; n < v.size(); ++n) EXPECT_FALSE(codec.decode(v.substr(0, n), t0, 3600s)) << n;
    for (const char* bad : {"", ".", "..", "...", "a.b.c", "e30.1.", "e30..x", "\xff\xfe.1.2"})
        EXPECT_FALSE(codec.decode(bad, t0, 3600s)) << bad;
    EXPECT_FALSE(codec.decode(v + "." + v, t0, 3600s));
    EXPECT_FALSE(codec.decode(std::string(5000, 'a'), t0, 3600s));
}

TEST(web_session_codec, expired_and_future_signatures_are_rejected) {
    const vial::session_codec codec(keys);
    const std::string v = codec.encode(data, t0);
    EXPECT_TRUE(codec.decode(v, t0 + 3600s, 3600s));
    EXPECT_FALSE(codec.decode(v, t0 + 3601s, 3600s));
    EXPECT_TRUE(codec.decode(v, t0 - 30s, 3600s));   // a little clock skew
    EXPECT_FALSE(codec.decode(v, t0 - 600s, 3600s));  // signed in the future
}

TEST(web_session_codec, old_keys_verify_and_the_newest_signs) {
    const vial::secret_keys old_only{"0123456789abcdef-old-key"};
    const vial::secret_keys rotated{"0123456789abcdef-new-key", "0123456789abcdef-old-key"};
    const std::string from_old = vial::session_codec(old_only).encode(data, t0);
    const vial::session_codec codec(rotated);
    EXPECT_TRUE(codec.decode(from_old, t0, 3600s));                    // old cookies still verify
    const std::string fresh = codec.encode(data, t0);
    EXPECT_TRUE(vial::session_codec(keys).decode(fresh, t0, 3600s));   // signed with the newest
    EXPECT_FALSE(vial::session_codec(old_only).decode(fresh, t0, 3600s));
    // Once the old key is retired, its cookies no longer verify.
    EXPECT_FALSE(vial::session_codec(keys).decode(from_old, t0, 3600s));
}

TEST(web_session_codec, a_different_salt_is_a_different_signature) {
    const std::string v = vial::session_codec(keys).encode(data, t0);
    EXPECT_FALSE(vial::session_codec(keys, "other.purpose").decode(v, t0, 3600s));
}

TEST(web_session_codec, signed_non_objects_are_rejected) {
    const vial::session_codec codec(keys);
    EXPECT_FALSE(codec.decode(codec.encode(nlohmann::json::array({1, 2}), t0), t0, 3600s));
    EXPECT_FALSE(codec.decode(codec.encode("text", t0), t0, 3600s));
}
