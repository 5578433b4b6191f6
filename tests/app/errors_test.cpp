// Error handlers, hooks and their order, against Flask's semantics: the most specific
// exception handler wins whatever the order of declaration, a blueprint's handlers come first
// for its routes, errors raised by routing go to the app's, errorhandler<500> takes the
// exceptions nobody handled, teardown hooks see only those, and an error handler that throws
// gives a plain 500.
#include <vial/testing/test_client.hpp>
#include <vial/route.hpp>

#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

struct journal {
    std::vector<std::string> events;
};

struct db_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct not_found_in_db : db_error {
    using db_error::db_error;
};

std::string lookup() { throw not_found_in_db("row 7"); }
std::string broken() { throw db_error("connection lost"); }
std::string crash() { throw std::logic_error("bug"); }
std::string conflict() { vial::abort(409, "version 3 is stale"); }
std::string leave() { vial::abort(vial::redirect("/login", 307)); }
std::string teapot() { vial::abort(418); }

constexpr auto shop = vial::blueprint<"shop", "/shop">(
    vial::before_request([](journal& j) { j.events.push_back("shop.before"); }),
    vial::after_request([](journal& j) { j.events.push_back("shop.after"); }),
    vial::teardown_request([](journal& j) { j.events.push_back("shop.teardown"); }),
    vial::errorhandler<db_error>([](const db_error& e) { return "shop: " + std::string(e.what()); }),
    vial::errorhandler<404>([] { return std::string("no such product"); }),
    vial::get<"/lookup", lookup>(),
    vial::get<"/missing", "missing">([]() -> std::string { vial::abort(404); }),
    vial::get<"/crash", crash>());

// The handler for the base class is declared last: it must still lose to the derived one.
constexpr auto app = vial::app(
    vial::before_request([](const vial::request& req, journal& j) -> std::optional<vial::response> {
        j.events.push_back("app.before");
        if (req.header("X-Stop") == "yes") return vial::response(429, "slow down");
        return std::nullopt;
    }),
    vial::after_request([](vial::response& res, journal& j) {
        j.events.push_back("app.after");
        res.set_header("X-After", "yes");
    }),
    vial::teardown_request([](std::exception_ptr error, journal& j) {
        std::string what = "none";
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                what = e.what();
            }
        }
        j.events.push_back("app.teardown(" + what + ")");
    }),
    vial::errorhandler<not_found_in_db>([](const not_found_in_db& e) { return std::pair{404, "gone: " + std::string(e.what())}; }),
    vial::errorhandler<db_error>([](const db_error& e) { return std::pair{503, "db: " + std::string(e.what())}; }),
    vial::errorhandler<std::exception>([](const std::exception& e) { return "std: " + std::string(e.what()); }),
    vial::errorhandler<404>([](const vial::request& req) { return "app: nothing at " + std::string(req.path()); }),
    vial::errorhandler<405>([](const vial::http_error& e) { return "app: use " + std::string(e.header("Allow")); }),
    vial::errorhandler<409>([]() -> std::string { throw std::runtime_error("handler broke"); }),
    vial::get<"/lookup", lookup>(),
    vial::get<"/broken", broken>(),
    vial::get<"/conflict", conflict>(),
    vial::get<"/leave", leave>(),
    vial::get<"/teapot", teapot>(),
    vial::get<"/only-get", "only_get">([] { return std::string("ok"); }),
    shop);

TEST(error_handlers, the_most_specific_exception_handler_wins_whatever_the_order) {
    journal j;
    vial::test_client client(app, j);
    const auto derived = client.get("/lookup");
    EXPECT_EQ(derived.status(), 404U);
    EXPECT_EQ(derived.body(), "gone: row 7");
    const auto base = client.get("/broken");
    EXPECT_EQ(base.status(), 503U);
    EXPECT_EQ(base.body(), "db: connection lost");
}

TEST(error_handlers, a_blueprints_handlers_come_first_for_its_routes_then_the_apps) {
    journal j;
    vial::test_client client(app, j);
    // The blueprint's db_error handler beats the app's more specific not_found_in_db one.
    const auto lookup = client.get("/shop/lookup");
    EXPECT_EQ(lookup.status(), 500U);
    EXPECT_EQ(lookup.body(), "shop: row 7");
    const auto missing = client.get("/shop/missing");
    EXPECT_EQ(missing.status(), 404U);
    EXPECT_EQ(missing.body(), "no such product");
    // Nothing in the blueprint handles a logic_error: the app's std::exception handler does.
    const auto crash = client.get("/shop/crash");
    EXPECT_EQ(crash.status(), 500U);
    EXPECT_EQ(crash.body(), "std: bug");
}

TEST(error_handlers, routing_errors_go_to_the_apps_handlers) {
    journal j;
    vial::test_client client(app, j);
    const auto missing = client.get("/shop/nowhere");
    EXPECT_EQ(missing.status(), 404U);
    EXPECT_EQ(missing.body(), "app: nothing at /shop/nowhere");
    const auto wrong_method = client.post("/only-get");
    EXPECT_EQ(wrong_method.status(), 405U);
    EXPECT_EQ(wrong_method.body(), "app: use GET, HEAD, OPTIONS");
    EXPECT_EQ(wrong_method.header("Allow"), "GET, HEAD, OPTIONS");
}

TEST(error_handlers, abort_with_a_status_nobody_handles_sends_the_status_and_its_reason) {
    journal j;
    vial::test_client client(app, j);
    // std::exception catches http_error too (as Flask's errorhandler(Exception) catches
    // HTTPException); the status is kept.
    const auto teapot = client.get("/teapot");
    EXPECT_EQ(teapot.status(), 418U);
    EXPECT_EQ(teapot.body(), "std: 418 I'm a teapot");
    const auto leave = client.get("/leave");
    EXPECT_EQ(leave.status(), 307U);
    EXPECT_EQ(leave.header("Location"), "/login");
}

TEST(error_handlers, an_error_handler_that_throws_gives_a_plain_500_and_a_log_line) {
    journal j;
    vial::test_client client(app, j);
    std::ostringstream log;
    client.settings.log = &log;
    const auto res = client.get("/conflict");
    EXPECT_EQ(res.status(), 500U);
    EXPECT_EQ(res.body(), "500 Internal Server Error\n");
    EXPECT_NE(log.str().find("vial: exception in error handler for GET /conflict: handler broke"), std::string::npos)
        << log.str();
    EXPECT_EQ(j.events.back(), "app.teardown(handler broke)");
}

TEST(hooks, teardown_sees_only_the_exceptions_nobody_handled) {
    journal j;
    vial::test_client client(app, j);
    client.get("/only-get");
    EXPECT_EQ(j.events.back(), "app.teardown(none)");
    client.get("/nowhere");  // a 404 is an answer, not a failure
    EXPECT_EQ(j.events.back(), "app.teardown(none)");
    client.get("/lookup");  // handled by errorhandler<not_found_in_db>
    EXPECT_EQ(j.events.back(), "app.teardown(none)");
}

TEST(hooks, after_request_hooks_see_error_responses_and_early_answers) {
    journal j;
    vial::test_client client(app, j);
    const auto error = client.get("/shop/lookup");
    EXPECT_EQ(error.header("X-After"), "yes");
    EXPECT_EQ(j.events, (std::vector<std::string>{"app.before", "shop.before", "shop.after", "app.after",
                                                  "shop.teardown", "app.teardown(none)"}));
    j.events.clear();
    const auto early = client.get("/shop/lookup", {{"X-Stop", "yes"}});
    EXPECT_EQ(early.status(), 429U);
    EXPECT_EQ(early.body(), "slow down");
    EXPECT_EQ(early.header("X-After"), "yes");
    // The blueprint's before hook is skipped, its after and teardown hooks are not.
    EXPECT_EQ(j.events, (std::vector<std::string>{"app.before", "shop.after", "app.after", "shop.teardown",
                                                  "app.teardown(none)"}));
}

// errorhandler<500> is Flask's handler for unhandled exceptions: it gets an http_error(500)
// and may ask for the original exception as a std::exception_ptr.
std::string explode() { throw std::runtime_error("disk full"); }

constexpr auto app_500 = vial::app(
    vial::teardown_request([](std::exception_ptr error, journal& j) { j.events.push_back(error ? "error" : "none"); }),
    vial::errorhandler<500>([](const vial::http_error& e, std::exception_ptr original) {
        std::string what;
        try {
            std::rethrow_exception(original);
        } catch (const std::exception& x) {
            what = x.what();
        }
        return "sorry (" + std::to_string(e.status()) + ", " + what + ")";
    }),
    vial::get<"/explode", explode>(),
    vial::get<"/abort", "abort_500">([]() -> std::string { vial::abort(500, "on purpose"); }));

TEST(error_handlers, errorhandler_500_takes_unhandled_exceptions_which_are_still_logged) {
    journal j;
    vial::test_client client(app_500, j);
    std::ostringstream log;
    client.settings.log = &log;
    const auto res = client.get("/explode");
    EXPECT_EQ(res.status(), 500U);
    EXPECT_EQ(res.body(), "sorry (500, disk full)");
    EXPECT_NE(log.str().find("vial: exception in handler for GET /explode: disk full"), std::string::npos) << log.str();
    EXPECT_EQ(j.events.back(), "error");
    const auto aborted = client.get("/abort");
    EXPECT_EQ(aborted.status(), 500U);
    EXPECT_EQ(aborted.body(), "sorry (500, 500 Internal Server Error: on purpose)");
    EXPECT_EQ(j.events.back(), "none");
}

TEST(error_handlers, without_a_handler_the_500_body_is_generic_unless_debug_is_on) {
    constexpr auto plain = vial::app(vial::get<"/explode", explode>());
    vial::test_client client(plain);
    std::ostringstream log;
    client.settings.log = &log;
    EXPECT_EQ(client.get("/explode").body(), "500 Internal Server Error\n");
    EXPECT_NE(log.str().find("disk full"), std::string::npos);
    client.settings.debug = true;
    EXPECT_EQ(client.get("/explode").body(), "500 Internal Server Error\ndisk full\n");
}

}  // namespace
