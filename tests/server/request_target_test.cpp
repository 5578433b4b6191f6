// The request-target and Host checks of RFC 9112 3.2 and RFC 3986 on their own.
#include <vial/server/detail/request_target.hpp>

#include <gtest/gtest.h>

namespace {

using namespace vial::server::detail;

static_assert(is_valid_host("example.com:8080"));
static_assert(!is_valid_host("a b"));
static_assert(classify_request_target("GET", "plaintext") == target_form::invalid);

TEST(request_target, ipv6_addresses) {
    for (const char* a : {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1::8", "2001:db8::7", "::ffff:192.0.2.1",
                          "1:2:3:4:5:6:1.2.3.4", "fe80::1:2", "ABCD:ef01::"})
        EXPECT_TRUE(is_ipv6_address(a)) << a;
    for (const char* a : {"", ":", ":1", "1:", "1:::2", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
                          "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::256.1.1.1", "::01.1.1.1",
                          "1::8:", "::1.2.3.4:5"})
        EXPECT_FALSE(is_ipv6_address(a)) << a;
}

TEST(request_target, ip_literals) {
    EXPECT_TRUE(is_ip_literal("[::1]"));
    EXPECT_TRUE(is_ip_literal("[v7.a:b!]"));
    EXPECT_FALSE(is_ip_literal("[v.a]"));
    EXPECT_FALSE(is_ip_literal("[v7.]"));
    EXPECT_FALSE(is_ip_literal("[v7a]"));
    EXPECT_FALSE(is_ip_literal("[]"));
    EXPECT_FALSE(is_ip_literal("::1"));
}

TEST(request_target, hosts) {
    for (const char* h : {"", "a", "a:", "a:0", "a:65535", "[::1]:80", "1.2.3.4:5", "%41b", "0.0.0.0=5000"})
        EXPECT_TRUE(is_valid_host(h)) << h;
    for (const char* h : {" a", "a b", "a/b", "user@a", "a:65536", "a:000001", "a:-1", "[::1]:x", "[::1]]", "%4",
                          "a%4g", "[::1]80", "a:b:c"})
        EXPECT_FALSE(is_valid_host(h)) << h;
}

TEST(request_target, forms) {
    EXPECT_EQ(classify_request_target("GET", "/"), target_form::origin);
    EXPECT_EQ(classify_request_target("GET", "http://a/b"), target_form::absolute);
    EXPECT_EQ(classify_request_target("GET", "svn+ssh://a/b"), target_form::absolute);
    EXPECT_EQ(classify_request_target("OPTIONS", "*"), target_form::asterisk);
    EXPECT_EQ(classify_request_target("CONNECT", "a:443"), target_form::authority);
    EXPECT_EQ(classify_request_target("CONNECT", "[::1]:443"), target_form::authority);
    EXPECT_EQ(classify_request_target("CONNECT", "[::1]"), target_form::invalid);
    EXPECT_EQ(classify_request_target("CONNECT", ":443"), target_form::invalid);
    EXPECT_EQ(classify_request_target("CONNECT", "a:"), target_form::invalid);
    EXPECT_EQ(classify_request_target("GET", "a:443"), target_form::invalid);
    EXPECT_EQ(classify_request_target("GET", "plaintext"), target_form::invalid);
    EXPECT_EQ(classify_request_target("GET", "mailto:a@b"), target_form::invalid);
}

TEST(request_target, authorities_of_absolute_targets) {
    EXPECT_EQ(check_target_authority("a:80"), "");
    EXPECT_EQ(check_target_authority("[::1]"), "");
    EXPECT_EQ(check_target_authority("user@a"), "user info in the request target");
    EXPECT_EQ(check_target_authority("@a"), "user info in the request target");
    EXPECT_EQ(check_target_authority(""), "empty host in the request target");
    EXPECT_EQ(check_target_authority(":80"), "empty host in the request target");
    EXPECT_EQ(check_target_authority("a!b c"), "invalid host in the request target");
}

}  // namespace
