#include <vial/typed/json_reader.hpp>

#include "types.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

const char* good = R"({"title": "milk", "state": "doing", "note": null, "tags": ["a", "b"],
  "items": [{"name": "x", "price": 1.5, "quantity": 2}, {"name": "y", "price": 2}],
  "owner": "123E4567-e89b-12d3-a456-426614174000", "level": 2, "done": true, "counts": {"k": 7}})";

TEST(typed_json_reader, fills_every_member_type) {
    auto r = vial::read_json<shop::todo>(good);
    ASSERT_TRUE(r.ok()) << (r.malformed ? r.malformed->what() : vial::validation_error(r.errors).to_json().dump());
    const shop::todo& t = r.value;
    EXPECT_EQ(t.title, "milk");
    EXPECT_EQ(t.priority, 3);  // default
    EXPECT_EQ(t.state, shop::status::doing);
    EXPECT_FALSE(t.note.has_value());
    EXPECT_EQ(t.tags, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(t.items.size(), 2u);
    EXPECT_EQ(t.items[0].quantity, 2);
    EXPECT_EQ(t.items[1].quantity, 1);  // default
    EXPECT_DOUBLE_EQ(t.items[1].price, 2.0);
    EXPECT_EQ(t.owner.to_string(), "123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ(t.level, 2);
    EXPECT_TRUE(t.done);
    EXPECT_EQ(t.counts.at("k"), 7);
}

TEST(typed_json_reader, collects_every_error_with_its_location) {
    const char* bad = R"({"title": "", "priority": 9, "state": "gone", "tags": ["a", 1, "c", "d"],
      "items": [{"name": "x", "price": 0}, {"price": "2"}, 5], "owner": "nope", "level": 300,
      "done": "yes", "extra": 1})";
    auto r = vial::read_json<shop::todo>(bad);
    ASSERT_FALSE(r.malformed);
    const auto j = vial::validation_error(r.errors).to_json();
    auto has = [&](const char* type, nlohmann::json loc) {
        for (const auto& e : j["detail"])
            if (e["type"] == type && e["loc"] == loc) return true;
        return false;
    };
    EXPECT_TRUE(has("string_too_short", {"body", "title"})) << j.dump(1);
    EXPECT_TRUE(has("less_than_equal", {"body", "priority"}));
    EXPECT_TRUE(has("enum", {"body", "state"}));
    EXPECT_TRUE(has("string_type", {"body", "tags", 1}));
    EXPECT_TRUE(has("greater_than", {"body", "items", 0, "price"}));
    EXPECT_TRUE(has("float_type", {"body", "items", 1, "price"}));
    EXPECT_TRUE(has("missing", {"body", "items", 1, "name"}));
    EXPECT_TRUE(has("model_attributes_type", {"body", "items", 2}));
    EXPECT_TRUE(has("uuid_parsing", {"body", "owner"}));
    EXPECT_TRUE(has("less_than_equal", {"body", "level"}));  // 300 into std::uint8_t, never a wrap
    EXPECT_TRUE(has("bool_type", {"body", "done"}));
    EXPECT_TRUE(has("extra_forbidden", {"body", "extra"}));
    EXPECT_EQ(j["detail"].size(), 12u) << j.dump(1);
}

TEST(typed_json_reader, errors_have_fastapis_shape) {
    auto r = vial::read_json<shop::item>(R"({"price": 0, "quantity": 0})");
    const auto j = vial::validation_error(r.errors).to_json();
    EXPECT_EQ(j, nlohmann::json::parse(R"({"detail": [
      {"type": "greater_than", "loc": ["body", "price"], "msg": "Input should be greater than 0", "input": 0, "ctx": {"gt": 0}},
      {"type": "greater_than_equal", "loc": ["body", "quantity"], "msg": "Input should be greater than or equal to 1", "input": 0, "ctx": {"ge": 1}},
      {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {"price": 0, "quantity": 0}}]})"));
}

TEST(typed_json_reader, the_tail_of_a_list_too_long_and_a_literal) {
    auto r = vial::read_json<shop::todo>(R"({"title": "t", "tags": ["a","b","c","d"], "items": [], "owner":
        "123e4567-e89b-12d3-a456-426614174000", "level": 3, "done": false})");
    const auto j = vial::validation_error(r.errors).to_json();
    ASSERT_EQ(j["detail"].size(), 2u) << j.dump(1);
    EXPECT_EQ(j["detail"][0]["type"], "too_long");
    EXPECT_EQ(j["detail"][0]["msg"], "List should have at most 3 items after validation, not 4");
    EXPECT_EQ(j["detail"][1]["type"], "literal_error");
    EXPECT_EQ(j["detail"][1]["msg"], "Input should be 1, 2 or 4");
}

TEST(typed_json_reader, integers_are_range_checked) {
    EXPECT_EQ(vial::parse_json<std::uint8_t>("255"), 255);
    EXPECT_EQ(vial::parse_json<std::int8_t>("-128"), -128);
    EXPECT_EQ(vial::parse_json<std::int64_t>("-9223372036854775808"), INT64_MIN);
    EXPECT_EQ(vial::parse_json<std::uint64_t>("18446744073709551615"), UINT64_MAX);
    EXPECT_EQ(vial::parse_json<int>("2.0"), 2);  // a whole float, as pydantic takes it
    auto e = [](auto r) { return r.errors.empty() ? std::string() : r.errors[0].type; };
    EXPECT_EQ(e(vial::read_json<std::uint8_t>("256")), "less_than_equal");
    EXPECT_EQ(e(vial::read_json<std::uint8_t>("-1")), "greater_than_equal");
    EXPECT_EQ(e(vial::read_json<std::int8_t>("-129")), "greater_than_equal");
    EXPECT_EQ(e(vial::read_json<std::uint64_t>("18446744073709551616")), "less_than_equal");
    EXPECT_EQ(e(vial::read_json<int>("1.5")), "int_from_float");
    EXPECT_EQ(e(vial::read_json<int>("\"1\"")), "int_type");
    EXPECT_EQ(e(vial::read_json<int>("null")), "int_type");
    EXPECT_EQ(e(vial::read_json<float>("1e39")), "finite_number");
    EXPECT_EQ(e(vial::read_json<double>("1e400")), "finite_number");
    EXPECT_EQ(vial::parse_json<double>("1e-400"), 0.0);
    // Beyond a double: out of the integer's range, or 0.
    EXPECT_EQ(e(vial::read_json<int>("1e400")), "less_than_equal");
    EXPECT_EQ(e(vial::read_json<int>("-1e400")), "greater_than_equal");
    EXPECT_EQ(vial::parse_json<int>("1e-400"), 0);
    EXPECT_EQ(vial::parse_json<int>("-0.0000e-400"), 0);
}

TEST(typed_json_reader, strings_are_decoded) {
    EXPECT_EQ(vial::parse_json<std::string>(R"("a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00")"),
              "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
    EXPECT_EQ(vial::parse_json<std::string>("\"h\xc3\xa9llo w\xc3\xb6rld, long enough for words\""),
              "h\xc3\xa9llo w\xc3\xb6rld, long enough for words");
}

TEST(typed_json_reader, malformed_is_not_invalid) {
    auto r = vial::read_json<shop::item>("{\"name\": \"x\",\n \"price\": 1,}");
    ASSERT_TRUE(r.malformed);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.malformed->offset(), 26u);
    EXPECT_EQ(r.malformed->line(), 2u);
    EXPECT_EQ(r.malformed->column(), 13u);
    EXPECT_EQ(r.malformed->status(), 400u);
    const auto j = r.malformed->to_json();
    EXPECT_EQ(j["detail"][0]["type"], "json_invalid");
    EXPECT_EQ(j["detail"][0]["loc"], nlohmann::json({"body", 26}));
    // A syntax error after a shape error is still malformed: 400 wins.
    auto both = vial::read_json<shop::item>(R"({"price": "x", "name": })");
    EXPECT_TRUE(both.malformed);
    EXPECT_TRUE(both.errors.empty());
    for (const char* text : {"", " ", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\xff\"", "\"\\ud800\"",
                             "tru", "{} {}", "\"a\nb\"", "\xef\xbb\xbf{}"})
        EXPECT_TRUE(vial::read_json<nlohmann::json>(text).malformed) << text;
}

TEST(typed_json_reader, nesting_is_limited_to_64) {
    std::string ok(64, '[');
    ok += std::string(64, ']');
    EXPECT_FALSE(vial::read_json<nlohmann::json>(ok).malformed);
    std::string deep(65, '[');
    deep += std::string(65, ']');
    auto r = vial::read_json<nlohmann::json>(deep);
    ASSERT_TRUE(r.malformed);
    EXPECT_EQ(r.malformed->reason(), "nesting deeper than 64");
    // Also inside a skipped unknown field, and far past the limit: malformed, no stack overflow.
    std::string huge = "{\"name\": \"x\", \"price\": 1, \"other\": " + std::string(100000, '[');
    EXPECT_TRUE(vial::read_json<shop::item>(huge).malformed);
}

TEST(typed_json_reader, unknown_fields_are_ignored_unless_forbidden) {
    auto r = vial::read_json<shop::item>(R"({"name": "x", "price": 1, "color": {"deep": [1, {"a": null}]}})");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.value.name, "x");
}

TEST(typed_json_reader, duplicate_keys_the_last_wins) {
    auto r = vial::read_json<shop::item>(R"({"name": "x", "price": 1, "name": "y"})");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.name, "y");
}

TEST(typed_json_reader, top_level_containers_and_prefix) {
    auto r = vial::read_json<std::vector<shop::item>>(R"([{"name": "a", "price": 1}, {"name": "b"}])", {"body", "list"});
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].to_json()["loc"], nlohmann::json({"body", "list", 1, "price"}));
    auto opt = vial::read_json<std::optional<int>>("null");
    EXPECT_TRUE(opt.ok());
    EXPECT_FALSE(opt.value.has_value());
}

TEST(typed_json_reader, parse_json_throws) {
    EXPECT_THROW(vial::parse_json<shop::item>("{"), vial::malformed_json);
    EXPECT_THROW(vial::parse_json<shop::item>("{}"), vial::validation_error);
    try {
        vial::parse_json<shop::item>("{}");
    } catch (const vial::validation_error& e) {
        EXPECT_EQ(e.status(), 422u);
        EXPECT_EQ(e.errors().size(), 2u);
        const auto res = e.to_response();
        EXPECT_EQ(res.status(), 422u);
        EXPECT_EQ(nlohmann::json::parse(res.body()), e.to_json());
    }
}

}  // namespace

// Found by fuzz/fuzz_typed_json.cpp (differential against nlohmann): "-0" is an integer, and
// an integer zero has no sign; nlohmann (and Python's json, so pydantic) read it as 0, and a
// double member then holds 0.0, written "0.0". vial kept the sign and wrote "-0.0". A
// negative zero written with a fraction or an exponent stays negative, as both keep it.
TEST(typed_json_reader, fuzz_regression_integer_minus_zero_is_zero_in_a_double) {
    const auto a = vial::read_json<double>("-0");
    ASSERT_TRUE(a.ok());
    EXPECT_FALSE(std::signbit(a.value));
    EXPECT_EQ(vial::to_json_string(a.value), nlohmann::json(nlohmann::json::parse("-0").get<double>()).dump());
    EXPECT_EQ(vial::to_json_string(a.value), "0.0");
    const auto b = vial::read_json<std::vector<float>>("[-0, -0.0, -0e1]");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(vial::to_json_string(b.value), nlohmann::json(nlohmann::json::parse("[-0, -0.0, -0e1]").get<std::vector<float>>()).dump());
    EXPECT_EQ(vial::to_json_string(b.value), "[0.0,-0.0,-0.0]");
    // Found by the same fuzzer right after the first fix, which took every two-byte negative
    // integer ("-4") for "-0".
    const auto c = vial::read_json<std::vector<double>>("[-4, -0, -10, -9.0]");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(vial::to_json_string(c.value), "[-4.0,0.0,-10.0,-9.0]");
}
