#include <vial/web/template_globals.hpp>

#include <vial/template.hpp>
#include <vial/vial.hpp>

#include <boost/hana/define_struct.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

struct member {
    BOOST_HANA_DEFINE_STRUCT(member, (std::string, user_id), (int, visits));
};
struct no_context {
    BOOST_HANA_DEFINE_STRUCT(no_context, (int, unused));
};

constexpr auto typed_page = vial::inline_template<
    "{{ request.path }}|{% for category, message in get_flashed_messages(with_categories=true) %}[{{ category }}:{{ message }}]{% endfor %}"
    "|{{ session.user_id }}|<input name=csrf_token value=\"{{ csrf_token() }}\">">;
constexpr auto map_page = vial::inline_template<"{{ session['user'] }}|{% for m in get_flashed_messages() %}{{ m }};{% endfor %}">;

constexpr auto app = vial::web_app(
    vial::get<"/flash">([] {
        vial::flash("saved", "success");
        vial::flash("<b>", "error");
        return "ok";
    }),
    vial::get<"/sign-in/<name>">([](std::string_view name, vial::session<>& s) {
        s.set("user_id", std::string(name));
        s.set("user", std::string(name));
        return "ok";
    }),
    vial::get<"/typed">([](const vial::request& req, vial::session<member>& s) {
        return vial::html(vial::render_template<"<inline>">(typed_page, no_context{}, vial::template_globals_for(req, s)));
    }),
    vial::get<"/map">([](const vial::request& req) {
        return vial::html(vial::render_template<"<inline>">(map_page, no_context{}, vial::template_globals_for(req)));
    }),
    vial::post<"/form">([] { return "posted"; }),
    vial::before_request(vial::check_csrf));

}  // namespace

TEST(web_template_globals, templates_see_the_request_session_flashes_and_token) {
    vial::sessions s(vial::secret_keys{"template-globals-key-0123"});
    vial::test_client client(app, s);
    client.get("/sign-in/ann");
    client.get("/flash");
    const std::string page = client.get("/typed").body();
    EXPECT_TRUE(page.starts_with("/typed|[success:saved][error:&lt;b&gt;]|ann|<input")) << page;
    // The token in the page is one the CSRF check accepts.
    const auto at = page.find("value=\"") + 7;
    const std::string token = page.substr(at, page.find('"', at) - at);
    EXPECT_EQ(client.post("/form", "csrf_token=" + token, "application/x-www-form-urlencoded").body(), "posted");
    // Flashes were shown once.
    EXPECT_EQ(client.get("/typed").body().find("saved"), std::string::npos);
}

TEST(web_template_globals, a_string_map_session) {
    vial::sessions s(vial::secret_keys{"template-globals-key-0123"});
    vial::test_client client(app, s);
    client.get("/sign-in/bob");
    client.get("/flash");
    EXPECT_EQ(client.get("/map").body(), "bob|saved;&lt;b&gt;;");
}
