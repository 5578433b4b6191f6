// vial::test_client: every method with bodies and headers, services by reference, and a
// cookie jar that behaves like a browser's (Max-Age, Expires, Path, Domain).
#include <vial/testing/test_client.hpp>
#include <vial/http/raw.hpp>  // req.raw(): every value of a repeated header
#include <vial/route.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <tuple>
#include <utility>

namespace {

struct counter {
    int hits = 0;
};

std::string describe(const vial::request& req) {
    std::string out = std::string(req.method()) + " " + std::string(req.target()) + " body=" + req.body() +
                      " type=" + req.content_type() + " x=" + std::string(req.header("x-thing")) +
                      " from=" + std::string(req.remote_address());
    const auto [first, last] = req.raw().equal_range("X-Many");
    for (auto it = first; it != last; ++it) out += " many=" + std::string(it->value());
    return out;
}

std::string cookies_seen(const vial::request& req) {
    std::string out;
    for (const auto& [name, value] : req.cookies()) out += name + "=" + value + ";";
    return out;
}

vial::response with_cookie(std::string name, std::string value, vial::cookie_options options = {}) {
    vial::response res(200, "set");
    res.set_cookie(name, value, options);
    return res;
}

constexpr auto app = vial::app(
    vial::route<"/echo", vial::GET | vial::POST | vial::PUT | vial::PATCH | vial::DELETE, "echo">(describe),
    vial::get<"/hit", "hit">([](counter& c) { return std::to_string(++c.hits); }),
    vial::get<"/cookies", "cookies">(cookies_seen),
    vial::get<"/account/cookies", "account_cookies">(cookies_seen),
    vial::get<"/set/session", "set_session">([] {
        return with_cookie("session", "a b", {.max_age = std::chrono::hours(1), .http_only = true});
    }),
    vial::get<"/set/expired", "set_expired">([] {
        return with_cookie("session", "x", {.expires = std::chrono::system_clock::time_point{std::chrono::hours(24)}});
    }),
    vial::get<"/set/later", "set_later">([] {
        return with_cookie("later", "1", {.expires = std::chrono::system_clock::now() + std::chrono::hours(1)});
    }),
    vial::get<"/set/forever", "set_forever">([] {  // 1,000 years: past what system_clock holds
        return with_cookie("forever", "1", {.max_age = std::chrono::hours(24 * 365 * 1000)});
    }),
    vial::get<"/logout", "logout">([] {
        vial::response res(200, "bye");
        res.delete_cookie("session");
        return res;
    }),
    vial::get<"/account/set", "account_set">([] {
        vial::response res(200, "set");
        res.set_cookie("scoped", "1", {.path = "/account"});
        res.set_cookie("defaulted", "1", {.path = ""});  // no Path: the request's directory
        res.set_cookie("elsewhere", "1", {.domain = "example.com"});
        res.set_cookie("here", "1", {.domain = "localhost"});
        return res;
    }));

TEST(test_client, every_method_sends_its_body_and_headers) {
    counter c;
    vial::test_client client(app, c);
    EXPECT_EQ(client.get("/echo?a=1", {{"X-Thing", "g"}}).body(), "GET /echo?a=1 body= type= x=g from=127.0.0.1");
    EXPECT_EQ(client.post("/echo", "p", "text/plain", {{"X-Thing", "1"}}).body(),
              "POST /echo body=p type=text/plain x=1 from=127.0.0.1");
    EXPECT_EQ(client.put("/echo", R"({"a":1})", "application/json", {{"X-Thing", "2"}}).body(),
              "PUT /echo body={\"a\":1} type=application/json x=2 from=127.0.0.1");
    EXPECT_EQ(client.patch("/echo", "a=1", "application/x-www-form-urlencoded", {{"X-Thing", "3"}}).body(),
              "PATCH /echo body=a=1 type=application/x-www-form-urlencoded x=3 from=127.0.0.1");
    EXPECT_EQ(client.del("/echo", {{"X-Thing", "4"}}).body(), "DELETE /echo body= type= x=4 from=127.0.0.1");
    EXPECT_EQ(client.del("/echo", "ids=1,2", "text/plain", {{"X-Thing", "5"}}).body(),
              "DELETE /echo body=ids=1,2 type=text/plain x=5 from=127.0.0.1");
    EXPECT_EQ(client.request("DELETE", "/echo", "d", "text/plain").body(),
              "DELETE /echo body=d type=text/plain x= from=127.0.0.1");
    // A header given twice is sent twice; a Content-Type header wins over the argument.
    EXPECT_EQ(client.get("/echo", {{"X-Many", "1"}, {"X-Many", "2"}}).body(),
              "GET /echo body= type= x= from=127.0.0.1 many=1 many=2");
    EXPECT_EQ(client.post("/echo", "b", "text/plain", {{"Content-Type", "text/csv"}}).body(),
              "POST /echo body=b type=text/csv x= from=127.0.0.1");
    EXPECT_EQ(client.post("/echo", "b", {{"Content-Type", "text/csv"}, {"X-Thing", "6"}}).body(),
              "POST /echo body=b type=text/csv x=6 from=127.0.0.1");
    EXPECT_EQ(client.put("/echo", "b", {{"X-Thing", "7"}}).body(), "PUT /echo body=b type= x=7 from=127.0.0.1");
    EXPECT_EQ(client.patch("/echo", "b", {{"X-Thing", "8"}}).body(), "PATCH /echo body=b type= x=8 from=127.0.0.1");
    EXPECT_EQ(client.del("/echo", "b", {{"X-Thing", "9"}}).body(), "DELETE /echo body=b type= x=9 from=127.0.0.1");
}

std::string upload(const vial::request& req) {
    std::string out = "title=" + req.form().get_or("title", "-");
    for (const auto& f : req.files()) out += " " + f.field + ":" + f.filename + ":" + f.content_type + ":" + f.content;
    return out;
}

constexpr auto uploads = vial::app(vial::route<"/upload", vial::POST | vial::PUT, "upload">(upload));

TEST(test_client, posts_forms_with_files) {
    vial::test_client client(uploads);
    const auto res = client.post("/upload", vial::form_data()
                                                .field("title", "Q3 report")
                                                .file("report", "q3.csv", "a,b\r\n1,2\r\n", "text/csv")
                                                .file("notes", "say \"hi\".txt", "--vial-form-data-boundary-7MA4YWxk"));
    EXPECT_EQ(res.status(), 200U);
    EXPECT_EQ(res.body(),
              "title=Q3 report report:q3.csv:text/csv:a,b\r\n1,2\r\n "
              "notes:say \"hi\".txt:application/octet-stream:--vial-form-data-boundary-7MA4YWxk");
    EXPECT_EQ(client.put("/upload", vial::form_data().field("title", "")).body(), "title=");
}

TEST(test_client, services_are_held_by_reference) {
    counter c;
    vial::test_client client(app, c);
    EXPECT_EQ(client.get("/hit").body(), "1");
    EXPECT_EQ(client.get("/hit").body(), "2");
    EXPECT_EQ(c.hits, 2);
    c.hits = 10;
    EXPECT_EQ(client.get("/hit").body(), "11");
    vial::test_client owning(app, counter{});  // a temporary is held by value
    EXPECT_EQ(owning.get("/hit").body(), "1");
    EXPECT_EQ(owning.get("/hit").body(), "2");
}

TEST(test_client, keeps_cookies_and_drops_deleted_and_expired_ones) {
    counter c;
    vial::test_client client(app, c);
    client.get("/set/session");
    EXPECT_EQ(client.cookie("session"), "a b");  // unquoted, as the app reads it
    EXPECT_EQ(client.get("/cookies").body(), "session=a b;");
    client.get("/logout");  // Max-Age=0
    EXPECT_FALSE(client.has_cookie("session"));
    EXPECT_EQ(client.get("/cookies").body(), "");
    client.get("/set/session");
    client.get("/set/expired");  // an Expires in the past deletes it too
    EXPECT_FALSE(client.has_cookie("session"));
    client.get("/set/later");
    EXPECT_EQ(client.get("/cookies").body(), "later=1;");
}

TEST(test_client, keeps_a_cookie_whose_max_age_is_past_the_clocks_last_time) {
    counter c;
    vial::test_client client(app, c);
    client.get("/set/forever");
    EXPECT_EQ(client.get("/cookies").body(), "forever=1;");
}

TEST(test_client, sends_cookies_only_to_their_path_and_domain) {
    counter c;
    vial::test_client client(app, c);
    client.get("/account/set");
    EXPECT_FALSE(client.has_cookie("elsewhere"));  // set for another domain: rejected
    EXPECT_EQ(client.get("/cookies").body(), "here=1;");
    EXPECT_EQ(client.get("/account/cookies").body(), "defaulted=1;here=1;scoped=1;");
    // Another host sees none of the host-only cookies, nor those for localhost.
    EXPECT_EQ(client.get("/account/cookies", {{"Host", "example.org"}}).body(), "");
}

TEST(test_client, cookies_can_be_set_and_cleared_by_the_test) {
    counter c;
    vial::test_client client(app, c);
    client.set_cookie("theme", "dark mode");
    client.set_cookie("tab", "2", "/account");
    EXPECT_EQ(client.get("/cookies").body(), "theme=dark mode;");
    EXPECT_EQ(client.get("/account/cookies").body(), "tab=2;theme=dark mode;");
    // A Cookie header given to the request replaces the jar's.
    EXPECT_EQ(client.get("/cookies", {{"Cookie", "only=this"}}).body(), "only=this;");
    client.delete_cookie("theme");
    EXPECT_EQ(client.get("/account/cookies").body(), "tab=2;");
    client.clear_cookies();
    EXPECT_EQ(client.get("/account/cookies").body(), "");
}

}  // namespace
