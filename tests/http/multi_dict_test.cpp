#include <vial/http/multi_dict.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

TEST(MultiDict, GetReturnsFirstValueOrNullopt) {
    vial::multi_dict d{{"a", "1"}, {"b", "2"}, {"a", "3"}};
    EXPECT_EQ(d.get("a"), "1");
    EXPECT_EQ(d.get("zz"), std::nullopt);
    EXPECT_EQ(d.get_or("zz", "dflt"), "dflt");
    EXPECT_EQ(d.count("a"), 2u);
    EXPECT_FALSE(d.contains("A"));  // keys are case-sensitive
}

TEST(MultiDict, IteratesEveryPairInOrder) {
    vial::multi_dict d{{"a", "1"}, {"b", "2"}, {"a", "3"}};
    std::vector<std::pair<std::string, std::string>> seen(d.begin(), d.end());
    EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
    EXPECT_EQ(d.keys(), (std::vector<std::string>{"a", "b"}));
}

TEST(MultiDict, SetReplacesAllValuesEraseRemovesThem) {
    vial::multi_dict d{{"a", "1"}, {"b", "2"}, {"a", "3"}};
    d.set("a", "9");
    EXPECT_EQ(d.get_all("a"), std::vector<std::string>{"9"});
    EXPECT_EQ(d.erase("b"), 1u);
    EXPECT_EQ(d.size(), 1u);
}

TEST(MultiDict, GetAsConvertsWholeValuesOnly) {
    vial::multi_dict d{{"page", "3"}, {"neg", "-7"}, {"plus", "+4"}, {"bad", "3x"}, {"ratio", "0.5"},
                       {"on", "on"},  {"off", "0"},  {"huge", "99999999999999999999"}, {"empty", ""}};
    EXPECT_EQ(d.get_as<int>("page"), 3);
    EXPECT_EQ(d.get_as<int>("neg"), -7);
    EXPECT_EQ(d.get_as<unsigned>("neg"), std::nullopt);
    EXPECT_EQ(d.get_as<int>("plus"), 4);
    EXPECT_EQ(d.get_as<int>("bad"), std::nullopt);
    EXPECT_EQ(d.get_as<int>("huge"), std::nullopt);
    EXPECT_EQ(d.get_as<int>("empty"), std::nullopt);
    EXPECT_EQ(d.get_as<int>("missing"), std::nullopt);
    EXPECT_EQ(d.get_as<double>("ratio"), 0.5);
    EXPECT_EQ(d.get_as<bool>("on"), true);
    EXPECT_EQ(d.get_as<bool>("off"), false);
    EXPECT_EQ(d.get_as<bool>("bad"), std::nullopt);
}

TEST(MultiDict, AtThrowsBadRequestForMissingKey) {
    vial::multi_dict d{{"a", "1"}};
    EXPECT_EQ(d.at("a"), "1");
    try {
        (void)d.at("name");
        FAIL() << "expected http_error";
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.reason(), "missing required field 'name'");
    }
}

}  // namespace
