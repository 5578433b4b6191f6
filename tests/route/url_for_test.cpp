#include <vial/route/url_for.hpp>

#include <gtest/gtest.h>

#include "hex_converter.hpp"

#include <cstdint>
#include <string>
#include <string_view>


namespace {

std::string show_user(int id) { return std::to_string(id); }
std::string list_users() { return "users"; }
std::string download(std::string_view p) { return std::string(p); }

constexpr auto admin = vial::blueprint<"admin", "/admin">(
    vial::blueprint<"users", "/users">(vial::get<"/user/<int:user_id>", "show_user">(show_user),
                                       vial::get<"/", list_users>()));

constexpr auto app = vial::app(
    vial::get<"/", "index">([] { return std::string("index"); }),
    vial::blueprint<"users", "/users">(vial::get<"/user/<int:user_id>", "show_user">(show_user)),
    admin,
    vial::get<"/files/<path:p>", download>(),
    vial::get<"/search/<q>", "search">([](std::string_view q) { return std::string(q); }),
    vial::get<"/y/<int(fixed_digits=4):year>", "year">([](int y) { return std::to_string(y); }),
    vial::get<"/p/<int(min=1, max=9):page>", "page">([](int p) { return std::to_string(p); }),
    vial::get<"/s/<int(signed=True):n>", "signed">([](int n) { return std::to_string(n); }),
    vial::get<"/f/<float:x>", "float">([](double x) { return std::to_string(x); }),
    vial::get<"/u/<uuid:id>", "uuid">([](vial::uuid id) { return id.to_string(); }),
    vial::get<"/a/<any(about, help):p>", "any">([](std::string_view p) { return std::string(p); }),
    vial::get<"/l/<string(length=2):lang>", "lang">([](std::string lang) { return lang; }),
    vial::get<"/b/<any(red, blue):c>", "colour">([](std::string_view c) { return std::string(c); }),
    vial::get<"/c/<any(about, help):p>", "any_again">([](std::string_view p) { return std::string(p); }),
    vial::get<"/h/<hex:n>/<int:page>", "hex">([](std::uint32_t n, int page) { return std::to_string(n + page); }),
    vial::get<"/i8/<int(signed=True):v>/<int:w>", "narrow">([](std::int8_t v, std::uint16_t w) { return std::to_string(v + w); }),
    vial::get<"/caf\xC3\xA9/<int:n>/men\xC3\xBC", "cafe">([](int n) { return std::to_string(n); }),
    vial::get<"/t~!$&'()*+,;=:@/a%b/x\"y[z]", "punctuation">([] { return std::string("punctuation"); }));

TEST(url_for, builds_paths_with_blueprint_names) {
    EXPECT_EQ((vial::url_for<"index", app>()), "/");
    EXPECT_EQ((vial::url_for<"users.show_user", app>(42)), "/users/user/42");
    EXPECT_EQ((vial::url_for<"admin.users.show_user", app>(7)), "/admin/users/user/7");
    EXPECT_EQ((vial::url_for<"admin.users.list_users", app>()), "/admin/users/");
    EXPECT_EQ((vial::url_for<"download", app>("a/b c.txt")), "/files/a/b%20c.txt");
}

TEST(url_for, percent_encodes_values_and_query_arguments) {
    EXPECT_EQ((vial::url_for<"search", app>("a/b?c#d e")), "/search/a%2Fb%3Fc%23d%20e");
    EXPECT_EQ((vial::url_for<"search", app>(std::string("\xC3\xA9"))), "/search/%C3%A9");
    EXPECT_EQ((vial::url_for<"users.show_user", app>(42, vial::query{"tab", "a&b=c"}, vial::query{"page", 2})),
              "/users/user/42?tab=a%26b%3Dc&page=2");
}

TEST(url_for, percent_encodes_the_rules_own_text_as_werkzeug_does) {
    // Werkzeug 3.1 builds "/caf%C3%A9" for a rule "/café", and keeps the same characters
    // as in a value (sub-delims, ':' and '@') while it encodes '%', '"', '[' and ']'.
    EXPECT_EQ(vial::url_for<"cafe">(app, 3), "/caf%C3%A9/3/men%C3%BC");
    EXPECT_EQ(vial::url_for<"punctuation">(app), "/t~!$&'()*+,;=:@/a%25b/x%22y%5Bz%5D");
    // And the URL leads back to the route.
    const auto m = app.match(vial::method::get, vial::url_for<"cafe">(app, 3));
    ASSERT_TRUE(m.found());
    EXPECT_EQ(m.endpoint(), "cafe");
    const auto p = app.match(vial::method::get, vial::url_for<"punctuation">(app));
    ASSERT_TRUE(p.found());
    EXPECT_EQ(p.endpoint(), "punctuation");
}

TEST(url_for, formats_converter_values) {
    EXPECT_EQ((vial::url_for<"year", app>(7)), "/y/0007");
    EXPECT_EQ((vial::url_for<"signed", app>(-3)), "/s/-3");
    EXPECT_EQ((vial::url_for<"float", app>(2.0)), "/f/2.0");
    EXPECT_EQ((vial::url_for<"float", app>(1.25)), "/f/1.25");
    vial::uuid id;
    ASSERT_TRUE(vial::uuid::parse("123E4567-e89b-12d3-a456-426614174000", id));
    EXPECT_EQ((vial::url_for<"uuid", app>(id)), "/u/123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ((vial::url_for<"any", app>("help")), "/a/help");
    EXPECT_EQ((vial::url_for<"lang", app>("en")), "/l/en");
}

TEST(url_for, takes_what_each_converter_takes) {
    // An integer for a float parameter, a custom converter's to_url, and any() options of
    // two routes with different patterns checked each against its own.
    EXPECT_EQ(vial::url_for<"float">(app, 3), "/f/3.0");
    EXPECT_EQ(vial::url_for<"hex">(app, std::uint32_t{255}, 2), "/h/ff/2");
    EXPECT_EQ(vial::url_for<"hex">(app, std::uint32_t{0}, 0, vial::query{"q", "x y"}), "/h/0/0?q=x%20y");
    EXPECT_EQ(vial::url_for<"colour">(app, "blue"), "/b/blue");
    EXPECT_THROW(vial::url_for<"colour">(app, "help"), vial::build_error);
    EXPECT_EQ(vial::url_for<"any_again">(app, "help"), "/c/help");
    EXPECT_THROW(vial::url_for<"any_again">(app, "red"), vial::build_error);
    const auto m = app.match(vial::method::get, vial::url_for<"hex">(app, std::uint32_t{0xbeef}, 1));
    ASSERT_TRUE(m.found());
    EXPECT_EQ(m.endpoint(), "hex");
}

TEST(url_for, rejects_values_the_route_would_not_match) {
    EXPECT_THROW((vial::url_for<"page", app>(0)), vial::build_error);
    EXPECT_THROW((vial::url_for<"page", app>(10)), vial::build_error);
    EXPECT_THROW((vial::url_for<"users.show_user", app>(-1)), vial::build_error);
    EXPECT_THROW((vial::url_for<"any", app>("other")), vial::build_error);
    EXPECT_THROW((vial::url_for<"lang", app>("eng")), vial::build_error);
    EXPECT_THROW((vial::url_for<"search", app>("")), vial::build_error);
    EXPECT_THROW((vial::url_for<"year", app>(12345)), vial::build_error);
    EXPECT_THROW((vial::url_for<"download", app>("/abs")), vial::build_error);  // "/files//abs" matches nothing
    EXPECT_THROW((vial::url_for<"download", app>("")), vial::build_error);
}

TEST(url_for, refuses_ints_the_handlers_type_cannot_hold) {
    // The route would not match them (an int must fit the handler's parameter type).
    EXPECT_EQ(vial::url_for<"narrow">(app, -128, 65535), "/i8/-128/65535");
    EXPECT_EQ(vial::url_for<"narrow">(app, 127, 0), "/i8/127/0");
    EXPECT_THROW(vial::url_for<"narrow">(app, 128, 0), vial::build_error);
    EXPECT_THROW(vial::url_for<"narrow">(app, -129, 0), vial::build_error);
    EXPECT_THROW(vial::url_for<"narrow">(app, 0, 65536), vial::build_error);
    EXPECT_THROW(vial::url_for<"narrow">(app, 0, -1), vial::build_error);
    for (const auto& [v, w] : {std::pair{-128, 0}, std::pair{127, 65535}}) {
        const std::string url = vial::url_for<"narrow">(app, v, w);
        EXPECT_TRUE(app.match(vial::method::get, url).found()) << url;
    }
    EXPECT_FALSE(app.match(vial::method::get, "/i8/128/0").found());
}

TEST(url_for, builds_path_values_that_match_again) {
    EXPECT_EQ(vial::url_for<"download">(app, "a//b/"), "/files/a//b/");
    EXPECT_EQ(vial::url_for<"download">(app, "%2Fx"), "/files/%252Fx");
    for (std::string_view value : {"a", "a/b", "a//b/", "x y/z", "%2Fx", "\xC3\xA9/\x80"}) {
        const std::string url = vial::url_for<"download">(app, value);
        const auto m = app.match(vial::method::get, url);
        ASSERT_TRUE(m.found()) << value;
        EXPECT_EQ(m.param(0).text(), value);
    }
}

TEST(url_for, round_trips_through_match) {
    const auto url = vial::url_for<"search">(app, "x/y z");
    const auto m = app.match(vial::method::get, url);
    ASSERT_TRUE(m.found());
    EXPECT_EQ(m.endpoint(), "search");
    EXPECT_EQ(app.dispatch(m, [](const std::string& s) { return s; }), "x/y z");
}

TEST(blueprint, lists_routes_with_full_names_and_rules) {
    const auto routes = decltype(app)::routes();
    EXPECT_EQ(routes[1].endpoint, "users.show_user");
    EXPECT_EQ(routes[1].rule, "/users/user/<int:user_id>");
    EXPECT_EQ(routes[1].blueprint, "users");
    EXPECT_EQ(routes[2].endpoint, "admin.users.show_user");
    EXPECT_EQ(routes[2].blueprint, "admin.users");
    EXPECT_EQ(routes[3].rule, "/admin/users/");
    EXPECT_TRUE(routes[0].methods.contains(vial::method::get));
}

TEST(blueprint, empty_prefix_keeps_paths_and_names_endpoints) {
    constexpr auto api = vial::app(vial::blueprint<"api", "">(vial::get<"/ping", "ping">([] { return 1; })));
    EXPECT_EQ(vial::url_for<"api.ping">(api), "/ping");
    EXPECT_TRUE(api.match(vial::method::get, "/ping").found());
}

}  // namespace

namespace {

/// An item that is not a route (as hooks are): it brings no route to the app.
struct marker {
    template <vial::fixed_string Blueprint>
    constexpr marker in_blueprint() const {
        return *this;
    }
};

std::string one() { return "one"; }
std::string two(int n) { return "two" + std::to_string(n); }
std::string three(std::string_view s) { return "three" + std::string(s); }

constexpr auto mixed = vial::app(
    marker{}, vial::get<"/one", one>(),
    vial::blueprint<"b", "/b">(marker{}, marker{}, vial::get<"/two/<int:n>", two>(), marker{},
                               vial::blueprint<"c", "/c">(marker{}, vial::get<"/three/<s>", three>())),
    marker{}, vial::get<"/two/<int:n>", "top_two">(two), marker{});

std::string call(std::string_view target) {
    const auto m = mixed.match(vial::method::get, target);
    if (!m.found()) return "404";
    return mixed.dispatch(m, [](const std::string& s) { return s; });
}

}  // namespace

TEST(blueprint, items_without_routes_between_routes_keep_every_route_reachable) {
    EXPECT_EQ(decltype(mixed)::route_count, 4U);
    EXPECT_EQ(vial::url_for<"one">(mixed), "/one");
    EXPECT_EQ(vial::url_for<"b.two">(mixed, 5), "/b/two/5");
    EXPECT_EQ(vial::url_for<"b.c.three">(mixed, "x"), "/b/c/three/x");
    EXPECT_EQ(vial::url_for<"top_two">(mixed, 6), "/two/6");
    EXPECT_EQ(call("/one"), "one");
    EXPECT_EQ(call("/b/two/5"), "two5");
    EXPECT_EQ(call("/b/c/three/x"), "threex");
    EXPECT_EQ(call("/two/6"), "two6");
    EXPECT_EQ(std::tuple_size_v<decltype(mixed.items_)>, 7U);  // every marker, nested ones too
}

// Found by fuzz/fuzz_url_for (issue 11): a path value starting with '/' gave "/files//x",
// which the path converter (never empty, never starting with '/') does not match.
TEST(url_for, fuzz_regression_path_value_starting_with_a_slash_is_refused) {
    EXPECT_THROW(vial::url_for<"download">(app, "/"), vial::build_error);
    EXPECT_THROW(vial::url_for<"download">(app, "/etc/passwd"), vial::build_error);
    const auto url = vial::url_for<"download">(app, "a//b/");
    EXPECT_EQ(url, "/files/a//b/");
    const auto m = app.match(vial::method::get, url);
    ASSERT_TRUE(m.found());
    EXPECT_EQ(m.param(0).text(), "a//b/");
}

// The app as a template argument (`url_for<"name", app>(args...)`): what a program with many
// url_for calls should write, since the function each call instantiates is named after the app
// variable instead of its type. The same URLs, the same checks, the same build_error.
TEST(url_for, the_app_as_a_template_argument_builds_the_same_urls) {
    EXPECT_EQ((vial::url_for<"index", app>()), "/");
    EXPECT_EQ((vial::url_for<"users.show_user", app>(42)), "/users/user/42");
    EXPECT_EQ((vial::url_for<"admin.users.list_users", app>()), "/admin/users/");
    EXPECT_EQ((vial::url_for<"download", app>("a/b c.txt")), "/files/a/b%20c.txt");
    EXPECT_EQ((vial::url_for<"users.show_user", app>(42, vial::query{"tab", "a&b=c"}, vial::query{"page", 2})),
              "/users/user/42?tab=a%26b%3Dc&page=2");
    EXPECT_EQ((vial::url_for<"year", app>(7)), "/y/0007");
    EXPECT_EQ((vial::url_for<"float", app>(3)), "/f/3.0");
    EXPECT_EQ((vial::url_for<"hex", app>(std::uint32_t{255}, 2)), "/h/ff/2");  // a custom converter's to_url
    EXPECT_EQ((vial::url_for<"cafe", app>(3)), "/caf%C3%A9/3/men%C3%BC");
    EXPECT_EQ((vial::url_for<"narrow", app>(-128, 65535)), "/i8/-128/65535");
    EXPECT_THROW((vial::url_for<"narrow", app>(128, 0)), vial::build_error);
    EXPECT_THROW((vial::url_for<"page", app>(10)), vial::build_error);
    EXPECT_THROW((vial::url_for<"download", app>("/abs")), vial::build_error);
    EXPECT_EQ((vial::url_for<"b.c.three", mixed>("x")), "/b/c/three/x");
    EXPECT_EQ((vial::url_for<"top_two", mixed>(6)), "/two/6");
    // Both forms give the same string for every kind of argument.
    EXPECT_EQ((vial::url_for<"lang", app>("en")), vial::url_for<"lang">(app, "en"));
}

// The template form checks each call against tables made once per app (detail::url_table_of)
// instead of the route's type: every converter, the handler's int ranges and the rule's own
// text give what the older form gives, and the same build_error.
TEST(url_for, the_template_form_builds_every_converter_as_the_older_form) {
    vial::uuid id;
    ASSERT_TRUE(vial::uuid::parse("123e4567-e89b-12d3-a456-426614174000", id));
    EXPECT_EQ((vial::url_for<"uuid", app>(id)), vial::url_for<"uuid">(app, id));
    EXPECT_EQ((vial::url_for<"uuid", app>(id)), "/u/123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ((vial::url_for<"float", app>(1.25)), "/f/1.25");
    EXPECT_EQ((vial::url_for<"signed", app>(-3)), "/s/-3");
    EXPECT_EQ((vial::url_for<"any", app>("help")), "/a/help");
    // Routes whose any() converters are alike share one, whose options are in the first's text.
    EXPECT_EQ((vial::url_for<"any_again", app>("help")), "/c/help");
    EXPECT_EQ((vial::url_for<"colour", app>("red")), "/b/red");
    EXPECT_THROW((vial::url_for<"any_again", app>("red")), vial::build_error);
    EXPECT_EQ((vial::url_for<"search", app>(std::string("a/b?c#d e"))), "/search/a%2Fb%3Fc%23d%20e");
    EXPECT_EQ((vial::url_for<"download", app>(std::string_view("a//b/"))), "/files/a//b/");
    EXPECT_EQ((vial::url_for<"admin.users.show_user", app>(7L, vial::query{"q", 1.5})), "/admin/users/user/7?q=1.5");
    EXPECT_EQ((vial::url_for<"punctuation", app>()), vial::url_for<"punctuation">(app));
    EXPECT_EQ((vial::url_for<"hex", app>(std::uint32_t{0}, 0, vial::query{"q", "x y"})), "/h/0/0?q=x%20y");
    EXPECT_THROW((vial::url_for<"any", app>("other")), vial::build_error);
    EXPECT_THROW((vial::url_for<"lang", app>("eng")), vial::build_error);
    EXPECT_THROW((vial::url_for<"search", app>("")), vial::build_error);
    EXPECT_THROW((vial::url_for<"year", app>(12345)), vial::build_error);
    EXPECT_THROW((vial::url_for<"users.show_user", app>(-1)), vial::build_error);
    EXPECT_THROW((vial::url_for<"narrow", app>(0, 65536)), vial::build_error);
    EXPECT_THROW((vial::url_for<"narrow">(app, 0, -1)), vial::build_error);
}

// The older form, the app as the first argument: the cases above, which use the template form,
// give the same URLs and the same build_error.
TEST(url_for, the_older_form_builds_and_refuses_as_the_template_form) {
    EXPECT_EQ(vial::url_for<"index">(app), "/");
    EXPECT_EQ(vial::url_for<"users.show_user">(app, 42), "/users/user/42");
    EXPECT_EQ(vial::url_for<"admin.users.show_user">(app, 7), "/admin/users/user/7");
    EXPECT_EQ(vial::url_for<"admin.users.list_users">(app), "/admin/users/");
    EXPECT_EQ(vial::url_for<"download">(app, "a/b c.txt"), "/files/a/b%20c.txt");
    EXPECT_EQ(vial::url_for<"search">(app, "a/b?c#d e"), "/search/a%2Fb%3Fc%23d%20e");
    EXPECT_EQ(vial::url_for<"search">(app, std::string("\xC3\xA9")), "/search/%C3%A9");
    EXPECT_EQ(vial::url_for<"users.show_user">(app, 42, vial::query{"tab", "a&b=c"}, vial::query{"page", 2}),
              "/users/user/42?tab=a%26b%3Dc&page=2");
    EXPECT_EQ(vial::url_for<"year">(app, 7), "/y/0007");
    EXPECT_EQ(vial::url_for<"signed">(app, -3), "/s/-3");
    EXPECT_EQ(vial::url_for<"float">(app, 2.0), "/f/2.0");
    EXPECT_EQ(vial::url_for<"float">(app, 1.25), "/f/1.25");
    EXPECT_EQ(vial::url_for<"any">(app, "help"), "/a/help");
    EXPECT_EQ(vial::url_for<"lang">(app, "en"), "/l/en");
    EXPECT_THROW(vial::url_for<"page">(app, 0), vial::build_error);
    EXPECT_THROW(vial::url_for<"page">(app, 10), vial::build_error);
    EXPECT_THROW(vial::url_for<"users.show_user">(app, -1), vial::build_error);
    EXPECT_THROW(vial::url_for<"any">(app, "other"), vial::build_error);
    EXPECT_THROW(vial::url_for<"lang">(app, "eng"), vial::build_error);
    EXPECT_THROW(vial::url_for<"search">(app, ""), vial::build_error);
    EXPECT_THROW(vial::url_for<"year">(app, 12345), vial::build_error);
    EXPECT_THROW(vial::url_for<"download">(app, "/abs"), vial::build_error);
    EXPECT_THROW(vial::url_for<"download">(app, ""), vial::build_error);
}
