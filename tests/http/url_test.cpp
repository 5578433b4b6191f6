#include <vial/http/url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(PercentDecode, DecodesEscapesInEitherCase) {
    EXPECT_EQ(vial::percent_decode("a%20b%2fc%2Fd"), "a b/c/d");
    EXPECT_EQ(vial::percent_decode("%E2%82%AC"), "\xE2\x82\xAC");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
    EXPECT_EQ(vial::percent_decode("a+b%2B"), "a+b+");
    EXPECT_EQ(vial::percent_decode("a+b%2B", true), "a b+");
}

TEST(PercentDecode, KeepsMalformedEscapesLiterally) {
    EXPECT_EQ(vial::percent_decode("100%"), "100%");
    EXPECT_EQ(vial::percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(vial::percent_decode("%%41"), "%A");
    EXPECT_EQ(vial::percent_decode("%4g"), "%4g");
}

TEST(PercentDecode, DecodesNulAndHighBytes) {
    EXPECT_EQ(vial::percent_decode("a%00b%FF"), std::string("a\0b\xFF", 4));
}

TEST(PercentEncode, KeepsUnreservedAndSafe) {
    EXPECT_EQ(vial::percent_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(vial::percent_encode("a b/c?d&e"), "a%20b%2Fc%3Fd%26e");
    EXPECT_EQ(vial::percent_encode("a b/c", "/"), "a%20b/c");
}

TEST(PercentEncode, AlwaysEncodesPercentAndUsesUppercaseHex) {
    EXPECT_EQ(vial::percent_encode("100%", "%"), "100%25");
    EXPECT_EQ(vial::percent_encode("\xE2\x82\xAC"), "%E2%82%AC");
}

TEST(PercentEncode, RoundTripsEveryByte) {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    EXPECT_EQ(vial::percent_decode(vial::percent_encode(all)), all);
}

TEST(ParseQuery, KeepsRepeatedKeysInOrder) {
    const auto q = vial::parse_query("tag=a&x=1&tag=b&tag=c");
    EXPECT_EQ(q.get_all("tag"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(q.get("tag"), "a");
    EXPECT_EQ(q.size(), 4u);
}

TEST(ParseQuery, DecodesKeysAndValues) {
    const auto q = vial::parse_query("first+name=J%C3%BCrgen+M&a%26b=c%3Dd");
    EXPECT_EQ(q.get("first name"), "J\xC3\xBCrgen M");
    EXPECT_EQ(q.get("a&b"), "c=d");
}

TEST(ParseQuery, ToleratesEmptyPairsAndMissingValues) {
    const auto q = vial::parse_query("&&flag&empty=&=v&x=1=2&");
    EXPECT_TRUE(q.contains("flag"));
    EXPECT_EQ(q.get("flag"), "");
    EXPECT_EQ(q.get("empty"), "");
    EXPECT_EQ(q.get(""), "v");
    EXPECT_EQ(q.get("x"), "1=2");
    EXPECT_EQ(q.size(), 4u);
}

TEST(ParseQuery, EmptyStringGivesNothing) { EXPECT_TRUE(vial::parse_query("").empty()); }

TEST(Urlencode, EncodesSpacesAsPlusAndRoundTrips) {
    vial::multi_dict d;
    d.add("q", "red shoes & socks");
    d.add("tag", "a+b");
    d.add("tag", "\xC3\xA9");
    const auto encoded = vial::urlencode(d);
    EXPECT_EQ(encoded, "q=red+shoes+%26+socks&tag=a%2Bb&tag=%C3%A9");
    EXPECT_EQ(vial::parse_query(encoded), d);
}

}  // namespace
