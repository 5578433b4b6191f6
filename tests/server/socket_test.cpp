// The server over real loopback sockets: raw sockets and curl against an in-process server.
#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace vial_test;

namespace {

struct server_fixture : ::testing::Test {
    void start(vial::server::options o = test_options(), vial::server::handler h = echo_handler) {
        srv = std::make_unique<vial::server::server>(o, std::move(h), log);
        srv->start();
        port = srv->port();
    }
    void SetUp() override { start(); }
    void TearDown() override {
        if (srv) srv->stop();
    }
    std::ostringstream log;
    std::unique_ptr<vial::server::server> srv;
    unsigned short port = 0;
};

}  // namespace

TEST_F(server_fixture, answers_a_simple_get) {
    const auto raw = exchange(port, "GET /hello?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "GET /hello?x=1\n");
    EXPECT_EQ(r[0].header("content-length"), "15");
    EXPECT_TRUE(r[0].has("date"));
    EXPECT_EQ(r[0].header("connection"), "close");
}
