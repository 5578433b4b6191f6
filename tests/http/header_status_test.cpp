#include <vial/http/status.hpp>
#include <vial/http/status.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/status.hpp> is self-contained: it is included first, before anything else.
TEST(Header_status, SelfContained) {
    EXPECT_EQ(vial::status_reason(404), "Not Found");
}
