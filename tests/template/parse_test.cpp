// The template parser at run time: the same constexpr code the compiler runs, so its
// errors and positions can be tested directly (and under the sanitizers).
#include <vial/template/parse.hpp>

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

using namespace vial::detail::tpl;

struct result {
    parse_error error;
    std::uint32_t pos;
    std::string_view name;
    std::vector<node> nodes;
    std::vector<expr_node> exprs;
};

result parse(std::string_view text) {
    const template_sizes n = measure_template(text);
    std::vector<node> nodes(n.nodes + 1);
    std::vector<expr_node> exprs(n.exprs + 1);
    std::vector<arg_node> args(n.args + 1);
    parser p(text, nodes.data(), exprs.data(), args.data());
    p.run();
    nodes.resize(p.n_.nodes);
    exprs.resize(p.n_.exprs);
    return {p.error_, p.error_pos_, p.error_name_.in(text), nodes, exprs};
}

constexpr bool parses(std::string_view text) {
    return parse_template<measure_template("{{ a.b|upper }}{% if x %}{% endif %}")>(text).error == parse_error::none;
}
static_assert(parses("{{ a.b|upper }}{% if x %}{% endif %}"));

TEST(template_parse, nodes_in_text_order) {
    const result r = parse("Hi {{ user.name|upper }}!{% if a %}x{% else %}y{% endif %}");
    ASSERT_EQ(r.error, parse_error::none);
    ASSERT_EQ(r.nodes.size(), 8u);
    EXPECT_EQ(r.nodes[0].kind, node_kind::text);
    EXPECT_EQ(r.nodes[1].kind, node_kind::output);
    EXPECT_EQ(r.nodes[3].kind, node_kind::if_);
    EXPECT_EQ(r.nodes[3].next, 5u);  // the else
    EXPECT_EQ(r.nodes[3].end, 7u);
    EXPECT_EQ(r.nodes[5].kind, node_kind::else_);
    EXPECT_EQ(r.nodes[7].kind, node_kind::end);
    EXPECT_EQ(r.exprs[r.nodes[1].expr].kind, expr_kind::filter);
}

TEST(template_parse, errors_with_position_and_name) {
    struct bad {
        std::string_view text;
        parse_error error;
        std::uint32_t pos;
        std::string_view name;
    };
    const bad cases[] = {
        {"ab {{ x ", parse_error::unclosed_tag, 3, ""},
        {"{% if x %}a", parse_error::unclosed_block, 0, ""},
        {"{% for x in y %}{% endif %}", parse_error::mismatched_end, 16, "endif"},
        {"{% endfor %}", parse_error::unexpected_end, 0, "endfor"},
        {"{% else %}", parse_error::unexpected_end, 0, "else"},
        {"{% frob %}", parse_error::unknown_statement, 3, "frob"},
        {"{{ a + }}", parse_error::bad_expression, 5, ""},
        {"{{ a|frob }}", parse_error::unknown_filter, 5, "frob"},
        {"x{% extends 'a' %}", parse_error::misplaced_extends, 1, ""},
        {"{% block a %}{% endblock b %}", parse_error::mismatched_end, 25, "b"},
        {"{% raw %}abc", parse_error::unclosed_block, 0, "raw"},
        {"{{ 'abc }}", parse_error::unclosed_tag, 0, ""},
    };
    for (const bad& c : cases) {
        const result r = parse(c.text);
        EXPECT_EQ(r.error, c.error) << c.text;
        EXPECT_EQ(r.pos, c.pos) << c.text;
        EXPECT_EQ(r.name, c.name) << c.text;
    }
}

TEST(template_parse, line_and_column) {
    const line_column lc = line_column_of("ab\ncd\nef", 7);
    EXPECT_EQ(lc.line, 3u);
    EXPECT_EQ(lc.column, 2u);
}

TEST(template_parse, never_reads_past_the_text) {
    // Every prefix of a template with every construct: no crash, an error or success.
    constexpr std::string_view full =
        "{% extends 'b' %}{% block a %}{{ x.y[0]|truncate(3, end='..')|upper }}{% for k, v in m.items() %}"
        "{%- if k == 'a' and not v or k in ['x'] -%}{{ k }}{% elif v >= 2 %}{% else %}{% endif %}{% endfor %}"
        "{# c #}{% raw %}{{ }}{% endraw %}{% set z = 1.5 %}{% macro f(a, b=2) %}{{ a }}{% endmacro %}{% endblock %}";
    for (std::size_t n = 0; n <= full.size(); ++n) (void)parse(full.substr(0, n));
    SUCCEED();
}

}  // namespace
