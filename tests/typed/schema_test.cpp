#include <vial/typed/schema.hpp>

#include "types.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

struct node {
    BOOST_HANA_DEFINE_STRUCT(node, (int, value), (std::vector<node>, children));
};

namespace other {
struct item {  // the same C++ name as shop::item: a different schema name is needed in one document
    BOOST_HANA_DEFINE_STRUCT(item, (int, id));
};
struct renamed {
    BOOST_HANA_DEFINE_STRUCT(renamed, (int, id));
    static constexpr auto rules = vial::rules(vial::schema_name("OtherItem"));
};
}  // namespace other

static_assert(vial::schema_name_v<shop::todo> == "Todo");
static_assert(vial::schema_name_v<shop::item> == "item");
static_assert(vial::schema_name_v<other::renamed> == "OtherItem");
static_assert(vial::unique_schema_names<shop::todo, node, other::renamed>);

TEST(typed_schema, a_struct_with_components_and_rules) {
    vial::schema_registry reg;
    EXPECT_EQ(reg.schema_of<shop::todo>(), nlohmann::json({{"$ref", "#/components/schemas/Todo"}}));
    const auto& s = reg.schemas();
    ASSERT_TRUE(s.contains("Todo"));
    ASSERT_TRUE(s.contains("item"));
    ASSERT_TRUE(s.contains("status"));
    const auto& t = s["Todo"];
    EXPECT_EQ(t["type"], "object");
    EXPECT_EQ(t["description"], "Something to do");
    EXPECT_EQ(t["additionalProperties"], false);
    EXPECT_EQ(t["required"], nlohmann::json({"title", "items", "owner", "level", "done"}));
    const auto& p = t["properties"];
    EXPECT_EQ(p["title"], nlohmann::json::parse(R"({"type": "string", "minLength": 1, "maxLength": 20, "examples": ["buy milk"]})"));
    EXPECT_EQ(p["priority"], nlohmann::json::parse(R"({"type": "integer", "format": "int32", "minimum": 1, "maximum": 5, "default": 3})"));
    EXPECT_EQ(p["state"], nlohmann::json::parse(R"({"$ref": "#/components/schemas/status", "default": "open"})"));
    EXPECT_EQ(p["note"], nlohmann::json::parse(R"({"anyOf": [{"type": "string"}, {"type": "null"}]})"));
    EXPECT_EQ(p["tags"], nlohmann::json::parse(R"({"type": "array", "items": {"type": "string"}, "maxItems": 3, "default": []})"));
    EXPECT_EQ(p["items"], nlohmann::json::parse(R"({"type": "array", "items": {"$ref": "#/components/schemas/item"}})"));
    EXPECT_EQ(p["owner"], nlohmann::json::parse(R"({"type": "string", "format": "uuid"})"));
    EXPECT_EQ(p["level"], nlohmann::json::parse(R"({"type": "integer", "minimum": 0, "maximum": 255, "enum": [1, 2, 4]})"));
    EXPECT_EQ(p["counts"], nlohmann::json::parse(R"({"type": "object", "additionalProperties": {"type": "integer", "format": "int32"}, "default": {}})"));
    EXPECT_EQ(s["status"], nlohmann::json::parse(R"({"type": "string", "enum": ["open", "doing", "done"], "title": "status"})"));
    EXPECT_EQ(s["item"]["properties"]["price"],
              nlohmann::json::parse(R"({"type": "number", "format": "double", "exclusiveMinimum": 0, "description": "in euros"})"));
}

TEST(typed_schema, recursive_types_refer_to_themselves) {
    const auto doc = vial::json_schema<node>();
    EXPECT_EQ(doc["$ref"], "#/$defs/node");
    EXPECT_EQ(doc["$defs"]["node"]["properties"]["children"]["items"]["$ref"], "#/$defs/node");
}

TEST(typed_schema, two_types_one_name_is_an_error_in_one_document) {
    vial::schema_registry reg;
    (void)reg.schema_of<shop::item>();
    (void)reg.schema_of<shop::item>();  // the same type again is fine
    EXPECT_THROW((void)reg.schema_of<other::item>(), std::logic_error);
}

TEST(typed_schema, inline_schemas_of_plain_types) {
    vial::schema_registry reg("#/$defs/");
    EXPECT_EQ(reg.schema_of<std::vector<std::optional<bool>>>(),
              nlohmann::json::parse(R"({"type": "array", "items": {"anyOf": [{"type": "boolean"}, {"type": "null"}]}})"));
    EXPECT_EQ(reg.schema_of<nlohmann::json>(), nlohmann::json::object());
    EXPECT_EQ(reg.schema_of<std::uint64_t>(), nlohmann::json::parse(R"({"type": "integer", "minimum": 0})"));
    EXPECT_TRUE(reg.schemas().empty());
}

}  // namespace
