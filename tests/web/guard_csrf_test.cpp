#include <vial/web/guard.hpp>

#include <vial/web/csrf.hpp>
#include <vial/web/session.hpp>
#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

// A log of what ran, per test.
thread_local std::vector<std::string> trace;

struct user_db {
    std::string admin = "root";
};

constexpr auto login_required = vial::guard([](vial::request& req, vial::session<>& s) -> std::optional<vial::response> {
    trace.push_back("login_required");
    if (s.contains("user")) return std::nullopt;
    return vial::redirect("/signin?next=" + std::string(req.target()), 303);
});

constexpr auto admin_only = vial::guard([](vial::session<>& s, const user_db& db) -> std::optional<std::string> {
    trace.push_back("admin_only");
    if (s.get("user") == db.admin) return std::nullopt;
    return std::string("admins only");
});

constexpr auto teapot = [](vial::request& req) -> std::optional<std::pair<int, std::string>> {
    trace.push_back("teapot");
    if (req.args().get("tea")) return std::pair<int, std::string>{418, "short and stout"};
    return std::nullopt;
};

// A guard may take the route's parameters, as a handler does (here the first of two).
constexpr auto own_books_only = vial::guard([](int shelf, const vial::session<>& s) -> std::optional<std::string> {
    trace.push_back("own_books_only " + std::to_string(shelf));
    if (s.get("user") == "ann" && shelf == 1) return std::nullopt;
    return std::string("not your shelf");
});

std::string show_book(int id, vial::session<>& s) { return "book " + std::to_string(id) + " for " + s.get("user", "?"); }

constexpr auto account = vial::blueprint<"account", "/account">(
    vial::before_request([] { trace.push_back("account.before"); }),
    vial::get<"/", "home">([] { return "account home"; }),
    vial::blueprint<"keys", "/keys">(vial::get<"/", "list">([] { return "keys"; })));

constexpr auto forms = vial::blueprint<"forms", "/forms">(
    vial::before_request(vial::check_csrf),
    vial::get<"/token">([] { return vial::csrf_token(); }),
    vial::post<"/send">([](vial::request& req) { return "got " + req.form().get("v").value_or(""); }),
    vial::put<"/send">([] { return "put"; }),
    vial::patch<"/send">([] { return "patch"; }),
    vial::del<"/send">([] { return "deleted"; }),
    vial::post<"/json">([](vial::request& req) { return "json " + req.json().dump(); }));

constexpr auto app = vial::web_app(
    vial::before_request([] { trace.push_back("app.before"); }),
    vial::get<"/signin">([](vial::request& req, vial::session<>& s) {
        s.set("user", req.args().get("as").value_or("ann"));
        return "signed in";
    }),
    login_required(vial::get<"/books/<int:id>", "book">(show_book)),
    vial::guard(login_required, admin_only)(vial::get<"/admin">([] { return "admin page"; })),
    login_required(admin_only(vial::get<"/admin2">([] { return "admin page 2"; }))),
    vial::guard(teapot)(vial::get<"/pot">([] { return "coffee"; })),
    vial::guard(teapot)(vial::post<"/void">([] {})),
    login_required(account),
    vial::csrf_protect(vial::post<"/one">([] { return "one"; })),
    vial::post<"/unprotected">([] { return "open"; }),
    vial::get<"/token">([] { return vial::csrf_token(); }),
    own_books_only(vial::get<"/shelves/<int:shelf>/<string:title>">(
        [](int shelf, std::string title) { return "shelf " + std::to_string(shelf) + ": " + title; })),
    forms);

}  // namespace

// Each test: a fresh session service and client.
class web_guard : public ::testing::Test {
protected:
    vial::sessions s{vial::secret_keys{"guard-test-key-0123456789"}};
    user_db db;
    vial::test_client<decltype(app), vial::sessions&, user_db&> client{app, s, db};
};
using web_csrf = web_guard;

TEST_F(web_guard, lets_the_request_through_or_answers_it) {
    auto res = client.get("/books/7?x=1");
    EXPECT_EQ(res.status(), 303);
    EXPECT_EQ(res.header("Location"), "/signin?next=/books/7?x=1");
    client.get("/signin");
    res = client.get("/books/7");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), "book 7 for ann");  // route parameters still reach the handler
}

TEST_F(web_guard, runs_after_the_before_request_hooks_and_in_order) {
    client.get("/signin?as=root");
    trace.clear();
    EXPECT_EQ(client.get("/admin").body(), "admin page");
    EXPECT_EQ(trace, (std::vector<std::string>{"app.before", "login_required", "admin_only"}));
    trace.clear();
    EXPECT_EQ(client.get("/admin2").body(), "admin page 2");
    EXPECT_EQ(trace, (std::vector<std::string>{"app.before", "login_required", "admin_only"}));
}

TEST_F(web_guard, composed_guards_stop_at_the_first_answer) {
    trace.clear();
    EXPECT_EQ(client.get("/admin").status(), 303);
    EXPECT_EQ(trace, (std::vector<std::string>{"app.before", "login_required"}));
    client.get("/signin?as=bob");
    auto res = client.get("/admin");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), "admins only");
}

TEST_F(web_guard, may_take_route_parameters) {
    client.get("/signin");
    trace.clear();
    EXPECT_EQ(client.get("/shelves/1/Emma").body(), "shelf 1: Emma");
    EXPECT_EQ(trace, (std::vector<std::string>{"app.before", "own_books_only 1"}));
    EXPECT_EQ(client.get("/shelves/2/Emma").body(), "not your shelf");
}

TEST_F(web_guard, any_result_type_a_handler_may_return) {
    EXPECT_EQ(client.get("/pot").body(), "coffee");
    auto res = client.get("/pot?tea=1");
    EXPECT_EQ(res.status(), 418);
    EXPECT_EQ(res.body(), "short and stout");
    EXPECT_EQ(client.post("/void").status(), 204);
}

// A guarded route keeps what .doc() said about it (its OpenAPI summary, or hidden), as it
// keeps its pattern and endpoint name.
TEST(web_guard_doc, a_guarded_route_keeps_its_doc) {
    constexpr auto documented =
        login_required(vial::get<"/doc", "doc">([] { return "x"; }).doc({.summary = "Documented", .hidden = true}));
    static_assert(documented.doc_.summary == "Documented");
    static_assert(documented.doc_.hidden);
    constexpr auto twice = vial::guard(login_required, admin_only)(vial::get<"/d2">([] { return "x"; }).doc({.summary = "Two"}));
    static_assert(twice.doc_.summary == "Two");
}

TEST_F(web_guard, on_a_blueprint_guards_every_route_nested_ones_included) {
    trace.clear();
    EXPECT_EQ(client.get("/account/").status(), 303);
    EXPECT_EQ(trace, (std::vector<std::string>{"app.before", "account.before", "login_required"}));
    EXPECT_EQ(client.get("/account/keys/").status(), 303);
    client.get("/signin");
    EXPECT_EQ(client.get("/account/").body(), "account home");
    EXPECT_EQ(client.get("/account/keys/").body(), "keys");
    // Endpoints keep their names: url_for still works on guarded routes.
    EXPECT_EQ(vial::url_for<"account.keys.list">(app), "/account/keys/");
    EXPECT_EQ(vial::url_for<"book">(app, 3), "/books/3");
}

namespace {
template <class Client>
std::string form_post(Client& client, const std::string& target,
                      const std::string& body, int* status = nullptr) {
    auto res = client.post(target, body, "application/x-www-form-urlencoded");
    if (status) *status = static_cast<int>(res.status());
    return res.body();
}
}  // namespace

TEST_F(web_csrf, a_form_post_needs_the_session_token) {
    int status = 0;
    std::string body = form_post(client, "/forms/send", "v=1", &status);
    EXPECT_EQ(status, 400);
    EXPECT_NE(body.find("CSRF token missing"), std::string::npos) << body;

    const std::string token = client.get("/forms/token").body();
    EXPECT_FALSE(token.empty());
    EXPECT_EQ(form_post(client, "/forms/send", "v=1&csrf_token=" + token, &status), "got 1");
    EXPECT_EQ(status, 200);
    // Every masking of the token verifies; each is different.
    const std::string token2 = client.get("/forms/token").body();
    EXPECT_NE(token, token2);
    EXPECT_EQ(form_post(client, "/forms/send", "v=2&csrf_token=" + token2, &status), "got 2");

    std::string wrong = token;
    wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
    body = form_post(client, "/forms/send", "v=1&csrf_token=" + wrong, &status);
    EXPECT_EQ(status, 400);
    EXPECT_NE(body.find("CSRF token invalid"), std::string::npos) << body;
    EXPECT_NE(form_post(client, "/forms/send", "v=1&csrf_token=short", &status).find("CSRF token invalid"), std::string::npos);
}

TEST_F(web_csrf, another_sessions_token_is_refused) {
    auto& alice = client;
    vial::test_client mallory(app, s, db);
    const std::string token = mallory.get("/token").body();
    alice.get("/token");
    int status = 0;
    EXPECT_NE(form_post(alice, "/forms/send", "csrf_token=" + token, &status).find("CSRF token invalid"),
              std::string::npos);
    EXPECT_EQ(status, 400);
    // Without any session token (no cookie): its own message.
    vial::test_client fresh(app, s, db);
    EXPECT_NE(form_post(fresh, "/forms/send", "csrf_token=" + token, &status).find("CSRF session token missing"),
              std::string::npos);
}

TEST_F(web_csrf, methods_and_headers) {
    const std::string token = client.get("/forms/token").body();
    EXPECT_EQ(client.put("/forms/send", "", "text/plain").status(), 400);
    EXPECT_EQ(client.patch("/forms/send", "v=1", "application/x-www-form-urlencoded").status(), 400);
    EXPECT_EQ(client.del("/forms/send", "v=1", "application/x-www-form-urlencoded").status(), 400);
    EXPECT_EQ(client.put("/forms/send", "v=1", "application/x-www-form-urlencoded", {{"X-CSRFToken", token}}).body(), "put");
    EXPECT_EQ(client.patch("/forms/send", "", "text/plain", {{"X-CSRF-Token", token}}).body(), "patch");
    EXPECT_EQ(client.del("/forms/send", "v=1", "application/x-www-form-urlencoded", {{"X-CSRFToken", token}}).body(),
              "deleted");
    // PUT, PATCH and DELETE without a body type are always preflighted cross-site: not checked.
    EXPECT_EQ(client.patch("/forms/send").body(), "patch");
    EXPECT_EQ(client.del("/forms/send").body(), "deleted");
    // Multipart forms carry it as a field.
    EXPECT_EQ(client.post("/forms/send", vial::form_data().field("v", "m").field("csrf_token", token)).body(), "got m");
    EXPECT_EQ(client.post("/forms/send", vial::form_data().field("v", "m")).status(), 400);
    // JSON bodies (CORS-preflighted) and safe methods are not checked.
    EXPECT_EQ(client.post("/forms/json", "{\"a\":1}", "application/json").body(), "json {\"a\":1}");
    EXPECT_EQ(client.get("/forms/token").status(), 200);
}

TEST_F(web_csrf, checks_the_bodies_a_browser_sends_cross_site_without_a_preflight) {
    // text/plain (a form with enctype="text/plain", sendBeacon, fetch in no-cors mode), in any
    // case and with parameters, and a POST with no Content-Type at all: checked.
    EXPECT_EQ(client.post("/forms/send", "{\"v\": 1}", "text/plain").status(), 400);
    EXPECT_EQ(client.post("/forms/send", "x", "Text/Plain; charset=utf-8").status(), 400);
    EXPECT_EQ(client.post("/forms/send", "v=1", "Application/X-WWW-Form-Urlencoded").status(), 400);
    EXPECT_EQ(client.post("/forms/send").status(), 400);
    // Types a browser sends cross-site only after a CORS preflight: not checked.
    EXPECT_EQ(client.post("/forms/send", "<v/>", "application/xml").status(), 200);
    EXPECT_EQ(client.post("/forms/json", "{\"a\":2}", "application/problem+json").body(), "json {\"a\":2}");
    // A checked request with its token passes, whatever its body type.
    const std::string token = client.get("/forms/token").body();
    EXPECT_EQ(client.post("/forms/send", "x", "text/plain", {{"X-CSRFToken", token}}).status(), 200);
}

// CSRF for the whole app: the check runs after routing, so unknown URLs and methods get the
// answers they get without it.
constexpr auto protected_app = vial::web_app(
    vial::before_request(vial::check_csrf),
    vial::get<"/token", "token">([] { return vial::csrf_token(); }),
    vial::get<"/page", "page">([](vial::request& req) { return "endpoint " + std::string(req.endpoint()); }),
    vial::post<"/send", "send">([] { return "sent"; }),
    vial::blueprint<"shop", "/shop">(vial::post<"/buy", "buy">([](vial::request& req) { return std::string(req.endpoint()); })));

TEST(web_csrf_app, an_unknown_url_is_a_404_and_a_wrong_method_a_405) {
    vial::sessions s{vial::secret_keys{"csrf-app-test-key-0123456789"}};
    vial::test_client client(protected_app, s);
    auto res = client.post("/nowhere", "v=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 404);
    res = client.post("/shop/nothing", "v=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 404);
    res = client.post("/page", "v=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 405);
    EXPECT_EQ(res.header("Allow"), "GET, HEAD, OPTIONS");
    res = client.del("/send", "v=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 405);
    // A route that matches is checked, in the app and in its blueprints.
    res = client.post("/send", "v=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 400);
    EXPECT_NE(res.body().find("CSRF token missing"), std::string::npos) << res.body();
    EXPECT_EQ(client.post("/shop/buy", "v=1", "text/plain").status(), 400);
    const std::string token = client.get("/token").body();
    EXPECT_EQ(client.post("/send", "csrf_token=" + token, "application/x-www-form-urlencoded").body(), "sent");
    EXPECT_EQ(client.post("/shop/buy", "csrf_token=" + token, "application/x-www-form-urlencoded").body(), "shop.buy");
}

TEST(web_csrf_app, the_request_knows_its_route) {
    vial::sessions s{vial::secret_keys{"csrf-app-test-key-0123456789"}};
    vial::test_client client(protected_app, s);
    EXPECT_EQ(client.get("/page").body(), "endpoint page");
    const vial::request fresh;
    EXPECT_EQ(fresh.endpoint(), "");
    EXPECT_EQ(fresh.url_rule(), "");
    // Unnamed routes have no endpoint, but their rule; unknown URLs neither.
    constexpr auto unnamed = vial::app(
        vial::get<"/items/<int:id>">([](int, vial::request& req) { return std::string(req.url_rule()) + "|" + std::string(req.endpoint()); }),
        vial::before_request([](vial::request& req) -> std::optional<std::string> {
            if (req.url_rule().empty()) return "no route " + std::string(req.path());
            return std::nullopt;
        }));
    vial::test_client c2(unnamed);
    EXPECT_EQ(c2.get("/items/3").body(), "/items/<int:id>|");
    EXPECT_EQ(c2.get("/nothing").body(), "no route /nothing");
}

TEST_F(web_csrf, as_a_guard_on_one_route_only) {
    EXPECT_EQ(client.post("/one", "x=1", "application/x-www-form-urlencoded").status(), 400);
    EXPECT_EQ(client.post("/unprotected", "x=1", "application/x-www-form-urlencoded").body(), "open");
    const std::string token = client.get("/token").body();
    EXPECT_EQ(client.post("/one", "csrf_token=" + token, "application/x-www-form-urlencoded").body(), "one");
}
