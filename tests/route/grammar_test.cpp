#include <vial/route/grammar.hpp>

#include <vial/route/fixed_string.hpp>

#include <gtest/gtest.h>

#include <string_view>

namespace {

using vial::converter_kind;
using vial::parse_route;
using vial::route_error;

constexpr auto typed = parse_route<4>("/user/<int(min=1, max=10):id>/<any(a, 'b-c'):x>");
static_assert(typed.ok());
static_assert(typed.count == 3 && typed.param_count == 2);
static_assert(typed.segments[1].param.kind == converter_kind::int_);
static_assert(typed.segments[1].param.has_min && typed.segments[1].param.int_min == 1);
static_assert(typed.segments[1].param.int_max == 10);
static_assert(typed.segments[2].param.any_count == 2);
static_assert(parse_route<1>("/").ok() && parse_route<1>("/").count == 1);
static_assert(parse_route<2>("/a/").count == 2);  // trailing slash is an empty last segment

// Parsed from a template argument's characters, as vial::get<"..."> parses them. With g++ 12
// and -fsanitize=undefined, std::string_view::find over such characters is not a constant
// expression; the sanitizer build of scripts/test compiles these.
template <vial::fixed_string Pattern>
constexpr auto parsed = parse_route<vial::segment_capacity(Pattern.view())>(Pattern.view());
static_assert(parsed<"/user/<int(min=1, max=10):id>/<any(a, 'b-c'):x>">.param_count == 2);
static_assert(parsed<"/<int:x">.error == route_error::unterminated_parameter);
static_assert(parsed<"/a>b<x>">.error == route_error::stray_closing_bracket && parsed<"/a>b<x>">.error_at == 2);
static_assert(parsed<"/a<x>">.error == route_error::parameter_not_whole_segment);

struct error_case {
    std::string_view pattern;
    route_error error;
    std::size_t at;
};

TEST(grammar, reports_each_mistake_with_its_offset) {
    const error_case cases[] = {
        {"x", route_error::missing_leading_slash, 0},
        {"", route_error::missing_leading_slash, 0},
        {"/a//b", route_error::empty_segment, 3},
        {"/<int:x", route_error::unterminated_parameter, 1},
        {"/a>", route_error::stray_closing_bracket, 2},
        {"/<>", route_error::empty_parameter_name, 2},
        {"/<int:>", route_error::empty_parameter_name, 6},
        {"/<int:1x>", route_error::invalid_parameter_name, 6},
        {"/<int:a-b>", route_error::invalid_parameter_name, 6},
        {"/<int(foo=1):x>", route_error::bad_converter_arguments, 6},
        {"/<int(min=5, max=1):x>", route_error::bad_converter_arguments, 6},
        {"/<int(min=-1):x>", route_error::bad_converter_arguments, 6},
        {"/<int(min=abc):x>", route_error::bad_converter_arguments, 6},
        {"/<string(length=x):x>", route_error::bad_converter_arguments, 9},
        {"/<any():a>", route_error::bad_converter_arguments, 6},
        {"/<any:a>", route_error::bad_converter_arguments, 2},
        {"/<uuid(x=1):u>", route_error::bad_converter_arguments, 7},
        {"/<path(1):u>", route_error::bad_converter_arguments, 7},
        {"/<x>/<int:x>", route_error::duplicate_parameter_name, 10},
        {"/<path:p>/a", route_error::path_not_last, 10},
        {"/<path:p>/", route_error::path_not_last, 10},
        {"/a<x>", route_error::parameter_not_whole_segment, 1},
        {"/<x>b", route_error::parameter_not_whole_segment, 1},
        {"/a b", route_error::invalid_character, 2},
        {"/a?b", route_error::invalid_character, 2},
        {"/a#", route_error::invalid_character, 2},
    };
    for (const auto& c : cases) {
        const auto r = parse_route<8>(c.pattern);
        EXPECT_EQ(r.error, c.error) << c.pattern << ": " << vial::describe(r.error);
        EXPECT_EQ(r.error_at, c.at) << c.pattern;
    }
}

TEST(grammar, accepts_flask_converter_arguments) {
    const std::string_view ok[] = {
        "/<int(signed=True):n>",     "/<int(fixed_digits=4):year>", "/<int(min=1):page>",
        "/<float(min=0.5, max=2):x>", "/<string(length=2):lang>",    "/<string(minlength=2, maxlength=8):s>",
        "/<any(about, help):page>",  "/<any('a', \"b\"):x>",        "/<uuid:id>",
        "/<path:p>",                 "/<name>",                     "/<hex:h>",
        "/<int(signed=True, min=-5, max=5):n>", "/static/x.css",    "/a/b/",
    };
    for (auto p : ok) EXPECT_TRUE(parse_route<8>(p).ok()) << p << ": " << vial::describe(parse_route<8>(p).error);
}

TEST(grammar, records_converter_arguments) {
    const auto r = parse_route<2>("/<int(signed=True, min=-5, fixed_digits=2):n>");
    ASSERT_TRUE(r.ok());
    const auto& p = r.segments[0].param;
    EXPECT_TRUE(p.is_signed);
    EXPECT_EQ(p.int_min, -5);
    EXPECT_EQ(p.fixed_digits, 2);
    const auto s = parse_route<2>("/<string(length=2):lang>");
    EXPECT_EQ(s.segments[0].param.min_length, 2U);
    EXPECT_EQ(s.segments[0].param.max_length, 2U);
    const auto custom = parse_route<2>("/<hex:h>");
    EXPECT_EQ(custom.segments[0].param.kind, converter_kind::custom);
    EXPECT_EQ(custom.segments[0].param.converter.in("/<hex:h>"), "hex");
}

}  // namespace

namespace {

TEST(grammar, says_what_is_wrong_with_converter_arguments) {
    using vial::argument_error;
    const std::pair<std::string_view, argument_error> cases[] = {
        {"/<int(foo=1):x>", argument_error::unknown_argument},
        {"/<int(min=abc):x>", argument_error::bad_value},
        {"/<int(min=5, max=1):x>", argument_error::min_above_max},
        {"/<int(min=-1):x>", argument_error::negative_needs_signed},
        {"/<string(minlength=3, maxlength=2):s>", argument_error::bad_length},
        {"/<any():a>", argument_error::no_options},
        {"/<uuid(x=1):u>", argument_error::takes_none},
        {"/<int(min=1,):x>", argument_error::malformed},
    };
    for (const auto& [pattern, why] : cases) {
        const auto r = parse_route<4>(pattern);
        EXPECT_EQ(r.error, route_error::bad_converter_arguments) << pattern;
        EXPECT_EQ(r.argument, why) << pattern << ": " << vial::describe(r.argument);
    }
}

}  // namespace
