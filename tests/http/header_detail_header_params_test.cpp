#include <vial/http/detail/header_params.hpp>

#include <gtest/gtest.h>

// Proves <vial/http/detail/header_params.hpp> is self-contained: it is included first.
TEST(Header_detail_header_params, SelfContained) {
    const auto v = vial::detail::http_text::parse_header_value("Text/HTML; Charset=\"utf-8\"; junk; q=1");
    EXPECT_EQ(v.value, "text/html");
    ASSERT_NE(v.param("charset"), nullptr);
    EXPECT_EQ(*v.param("charset"), "utf-8");
    EXPECT_EQ(*v.param("q"), "1");
    EXPECT_EQ(v.params.size(), 2u);
}
