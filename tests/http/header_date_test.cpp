#include <vial/http/date.hpp>
#include <vial/http/date.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/date.hpp> is self-contained: it is included first, before anything else.
TEST(Header_date, SelfContained) {
    EXPECT_EQ(vial::format_http_date({}), "Thu, 01 Jan 1970 00:00:00 GMT");
}
