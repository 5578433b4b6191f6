#include <vial/http/cookies.hpp>
#include <vial/http/cookies.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/cookies.hpp> is self-contained: it is included first, before anything else.
TEST(Header_cookies, SelfContained) {
    EXPECT_EQ(vial::format_set_cookie("a", "b"), "a=b; Path=/");
}
