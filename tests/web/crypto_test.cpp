#include <vial/web/crypto.hpp>

#include <gtest/gtest.h>

#include <string>

namespace c = vial::detail::crypto;

TEST(web_crypto, hmac_sha256_matches_rfc4231_case_2) {
    const auto d = c::hmac_sha256("Jefe", "what do ya want for nothing?");
    std::string hex;
    for (unsigned char b : d) {
        const char* digits = "0123456789abcdef";
        hex += digits[b >> 4];
        hex += digits[b & 15];
    }
    EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(web_crypto, base64url_round_trips_every_length_without_padding) {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        const std::string enc = c::base64url_encode(bytes);
        EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
        const auto dec = c::base64url_decode(enc);
        ASSERT_TRUE(dec);
        EXPECT_EQ(*dec, bytes);
        bytes += static_cast<char>(n * 37 + 250);
    }
    EXPECT_EQ(c::base64url_encode("\xfb\xff"), "-_8");
}

TEST(web_crypto, base64url_rejects_foreign_characters_bad_lengths_and_stray_bits) {
    EXPECT_FALSE(c::base64url_decode("ab=c"));
    EXPECT_FALSE(c::base64url_decode("ab+c"));
    EXPECT_FALSE(c::base64url_decode("abcde"));  // 5 chars: impossible length
    EXPECT_FALSE(c::base64url_decode("QR"));     // "QQ" is "A"; "QR" has a non-zero trailing bit
    EXPECT_EQ(*c::base64url_decode("QQ"), "A");
}

TEST(web_crypto, constant_time_equality) {
    EXPECT_TRUE(c::equal_constant_time("abc", "abc"));
    EXPECT_FALSE(c::equal_constant_time("abc", "abd"));
    EXPECT_FALSE(c::equal_constant_time("abc", "ab"));
    EXPECT_TRUE(c::equal_constant_time("", ""));
}

TEST(web_crypto, random_bytes_differ) {
    EXPECT_EQ(c::random_bytes(32).size(), 32u);
    EXPECT_NE(c::random_bytes(32), c::random_bytes(32));
}

TEST(web_password, hash_verifies_the_password_and_nothing_else) {
    const vial::password_options cheap{1 << 10, 8, 1};  // fast for the test; the default is 2^14
    const std::string h = vial::hash_password("correct horse", cheap);
    EXPECT_TRUE(h.starts_with("scrypt$1024$8$1$"));
    EXPECT_TRUE(vial::verify_password("correct horse", h));
    EXPECT_FALSE(vial::verify_password("correct horsf", h));
    EXPECT_FALSE(vial::verify_password("", h));
    // A fresh salt each time: the same password hashes differently, and both verify.
    const std::string h2 = vial::hash_password("correct horse", cheap);
    EXPECT_NE(h, h2);
    EXPECT_TRUE(vial::verify_password("correct horse", h2));
}

TEST(web_password, default_work_factor_verifies) {
    const std::string h = vial::hash_password("pw");
    EXPECT_TRUE(h.starts_with("scrypt$16384$8$1$"));
    EXPECT_TRUE(vial::verify_password("pw", h));
}

TEST(web_password, malformed_or_hostile_hashes_do_not_verify) {
    const std::string h = vial::hash_password("pw", {1 << 10, 8, 1});
    EXPECT_FALSE(vial::verify_password("pw", ""));
    EXPECT_FALSE(vial::verify_password("pw", "plain"));
    EXPECT_FALSE(vial::verify_password("pw", h + "$x"));
    EXPECT_FALSE(vial::verify_password("pw", h.substr(0, h.size() - 2)));
    std::string other_key = h;
    other_key.back() = other_key.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(vial::verify_password("pw", other_key));
    // Work factors that would exhaust memory are refused, not computed.
    EXPECT_FALSE(vial::verify_password("pw", "scrypt$1099511627776$8$1$AAAAAAAAAAAAAAAAAAAAAA$"
                                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    EXPECT_FALSE(vial::verify_password("pw", "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}
