#include <vial/typed/fields.hpp>

#include "types.hpp"

#include <vial/http/multi_dict.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

struct filter {
    BOOST_HANA_DEFINE_STRUCT(filter,
        (std::vector<std::string>, tag), (int, limit), (std::optional<bool>, done), (shop::status, state),
        (std::optional<double>, min_price), (std::string, q));
    static constexpr auto rules = vial::rules(
        vial::field<"tag">(vial::default_value(), vial::max_length(3)),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(10)),
        vial::field<"state">(vial::default_value(shop::status::open)));
};

struct headers {
    BOOST_HANA_DEFINE_STRUCT(headers, (std::string, user_agent), (std::optional<vial::uuid>, x_request_id));
};

struct strict_query {
    BOOST_HANA_DEFINE_STRUCT(strict_query, (int, page));
    static constexpr auto rules = vial::rules(vial::forbid_extra);
};

struct upload_form {
    BOOST_HANA_DEFINE_STRUCT(upload_form, (std::string, title), (vial::uploaded_file, file),
                             (std::vector<vial::uploaded_file>, more));
};

struct weight_query {
    BOOST_HANA_DEFINE_STRUCT(weight_query, (float, weight));
};

TEST(typed_fields, a_float_takes_what_rounds_to_a_finite_float) {
    // 3.4028235e38 is how the largest float is written back (fuzz_typed_fields found it refused).
    for (std::string_view text : {"3.4028234e38", "3.4028235e38", "-3.4028235e38"}) {
        const vial::multi_dict args{{"weight", std::string(text)}};
        auto r = vial::read_fields<weight_query>(args, {"query"});
        ASSERT_TRUE(r.ok()) << text;
        EXPECT_EQ(std::fabs(r.value.weight), std::numeric_limits<float>::max()) << text;
    }
    for (std::string_view text : {"3.4028236e38", "3.5e38", "1e39"}) {
        const vial::multi_dict args{{"weight", std::string(text)}};
        auto r = vial::read_fields<weight_query>(args, {"query"});
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.errors.at(0).type, "finite_number") << text;
    }
}

TEST(typed_fields, repeated_keys_defaults_and_booleans) {
    const vial::multi_dict args{{"tag", "a"}, {"q", "shoes"}, {"tag", "b"}, {"done", "On"}, {"limit", "20"}};
    auto r = vial::read_fields<filter>(args, {"query"});
    ASSERT_TRUE(r.ok()) << vial::validation_error(r.errors).to_json().dump();
    EXPECT_EQ(r.value.tag, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(r.value.limit, 20);
    EXPECT_EQ(r.value.done, true);
    EXPECT_EQ(r.value.state, shop::status::open);
    EXPECT_FALSE(r.value.min_price.has_value());
    EXPECT_EQ(r.value.q, "shoes");
}

TEST(typed_fields, booleans_read_as_fastapi_does) {
    for (std::string_view t : {"true", "True", "1", "yes", "on", "t", "y", "ON"}) {
        const std::vector<std::pair<std::string, std::string>> args{{"q", ""}, {"done", std::string(t)}};
        EXPECT_EQ(vial::read_fields<filter>(args, {"query"}).value.done, true) << t;
    }
    for (std::string_view f : {"false", "0", "no", "off", "f", "n", "FALSE"}) {
        const std::vector<std::pair<std::string, std::string>> args{{"q", ""}, {"done", std::string(f)}};
        EXPECT_EQ(vial::read_fields<filter>(args, {"query"}).value.done, false) << f;
    }
}

TEST(typed_fields, every_error_at_once) {
    const vial::multi_dict args{{"tag", "a"}, {"tag", "b"}, {"tag", "c"}, {"tag", "d"}, {"limit", "0"},
                                {"done", "maybe"}, {"state", "x"}, {"min_price", "cheap"}};
    auto r = vial::read_fields<filter>(args, {"query"});
    const auto j = vial::validation_error(r.errors).to_json();
    ASSERT_EQ(j["detail"].size(), 6u) << j.dump(1);
    EXPECT_EQ(j["detail"][0]["type"], "too_long");
    EXPECT_EQ(j["detail"][0]["loc"], nlohmann::json({"query", "tag"}));
    EXPECT_EQ(j["detail"][1]["type"], "greater_than_equal");
    EXPECT_EQ(j["detail"][1]["input"], "0");
    EXPECT_EQ(j["detail"][2]["type"], "bool_parsing");
    EXPECT_EQ(j["detail"][3]["type"], "enum");
    EXPECT_EQ(j["detail"][4]["type"], "float_parsing");
    EXPECT_EQ(j["detail"][5], nlohmann::json::parse(
        R"({"type": "missing", "loc": ["query", "q"], "msg": "Field required", "input": null})"));
}

TEST(typed_fields, integers_parse_and_range_check) {
    auto one = [](const char* v) {
        const std::vector<std::pair<std::string, std::string>> args{{"q", ""}, {"limit", v}};
        auto r = vial::read_fields<filter>(args, {"query"});
        return r.errors.empty() ? std::string("ok") : r.errors[0].type;
    };
    EXPECT_EQ(one("100"), "ok");
    EXPECT_EQ(one("+5"), "ok");
    EXPECT_EQ(one("1.5"), "int_parsing");
    EXPECT_EQ(one(""), "int_parsing");
    EXPECT_EQ(one("12abc"), "int_parsing");
    EXPECT_EQ(one("99999999999999999999"), "less_than_equal");
}

TEST(typed_fields, headers_match_hyphens_in_any_case) {
    const std::vector<std::pair<std::string_view, std::string_view>> h{
        {"User-Agent", "curl/8"}, {"X-Request-Id", "123e4567-e89b-12d3-a456-426614174000"}};
    auto r = vial::read_fields<headers>(h, {"header"}, {.case_insensitive = true, .underscore_to_hyphen = true});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.user_agent, "curl/8");
    ASSERT_TRUE(r.value.x_request_id);
    auto missing = vial::read_fields<headers>(std::vector<std::pair<std::string, std::string>>{}, {"header"},
                                             {.case_insensitive = true, .underscore_to_hyphen = true});
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].to_json()["loc"], nlohmann::json({"header", "user-agent"}));
}

TEST(typed_fields, extra_forbidden) {
    const vial::multi_dict args{{"page", "1"}, {"pgae", "2"}};
    auto r = vial::read_fields<strict_query>(args, {"query"});
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].type, "extra_forbidden");
    EXPECT_EQ(r.errors[0].to_json()["loc"], nlohmann::json({"query", "pgae"}));
}

TEST(typed_fields, files_are_left_to_the_form_reader) {
    const vial::multi_dict args{{"title", "t"}, {"file", "not a file"}};
    auto r = vial::read_fields<upload_form>(args, {"body"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.title, "t");
    EXPECT_TRUE(r.value.file.content.empty());
}

TEST(typed_fields, one_named_value) {
    const std::vector<std::string_view> none;
    const std::vector<std::string_view> two{"1", "2"};
    EXPECT_FALSE(vial::read_values<std::optional<int>>(none, {"header", "x-n"}).value.has_value());
    EXPECT_EQ(vial::read_values<int>(two, {"header", "x-n"}).value, 2);
    EXPECT_EQ(vial::read_values<std::vector<int>>(two, {"header", "x-n"}).value, (std::vector<int>{1, 2}));
    auto missing = vial::read_values<int>(none, {"cookie", "session"});
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].to_json()["loc"], nlohmann::json({"cookie", "session"}));
    const std::vector<std::string_view> bad{"x"};
    auto wrong = vial::read_values<std::vector<int>>(bad, {"query", "n"});
    ASSERT_EQ(wrong.errors.size(), 1u);
    EXPECT_EQ(wrong.errors[0].to_json()["loc"], nlohmann::json({"query", "n", 0}));
}

TEST(typed_fields, invalid_utf8_in_an_error_does_not_throw) {
    const vial::multi_dict args{{"q", ""}, {"limit", "\xff"}};
    auto r = vial::read_fields<filter>(args, {"query"});
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NO_THROW((void)vial::validation_error(r.errors).to_response());
}

}  // namespace
