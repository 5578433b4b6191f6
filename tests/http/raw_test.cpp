// <vial/http/raw.hpp>: the Beast messages under request and response, for the programs that
// include it; the rest of vial never needs them.
#include <vial/http/raw.hpp>
#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

std::vector<std::string> forwarded_for(const vial::request& req) {
    std::vector<std::string> hops;
    const auto [first, last] = req.raw().equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) hops.emplace_back(it->value());
    return hops;
}

vial::raw_request beast_request() {
    boost::beast::http::request<boost::beast::http::string_body> m{boost::beast::http::verb::post, "/p?a=1", 11};
    m.insert("X-Forwarded-For", "10.0.0.1");
    m.insert("X-Forwarded-For", "10.0.0.2");
    m.body() = "hi";
    return m;  // converts, as when raw_request was an alias of the Beast type
}

}  // namespace

TEST(raw, every_value_of_a_repeated_header_through_the_beast_message) {
    const vial::request req(beast_request(), "127.0.0.1");
    EXPECT_EQ(forwarded_for(req), (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
    EXPECT_EQ(req.header("x-forwarded-for"), "10.0.0.1");
    EXPECT_EQ(req.method(), "POST");
    EXPECT_EQ(req.body(), "hi");
}

TEST(raw, edits_through_the_request_message_drop_the_cached_views) {
    vial::request req(beast_request());
    EXPECT_EQ(req.args().get("a"), "1");
    req.raw().target("/p?a=2");
    EXPECT_EQ(req.args().get("a"), "2");
}

TEST(raw, the_response_message_is_the_one_the_accessors_see) {
    vial::response res(201, "made");
    res.raw().set(boost::beast::http::field::etag, "\"v1\"");
    EXPECT_EQ(res.header("ETag"), "\"v1\"");
    EXPECT_EQ(res.raw().result_int(), 201u);
    const boost::beast::http::response<boost::beast::http::string_body>& beast = res.raw();
    EXPECT_EQ(beast.body(), "made");
}

TEST(raw, requests_and_responses_copy_and_move_their_messages) {
    vial::request a(beast_request());
    vial::request b = a;
    EXPECT_EQ(b.target(), "/p?a=1");
    vial::request c = std::move(a);
    EXPECT_EQ(c.header("X-Forwarded-For"), "10.0.0.1");
    a = c;  // a moved-from request can be assigned again
    EXPECT_EQ(a.body(), "hi");
    vial::response r(404, "none");
    vial::response s = r;
    s.status(410);
    EXPECT_EQ(r.status(), 404u);
    r = std::move(s);
    EXPECT_EQ(r.status(), 410u);
}
