#include <vial/route.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

template <>
struct vial::converter<"hex"> {
    using value_type = std::uint32_t;
    static bool parse(std::string_view s, value_type& out) {
        if (s.empty() || s.size() > 8) return false;
        std::uint32_t v = 0;
        for (char c : s) {
            const int d = vial::uuid::hex(c);
            if (d < 0) return false;
            v = v * 16 + static_cast<std::uint32_t>(d);
        }
        out = v;
        return true;
    }
    static std::string to_url(const value_type& v) {
        constexpr char digits[] = "0123456789abcdef";
        std::string s;
        for (int shift = 28; shift >= 0; shift -= 4)
            if (!s.empty() || ((v >> shift) & 15U) != 0 || shift == 0) s += digits[(v >> shift) & 15U];
        return s;
    }
};

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

TEST(match, reports_endpoint_rule_and_raw_parameters) {
    const auto r = app.match(method::get, "/users/a%20b");
    ASSERT_TRUE(r.found());
    EXPECT_EQ(r.endpoint(), "user_by_name");
    EXPECT_EQ(r.rule(), "/users/<name>");
    EXPECT_EQ(r.param(0).raw, "a%20b");
    EXPECT_EQ(r.param(0).text(), "a b");
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

}  // namespace
