#include <vial/typed/json_writer.hpp>

#include "types.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace {

struct numbers {
    BOOST_HANA_DEFINE_STRUCT(numbers,
        (std::int8_t, i8), (std::uint8_t, u8), (std::int16_t, i16), (std::uint16_t, u16),
        (std::int32_t, i32), (std::uint32_t, u32), (std::int64_t, i64), (std::uint64_t, u64),
        (long long, ll), (unsigned long, ul), (signed char, sc), (unsigned char, uc),
        (float, f), (double, d), (long double, ld), (bool, b));
};

struct everything {
    BOOST_HANA_DEFINE_STRUCT(everything,
        (std::string, text), (shop::status, state), (vial::uuid, id), (std::optional<int>, none),
        (std::optional<std::string>, some), (std::vector<double>, values), (std::map<std::string, bool>, flags),
        (nlohmann::json, any), (std::vector<shop::item>, items), (std::optional<shop::item>, first),
        (std::map<std::string, std::vector<int>>, groups));
};

TEST(typed_json_writer, integers_at_their_limits_as_nlohmann) {
    numbers lo{std::numeric_limits<std::int8_t>::min(), 0, std::numeric_limits<std::int16_t>::min(), 0,
               std::numeric_limits<std::int32_t>::min(), 0, std::numeric_limits<std::int64_t>::min(), 0,
               std::numeric_limits<long long>::min(), 0, -128, 0, -1.5f, -0.0, -2.5L, false};
    numbers hi{127, 255, 32767, 65535, std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::uint32_t>::max(),
               std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::uint64_t>::max(),
               std::numeric_limits<long long>::max(), std::numeric_limits<unsigned long>::max(), 127, 255,
               std::numeric_limits<float>::max(), std::numeric_limits<double>::max(), 1e300L, true};
    for (const numbers& n : {lo, hi}) {
        // The tree built by hand, member by member, as an application would.
        nlohmann::json j;
        j["i8"] = n.i8; j["u8"] = n.u8; j["i16"] = n.i16; j["u16"] = n.u16; j["i32"] = n.i32; j["u32"] = n.u32;
        j["i64"] = n.i64; j["u64"] = n.u64; j["ll"] = n.ll; j["ul"] = n.ul; j["sc"] = n.sc; j["uc"] = n.uc;
        j["f"] = n.f; j["d"] = n.d; j["ld"] = static_cast<double>(n.ld); j["b"] = n.b;
        EXPECT_EQ(vial::to_json_string(n), j.dump());
    }
}

TEST(typed_json_writer, floats_as_nlohmann_writes_them) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::uint64_t> bits;
    const double fixed[] = {0.0, -0.0, 1.0, 0.1, 1e15, 1e16, 1e17, 1e-4, 1e-5, 123456789.125, 5e-324,
                            std::numeric_limits<double>::infinity(), std::nan(""), 1.0 / 3};
    for (double d : fixed) EXPECT_EQ(vial::to_json_string(d), nlohmann::json(d).dump()) << d;
    for (int i = 0; i < 20000; ++i) {
        double d;
        const std::uint64_t b = bits(rng);
        std::memcpy(&d, &b, sizeof d);
        ASSERT_EQ(vial::to_json_string(d), nlohmann::json(d).dump());
        const auto f = static_cast<float>(d);
        ASSERT_EQ(vial::to_json_string(f), nlohmann::json(f).dump());
    }
}

TEST(typed_json_writer, strings_escaped_as_nlohmann) {
    std::string all;
    for (int c = 1; c < 128; ++c) all += static_cast<char>(c);
    all += std::string("\0", 1);
    const std::string texts[] = {
        "", "plain", all, "quote \" backslash \\ slash /", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87",
        "tab\there\nnewline\r\x01\x1f\x7f", std::string(100, 'x') + "\"" + std::string(9, 'y'),
        "\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf"};
    for (const auto& s : texts) EXPECT_EQ(vial::to_json_string(s), nlohmann::json(s).dump());
}

TEST(typed_json_writer, invalid_utf8_throws_as_nlohmann_does) {
    for (std::string bad : {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
        EXPECT_THROW((void)vial::to_json_string(bad), vial::invalid_utf8);
        EXPECT_THROW((void)nlohmann::json(bad).dump(), nlohmann::json::type_error);
    }
}

TEST(typed_json_writer, every_member_type_as_nlohmann) {
    everything e;
    e.text = "h\xc3\xa9llo \"w\"\n";
    e.state = shop::status::doing;
    (void)vial::uuid::parse("123e4567-e89b-12d3-a456-426614174000", e.id);
    e.some = "x";
    e.values = {1.5, -2, 1e100};
    e.flags = {{"z", true}, {"a", false}, {"\xc3\xa9", true}};
    e.any = nlohmann::json::parse(R"({"b": [1, 2.5, null, "s"], "a": {}})");
    e.items = {{"pen", 1.25, 3}, {"ink", 2, 1}};
    e.groups = {{"x", {1, 2}}, {"w", {}}};
    nlohmann::json j;
    j["text"] = e.text;
    j["state"] = "doing";
    j["id"] = "123e4567-e89b-12d3-a456-426614174000";
    j["none"] = nullptr;
    j["some"] = "x";
    j["values"] = {1.5, -2.0, 1e100};
    j["flags"] = {{"z", true}, {"a", false}, {"\xc3\xa9", true}};
    j["any"] = e.any;
    j["items"] = {{{"name", "pen"}, {"price", 1.25}, {"quantity", 3}}, {{"name", "ink"}, {"price", 2.0}, {"quantity", 1}}};
    j["first"] = nullptr;
    j["groups"] = {{"x", {1, 2}}, {"w", nlohmann::json::array()}};
    EXPECT_EQ(vial::to_json_string(e), j.dump());
    EXPECT_EQ(vial::to_nlohmann(e), j);
    e.first = e.items[0];
    j["first"] = j["items"][0];
    EXPECT_EQ(vial::to_json_string(e), j.dump());
}

TEST(typed_json_writer, round_trips_through_the_reader) {
    shop::todo t{"milk", 2, shop::status::done, "note", {"a"}, {{"x", 1.5, 2}}, {}, 4, true, {{"k", 1}}};
    const std::string text = vial::to_json_string(t);
    auto r = vial::read_json<shop::todo>(text);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vial::to_json_string(r.value), text);
}

TEST(typed_json_writer, appends) {
    std::string out = "x";
    vial::write_json(out, std::vector<int>{1, 2});
    EXPECT_EQ(out, "x[1,2]");
}

}  // namespace
