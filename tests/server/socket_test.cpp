// The server over real loopback sockets: raw sockets and curl against an in-process server.
#include "test_support.hpp"

#include <boost/system/system_error.hpp>  // what server::start() throws when it cannot bind
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>

using namespace vial_test;
using namespace std::chrono_literals;

namespace {

struct server_fixture : ::testing::Test {
    void start(vial::server::options o = test_options(), vial::server::handler h = echo_handler) {
        if (srv) srv->stop();
        srv = std::make_unique<vial::server::server>(o, std::move(h), log);
        srv->start();
        port = srv->port();
    }
    void SetUp() override { start(); }
    void TearDown() override {
        if (srv) srv->stop();
    }

    /// Sends `request` and expects one response with `status`, `Connection: close`, then EOF.
    void expect_rejected(const std::string& request, unsigned status) {
        client c(port);
        ASSERT_TRUE(c.connected());
        c.send(request);
        const auto raw = c.read_all();
        const auto r = parse_responses(raw);
        ASSERT_EQ(r.size(), 1u) << "for " << ::testing::PrintToString(request) << " got " << raw;
        EXPECT_EQ(r[0].status, status) << ::testing::PrintToString(request);
        EXPECT_EQ(r[0].header("connection"), "close");
        EXPECT_TRUE(c.eof()) << "connection left open";
    }

    std::ostringstream log;
    std::unique_ptr<vial::server::server> srv;
    unsigned short port = 0;
};

const std::string host = "Host: a\r\n";

/// Has one request answered on `c`, which is then an idle keep-alive connection.
void make_idle(client& c) {
    c.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
    c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    c.buffer().clear();
}

/// Reads all that `c` receives: one 200 with `body` and `Connection: close`, then the end.
void expect_last_answer(client& c, const std::string& body) {
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 1u) << "no answer: the request met a reset or a closed connection";
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, body);
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_TRUE(c.eof());
}

}  // namespace

TEST_F(server_fixture, answers_a_simple_get) {
    const auto raw = exchange(port, "GET /hello?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "GET /hello?x=1\n");
    EXPECT_EQ(r[0].header("content-length"), "15");
    EXPECT_EQ(r[0].header("content-type"), "text/plain");
    EXPECT_TRUE(r[0].has("date"));
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 200 OK\r\n"));
}

TEST_F(server_fixture, keeps_http11_connections_alive) {
    client c(port);
    for (int i = 0; i < 3; ++i) {
        c.buffer().clear();
        c.send("POST /n HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n" + std::to_string(i));
        const auto raw = c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
        const auto r = parse_responses(raw);
        ASSERT_EQ(r.size(), 1u) << raw;
        EXPECT_EQ(r[0].body, "POST /n\n" + std::to_string(i));
        EXPECT_FALSE(r[0].has("connection"));
    }
    EXPECT_FALSE(c.eof());
}

TEST_F(server_fixture, http10_closes_unless_keep_alive_is_asked) {
    {
        client c(port);
        c.send("GET /a HTTP/1.0\r\n\r\n");
        const auto r = parse_responses(c.read_all());
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(r[0].header("connection"), "close");
        EXPECT_TRUE(c.eof());
    }
    client c(port);
    c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto raw = c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].header("connection"), "keep-alive");
    c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    raw = c.read_until([](const std::string& b) { return parse_responses(b).size() == 2; });
    r = parse_responses(raw);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].body, "GET /b\n");
}

TEST_F(server_fixture, answers_pipelined_requests_in_order) {
    client c(port);
    c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nPOST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
           "GET /third HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].body, "GET /first\n");
    EXPECT_EQ(r[1].body, "POST /second\nabc");
    EXPECT_EQ(r[2].body, "GET /third\n");
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, head_has_get_headers_and_no_body) {
    client c(port);
    // A HEAD and a GET in one write: had the HEAD sent body bytes, the GET's answer would not
    // start right after the HEAD's head.
    c.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto raw = c.read_all();
    const auto r = parse_responses(raw, {true, false});
    ASSERT_EQ(r.size(), 2u) << raw;
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].header("content-length"), "8");  // what the handler made: "HEAD /x\n"
    EXPECT_EQ(r[0].body, "");
    EXPECT_EQ(r[1].body, "GET /x\n");
    EXPECT_TRUE(raw.find("\r\n\r\nHTTP/1.1 200 OK") != std::string::npos);
}

TEST_F(server_fixture, skips_empty_lines_before_a_request) {
    const auto r = parse_responses(exchange(port, "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
}

TEST_F(server_fixture, no_content_has_neither_length_nor_body) {
    const auto raw = exchange(port, "GET /no-content HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 204u);
    EXPECT_FALSE(r[0].has("content-length"));
    EXPECT_TRUE(raw.ends_with("\r\n\r\n"));
}

TEST_F(server_fixture, handler_can_ask_to_close) {
    client c(port);
    c.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, exception_in_handler_is_a_500_and_the_connection_lives_on) {
    client c(port);
    c.send("GET /throw HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].status, 500u);
    EXPECT_EQ(r[1].body, "GET /after\n");
}

TEST_F(server_fixture, decodes_chunked_bodies) {
    const auto r = parse_responses(exchange(
        port, "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
              "5;name=value;flag\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "POST /c\nhello, world");
}

TEST_F(server_fixture, chunked_body_arriving_in_pieces) {
    client c(port);
    const std::string msg = "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
    for (char ch : msg) {
        c.send(std::string(1, ch));
        if (ch == '\n') std::this_thread::sleep_for(1ms);
    }
    const auto raw = c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].body, "PUT /p\nabc0123456789abcdef");
}

TEST_F(server_fixture, continue_then_body) {
    client c(port);
    c.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    const auto interim = c.read_until([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; });
    EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    c.buffer().clear();
    c.send("hello");
    const auto raw = c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "POST /e\nhello");
}

TEST_F(server_fixture, continue_refused_with_413_when_too_large) {
    client c(port);
    c.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n");
    const auto raw = c.read_all();  // no body sent: the answer must come without it
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 413u);
    EXPECT_EQ(raw.find("100 Continue"), std::string::npos);
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, unknown_expectation_is_417) {
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx", 417);
}

TEST_F(server_fixture, request_line_limit_is_414) {
    expect_rejected("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
}

TEST_F(server_fixture, header_limits_are_431) {
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(9000, 'v') + "\r\n\r\n", 431);
    std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    expect_rejected(many + "\r\n", 431);
    std::string big = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 5; ++i) big += "X-" + std::to_string(i) + ": " + std::string(4000, 'v') + "\r\n";
    expect_rejected(big + "\r\n", 431);
}

TEST_F(server_fixture, body_limit_is_413_also_when_chunked) {
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", 413);
    client c(port);
    c.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    for (int i = 0; i < 17 && c.send(chunk); ++i) {
    }
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 413u);
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, a_body_at_the_limit_is_fine) {
    const std::string body(1024 * 1024, 'b');
    client c(port);
    c.send("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body);
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body.size(), body.size() + 9);
}

TEST_F(server_fixture, rejects_ambiguous_framing) {
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400);
    expect_rejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc", 400);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 501);
    expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400);
}

TEST_F(server_fixture, identical_duplicate_content_length_is_fine) {
    const auto r = parse_responses(
        exchange(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
}

TEST_F(server_fixture, rejects_malformed_heads) {
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", 400);   // obs-fold
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX: 1\n\r\n", 400);                 // bare LF in a field
    expect_rejected("GET / HTTP/1.1\nHost: a\r\n\r\n", 400);                          // bare LF after the request line
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\n\n", 400);                          // bare LF as the blank line
    expect_rejected("GET / HTTP/1.1\r\nX: a\rb\r\nHost: a\r\n\r\n", 400);            // bare CR
    expect_rejected("GET / HTTP/1.1\r\n\r\n", 400);                                   // no Host
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);            // two Hosts
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400);
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nName : x\r\n\r\n", 400);
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400);
    expect_rejected(std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35), 400);
    expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", 400);
    expect_rejected("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    expect_rejected("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    expect_rejected("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400);
    expect_rejected("GET / http/1.1\r\nHost: a\r\n\r\n", 400);
    expect_rejected("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501);
}

TEST_F(server_fixture, rejects_invalid_hosts_user_info_and_targets_in_no_form) {
    expect_rejected("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400);                     // RFC 9112 3.2
    expect_rejected("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400);
    expect_rejected("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400);
    expect_rejected("GET http://user@a/plaintext HTTP/1.1\r\nHost: a\r\n\r\n", 400);  // RFC 9110 4.2.4
    expect_rejected("GET plaintext HTTP/1.1\r\nHost: a\r\n\r\n", 400);                // none of the four forms
    expect_rejected("GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    const auto r = parse_responses(exchange(port, "GET http://[::1]:80/x HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"
                                                  "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "GET /x\n");
    EXPECT_EQ(r[1].status, 200u);
}

TEST_F(server_fixture, unsupported_versions_are_505) {
    expect_rejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    expect_rejected("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505);
    // A later 1.x minor version is served as HTTP/1.1 (RFC 9110 2.5).
    const auto r = parse_responses(exchange(port, "GET / HTTP/1.2\r\nHost: a\r\nConnection: close\r\n\r\n"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
}

TEST_F(server_fixture, rejects_bad_chunks) {
    const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect_rejected(head + "x\r\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3 \r\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3\r\nabcd\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3;\r\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3;a=\"open\r\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "3;a=" + std::string(5000, 'e') + "\r\nabc\r\n0\r\n\r\n", 400);
    expect_rejected(head + "ffffffffffffffffffff\r\n", 413);
}

TEST_F(server_fixture, ignores_bytes_after_an_error) {
    client c(port);
    c.send("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n bad\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto raw = c.read_all();
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 400u);
    EXPECT_EQ(raw.find("smuggled"), std::string::npos);
}

TEST_F(server_fixture, closes_after_max_requests) {
    auto o = test_options();
    o.max_requests_per_connection = 3;
    start(o);
    client c(port);
    std::string req;
    for (int i = 0; i < 4; ++i) req += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\n\r\n";
    c.send(req);
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 3u);
    EXPECT_FALSE(r[1].has("connection"));
    EXPECT_EQ(r[2].header("connection"), "close");
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, slow_head_times_out_with_408) {
    auto o = test_options();
    o.header_timeout = 200ms;
    start(o);
    client c(port);
    c.send("GET / HTTP/1.1\r\nHost: a\r\n");  // and never the blank line
    const auto t0 = std::chrono::steady_clock::now();
    const auto raw = c.read_all();
    const auto r = parse_responses(raw);
    ASSERT_EQ(r.size(), 1u) << raw;
    EXPECT_EQ(r[0].status, 408u);
    EXPECT_TRUE(c.eof());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST_F(server_fixture, trickled_head_still_times_out) {
    auto o = test_options();
    o.header_timeout = 300ms;
    start(o);
    client c(port);
    c.send("GET / HTTP/1.1\r\nHost: a\r\n");
    // Keep sending a byte at a time: the header timeout covers the whole head, not each read.
    std::string sink;
    bool closed = false;
    for (int i = 0; i < 40 && !closed; ++i) {
        if (!c.send("X")) closed = true;
        if (!c.read_some(sink, 50ms) && c.eof()) closed = true;
    }
    EXPECT_TRUE(closed);
    EXPECT_NE(sink.find("408"), std::string::npos);
}

TEST_F(server_fixture, slow_body_times_out) {
    auto o = test_options();
    o.body_timeout = 200ms;
    start(o);
    client c(port);
    c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
    EXPECT_TRUE(c.closed_within(1500ms));
}

TEST_F(server_fixture, idle_keep_alive_connection_is_closed) {
    auto o = test_options();
    o.keep_alive_timeout = 200ms;
    start(o);
    client c(port);
    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_within(1500ms));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
    EXPECT_EQ(parse_responses(c.buffer()).size(), 1u);  // no 408 for an idle connection
}

TEST_F(server_fixture, silent_connection_is_closed_after_the_header_timeout) {
    auto o = test_options();
    o.header_timeout = 200ms;
    start(o);
    client c(port);
    EXPECT_TRUE(c.closed_within(1500ms));
}

TEST_F(server_fixture, slow_reader_hits_the_write_timeout) {
    auto o = test_options();
    o.write_timeout = 300ms;
    start(o, [](vial::request&, vial::response& res) { res.body(std::string(32 * 1024 * 1024, 'z')); });
    client c(port);
    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(1000ms);  // read nothing while the server tries to write 32 MiB
    std::string all;
    while (c.read_some(all, 1000ms)) {
    }
    EXPECT_TRUE(c.eof());
    EXPECT_LT(all.size(), 32u * 1024 * 1024);
}

TEST_F(server_fixture, large_pipelined_responses_arrive_whole_and_in_order) {
    // Each response is far larger than the socket buffer: the server writes part of it, waits
    // until the client has read some, and goes on; then answers the next pipelined request.
    start(test_options(), [](vial::request& req, vial::response& res) {
        res.body(std::string(4 * 1024 * 1024, req.target() == "/a" ? 'a' : 'b'));
    });
    client c(port);
    c.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // let the server fill the socket buffers first
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].body, std::string(4 * 1024 * 1024, 'a'));
    EXPECT_EQ(r[1].body, std::string(4 * 1024 * 1024, 'b'));
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, bodies_around_the_copy_limit_arrive_whole_and_in_order) {
    // Bodies up to 16 KB are copied after the head; larger ones are sent from their own string
    // after it (no copy). Pipelined small, large, HEAD of large, exactly at the limit, one past it.
    start(test_options(), [](vial::request& req, vial::response& res) {
        const auto target = req.target();
        const std::size_t size = std::stoul(std::string(target.substr(1)));
        std::string body(size, 'x');
        for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + (i * 7 + size) % 26);
        res.body(std::move(body));
    });
    const std::vector<std::size_t> sizes{10, 25 * 1024, 25 * 1024, 16 * 1024, 16 * 1024 + 1, 3, 200 * 1024};
    std::string requests;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        requests += (i == 2 ? "HEAD /" : "GET /") + std::to_string(sizes[i]) + " HTTP/1.1\r\nHost: a\r\n" +
                    (i + 1 == sizes.size() ? "Connection: close\r\n" : "") + "\r\n";
    }
    client c(port);
    c.send(requests);
    std::vector<bool> head_only(sizes.size(), false);
    head_only[2] = true;
    const auto r = parse_responses(c.read_all(), head_only);
    ASSERT_EQ(r.size(), sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        EXPECT_EQ(r[i].status, 200u);
        EXPECT_EQ(r[i].header("content-length"), std::to_string(sizes[i])) << i;
        if (i == 2) {
            EXPECT_EQ(r[i].body, "") << "HEAD";
            continue;
        }
        std::string expected(sizes[i], 'x');
        for (std::size_t k = 0; k < sizes[i]; ++k) expected[k] = static_cast<char>('a' + (k * 7 + sizes[i]) % 26);
        EXPECT_EQ(r[i].body, expected) << i;
    }
    EXPECT_TRUE(c.eof());
    // And one at a time on a kept-alive connection, the large body's buffer freed between them.
    client k(port);
    for (int round = 0; round < 3; ++round) {
        k.send("GET /30000 HTTP/1.1\r\nHost: a\r\n\r\n");
        const auto got = k.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
        const auto one = parse_responses(got);
        ASSERT_EQ(one.size(), 1u);
        EXPECT_EQ(one[0].body.size(), 30000u);
        k.buffer().clear();
    }
}

TEST_F(server_fixture, a_busy_client_does_not_starve_the_others_on_its_thread) {
    auto o = test_options();
    o.threads = 1;  // both clients on the same worker
    o.max_requests_per_connection = 1'000'000;
    // Each request of the burst takes 20 us, so the burst arrives faster than it is answered
    // and the busy client's socket never runs dry.
    start(o, [](vial::request& req, vial::response& res) {
        const auto until = std::chrono::steady_clock::now() + 20us;
        while (req.target() == "/a" && std::chrono::steady_clock::now() < until) {
        }
        res.body("ok");
    });
    constexpr std::size_t n = 20'000;
    std::string burst;
    for (std::size_t i = 0; i < n; ++i) burst += "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
    client busy(port, 20s);
    busy.receive_buffer(16 << 20);  // and the answers never have to wait for room
    client other(port);
    std::atomic<std::size_t> answered{0};
    std::thread reader([&] {  // the busy client reads as fast as it can, so nothing holds the server back
        std::string in;
        std::size_t seen = 0, from = 0;
        while (seen < n && busy.read_some(in, 10s)) {
            for (auto at = in.find("HTTP/1.1 200", from); at != std::string::npos; at = in.find("HTTP/1.1 200", from)) {
                ++seen;
                from = at + 1;
            }
            answered = seen;
        }
    });
    std::thread writer([&] { busy.send(burst); });
    while (answered == 0) std::this_thread::sleep_for(1ms);  // the worker is busy with the burst
    other.send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
    other.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    const std::size_t busy_answered_by_then = answered;
    writer.join();
    reader.join();
    ASSERT_EQ(parse_responses(other.buffer()).size(), 1u);
    EXPECT_EQ(answered.load(), n);
    EXPECT_LT(busy_answered_by_then, n / 4) << "the other client waited for much of the burst";
}

// A worker sends the responses of a batch of events together, after the batch (see
// worker::on_events). Twenty requests reach one worker on connections it already serves while
// it is busy, so they come as one batch: keep-alive, `Connection: close`, pipelined pairs and a
// HEAD. Each client gets its own answers, whole and in order, and the closing ones the end of
// the connection.
TEST_F(server_fixture, the_responses_of_one_batch_each_reach_their_client) {
    auto o = test_options();
    o.threads = 1;
    std::atomic<bool> entered{false};
    std::promise<void> gate;
    auto opened = gate.get_future().share();
    start(o, [&, opened](vial::request& req, vial::response& res) {
        if (req.target() == "/block") {
            entered = true;
            opened.wait_for(5s);
        }
        echo_handler(req, res);
    });
    // Connections the worker has taken (a new one's first request is read at the hand-off,
    // not in a batch of events).
    std::vector<std::unique_ptr<client>> clients;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<client>(port));
        make_idle(*clients.back());
    }
    client blocker(port);
    blocker.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
    while (!entered) std::this_thread::sleep_for(1ms);
    for (int i = 0; i < 20; ++i) {
        const std::string n = std::to_string(i);
        switch (i % 4) {
            case 0: clients[static_cast<std::size_t>(i)]->send("GET /k" + n + " HTTP/1.1\r\nHost: a\r\n\r\n"); break;
            case 1: clients[static_cast<std::size_t>(i)]->send("GET /c" + n + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"); break;
            case 2:
                clients[static_cast<std::size_t>(i)]->send("GET /p" + n + " HTTP/1.1\r\nHost: a\r\n\r\nPOST /q" + n +
                                     " HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
                break;
            case 3: clients[static_cast<std::size_t>(i)]->send("HEAD /h" + n + " HTTP/1.1\r\nHost: a\r\n\r\n"); break;
        }
    }
    std::this_thread::sleep_for(100ms);  // all twenty are at the server before it is free again
    gate.set_value();
    blocker.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    for (int i = 0; i < 20; ++i) {
        client& c = *clients[static_cast<std::size_t>(i)];
        const std::string n = std::to_string(i);
        switch (i % 4) {
            case 0: {
                const auto r = parse_responses(c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; }));
                ASSERT_EQ(r.size(), 1u) << i;
                EXPECT_EQ(r[0].body, "GET /k" + n + "\n");
                break;
            }
            case 1: {
                const auto r = parse_responses(c.read_all());
                ASSERT_EQ(r.size(), 1u) << i;
                EXPECT_EQ(r[0].body, "GET /c" + n + "\n");
                EXPECT_TRUE(c.eof()) << i;
                break;
            }
            case 2: {
                const auto r = parse_responses(c.read_until([](const std::string& b) { return parse_responses(b).size() == 2; }));
                ASSERT_EQ(r.size(), 2u) << i;
                EXPECT_EQ(r[0].body, "GET /p" + n + "\n");
                EXPECT_EQ(r[1].body, "POST /q" + n + "\nhi");
                break;
            }
            case 3: {
                const auto r = parse_responses(c.read_until([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }), {true});
                ASSERT_EQ(r.size(), 1u) << i;
                EXPECT_EQ(r[0].status, 200u);
                EXPECT_EQ(r[0].body, "");
                EXPECT_EQ(r[0].header("content-length"), std::to_string(("HEAD /h" + n + "\n").size()));
                break;
            }
        }
    }
}

// A response held for the end of its batch does not wait behind slow handlers: once responses
// have been held longer than the hold allows (200 us), they are sent before the next handler
// starts. Two connections reach one busy worker as one batch: /fast, then /slow (2 ms) with
// /check pipelined behind it, whose handler waits for /fast's client to have its answer. Held
// to the end of the batch, /fast's answer would come only after /check's handler gave up.
TEST_F(server_fixture, a_held_response_is_sent_before_a_handler_that_starts_after_a_slow_one) {
    auto o = test_options();
    o.threads = 1;
    std::atomic<bool> entered{false};
    std::atomic<bool> fast_answered{false};
    std::atomic<bool> seen_in_time{false};
    std::promise<void> gate;
    auto opened = gate.get_future().share();
    start(o, [&, opened](vial::request& req, vial::response& res) {
        const auto target = req.target();
        if (target == "/block") {
            entered = true;
            opened.wait_for(5s);
        } else if (target == "/slow") {
            std::this_thread::sleep_for(2ms);
        } else if (target == "/check") {
            const auto until = std::chrono::steady_clock::now() + 5s;
            while (!fast_answered && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
            seen_in_time = fast_answered.load();
        }
        res.body("ok");
    });
    client blocker(port), fast(port), slow(port);
    make_idle(fast);  // taken by the worker: their next requests come as events
    make_idle(slow);
    blocker.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
    while (!entered) std::this_thread::sleep_for(1ms);
    fast.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");  // in this order in the batch
    std::this_thread::sleep_for(20ms);
    slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /check HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // both are at the server before it is free again
    std::thread reader([&] {
        fast.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
        fast_answered = true;
    });
    gate.set_value();
    reader.join();
    slow.read_until([](const std::string& b) { return parse_responses(b).size() == 2; });
    ASSERT_EQ(parse_responses(fast.buffer()).size(), 1u);
    EXPECT_TRUE(seen_in_time) << "/fast's answer was held until after /check's handler";
}

TEST_F(server_fixture, request_then_half_close_is_answered) {
    client c(port);
    c.send("GET /half HTTP/1.1\r\nHost: a\r\n\r\n");
    c.shutdown_write();  // the request and the FIN arrive together
    const auto r = parse_responses(c.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].body, "GET /half\n");
    EXPECT_TRUE(c.eof());
}

TEST_F(server_fixture, graceful_shutdown_finishes_the_request_in_flight) {
    client busy(port);
    client idle(port);
    idle.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
    idle.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    busy.send("GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // the handler is now sleeping
    const auto t0 = std::chrono::steady_clock::now();
    srv->stop();
    const auto took = std::chrono::steady_clock::now() - t0;
    const auto r = parse_responses(busy.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "GET /sleep\n");
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_TRUE(busy.eof());
    EXPECT_TRUE(idle.closed_within(500ms));
    EXPECT_LT(took, 2s);
    client late(port);
    EXPECT_FALSE(late.connected());
}

TEST_F(server_fixture, graceful_shutdown_answers_a_request_that_reached_an_idle_connection) {
    auto o = test_options();
    o.threads = 1;  // both connections on one thread, which the sleeping handler keeps busy
    start(o);
    client busy(port);
    client idle(port);
    idle.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
    idle.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    idle.buffer().clear();
    busy.send("GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // the handler is now sleeping
    idle.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");  // waits, unread, in the socket
    std::this_thread::sleep_for(50ms);
    auto stopped = std::async(std::launch::async, [&] { srv->stop(); });
    const auto r = parse_responses(idle.read_all());
    ASSERT_EQ(r.size(), 1u) << "the request got no answer (a reset, or the connection closed over it)";
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].body, "GET /next\n");
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_TRUE(idle.eof());
    EXPECT_EQ(parse_responses(busy.read_all()).size(), 1u);
    stopped.get();
}

// Behind a proxy that keeps connections to the server open: the proxy may send a request on
// an idle connection at the very moment the server stops. Closed at once, the connection would
// meet that request with a reset, and a proxy does not send a POST again (nginx answers 502).
// So an idle connection stays open for drain_timeout, and what arrives meanwhile is answered,
// with Connection: close.
TEST_F(server_fixture, graceful_shutdown_answers_a_request_sent_on_an_idle_connection_after_it_began) {
    auto o = test_options();
    o.drain_timeout = 2s;
    start(o);
    client idle(port);
    make_idle(idle);
    auto stopped = std::async(std::launch::async, [&] { srv->stop(); });
    std::this_thread::sleep_for(200ms);  // the stop has begun: the listener is closed by now
    EXPECT_FALSE(client(port).connected());
    idle.send("POST /late HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nid");
    expect_last_answer(idle, "POST /late\nid");
    stopped.get();
}

TEST_F(server_fixture, graceful_shutdown_closes_idle_connections_after_the_drain_timeout) {
    auto o = test_options();
    o.drain_timeout = 300ms;
    o.keep_alive_timeout = 10s;
    o.shutdown_timeout = 10s;
    start(o);
    client idle(port);
    make_idle(idle);
    client silent(port);  // connected, never sends a byte
    ASSERT_TRUE(silent.connected());
    srv->stop();  // returns once both are closed: at drain_timeout, not at the keep-alive or shutdown timeout
    EXPECT_TRUE(idle.closed_within(500ms));
    EXPECT_EQ(idle.buffer(), "");  // closed, with nothing sent: there was no request
    EXPECT_TRUE(silent.closed_within(500ms));
    EXPECT_EQ(silent.buffer(), "");
}

// A connection the kernel completed but the server had not accepted yet when the stop began:
// closing the listening socket would reset it, over the request its client has already sent.
// The stop accepts what is queued, and answers it.
TEST_F(server_fixture, graceful_shutdown_answers_connections_still_in_the_listen_queue) {
    auto o = test_options();
    o.threads = 1;  // the thread that accepts is kept busy by a sleeping handler
    start(o);
    client busy(port);
    busy.send("GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // the handler is now sleeping
    client queued(port);                 // completed by the kernel, waiting to be accepted
    ASSERT_TRUE(queued.connected());
    queued.send("POST /queued HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nid");
    std::this_thread::sleep_for(50ms);
    auto stopped = std::async(std::launch::async, [&] { srv->stop(); });
    expect_last_answer(queued, "POST /queued\nid");
    EXPECT_EQ(parse_responses(busy.read_all()).size(), 1u);
    stopped.get();
}

TEST_F(server_fixture, graceful_shutdown_does_not_wait_for_clients_to_close) {
    auto o = test_options();
    o.linger_timeout = 5s;  // what a client that keeps its socket open could cost
    start(o);
    client c(port);
    c.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf-");
    std::this_thread::sleep_for(50ms);
    const auto t0 = std::chrono::steady_clock::now();
    auto stopped = std::async(std::launch::async, [&] { srv->stop(); });
    std::this_thread::sleep_for(100ms);
    c.send("done!");
    c.read_until([](const std::string& b) { return parse_responses(b).size() == 1; });
    const auto r = parse_responses(c.buffer());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_EQ(stopped.wait_for(2s), std::future_status::ready);  // the client never closed
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_TRUE(c.closed_within(500ms));

    // Likewise for a response that a handler was still computing when the stop began.
    start(o);
    client busy(port);
    busy.send("GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);  // the handler is now sleeping
    const auto t1 = std::chrono::steady_clock::now();
    srv->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t1, 2s);
    const auto answered = parse_responses(busy.read_all());
    ASSERT_EQ(answered.size(), 1u);
    EXPECT_EQ(answered[0].header("connection"), "close");
}

TEST_F(server_fixture, shutdown_deadline_cuts_slow_clients) {
    auto o = test_options();
    o.shutdown_timeout = 300ms;
    o.header_timeout = 10s;
    start(o);
    client c(port);
    c.send("GET / HTTP/1.1\r\n");  // a head that never completes
    std::this_thread::sleep_for(50ms);
    const auto t0 = std::chrono::steady_clock::now();
    srv->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_TRUE(c.closed_within(500ms));
}

TEST_F(server_fixture, writes_an_access_log_line_per_request) {
    auto o = test_options();
    o.access_log = true;
    start(o);
    exchange(port, "GET /logged?q=1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
    exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n bad\r\n\r\n");
    srv->stop();
    const auto text = log.str();
    EXPECT_NE(text.find("127.0.0.1 - - ["), std::string::npos) << text;
    EXPECT_NE(text.find("\"GET /logged?q=1 HTTP/1.1\" 200 16 "), std::string::npos) << text;
    EXPECT_NE(text.find("\"POST /x HTTP/1.1\" 200 10 "), std::string::npos) << text;
    EXPECT_NE(text.find("\"- - HTTP/1.1\" 400 "), std::string::npos) << text;
    EXPECT_TRUE(text.find("us\n") != std::string::npos || text.find("ms\n") != std::string::npos) << text;
}

TEST_F(server_fixture, no_access_log_when_disabled) {
    exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    srv->stop();
    EXPECT_EQ(log.str(), "");
}

TEST_F(server_fixture, handles_many_connections_on_all_threads) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 20; ++i) {
                const auto r = parse_responses(exchange(port, "GET /m HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
                if (r.size() == 1 && r[0].status == 200) ++ok;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 160);
}

TEST_F(server_fixture, connections_past_max_connections_get_a_503_and_are_closed) {
    auto o = test_options();
    o.max_connections = 3;
    start(o);
    std::vector<std::unique_ptr<client>> held;
    for (int i = 0; i < 3; ++i) {  // served, then kept open (idle keep-alive)
        held.push_back(std::make_unique<client>(port));
        ASSERT_TRUE(held.back()->send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n"));
        std::string raw;
        ASSERT_TRUE(held.back()->read_some(raw, 3000ms));
        ASSERT_EQ(parse_responses(raw).at(0).status, 200u);
    }
    for (int i = 0; i < 5; ++i) {
        client extra(port);
        ASSERT_TRUE(extra.connected());
        const auto raw = extra.read_all();  // refused before any request is sent
        const auto r = parse_responses(raw);
        ASSERT_EQ(r.size(), 1u) << raw;
        EXPECT_EQ(r[0].status, 503u);
        EXPECT_EQ(r[0].header("connection"), "close");
        EXPECT_EQ(r[0].header("retry-after"), "1");
        EXPECT_TRUE(extra.eof());
    }
    // One closes: a new client is served again once the server has seen the close.
    held.pop_back();
    unsigned status = 0;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
        const auto r = parse_responses(exchange(port, "GET /again HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        status = r.empty() ? 0 : r[0].status;
        if (status != 200) std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(status, 200u);
    // The held connections still work.
    ASSERT_TRUE(held[0]->send("GET /still HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::string raw;
    ASSERT_TRUE(held[0]->read_some(raw, 3000ms));
    EXPECT_EQ(parse_responses(raw).at(0).status, 200u);
}

TEST_F(server_fixture, reuse_port_lets_two_servers_share_a_port) {
    auto o = test_options();
    o.reuse_port = true;
    start(o);
    o.port = port;
    std::ostringstream log2;
    vial::server::server second(o, echo_handler, log2);
    EXPECT_NO_THROW(second.start());
    second.stop();

    auto plain = test_options();
    plain.port = port;
    vial::server::server third(plain, echo_handler, log2);
    EXPECT_THROW(third.start(), boost::system::system_error);
}

// --- with curl ----------------------------------------------------------------------------

namespace {
std::string curl(const std::string& args) {
    return run_command("curl -s -S --max-time 5 " + args + " 2>&1");
}
}  // namespace

TEST_F(server_fixture, curl_get_and_post) {
    const auto base = "http://127.0.0.1:" + std::to_string(port);
    EXPECT_EQ(curl(base + "/hello?a=b"), "GET /hello?a=b\n");
    EXPECT_EQ(curl("--data-binary 'x=1&y=2' " + base + "/form"), "POST /form\nx=1&y=2");
}

TEST_F(server_fixture, curl_reuses_the_connection) {
    const auto base = "http://127.0.0.1:" + std::to_string(port);
    const auto out = curl("-v " + base + "/one " + base + "/two");
    EXPECT_NE(out.find("GET /one\n"), std::string::npos) << out;
    EXPECT_NE(out.find("GET /two\n"), std::string::npos) << out;
    EXPECT_NE(out.find("Re-using existing connection"), std::string::npos) << out;
}

TEST_F(server_fixture, curl_head) {
    const auto out = curl("-I http://127.0.0.1:" + std::to_string(port) + "/h");
    EXPECT_NE(out.find("HTTP/1.1 200 OK"), std::string::npos) << out;
    EXPECT_NE(out.find("Content-Length: 8"), std::string::npos) << out;  // "HEAD /h\n"
}

TEST_F(server_fixture, curl_chunked_upload_with_100_continue) {
    const auto out = run_command("printf 'streamed body' | curl -s -S --max-time 5 -H 'Transfer-Encoding: chunked' "
                                 "-H 'Expect: 100-continue' -T - http://127.0.0.1:" + std::to_string(port) + "/up 2>&1");
    EXPECT_EQ(out, "PUT /up\nstreamed body");
}

TEST_F(server_fixture, curl_large_upload_with_expect) {
    const auto out = run_command("head -c 2000000 /dev/zero | curl -s --max-time 5 -H 'Expect: 100-continue' "
                                 "--data-binary @- -o /dev/null -w '%{http_code}' http://127.0.0.1:" +
                                 std::to_string(port) + "/big 2>&1");
    EXPECT_EQ(out, "413");
}

// --- robustness -------------------------------------------------------------------------------

TEST_F(server_fixture, survives_garbage_and_mutated_requests) {
    const std::string seed =
        "POST /x?y=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
        "5;e=\"v\"\r\nhello\r\n0\r\nT: 1\r\n\r\nGET / HTTP/1.0\r\nContent-Length: 2\r\n\r\nok";
    std::mt19937 rng(12345);
    for (int i = 0; i < 300; ++i) {
        std::string input = seed;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const auto at = rng() % input.size();
            switch (rng() % 4) {
                case 0: input[at] = static_cast<char>(rng() % 256); break;
                case 1: input.erase(at, 1 + rng() % 8); break;
                case 2: input.insert(at, std::string(1 + rng() % 3, "\r\n :;\"\t\0"[rng() % 8])); break;
                default: input.insert(at, input.substr(rng() % input.size(), rng() % 32)); break;
            }
            if (input.empty()) input = "x";
        }
        client c(port, 1500ms);
        c.send(input);
        c.shutdown_write();
        const auto raw = c.read_all();
        ASSERT_FALSE(c.timed_out()) << "no close for " << ::testing::PrintToString(input);
        for (const auto& r : parse_responses(raw)) ASSERT_NE(r.status, 500u) << ::testing::PrintToString(input);
    }
    const auto r = parse_responses(exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
}
