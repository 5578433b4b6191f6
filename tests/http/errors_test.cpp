#include <vial/http/errors.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

TEST(StatusReason, KnownAndUnknownCodes) {
    EXPECT_EQ(vial::status_reason(200), "OK");
    EXPECT_EQ(vial::status_reason(404), "Not Found");
    EXPECT_EQ(vial::status_reason(405), "Method Not Allowed");
    EXPECT_EQ(vial::status_reason(418), "I'm a teapot");
    EXPECT_EQ(vial::status_reason(599), "");
    static_assert(vial::status_reason(500) == "Internal Server Error");
}

TEST(HttpError, DefaultReasonIsStatusPhrase) {
    const vial::http_error e(404);
    EXPECT_EQ(e.status(), 404u);
    EXPECT_EQ(e.reason(), "Not Found");
    EXPECT_STREQ(e.what(), "404 Not Found");
    const auto res = e.to_response();
    EXPECT_EQ(res.status(), 404u);
    EXPECT_EQ(res.body(), "404 Not Found\n");
    EXPECT_EQ(res.header("Content-Type"), "text/plain; charset=utf-8");
}

TEST(HttpError, CustomReasonAndHeaders) {
    const auto e = vial::http_error(405, "use GET").with_header("Allow", "GET, HEAD");
    EXPECT_EQ(e.reason(), "use GET");
    EXPECT_STREQ(e.what(), "405 Method Not Allowed: use GET");
    EXPECT_EQ(e.header("allow"), "GET, HEAD");
    EXPECT_EQ(e.header("Location"), "");
    const auto res = e.to_response();
    EXPECT_EQ(res.header("Allow"), "GET, HEAD");
    EXPECT_EQ(res.body(), "405 Method Not Allowed: use GET\n");
}

TEST(HttpError, RedirectWithLocationHeader) {
    const vial::http_error e(303, {}, {{"Location", "/done"}});
    EXPECT_EQ(e.to_response().status(), 303u);
    EXPECT_EQ(e.to_response().header("Location"), "/done");
}

TEST(HttpError, RejectsNonErrorStatusesAndHeaderInjection) {
    EXPECT_THROW(vial::http_error(200), std::invalid_argument);
    EXPECT_THROW(vial::http_error(600), std::invalid_argument);
    EXPECT_THROW(vial::http_error(299), std::invalid_argument);
    EXPECT_THROW(vial::http_error(400, {}, {{"X", "a\r\nb"}}), std::invalid_argument);
    EXPECT_THROW(vial::http_error(400).with_header("X\n", "v"), std::invalid_argument);
    EXPECT_STREQ(vial::http_error(599).what(), "599");
}

TEST(Abort, ThrowsHttpError) {
    try {
        vial::abort(403, "admins only");
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 403u);
        EXPECT_EQ(e.reason(), "admins only");
        return;
    }
    FAIL();
}

TEST(AbortWith, CarriesTheWholeResponseAndIsCaughtAsHttpError) {
    try {
        vial::abort_with(vial::redirect("/login"));
    } catch (const vial::http_error& e) {  // one catch clause serves both
        const auto res = e.to_response();
        EXPECT_EQ(res.status(), 302u);
        EXPECT_EQ(res.header("Location"), "/login");
        EXPECT_EQ(e.status(), 302u);
        return;
    }
    FAIL();
}

TEST(AbortWith, AcceptsAnyStatus) {
    try {
        vial::abort_with(vial::text("cached", 200));
    } catch (const vial::http_exception& e) {
        EXPECT_EQ(e.response().status(), 200u);
        EXPECT_EQ(e.to_response().body(), "cached");
        return;
    }
    FAIL();
}

TEST(Abort, WithAResponseIsAbortWith) {
    try {
        vial::abort(vial::redirect("/login", 303));
    } catch (const vial::http_exception& e) {
        EXPECT_EQ(e.response().status(), 303u);
        EXPECT_EQ(e.response().header("Location"), "/login");
        return;
    }
    FAIL();
}

}  // namespace
