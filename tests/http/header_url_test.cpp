#include <vial/http/url.hpp>
#include <vial/http/url.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/url.hpp> is self-contained: it is included first, before anything else.
TEST(Header_url, SelfContained) {
    EXPECT_EQ(vial::percent_decode("a%2Bb+c", true), "a+b c");
}
