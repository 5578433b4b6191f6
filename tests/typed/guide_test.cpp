// The examples of docs/typed-apis.md ("Types", "Constraints", "Validation errors"), compiled
// and checked: what the guide says each one does, it does.
#include <vial/typed.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace guide {

enum class status { open, doing, done };

}  // namespace guide

template <>
struct vial::enum_strings<guide::status> {
    static constexpr vial::enum_string<guide::status> values[] = {
        {guide::status::open, "open"}, {guide::status::doing, "doing"}, {guide::status::done, "done"}};
};

namespace guide {

struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (double, price), (std::uint8_t, quantity));
    static constexpr auto rules = vial::rules(
        vial::field<"price">(vial::exclusive_minimum(0), vial::description("in euros")),
        vial::field<"quantity">(vial::minimum(1), vial::default_value(1)));
};

struct new_todo {
    BOOST_HANA_DEFINE_STRUCT(new_todo,
        (std::string, title),
        (int, priority),
        (status, state),
        (std::optional<std::string>, note),
        (std::vector<std::string>, tags),
        (std::vector<item>, items),
        (std::map<std::string, int>, votes),
        (std::optional<vial::uuid>, owner),
        (nlohmann::json, extra));
    static constexpr auto rules = vial::rules(
        vial::field<"title">(vial::min_length(1), vial::max_length(200), vial::examples("buy milk")),
        vial::field<"priority">(vial::minimum(1), vial::maximum(5), vial::default_value(3)),
        vial::field<"state">(vial::one_of(status::open, status::doing), vial::default_value(status::open)),
        vial::field<"tags">(vial::max_length(10), vial::default_value()),
        vial::field<"votes">(vial::default_value()),
        vial::field<"extra">(vial::default_value(), vial::description("anything the client likes")),
        vial::forbid_extra,
        vial::schema_name("NewTodo"),
        vial::description("A todo to create"));
};

struct todo_filter {
    BOOST_HANA_DEFINE_STRUCT(todo_filter, (std::vector<std::string>, tag), (std::optional<bool>, done), (int, limit));
    static constexpr auto rules = vial::rules(
        vial::field<"tag">(vial::default_value()),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(20)));
};

}  // namespace guide

// A type the program already has, adapted where it is not declared; its rules as a specialization.
namespace geo {
struct point {
    double lon;
    double lat;
};
}  // namespace geo
BOOST_HANA_ADAPT_STRUCT(geo::point, lon, lat);
template <>
inline constexpr auto vial::rules_of<geo::point> = vial::rules(
    vial::field<"lon">(vial::minimum(-180), vial::maximum(180)),
    vial::field<"lat">(vial::minimum(-90), vial::maximum(90)));

namespace {

TEST(typed_guide, reading_a_body) {
    auto r = vial::read_json<guide::new_todo>(R"({"title": "milk", "items": [{"name": "pen", "price": 1.5}]})");
    if (r.malformed) FAIL() << r.malformed->what();  // 400: r.malformed->to_json()
    else if (!r.errors.empty()) FAIL() << vial::validation_error(r.errors).to_json().dump();  // 422
    else EXPECT_EQ(r.value.priority, 3);
    EXPECT_EQ(r.value.items.at(0).quantity, 1);
    EXPECT_EQ(r.value.state, guide::status::open);
    EXPECT_TRUE(r.value.extra.is_null());
}

TEST(typed_guide, writing) {
    guide::item pen{"pen", 1.5, 2};
    const std::string body = vial::to_json_string(pen);  // {"name":"pen","price":1.5,"quantity":2}
    EXPECT_EQ(body, R"({"name":"pen","price":1.5,"quantity":2})");
    EXPECT_EQ(body, nlohmann::json({{"name", "pen"}, {"price", 1.5}, {"quantity", 2}}).dump());
}

TEST(typed_guide, every_error_at_once) {
    const char* body = R"({"title": "", "priority": 9, "state": "done",
                          "items": [{"name": "pen", "price": 0, "quantity": 300}, {"price": 2}],
                          "owner": "nope", "colour": "red"})";
    const auto r = vial::read_json<guide::new_todo>(body);
    const nlohmann::json j = vial::validation_error(r.errors).to_json();
    EXPECT_EQ(j, nlohmann::json::parse(R"({"detail": [
  {"type": "string_too_short", "loc": ["body", "title"], "msg": "String should have at least 1 character",
   "input": "", "ctx": {"min_length": 1}},
  {"type": "less_than_equal", "loc": ["body", "priority"], "msg": "Input should be less than or equal to 5",
   "input": 9, "ctx": {"le": 5}},
  {"type": "literal_error", "loc": ["body", "state"], "msg": "Input should be 'open' or 'doing'",
   "input": "done", "ctx": {"expected": "'open' or 'doing'"}},
  {"type": "greater_than", "loc": ["body", "items", 0, "price"], "msg": "Input should be greater than 0",
   "input": 0, "ctx": {"gt": 0}},
  {"type": "less_than_equal", "loc": ["body", "items", 0, "quantity"], "msg": "Input should be less than or equal to 255",
   "input": 300, "ctx": {"le": 255}},
  {"type": "missing", "loc": ["body", "items", 1, "name"], "msg": "Field required", "input": {"price": 2}},
  {"type": "uuid_parsing", "loc": ["body", "owner"], "msg": "Input should be a valid UUID, invalid length or character",
   "input": "nope"},
  {"type": "extra_forbidden", "loc": ["body", "colour"], "msg": "Extra inputs are not permitted", "input": "red"}
]})")) << j.dump(2);
}

TEST(typed_guide, malformed_json) {
    const auto r = vial::read_json<guide::new_todo>("{\"title\": \"milk\",\n \"priority\": }");
    ASSERT_TRUE(r.malformed);
    EXPECT_EQ(r.malformed->reason(), "expected a value");
    EXPECT_EQ(r.malformed->line(), 2u);
    EXPECT_EQ(r.malformed->column(), 14u);
    EXPECT_EQ(r.malformed->to_json(), nlohmann::json::parse(R"j({"detail": [{"type": "json_invalid", "loc": ["body", 31],
      "msg": "JSON decode error", "input": {}, "ctx": {"error": "expected a value at line 2 column 14 (byte 31)"}}]})j"));
}

TEST(typed_guide, adapted_struct_with_rules) {
    const auto r = vial::read_json<geo::point>(R"({"lon": 200, "lat": 45})");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].type, "less_than_equal");
    EXPECT_EQ(vial::schema_name_v<geo::point>, "point");
}

TEST(typed_guide, a_query_string) {
    // ?tag=home&tag=urgent&done=yes
    const std::vector<std::pair<std::string, std::string>> args{{"tag", "home"}, {"tag", "urgent"}, {"done", "yes"}};
    const auto r = vial::read_fields<guide::todo_filter>(args, {"query"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.tag, (std::vector<std::string>{"home", "urgent"}));
    EXPECT_EQ(r.value.done, true);
    EXPECT_EQ(r.value.limit, 20);
}

TEST(typed_guide, schema) {
    vial::schema_registry reg;  // $refs to "#/components/schemas/<name>"
    const nlohmann::json body = reg.schema_of<guide::new_todo>();
    EXPECT_EQ(body, nlohmann::json({{"$ref", "#/components/schemas/NewTodo"}}));
    const nlohmann::json& components = reg.schemas();  // NewTodo, item, status
    EXPECT_EQ(components.size(), 3u);
    const auto& todo = components["NewTodo"];
    EXPECT_EQ(todo["required"], nlohmann::json({"title", "items"}));
    EXPECT_EQ(todo["additionalProperties"], false);
    EXPECT_EQ(todo["properties"]["state"],
              nlohmann::json::parse(R"({"type": "string", "enum": ["open", "doing"], "default": "open"})"));
    EXPECT_EQ(todo["properties"]["owner"],
              nlohmann::json::parse(R"({"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]})"));
    EXPECT_EQ(components["item"]["properties"]["quantity"],
              nlohmann::json::parse(R"({"type": "integer", "minimum": 1, "maximum": 255, "default": 1})"));
    const nlohmann::json standalone = vial::json_schema<geo::point>();  // "$defs", "$ref": "#/$defs/point"
    EXPECT_EQ(standalone["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(standalone["$defs"]["point"]["properties"]["lat"],
              nlohmann::json::parse(R"({"type": "number", "format": "double", "minimum": -90, "maximum": 90})"));
}

static_assert(vial::unique_schema_names<guide::new_todo, geo::point>);

}  // namespace
