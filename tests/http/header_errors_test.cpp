#include <vial/http/errors.hpp>
#include <vial/http/errors.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/errors.hpp> is self-contained: it is included first, before anything else.
TEST(Header_errors, SelfContained) {
    EXPECT_EQ(vial::http_error(404).to_response().status(), 404u);
}
