#include <vial/route.hpp>

#include <gtest/gtest.h>

#include "hex_converter.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

/// An item that is not a route (as hooks are): it brings no route to the app.
struct vial_test_marker {
    template <vial::fixed_string Blueprint>
    constexpr vial_test_marker in_blueprint() const {
        return *this;
    }
};


namespace handlers_ns {
inline std::string named_handler() { return "named"; }
}  // namespace handlers_ns
inline std::string top_level_handler() { return "top"; }

// A route declared with its handler as a template argument is named after the function.
static_assert(vial::detail::function_name<&handlers_ns::named_handler>() == "named_handler");
static_assert(vial::detail::function_name<handlers_ns::named_handler>() == "named_handler");
static_assert(vial::detail::function_name<top_level_handler>() == "top_level_handler");
static_assert(vial::detail::function_name_string<handlers_ns::named_handler>.view() == "named_handler");

namespace {

using vial::match_status;
using vial::method;


constexpr auto app = vial::app(
    vial::get<"/", "index">([] { return std::string("index"); }),
    vial::get<"/users/new", "new_user">([] { return std::string("new"); }),
    vial::get<"/users/<int:id>", "user">([](int id) { return "int " + std::to_string(id); }),
    vial::get<"/users/<name>", "user_by_name">([](std::string_view n) { return "name " + std::string(n); }),
    vial::get<"/files/<path:p>", "files">([](std::string p) { return "path " + p; }),
    vial::get<"/files/readme", "readme">([] { return std::string("readme"); }),
    vial::get<"/f/<float:x>", "float">([](double x) { return "float " + std::to_string(x); }),
    vial::get<"/s/<int(signed=True):n>", "signed">([](long n) { return "signed " + std::to_string(n); }),
    vial::get<"/y/<int(fixed_digits=4):year>", "year">([](int y) { return "year " + std::to_string(y); }),
    vial::get<"/p/<int(min=1, max=10):page>", "page">([](unsigned p) { return "page " + std::to_string(p); }),
    vial::get<"/small/<int:v>", "small">([](std::int8_t v) { return "small " + std::to_string(v); }),
    vial::get<"/u/<uuid:id>", "uuid">([](vial::uuid id) { return "uuid " + id.to_string(); }),
    vial::get<"/lang/<string(length=2):code>", "lang">([](std::string_view c) { return "lang " + std::string(c); }),
    vial::get<"/page/<any(about, help):name>", "any">([](std::string_view n) { return "any " + std::string(n); }),
    vial::get<"/h/<hex:v>", "hex">([](std::uint32_t v) { return "hex " + std::to_string(v); }),
    vial::get<"/projects/", "projects">([] { return std::string("projects"); }),
    vial::get<"/about", "about">([] { return std::string("about"); }),
    vial::route<"/form", vial::GET | vial::POST, "form">([] { return std::string("form"); }),
    vial::put<"/form", "form_put">([] { return std::string("put"); }),
    vial::del<"/items/<int:id>", "delete_item">([](long long id) { return "deleted " + std::to_string(id); }),
    vial::head<"/only-head", "only_head">([] { return std::string("head"); }),
    vial::options<"/opt", "opt">([] { return std::string("explicit options"); }),
    vial::get<"/a/<x>/c", "axc">([](std::string_view x) { return "axc " + std::string(x); }),
    vial::get<"/a/b/d", "abd">([] { return std::string("abd"); }));

/// Two dispatch tables hold the same nodes, edges, literals and routes.
template <class A, class B>
constexpr bool same_table(const A& a, const B& b) {
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const auto& x = a.nodes[i];
        const auto& y = b.nodes[i];
        if (x.first_edge != y.first_edge || x.edge_count != y.edge_count || x.terminal != y.terminal ||
            x.last_target != y.last_target || x.has_literals != y.has_literals)
            return false;
    }
    for (std::size_t i = 0; i < a.edges.size(); ++i) {
        const auto& x = a.edges[i];
        const auto& y = b.edges[i];
        if (x.kind != y.kind || x.plain_int != y.plain_int || x.is_signed != y.is_signed || x.has_min != y.has_min ||
            x.has_max != y.has_max || x.fixed_digits != y.fixed_digits || x.any_count != y.any_count ||
            x.any_first != y.any_first || x.target != y.target || x.min_length != y.min_length ||
            x.max_length != y.max_length || x.int_min != y.int_min || x.int_max != y.int_max ||
            x.float_min != y.float_min || x.float_max != y.float_max || x.custom != y.custom)
            return false;
    }
    for (std::size_t i = 0; i < a.statics.size(); ++i)
        if (a.statics[i].head != b.statics[i].head || a.statics[i].key != b.statics[i].key ||
            a.statics[i].child != b.statics[i].child || a.statics[i].rest != b.statics[i].rest)
            return false;
    for (std::size_t i = 0; i < a.terminals.size(); ++i)
        if (a.terminals[i].route != b.terminals[i].route || a.checks[i].first != b.checks[i].first ||
            a.checks[i].count != b.checks[i].count)
            return false;
    for (std::size_t i = 0; i < a.any_options.size(); ++i)
        if (a.any_options[i].offset != b.any_options[i].offset || a.any_options[i].size != b.any_options[i].size)
            return false;
    return a.literal_words == b.literal_words && a.pool == b.pool && a.max_literal == b.max_literal &&
           a.duplicate_first == b.duplicate_first && a.duplicate_second == b.duplicate_second;
}

// A large app's table is built over several constant evaluations (clang 14 counts steps per
// evaluation): in chunks of any size, the same table as in one pass.
using app_type = std::remove_const_t<decltype(app)>;
static_assert(same_table(vial::detail::build_table_in_chunks<app_type::sizes, &app_type::descs, 1>(), app_type::table));
static_assert(same_table(vial::detail::build_table_in_chunks<app_type::sizes, &app_type::descs, 2>(), app_type::table));
static_assert(same_table(vial::detail::build_table_in_chunks<app_type::sizes, &app_type::descs, 7>(), app_type::table));
static_assert(same_table(vial::detail::build_table<app_type::sizes>(app_type::descs), app_type::table));

struct outcome {
    match_status status;
    std::string body;
};

outcome run(method m, std::string_view target) {
    const auto r = app.match(m, target);
    outcome o{r.status(), {}};
    if (r.found()) o.body = app.dispatch(r, [](const std::string& s) { return s; });
    return o;
}

std::string get(std::string_view target) {
    const auto o = run(method::get, target);
    return o.status == match_status::found ? o.body : "status " + std::to_string(static_cast<int>(o.status));
}

const std::string not_found = "status 1";

TEST(match, static_and_root) {
    EXPECT_EQ(get("/"), "index");
    EXPECT_EQ(get("/about"), "about");
    EXPECT_EQ(get("/about?x=1&y=2"), "about");  // the query string is ignored
    EXPECT_EQ(get("/nothing"), not_found);
    EXPECT_EQ(get(""), not_found);
    EXPECT_EQ(get("about"), not_found);
}

TEST(match, precedence_is_static_then_typed_then_string_then_path) {
    EXPECT_EQ(get("/users/new"), "new");       // static beats int and string
    EXPECT_EQ(get("/users/42"), "int 42");     // int beats string
    EXPECT_EQ(get("/users/bob"), "name bob");  // string when not an int
    EXPECT_EQ(get("/files/readme"), "readme");  // static beats path
    EXPECT_EQ(get("/files/a/b/c.txt"), "path a/b/c.txt");
}

TEST(match, backtracks_when_a_deeper_segment_fails) {
    EXPECT_EQ(get("/a/b/d"), "abd");
    EXPECT_EQ(get("/a/b/c"), "axc b");
}

TEST(match, int_converter) {
    EXPECT_EQ(get("/users/007"), "int 7");
    EXPECT_EQ(get("/users/-1"), "name -1");  // not an unsigned int: falls to string
    EXPECT_EQ(get("/s/-12"), "signed -12");
    EXPECT_EQ(get("/s/12"), "signed 12");
    EXPECT_EQ(get("/y/2024"), "year 2024");
    EXPECT_EQ(get("/y/24"), not_found);
    EXPECT_EQ(get("/p/1"), "page 1");
    EXPECT_EQ(get("/p/10"), "page 10");
    EXPECT_EQ(get("/p/0"), not_found);
    EXPECT_EQ(get("/p/11"), not_found);
}

TEST(match, values_that_do_not_fit_are_no_match) {
    EXPECT_EQ(get("/users/99999999999"), "name 99999999999");     // over int: not the int route
    EXPECT_EQ(get("/small/127"), "small 127");
    EXPECT_EQ(get("/small/128"), not_found);                        // over int8_t
    EXPECT_EQ(get("/small/99999999999999999999999"), not_found);   // over uint64
    EXPECT_EQ(run(method::get, "/items/9223372036854775807").status, match_status::method_not_allowed);
    EXPECT_EQ(run(method::del, "/items/9223372036854775807").body, "deleted 9223372036854775807");
    EXPECT_EQ(run(method::del, "/items/9223372036854775808").status, match_status::not_found);
}

TEST(match, float_uuid_any_string_custom) {
    EXPECT_EQ(get("/f/1.5"), "float 1.500000");
    EXPECT_EQ(get("/f/1"), not_found);  // Werkzeug's float needs a dot
    EXPECT_EQ(get("/f/-1.5"), not_found);
    EXPECT_EQ(get("/u/123e4567-E89B-12d3-a456-426614174000"), "uuid 123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ(get("/u/123e4567-e89b-12d3-a456-42661417400"), not_found);
    EXPECT_EQ(get("/page/about"), "any about");
    EXPECT_EQ(get("/page/other"), not_found);
    EXPECT_EQ(get("/lang/en"), "lang en");
    EXPECT_EQ(get("/lang/eng"), not_found);
    EXPECT_EQ(get("/lang/%C3%A9t"), "lang \xC3\xA9t");  // length counts characters, not bytes
    EXPECT_EQ(get("/h/ff"), "hex 255");
    EXPECT_EQ(get("/h/zz"), not_found);
}

TEST(match, segments_are_decoded_after_splitting) {
    EXPECT_EQ(get("/users/a%2Fb"), "name a/b");  // %2F does not split
    EXPECT_EQ(get("/users/%34%32"), "int 42");
    EXPECT_EQ(get("/%61bout"), "about");
    EXPECT_EQ(get("/users/b%20c"), "name b c");
    EXPECT_EQ(get("/users/%zz"), "name %zz");  // invalid escapes stay as written
    EXPECT_EQ(get("/files/a%2Fb/c"), "path a/b/c");
}

TEST(match, strict_slashes) {
    const auto r = app.match(method::get, "/projects?sort=asc");
    EXPECT_EQ(r.status(), match_status::redirect);
    EXPECT_EQ(r.redirect_location(), "/projects/?sort=asc");
    EXPECT_EQ(get("/projects/"), "projects");
    EXPECT_EQ(get("/about/"), not_found);
}

TEST(match, method_not_allowed_lists_the_methods) {
    const auto r = app.match(method::patch, "/form");
    EXPECT_EQ(r.status(), match_status::method_not_allowed);
    char buf[64];
    EXPECT_EQ(std::string_view(buf, vial::format_allow(r.allowed(), buf)), "GET, HEAD, POST, PUT, OPTIONS");
    EXPECT_EQ(run(method::post, "/form").body, "form");
    EXPECT_EQ(run(method::put, "/form").body, "put");
    EXPECT_EQ(app.match("BREW", "/form").status(), match_status::method_not_allowed);
}

TEST(match, head_and_options) {
    const auto h = app.match(method::head, "/about");
    EXPECT_EQ(h.status(), match_status::found);
    EXPECT_TRUE(h.head_as_get());
    EXPECT_EQ(h.endpoint(), "about");
    const auto explicit_head = app.match(method::head, "/only-head");
    EXPECT_TRUE(explicit_head.found());
    EXPECT_FALSE(explicit_head.head_as_get());
    const auto o = app.match(method::options, "/users/42");
    EXPECT_EQ(o.status(), match_status::options);
    char buf[64];
    EXPECT_EQ(std::string_view(buf, vial::format_allow(o.allowed(), buf)), "GET, HEAD, OPTIONS");
    EXPECT_EQ(run(method::options, "/opt").body, "explicit options");
    EXPECT_EQ(app.match(method::options, "/nothing").status(), match_status::not_found);
}

TEST(match, options_star_lists_the_methods_of_every_route) {
    const auto o = app.match(method::options, "*");
    EXPECT_EQ(o.status(), match_status::options);
    char buf[64];
    EXPECT_EQ(std::string_view(buf, vial::format_allow(o.allowed(), buf)), "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    EXPECT_EQ(app.match(method::get, "*").status(), match_status::not_found);  // `*` is only for OPTIONS
    constexpr auto only_post = vial::app(vial::post<"/p">([] { return 0; }));
    static_assert(only_post.all_methods() == (vial::POST | vial::OPTIONS));  // HEAD only with GET
}

TEST(match, reports_endpoint_rule_and_raw_parameters) {
    const auto r = app.match(method::get, "/users/a%20b");
    ASSERT_TRUE(r.found());
    EXPECT_EQ(r.endpoint(), "user_by_name");
    EXPECT_EQ(r.rule(), "/users/<name>");
    EXPECT_EQ(r.param(0).raw, "a%20b");
    EXPECT_EQ(r.param(0).text(), "a b");
}

// endpoint(), rule() and blueprint_of() read the app's text through offsets at run time (no
// arrays of string_views): each route of nested blueprints, unnamed ones and the last included.
TEST(match, endpoint_rule_and_blueprint_of_every_route_in_nested_blueprints) {
    static constexpr auto inner = vial::blueprint<"inner", "/in">(vial::get<"/<int:id>", "show">([](int) { return 1; }),
                                                                 vial::get<"/plain">([] { return 2; }));
    static constexpr auto outer = vial::blueprint<"outer", "/out">(vial::get<"/", "home">([] { return 3; }), inner);
    static constexpr auto nested = vial::app(vial::get<"/top", "top">([] { return 4; }), outer);
    using A = decltype(nested);
    const struct {
        const char* path;
        std::string_view endpoint, rule, blueprint;
    } cases[] = {{"/top", "top", "/top", ""},
                 {"/out/", "outer.home", "/out/", "outer"},
                 {"/out/in/7", "outer.inner.show", "/out/in/<int:id>", "outer.inner"},
                 {"/out/in/plain", "", "/out/in/plain", "outer.inner"}};
    const auto infos = A::routes();
    for (const auto& c : cases) {
        const auto m = nested.match(method::get, c.path);
        ASSERT_TRUE(m.found()) << c.path;
        EXPECT_EQ(m.endpoint(), c.endpoint) << c.path;
        EXPECT_EQ(m.rule(), c.rule) << c.path;
        EXPECT_EQ(A::blueprint_of(m.route()), c.blueprint) << c.path;
        EXPECT_EQ(infos[m.route()].endpoint, m.endpoint());
        EXPECT_EQ(infos[m.route()].rule, m.rule());
        EXPECT_EQ(infos[m.route()].blueprint, A::blueprint_of(m.route()));
    }
    static_assert(A::blueprint_of(2) == "outer.inner");
    EXPECT_EQ(nested.match(method::get, "/nope").endpoint(), "");
    EXPECT_EQ(nested.match(method::get, "/nope").rule(), "");
}

// dispatch() finds each handler by where it lies in the app object (with g++ known at compile
// time, with clang measured once): handlers of different sizes and alignments (function
// pointers, empty lambdas, lambdas holding values, a std::string, or one char) in blueprints
// nested two deep, between items that bring no route.
TEST(match, dispatch_reaches_each_handler_of_nested_blueprints_by_its_offset) {
    char tag = 'x';  // not const: clang would call the captures unneeded
    long long big = 1'000'000'000'000LL;
    std::string text = "a text longer than the short-string buffer";
    const auto inner = vial::blueprint<"inner", "/in">(
        vial::get<"/a">([tag] { return std::string(1, tag); }), vial_test_marker{},
        vial::get<"/b/<int:id>">([big](int id) { return std::to_string(big + id); }),
        vial::get<"/s">([text, tag] { return text + tag; }), vial::get<"/t">([tag] { return std::string(2, tag); }),
        vial::get<"/c">([] { return std::string("c"); }));
    const auto outer = vial::blueprint<"outer", "/out">(vial::get<"/d">([big, tag] { return std::to_string(big) + tag; }),
                                                       vial_test_marker{}, inner,
                                                       vial::get<"/e">(+[] { return std::string("e"); }));
    const auto a = vial::app(vial::get<"/f">([tag, big] { return tag + std::to_string(big); }), outer,
                             vial::get<"/g">([] { return std::string("g"); }), vial_test_marker{},
                             vial::get<"/h">([text] { return text; }));
    const std::pair<const char*, std::string> cases[] = {
        {"/f", "x1000000000000"}, {"/out/d", "1000000000000x"}, {"/out/in/a", "x"}, {"/out/in/b/5", "1000000000005"},
        {"/out/in/s", text + "x"}, {"/out/in/t", "xx"},           {"/out/in/c", "c"}, {"/out/e", "e"},
        {"/g", "g"},              {"/h", text}};
    for (const auto& [path, body] : cases) {
        const auto m = a.match(method::get, path);
        ASSERT_TRUE(m.found()) << path;
        EXPECT_EQ(a.dispatch(m, [](const std::string& s) { return s; }), body) << path;
        // A copy of the app finds the handlers in itself.
        const auto copy = a;
        EXPECT_EQ(copy.dispatch(m, [](const std::string& s) { return s; }), body) << path;
    }
}

TEST(match, extras_are_passed_by_type) {
    struct counter {
        int calls = 0;
    };
    constexpr auto with_service = vial::app(vial::get<"/n/<int:n>", "n">([](int n, counter& c) {
        ++c.calls;
        return n + c.calls;
    }));
    counter c;
    const auto r = with_service.match(method::get, "/n/10");
    EXPECT_EQ(with_service.dispatch(r, [](int v) { return v; }, c), 11);
    EXPECT_EQ(with_service.dispatch(r, [](int v) { return v; }, c), 12);
    EXPECT_EQ(c.calls, 2);
}

// The matcher reads the path eight bytes at a time (its end, each segment's end and '%',
// literals as words for the hash and the comparison) and parses ints and uuids without a
// byte loop per digit: the cases below are the ones such code gets wrong.

constexpr auto edges = vial::app(
    vial::get<"/lit/abcdefg", "l7">([] { return std::string("l7"); }),
    vial::get<"/lit/abcdefgh", "l8">([] { return std::string("l8"); }),
    vial::get<"/lit/abcdefghi", "l9">([] { return std::string("l9"); }),
    vial::get<"/lit/abcdefghijklmnop", "l16">([] { return std::string("l16"); }),
    vial::get<"/lit/abcdefghijklmnopq", "l17">([] { return std::string("l17"); }),
    vial::get<"/lit/abcdefghijklmnopq/end", "l17end">([] { return std::string("l17end"); }),
    vial::get<"/a", "a">([] { return std::string("a"); }),
    vial::get<"/abcdefg", "root7">([] { return std::string("root7"); }),
    vial::get<"/two/<a>/<b>", "two">([](std::string_view a, std::string_view b) {
        return "two " + std::string(a) + "|" + std::string(b);
    }),
    vial::get<"/i8/<int(signed=True):v>", "i8">([](std::int8_t v) { return "i8 " + std::to_string(v); }),
    vial::get<"/u8/<int:v>", "u8">([](std::uint8_t v) { return "u8 " + std::to_string(v); }),
    vial::get<"/i16/<int(signed=True):v>", "i16">([](std::int16_t v) { return "i16 " + std::to_string(v); }),
    vial::get<"/u16/<int:v>", "u16">([](std::uint16_t v) { return "u16 " + std::to_string(v); }),
    vial::get<"/i32/<int(signed=True):v>", "i32">([](std::int32_t v) { return "i32 " + std::to_string(v); }),
    vial::get<"/u32/<int:v>", "u32">([](std::uint32_t v) { return "u32 " + std::to_string(v); }),
    vial::get<"/i64/<int(signed=True):v>", "i64">([](std::int64_t v) { return "i64 " + std::to_string(v); }),
    vial::get<"/u64/<int:v>", "u64">([](std::uint64_t v) { return "u64 " + std::to_string(v); }),
    vial::get<"/id/<uuid:id>", "id">([](vial::uuid id) { return "id " + id.to_string(); }),
    vial::get<"/id/<uuid:id>/x", "id_x">([](vial::uuid id) { return "id_x " + id.to_string(); }),
    vial::get<"/s/<string(maxlength=3):s>", "short">([](std::string_view s) { return "short " + std::string(s); }),
    vial::get<"/s/<string(minlength=2):s>/min", "min2">([](std::string_view s) { return "min2 " + std::string(s); }),
    vial::get<"/deep/<a>/<b>/<c>/<d>/<e>/<f>/<g>/<h>/<i>/<j>/<k>/<l>/<m>/<n>/<o>/<p>/<q>/<r>/end", "deep">(
        [](std::string_view a, std::string_view, std::string_view, std::string_view, std::string_view,
           std::string_view, std::string_view, std::string_view, std::string_view, std::string_view,
           std::string_view, std::string_view, std::string_view, std::string_view, std::string_view,
           std::string_view, std::string_view, std::string_view r) { return "deep " + std::string(a) + std::string(r); }),
    vial::get<"/rest/<path:p>", "rest">([](std::string p) { return "rest " + p; }),
    vial::get<"/b/<int:n>/x", "bx">([](int n) { return "bx " + std::to_string(n); }),
    vial::get<"/b/<s>/y", "by">([](std::string_view s) { return "by " + std::string(s); }));

std::string edge(std::string_view target) {
    // The target in a heap block of its exact size: under AddressSanitizer, a read past its
    // end (the matcher loads eight and sixteen bytes at a time) is an error.
    const std::vector<char> exact(target.begin(), target.end());
    const auto r = edges.match(method::get, std::string_view(exact.data(), exact.size()));
    if (!r.found()) return "status " + std::to_string(static_cast<int>(r.status()));
    return edges.dispatch(r, [](const std::string& s) { return s; });
}

TEST(match_edges, literals_across_word_boundaries) {
    EXPECT_EQ(edge("/lit/abcdefg"), "l7");
    EXPECT_EQ(edge("/lit/abcdefgh"), "l8");
    EXPECT_EQ(edge("/lit/abcdefghi"), "l9");
    EXPECT_EQ(edge("/lit/abcdefghijklmnop"), "l16");
    EXPECT_EQ(edge("/lit/abcdefghijklmnopq"), "l17");
    EXPECT_EQ(edge("/lit/abcdefghijklmnopq/end"), "l17end");
    EXPECT_EQ(edge("/lit/abcdefghijklmnopq?x=/y"), "l17");
    // One byte off at the start, at the end, at the eighth and ninth byte; one byte short or long.
    for (std::string_view bad : {"/lit/xbcdefg", "/lit/abcdefx", "/lit/abcdefgx", "/lit/abcdefgi", "/lit/abcdefgh1",
                                 "/lit/abcdefghijklmnox", "/lit/abcdefghijklmnopx", "/lit/abcdefghijklmnopqr",
                                 "/lit/abcdefghXjklmnopq", "/lit/abcdef", "/lit/abcdefghijklmno"})
        EXPECT_EQ(edge(bad), not_found) << bad;
    // Encoded literals are compared decoded, whatever the escape's place in the word.
    EXPECT_EQ(edge("/lit/%61bcdefg"), "l7");
    EXPECT_EQ(edge("/lit/abcdef%67"), "l7");
    EXPECT_EQ(edge("/lit/abcdefg%68"), "l8");
    EXPECT_EQ(edge("/lit/abcdefgh%69"), "l9");
    EXPECT_EQ(edge("/lit/abcdefghijklmno%70%71"), "l17");
    EXPECT_EQ(edge("/lit/%61%62%63%64%65%66%67%68%69%6A%6b%6C%6d%6E%6f%70%71/end"), "l17end");
    EXPECT_EQ(edge("/lit/abcdefg%2F"), not_found);
}

TEST(match_edges, short_paths_and_root_literals) {
    EXPECT_EQ(edge("/a"), "a");
    EXPECT_EQ(edge("/a?"), "a");
    EXPECT_EQ(edge("/a#frag"), "a");
    EXPECT_EQ(edge("/abcdefg"), "root7");  // exactly eight bytes
    EXPECT_EQ(edge("/abcdefg?q"), "root7");
    EXPECT_EQ(edge("/abcdef"), not_found);
    EXPECT_EQ(edge("/abcdefgh"), not_found);
    EXPECT_EQ(edge("/b"), not_found);
    EXPECT_EQ(edge("/"), not_found);
    EXPECT_EQ(edge("/?a"), not_found);
}

TEST(match_edges, path_length_stops_at_query_or_fragment_anywhere) {
    const std::string base = "/abcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t n = 0; n <= base.size(); ++n) {
        for (char stop : {'?', '#'}) {
            const std::string target = base.substr(0, n) + stop + "k=v/?#";
            EXPECT_EQ(vial::detail::path_length(target), n) << target;
        }
        EXPECT_EQ(vial::detail::path_length(base.substr(0, n)), n);
    }
    static_assert(vial::detail::path_length("/a/b?c") == 4);
    static_assert(vial::detail::path_length("/abcdefghij#c") == 11);
}

TEST(match_edges, each_segment_is_decoded_on_its_own) {
    const auto r = edges.match(method::get, "/two/x/%41");
    ASSERT_TRUE(r.found());
    EXPECT_FALSE(r.param(0).encoded);
    EXPECT_TRUE(r.param(1).encoded);
    EXPECT_EQ(r.param(1).text(), "A");
    const auto s = edges.match(method::get, "/two/ab%2Fcdefghijk/longer-than-eight");
    ASSERT_TRUE(s.found());
    EXPECT_TRUE(s.param(0).encoded);
    EXPECT_FALSE(s.param(1).encoded);
    EXPECT_EQ(s.param(0).text(), "ab/cdefghijk");
    EXPECT_EQ(edge("/two/x/%41"), "two x|A");
    // A '%' in any of the bytes around a word boundary, and escapes that are not escapes.
    for (std::size_t at = 0; at < 20; ++at) {
        std::string seg(20, 'q');
        seg.replace(at, 1, "%25");
        EXPECT_EQ(edge("/two/" + seg + "/z"), "two " + std::string(at, 'q') + "%" + std::string(19 - at, 'q') + "|z");
        EXPECT_EQ(edge("/two/z/" + seg), "two z|" + std::string(at, 'q') + "%" + std::string(19 - at, 'q'));
    }
    EXPECT_EQ(edge("/two/%/%4"), "two %|%4");
    EXPECT_EQ(edge("/two/%4g/%%41"), "two %4g|%A");
    EXPECT_EQ(edge("/two/%C3%A9/%00"), std::string("two \xC3\xA9|") + '\0');
    // A long encoded segment (past the decoder's buffer) is still decoded.
    std::string long_seg;
    for (int i = 0; i < 100; ++i) long_seg += "%41b";
    std::string expected;
    for (int i = 0; i < 100; ++i) expected += "Ab";
    EXPECT_EQ(edge("/two/" + long_seg + "/c"), "two " + expected + "|c");
}

TEST(match_edges, empty_segments_and_trailing_slashes) {
    EXPECT_EQ(edge("/two//x"), not_found);  // a string is never empty
    EXPECT_EQ(edge("/two/x/"), not_found);
    EXPECT_EQ(edge("//"), not_found);
    EXPECT_EQ(edge("/a/"), not_found);
    EXPECT_EQ(edge("/lit/abcdefg/"), not_found);
    EXPECT_EQ(edge("/lit//abcdefg"), not_found);
    EXPECT_EQ(edge("/u64/1/"), not_found);
    EXPECT_EQ(edge("/u64//"), not_found);
    EXPECT_EQ(edge("/rest/"), not_found);  // a path is never empty
    EXPECT_EQ(edge("/rest//x"), not_found);  // nor starts with '/'
    EXPECT_EQ(edge("/rest/%2Fx"), not_found);
    EXPECT_EQ(edge("/rest/x//"), "rest x//");
    EXPECT_EQ(edge("/rest/%41/b%2Fc"), "rest A/b/c");
}

TEST(match_edges, long_paths_and_more_segments_than_any_route) {
    const std::string huge(10000, 'x');
    EXPECT_EQ(edge("/two/" + huge + "/y"), "two " + huge + "|y");
    EXPECT_EQ(edge("/two/" + huge + "/y/z"), not_found);
    EXPECT_EQ(edge("/lit/" + huge), not_found);
    std::string many;
    for (int i = 0; i < 2000; ++i) many += "/a";
    EXPECT_EQ(edge(many), not_found);
    EXPECT_EQ(edge("/rest" + many), "rest " + many.substr(1));
    EXPECT_EQ(edge("/deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/end"), "deep 118");
    EXPECT_EQ(edge("/deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/end/more"), not_found);
    EXPECT_EQ(edge("/deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18"), not_found);
}

TEST(match_edges, backtracking_reconverts_the_segment) {
    EXPECT_EQ(edge("/b/12/x"), "bx 12");
    EXPECT_EQ(edge("/b/12/y"), "by 12");  // the int edge fails one level down: string takes 12
    EXPECT_EQ(edge("/b/%31%32/y"), "by 12");
    EXPECT_EQ(edge("/b/12/z"), not_found);
    EXPECT_EQ(edge("/id/123e4567-e89b-12d3-a456-426614174000/x"), "id_x 123e4567-e89b-12d3-a456-426614174000");
}

TEST(match_edges, int_limits_of_each_handler_type) {
    struct limit {
        std::string_view prefix;
        std::string_view min, below_min, max, above_max;
    };
    const limit limits[] = {
        {"i8", "-128", "-129", "127", "128"},
        {"u8", "0", "-1", "255", "256"},
        {"i16", "-32768", "-32769", "32767", "32768"},
        {"u16", "0", "-1", "65535", "65536"},
        {"i32", "-2147483648", "-2147483649", "2147483647", "2147483648"},
        {"u32", "0", "-1", "4294967295", "4294967296"},
        {"i64", "-9223372036854775808", "-9223372036854775809", "9223372036854775807", "9223372036854775808"},
        {"u64", "0", "-1", "18446744073709551615", "18446744073709551616"},
    };
    for (const limit& l : limits) {
        const std::string at = "/" + std::string(l.prefix) + "/";
        EXPECT_EQ(edge(at + std::string(l.min)), std::string(l.prefix) + " " + std::string(l.min));
        EXPECT_EQ(edge(at + std::string(l.max)), std::string(l.prefix) + " " + std::string(l.max));
        EXPECT_EQ(edge(at + std::string(l.below_min)), not_found) << l.below_min;
        EXPECT_EQ(edge(at + std::string(l.above_max)), not_found) << l.above_max;
    }
    EXPECT_EQ(edge("/u64/99999999999999999999"), not_found);          // 20 digits, over 2^64
    EXPECT_EQ(edge("/u64/9999999999999999999"), "u64 9999999999999999999");  // 19 digits
    EXPECT_EQ(edge("/u64/18446744073709551619"), not_found);
    EXPECT_EQ(edge("/u64/28446744073709551615"), not_found);
    EXPECT_EQ(edge("/u64/184467440737095516150"), not_found);
    EXPECT_EQ(edge("/u64/000000000000000000000000042"), "u64 42");   // leading zeros never overflow
    EXPECT_EQ(edge("/u64/00000018446744073709551615"), "u64 18446744073709551615");
    EXPECT_EQ(edge("/u64/00000018446744073709551616"), not_found);
    EXPECT_EQ(edge("/i64/-000000000000000000009223372036854775808"), "i64 -9223372036854775808");
    EXPECT_EQ(edge("/i8/-0"), "i8 0");
    EXPECT_EQ(edge("/u8/%32%35%35"), "u8 255");
    EXPECT_EQ(edge("/u8/+1"), not_found);
    EXPECT_EQ(edge("/i8/--1"), not_found);
    EXPECT_EQ(edge("/i8/-"), not_found);
    EXPECT_EQ(edge("/u8/1-"), not_found);
    EXPECT_EQ(edge("/u8/ 1"), not_found);
}

/// Reference for parse_int_segment: std::from_chars on the digits, no sign allowed.
bool reference_uint(std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

TEST(match_edges, int_parse_agrees_with_from_chars) {
    std::vector<std::string> cases = {"0", "7", "42", "0000", "1844674407370955161", "18446744073709551615",
                                      "18446744073709551616", "99999999999999999999", "4/2", "4a", "a4", ":", "/"};
    for (std::size_t digits = 1; digits <= 22; ++digits) {
        cases.push_back(std::string(digits, '9'));
        // "1" then zeros, built in place: `"1" + std::string(...)` trips g++ 12's -Wrestrict
        // false positive at -O3 (GCC bug 105329).
        std::string power(digits, '0');
        power[0] = '1';
        cases.push_back(power);
        std::string bad(digits, '5');
        bad[digits / 2] = static_cast<char>('0' + 10);  // ':' between the digits
        cases.push_back(bad);
        bad[digits / 2] = '/';
        cases.push_back(bad);
    }
    for (const std::string& c : cases) {
        std::uint64_t want = 0;
        std::uint64_t got = 0;
        bool negative = true;
        const bool ok = vial::detail::parse_int_segment(c, false, 0, negative, got);
        EXPECT_EQ(ok, reference_uint(c, want)) << c;
        if (ok) {
            EXPECT_EQ(got, want) << c;
        }
        EXPECT_FALSE(negative);
    }
    static_assert([] {
        bool negative = false;
        std::uint64_t v = 0;
        return vial::detail::parse_int_segment("-18446744073709551615", true, 0, negative, v) && negative &&
               v == 18446744073709551615ULL;
    }());
}

/// Reference for uuid::parse: the grammar checked one character at a time.
bool reference_uuid(std::string_view s, vial::uuid& out) {
    if (s.size() != 36) return false;
    std::size_t b = 0;
    for (std::size_t i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
            continue;
        }
        const char c = s[i];
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) return false;
        if ((b & 1) == 0) out.bytes[b / 2] = static_cast<std::uint8_t>(d << 4);
        else out.bytes[b / 2] = static_cast<std::uint8_t>(out.bytes[b / 2] | d);
        ++b;
    }
    return true;
}

TEST(match_edges, uuid_parse_checks_every_position_with_every_byte) {
    const std::string good = "0123abcd-ABCD-ef01-2345-6789AbCdEf09";
    for (std::size_t at = 0; at < good.size(); ++at) {
        for (int c = 0; c < 256; ++c) {
            std::string s = good;
            s[at] = static_cast<char>(c);
            vial::uuid want{};
            vial::uuid got{};
            const bool ok = vial::uuid::parse(s, got);
            ASSERT_EQ(ok, reference_uuid(s, want)) << "position " << at << " byte " << c;
            if (ok) {
                EXPECT_EQ(got, want);
            }
            vial::uuid words{};  // the word version, whichever one parse() uses here
            ASSERT_EQ(vial::detail::parse_uuid_words(s.data(), words.bytes.data()), ok) << at << " " << c;
            if (ok) {
                EXPECT_EQ(words, want);
            }
        }
    }
    vial::uuid id{};
    EXPECT_FALSE(vial::uuid::parse(good.substr(1), id));
    EXPECT_FALSE(vial::uuid::parse(good + "0", id));
    EXPECT_FALSE(vial::uuid::parse("", id));
    ASSERT_TRUE(vial::uuid::parse(good, id));
    EXPECT_EQ(id.to_string(), "0123abcd-abcd-ef01-2345-6789abcdef09");
    // The same text parsed at compile time (one character at a time) gives the same bytes.
    constexpr auto at_compile_time = [] {
        vial::uuid u{};
        (void)vial::uuid::parse("0123abcd-ABCD-ef01-2345-6789AbCdEf09", u);
        return u;
    }();
    EXPECT_EQ(id, at_compile_time);
}

TEST(match_edges, uuid_routes_in_both_cases_and_malformed) {
    EXPECT_EQ(edge("/id/0B7E6C2A-4F1D-4A8E-9C3B-5D2F1E0A7B64"), "id 0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b64");
    EXPECT_EQ(edge("/id/0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b64"), "id 0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b64");
    EXPECT_EQ(edge("/id/0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b6%34"), "id 0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b64");
    EXPECT_EQ(edge("/id/0b7e6c2a4f1d-4a8e-9c3b-5d2f1e0a7b64a"), not_found);
    EXPECT_EQ(edge("/id/0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b6g"), not_found);
    EXPECT_EQ(edge("/id/{0b7e6c2a-4f1d-4a8e-9c3b-5d2f1e0a7b6}"), not_found);
}

TEST(match_edges, string_lengths_count_characters) {
    EXPECT_EQ(edge("/s/abc"), "short abc");
    EXPECT_EQ(edge("/s/abcd"), not_found);
    EXPECT_EQ(edge("/s/%C3%A9%C3%A9%C3%A9"), "short \xC3\xA9\xC3\xA9\xC3\xA9");  // 6 bytes, 3 characters
    EXPECT_EQ(edge("/s/%C3%A9%C3%A9%C3%A9%C3%A9"), not_found);
    EXPECT_EQ(edge("/s/ab/min"), "min2 ab");
    EXPECT_EQ(edge("/s/a/min"), not_found);
    EXPECT_EQ(edge("/s/%C3%A9/min"), not_found);  // two bytes, one character
    EXPECT_EQ(edge("/two/%80a/x"), "two \x80" "a|x");
}

/// A byte that starts no UTF-8 character counts as one character, as Werkzeug counts the
/// replacement character it decodes it to: a segment of such bytes is a string like any other.
TEST(match_edges, bytes_that_are_not_utf8_count_as_one_character_each) {
    EXPECT_EQ(edge("/two/%80/x"), "two \x80|x");  // a lone continuation byte (Werkzeug: U+FFFD)
    EXPECT_EQ(get("/users/%80"), "name \x80");
    EXPECT_EQ(get("/users/%FF"), "name \xFF");
    EXPECT_EQ(edge("/s/%80%80%80"), "short \x80\x80\x80");  // three characters
    EXPECT_EQ(edge("/s/%80%80%80%80"), not_found);
    EXPECT_EQ(edge("/s/%80/min"), not_found);            // one character
    EXPECT_EQ(edge("/s/%80%80/min"), "min2 \x80\x80");  // two
    EXPECT_EQ(edge("/s/%E2%82/min"), not_found);         // a truncated sequence is one character
    EXPECT_EQ(edge("/s/%E2%82a/min"), "min2 \xE2\x82" "a");
    EXPECT_EQ(edge("/s/%C0%AF/min"), "min2 \xC0\xAF");  // an overlong '/' is two bytes of nothing
    EXPECT_EQ(edge("/s/%E2%82%AC/min"), not_found);      // the euro sign is one character
}

TEST(utf8_length, counts_characters_as_werkzeug_decodes_them) {
    using vial::detail::utf8_length;
    static_assert(utf8_length("") == 0);
    static_assert(utf8_length("abc") == 3);
    static_assert(utf8_length("\xC3\xA9t") == 2);
    static_assert(utf8_length("\xE2\x82\xAC") == 1);
    static_assert(utf8_length("\xF0\x9F\x98\x80") == 1);
    static_assert(utf8_length("\x80") == 1);
    static_assert(utf8_length("\x80\xBF") == 2);
    static_assert(utf8_length("\xE2\x82") == 1);        // a maximal subpart is one
    static_assert(utf8_length("\xE2\x82x") == 2);
    static_assert(utf8_length("\xE0\x80\x80") == 3);   // overlong: E0 takes A0-BF next
    static_assert(utf8_length("\xED\xA0\x80") == 3);   // a surrogate
    static_assert(utf8_length("\xF4\x90\x80\x80") == 4);  // above U+10FFFF
    static_assert(utf8_length("\xC0\xAF") == 2);
    static_assert(utf8_length("\xFF\xFE") == 2);
    // Python's b.decode("utf-8", "replace") agrees on each of these (checked by hand with
    // python3); the length of a valid string is its number of code points.
    EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4U);
}

/// The matcher reads a segment's words inside the path only: the hash words it builds at run
/// time, from any place and with the path ending anywhere after the segment, are the table's.
TEST(match_edges, segment_words_match_literal_words_wherever_the_segment_lies) {
    const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t n = 0; n <= 20; ++n) {
        for (std::size_t before = 0; before <= 9; ++before) {
            for (std::size_t after = 0; after <= 9; ++after) {
                const std::string buf = std::string(before, '/') + text.substr(0, n) + std::string(after, '/');
                const char* p = buf.data() + before;
                const std::string_view literal(text.data(), n);
                for (std::size_t c = 0; c < vial::detail::literal_chunks(n); ++c)
                    ASSERT_EQ(vial::detail::segment_word(p, n, c, buf.data(), buf.data() + buf.size()),
                              vial::detail::literal_word(literal, 8 * c))
                        << n << " " << before << " " << after << " " << c;
            }
        }
    }
}

/// Bytes that the word-at-a-time scans must tell apart: the characters searched for, their
/// neighbours by one bit (a borrow can make them look alike), zero and bytes above 0x7F.
constexpr unsigned char tricky_bytes[] = {'/', '%', '?', '#', '.', '$', '>', '"', '0', '9', ':', 'a', 'F', 'g',
                                          0, 1, 0x7F, 0x80, 0xAF, 0xFF};

TEST(match_edges, whole_path_scans_agree_with_a_byte_loop) {
    std::uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1103515245U + 12345U;
        return seed >> 16;
    };
    for (int round = 0; round < 3000; ++round) {
        const std::size_t n = next() % 80;
        std::string text(n, 'x');
        for (char& c : text) c = static_cast<char>(tricky_bytes[next() % sizeof tricky_bytes]);
        if (round % 2 == 0)  // mostly plain letters, a tricky byte here and there
            for (char& c : text)
                if (next() % 4 != 0) c = static_cast<char>('a' + next() % 26);
        const char* p = text.data();
        std::size_t want_stop = 0;
        while (want_stop < n && text[want_stop] != '?' && text[want_stop] != '#') ++want_stop;
        ASSERT_EQ(vial::detail::query_start_words(p, n), want_stop) << round;
        ASSERT_EQ(vial::detail::query_start(p, n), want_stop) << round;
        const std::size_t m = n < 64 ? n : 64;
        std::uint64_t want_bits = 0;
        bool want_percent = false;
        for (std::size_t i = 0; i < m; ++i) {
            want_bits |= static_cast<std::uint64_t>(text[i] == '/') << i;
            want_percent |= text[i] == '%';
        }
        bool percent = !want_percent;
        ASSERT_EQ(vial::detail::slash_bits_words(p, m, percent), want_bits) << round;
        ASSERT_EQ(percent, want_percent) << round;
        percent = !want_percent;
        ASSERT_EQ(vial::detail::slash_bits(p, m, percent), want_bits) << round;
        ASSERT_EQ(percent, want_percent) << round;
#if defined(__SSE2__)
        if (n >= 8) {
            ASSERT_EQ(vial::detail::query_start_sse2(p, n), want_stop) << round;
        }
        if (m >= 8) {
            percent = !want_percent;
            ASSERT_EQ(vial::detail::slash_bits_sse2(p, m, percent), want_bits) << round;
            ASSERT_EQ(percent, want_percent) << round;
        }
#endif
    }
}

TEST(match_edges, segments_around_the_64th_byte) {
    // The first 64 bytes are split from a bitmap, the rest eight bytes at a time.
    for (std::size_t first = 50; first <= 70; ++first) {
        const std::string a(first, 'a');
        EXPECT_EQ(edge("/two/" + a + "/b"), "two " + a + "|b") << first;
        EXPECT_EQ(edge("/two/" + a + "/b%41"), "two " + a + "|bA") << first;
        EXPECT_EQ(edge("/two/" + a + "/bcdefghijklmnopqrstu"), "two " + a + "|bcdefghijklmnopqrstu") << first;
        EXPECT_EQ(edge("/two/" + a + "/b/"), not_found) << first;
        EXPECT_EQ(edge("/two/" + a + "%41/b"), "two " + a + "A|b") << first;
        EXPECT_EQ(edge("/two/" + a), not_found) << first;
        EXPECT_EQ(edge("/rest/" + a + "/%2F"), "rest " + a + "//") << first;
    }
}

TEST(match_edges, ints_of_up_to_eight_digits_with_a_bad_byte_anywhere) {
    for (std::size_t digits = 1; digits <= 9; ++digits) {
        const std::string number = std::string("12345678901").substr(0, digits);
        const std::string value = std::to_string(std::stoll(number));
        EXPECT_EQ(edge("/u64/" + number), "u64 " + value);
        EXPECT_EQ(edge("/b/" + number + "/x"), "bx " + value);
        EXPECT_EQ(edge("/b/" + number + "/y"), "by " + number);
        for (std::size_t at = 0; at < digits; ++at) {
            for (unsigned char c : tricky_bytes) {
                if (c >= '0' && c <= '9') continue;
                std::string bad = number;
                bad[at] = static_cast<char>(c);
                if (c == '/' || c == '%' || c == '?' || c == '#' || c == 0) continue;  // not one segment
                EXPECT_EQ(edge("/u64/" + bad), not_found) << digits << " " << at << " " << int(c);
                EXPECT_EQ(edge("/b/" + bad + "/x"), not_found) << digits << " " << at << " " << int(c);
            }
        }
    }
    EXPECT_EQ(edge("/b/00000000/x"), "bx 0");
    EXPECT_EQ(edge("/b/99999999/x"), "bx 99999999");
    EXPECT_EQ(edge("/i8/-1"), "i8 -1");
    std::uint64_t v = 1;
    EXPECT_TRUE(vial::detail::digits_word(vial::detail::literal_word("0", 0), 1, v));
    EXPECT_EQ(v, 0U);
    for (std::size_t n = 1; n <= 8; ++n) {
        for (std::size_t at = 0; at < n; ++at) {
            for (int c = 0; c < 256; ++c) {
                std::string text = std::string("98765432").substr(0, n);
                text[at] = static_cast<char>(c);
                std::uint64_t want = 0;
                const bool ok = reference_uint(text, want);
                std::uint64_t got = 0;
                ASSERT_EQ(vial::detail::digits_word(vial::detail::literal_word(text, 0), n, got), ok) << n << " " << c;
                if (ok) {
                    ASSERT_EQ(got, want) << text;
                }
            }
        }
    }
}

}  // namespace
