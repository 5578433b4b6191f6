#include <vial/http/request.hpp>
#include <vial/http/request.hpp>  // guarded: a second include is harmless
#include <vial/http/raw.hpp>  // to build one from a Beast message

#include <gtest/gtest.h>

// Proves <vial/http/request.hpp> is self-contained: it is included first, before anything else.
TEST(Header_request, SelfContained) {
    EXPECT_EQ(vial::request(vial::raw_request{boost::beast::http::verb::get, "/?a=b+c", 11}).args().get("a"), "b c");
}
