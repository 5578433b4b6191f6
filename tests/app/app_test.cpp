#include <vial/testing/test_client.hpp>
#include <vial/vial.hpp>
#include <vial/json.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

struct journal {
    std::vector<std::string> events;
};

struct store {
    int next_id = 1;
};

std::string show_user(int user_id, const vial::request& req) {
    return "user " + std::to_string(user_id) + " via " + std::string(req.method());
}

nlohmann::json create_item(vial::request& req, store& s) {
    const auto& body = req.json();
    return {{"id", s.next_id++}, {"name", body.at("name")}};
}

std::pair<int, std::string> made() { return {201, "made"}; }

void nothing() {}

vial::response custom() {
    vial::response res(202, "accepted", "text/x-custom");
    res.set_header("X-Custom", "1");
    return res;
}

std::string boom() { throw std::runtime_error("secret detail"); }
std::string out_of_range() { throw std::out_of_range("index 7"); }
std::string forbidden() { vial::abort(403, "members only"); }
std::string go_home() { vial::abort_with(vial::redirect("/", 303)); }

constexpr auto admin = vial::blueprint<"admin", "/admin">(
    vial::before_request([](const vial::request& req, journal& j) -> std::optional<vial::response> {
        j.events.push_back("admin.before");
        if (req.header("X-Token") != "ok") return vial::response(401, "token needed");
        return std::nullopt;
    }),
    vial::after_request([](vial::response& res, journal& j) {
        j.events.push_back("admin.after");
        res.set_header("X-Admin", "yes");
    }),
    vial::errorhandler<403>([](const vial::http_error& e) { return "admin says no: " + e.reason(); }),
    vial::get<"/", "dashboard">([](journal& j) {
        j.events.push_back("admin.dashboard");
        return std::string("dashboard");
    }),
    vial::get<"/forbidden", forbidden>());

constexpr auto app = vial::app(
    vial::before_request([](journal& j) { j.events.push_back("app.before"); }),
    vial::after_request([](vial::response& res, journal& j) {
        j.events.push_back("app.after");
        res.set_header("X-App", "yes");
    }),
    vial::teardown_request([](std::exception_ptr error, journal& j) {
        j.events.push_back(error ? "teardown with error" : "teardown");
    }),
    vial::errorhandler<404>([](const vial::request& req) { return "no page at " + std::string(req.path()); }),
    vial::errorhandler<std::out_of_range>([](const std::out_of_range& e) { return std::pair{416, std::string(e.what())}; }),
    vial::get<"/user/<int:user_id>", show_user>(),
    vial::post<"/items", create_item>(),
    vial::get<"/made", made>(),
    vial::post<"/nothing", nothing>(),
    vial::get<"/custom", custom>(),
    vial::get<"/boom", boom>(),
    vial::get<"/range", out_of_range>(),
    vial::get<"/forbidden", forbidden>(),
    vial::get<"/home", go_home>(),
    vial::get<"/projects/", "projects">([] { return std::string("projects"); }),
    vial::route<"/form", vial::GET | vial::POST, "form">([](const vial::request& req) {
        return std::string(req.method()) + " " + req.form().get_or("name", "-");
    }),
    vial::get<"/cookies/set", "set_cookie">([] {
        vial::response res(200, "set");
        res.set_cookie("session", "abc");
        return res;
    }),
    vial::get<"/cookies/show", "show_cookie">([](const vial::request& req) {
        return "session=" + req.cookie("session").value_or("none");
    }),
    vial::get<"/cookies/clear", "clear_cookie">([] {
        vial::response res(200, "cleared");
        res.delete_cookie("session");
        return res;
    }),
    admin);

TEST(app, handlers_get_route_parameters_request_and_services) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    EXPECT_EQ(client.get("/user/42").body(), "user 42 via GET");
    const auto created = client.post("/items", R"({"name": "pen"})", "application/json");
    EXPECT_EQ(created.status(), 200U);
    EXPECT_EQ(created.header("Content-Type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(created.body()), (nlohmann::json{{"id", 1}, {"name", "pen"}}));
    EXPECT_EQ(nlohmann::json::parse(client.post("/items", R"({"name": "ink"})", "application/json").body())["id"], 2);
    EXPECT_EQ(s.next_id, 3);
}

TEST(app, return_values_become_responses) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto text = client.get("/user/1");
    EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=utf-8");
    const auto m = client.get("/made");
    EXPECT_EQ(m.status(), 201U);
    EXPECT_EQ(m.body(), "made");
    EXPECT_EQ(client.post("/nothing").status(), 204U);
    const auto c = client.get("/custom");
    EXPECT_EQ(c.status(), 202U);
    EXPECT_EQ(c.header("X-Custom"), "1");
    EXPECT_EQ(c.header("Content-Type"), "text/x-custom");
}

// A status and a body, in either order (Flask's `return "made", 201` is std::pair{"made", 201}).
std::pair<std::string, int> body_then_status() { return {"made", 201}; }
std::tuple<int, nlohmann::json> status_then_json() { return {202, nlohmann::json{{"queued", true}}}; }
vial::response leave_early() { vial::abort(vial::redirect("/elsewhere", 308)); }
std::pair<vial::response, int> response_then_status() { return {vial::html("<p>later</p>"), 202}; }

constexpr auto returns = vial::app(vial::get<"/body-then-status", body_then_status>(),
                                   vial::get<"/status-then-json", status_then_json>(),
                                   vial::get<"/response-then-status", response_then_status>(),
                                   vial::get<"/leave", leave_early>());

TEST(app, status_and_body_come_in_either_order) {
    vial::test_client client(returns);
    const auto made = client.get("/body-then-status");
    EXPECT_EQ(made.status(), 201U);
    EXPECT_EQ(made.body(), "made");
    EXPECT_EQ(made.header("Content-Type"), "text/plain; charset=utf-8");
    const auto queued = client.get("/status-then-json");
    EXPECT_EQ(queued.status(), 202U);
    EXPECT_EQ(queued.body(), R"({"queued":true})");
    EXPECT_EQ(queued.header("Content-Type"), "application/json");
    const auto later = client.get("/response-then-status");
    EXPECT_EQ(later.status(), 202U);
    EXPECT_EQ(later.header("Content-Type"), "text/html; charset=utf-8");
    const auto leave = client.get("/leave");
    EXPECT_EQ(leave.status(), 308U);
    EXPECT_EQ(leave.header("Location"), "/elsewhere");
}

TEST(app, bad_json_is_a_400_with_a_reason) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto res = client.post("/items", "{not json", "application/json");
    EXPECT_EQ(res.status(), 400U);
    EXPECT_NE(res.body().find("invalid JSON body"), std::string::npos) << res.body();
}

TEST(app, hooks_run_in_flask_order_and_blueprint_hooks_only_for_their_routes) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto outside = client.get("/user/1");
    EXPECT_EQ(j.events, (std::vector<std::string>{"app.before", "app.after", "teardown"}));
    EXPECT_EQ(outside.header("X-App"), "yes");
    EXPECT_EQ(outside.header("X-Admin"), "");
    j.events.clear();
    const auto inside = client.get("/admin/", {{"X-Token", "ok"}});
    EXPECT_EQ(inside.body(), "dashboard");
    EXPECT_EQ(j.events, (std::vector<std::string>{"app.before", "admin.before", "admin.dashboard", "admin.after",
                                                  "app.after", "teardown"}));
    EXPECT_EQ(inside.header("X-Admin"), "yes");
}

TEST(app, hooks_see_the_matched_routes_endpoint_and_rule) {
    // As Flask's request.endpoint and request.url_rule: set before the before_request hooks,
    // empty for a 404 and a 405.
    constexpr auto routed = vial::app(
        vial::before_request([](const vial::request& req, journal& j) {
            j.events.push_back(std::string(req.endpoint()) + " " + std::string(req.url_rule()));
        }),
        vial::get<"/user/<int:user_id>", show_user>(),
        vial::blueprint<"admin", "/admin">(vial::get<"/", "dashboard">([] { return std::string("d"); })));
    journal j;
    vial::test_client client(routed, j);
    client.get("/user/3");
    client.get("/admin/");
    client.get("/nowhere");
    client.post("/user/3");
    EXPECT_EQ(j.events, (std::vector<std::string>{"show_user /user/<int:user_id>", "admin.dashboard /admin/", " ", " "}));
}

TEST(app, before_request_can_answer_early) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto res = client.get("/admin/");
    EXPECT_EQ(res.status(), 401U);
    EXPECT_EQ(res.body(), "token needed");
    EXPECT_EQ(j.events, (std::vector<std::string>{"app.before", "admin.before", "admin.after", "app.after", "teardown"}));
}

TEST(app, error_handlers_by_status_and_type_with_blueprint_first) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto missing = client.get("/nowhere");
    EXPECT_EQ(missing.status(), 404U);
    EXPECT_EQ(missing.body(), "no page at /nowhere");
    const auto range = client.get("/range");
    EXPECT_EQ(range.status(), 416U);
    EXPECT_EQ(range.body(), "index 7");
    const auto app_forbidden = client.get("/forbidden");
    EXPECT_EQ(app_forbidden.status(), 403U);
    EXPECT_NE(app_forbidden.body().find("members only"), std::string::npos);
    const auto admin_forbidden = client.get("/admin/forbidden", {{"X-Token", "ok"}});
    EXPECT_EQ(admin_forbidden.status(), 403U);
    EXPECT_EQ(admin_forbidden.body(), "admin says no: members only");
}

TEST(app, uncaught_exceptions_are_a_generic_500_and_a_log_line) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    std::ostringstream log;
    client.settings.log = &log;
    const auto res = client.get("/boom");
    EXPECT_EQ(res.status(), 500U);
    EXPECT_EQ(res.body().find("secret detail"), std::string::npos);
    EXPECT_NE(log.str().find("secret detail"), std::string::npos);
    EXPECT_NE(log.str().find("GET /boom"), std::string::npos);
    EXPECT_EQ(j.events.back(), "teardown with error");
    client.settings.debug = true;
    EXPECT_NE(client.get("/boom").body().find("secret detail"), std::string::npos);
}

TEST(app, routing_answers_405_options_head_and_308) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    const auto not_allowed = client.del("/form");
    EXPECT_EQ(not_allowed.status(), 405U);
    EXPECT_EQ(not_allowed.header("Allow"), "GET, HEAD, POST, OPTIONS");
    const auto options = client.options("/form");
    EXPECT_EQ(options.status(), 200U);
    EXPECT_EQ(options.header("Allow"), "GET, HEAD, POST, OPTIONS");
    const auto head = client.head("/user/5");
    EXPECT_EQ(head.status(), 200U);
    EXPECT_EQ(head.body(), "");
    EXPECT_EQ(head.header("Content-Length"), std::to_string(std::string("user 5 via HEAD").size()));
    const auto slash = client.get("/projects?page=2");
    EXPECT_EQ(slash.status(), 308U);
    EXPECT_EQ(slash.header("Location"), "/projects/?page=2");
    const auto home = client.get("/home");
    EXPECT_EQ(home.status(), 303U);
    EXPECT_EQ(home.header("Location"), "/");
}

TEST(app, forms_and_cookies_round_trip) {
    journal j;
    store s;
    vial::test_client client(app, j, s);
    EXPECT_EQ(client.post("/form", "name=Ann+Lee", "application/x-www-form-urlencoded").body(), "POST Ann Lee");
    EXPECT_EQ(client.get("/cookies/show").body(), "session=none");
    EXPECT_EQ(client.get("/cookies/set").status(), 200U);
    EXPECT_EQ(client.cookie("session"), "abc");
    EXPECT_EQ(client.get("/cookies/show").body(), "session=abc");
    client.get("/cookies/clear");
    EXPECT_EQ(client.get("/cookies/show").body(), "session=none");
}

}  // namespace
