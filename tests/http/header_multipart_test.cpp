#include <vial/http/multipart.hpp>
#include <vial/http/multipart.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/multipart.hpp> is self-contained: it is included first, before anything else.
TEST(Header_multipart, SelfContained) {
    EXPECT_EQ(vial::parse_multipart("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--", "b").fields.get("a"), "1");
}
