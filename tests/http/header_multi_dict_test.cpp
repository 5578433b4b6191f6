#include <vial/http/multi_dict.hpp>
#include <vial/http/multi_dict.hpp>  // guarded: a second include is harmless

#include <gtest/gtest.h>

// Proves <vial/http/multi_dict.hpp> is self-contained: it is included first, before anything else.
TEST(Header_multi_dict, SelfContained) {
    EXPECT_EQ((vial::multi_dict{{"a", "1"}, {"a", "2"}}).get_all("a").size(), 2u);
}
