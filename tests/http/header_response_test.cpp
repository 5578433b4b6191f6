#include <vial/http/response.hpp>
#include <vial/http/response.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/response.hpp> is self-contained: it is included first, before anything else.
TEST(Header_response, SelfContained) {
    EXPECT_EQ(vial::redirect("/x", 308).header("Location"), "/x");
}
