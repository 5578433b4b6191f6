// The strict request parser on its own: results must not depend on how the bytes are split.
#include <vial/server/detail/request_parser.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using parser = vial::server::detail::request_parser;

struct outcome {
    std::vector<std::string> requests;  // "METHOD TARGET vVERSION body" per complete request
    unsigned error = 0;
    bool operator==(const outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const outcome& o) {
    for (const auto& r : o.requests) os << "[" << r << "] ";
    return os << "error " << o.error;
}

/// Feeds `input` in pieces of `step` bytes (0: all at once), like a connection would.
outcome run(const std::string& input, std::size_t step, const vial::server::options& opts = {}) {
    parser p(opts);
    p.reset();
    vial::raw_request req;
    outcome out;
    std::string buffer;
    std::size_t fed = 0;
    while (true) {
        std::size_t consumed = 0;
        const auto r = p.parse(buffer.data(), buffer.size(), consumed, req);
        buffer.erase(0, consumed);
        if (r == parser::result::error) {
            out.error = p.error_status();
            return out;
        }
        if (r == parser::result::complete) {
            out.requests.push_back(std::string(req.method_string()) + " " + std::string(req.target()) + " v" +
                                   std::to_string(req.version()) + " " + req.body());
            p.reset();
            continue;
        }
        if (r == parser::result::head_done) continue;
        if (fed == input.size()) return out;
        const std::size_t n = step == 0 ? input.size() - fed : std::min(step, input.size() - fed);
        buffer.append(input, fed, n);
        fed += n;
    }
}

/// One parser and request, given one whole head at a time.
struct head_parser {
    vial::server::options opts;
    parser p{opts};
    vial::raw_request req;
    parser::result operator()(const std::string& text) {
        p.reset();
        std::size_t consumed = 0;
        return p.parse(text.data(), text.size(), consumed, req);
    }
};

void expect_same_in_pieces(const std::string& input, const outcome& expected) {
    for (std::size_t step : {0, 1, 2, 3, 7, 64})
        EXPECT_EQ(run(input, step), expected) << "step " << step << " for " << ::testing::PrintToString(input);
}

}  // namespace

TEST(request_parser, pipelined_requests_in_any_split) {
    expect_same_in_pieces(
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /b?q HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        "\r\nPUT /c HTTP/1.0\r\n\r\n"
        "PATCH /d HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        "3;a=b;c=\"q\\\"d\"\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        {{"GET /a v11 ", "POST /b?q v11 hello", "PUT /c v10 ", "PATCH /d v11 abc"}, 0});
}

TEST(request_parser, errors_in_any_split) {
    const std::pair<std::string, unsigned> cases[] = {
        {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400},
        {"GET / HTTP/1.1\nHost: x\r\n\r\n", 400},
        {"GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505},
        {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", 501},
        {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413},
        {"GET / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", 417},
        {"FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 501},
    };
    for (const auto& [input, status] : cases) expect_same_in_pieces(input, {{}, status});
}

TEST(request_parser, limits_are_reported_before_the_head_is_complete) {
    vial::server::options o;
    o.max_request_line = 32;
    o.max_header_line = 32;
    o.max_header_bytes = 64;
    o.max_header_fields = 3;
    // No terminating CRLF anywhere: the limits must trigger on partial lines.
    EXPECT_EQ(run("GET /" + std::string(100, 'a'), 5, o).error, 414u);
    EXPECT_EQ(run("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), 5, o).error, 431u);
    EXPECT_EQ(run("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n", 5, o).error, 431u);
    EXPECT_EQ(run("GET / HTTP/1.1\r\nA: 12345678901234567890\r\nB: 12345678901234567890\r\nC: 1234567890123", 5, o).error,
              431u);
    // Exactly at the limits is fine.
    EXPECT_EQ(run("GET /" + std::string(18, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 1, o).requests.size(), 1u);
    EXPECT_EQ(run("GET /" + std::string(19, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 1, o).error, 414u);
}

TEST(request_parser, keep_alive_and_expect) {
    head_parser head;
    const parser& p = head.p;
    ASSERT_EQ(head("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), parser::result::head_done);
    EXPECT_TRUE(p.keep_alive());
    ASSERT_EQ(head("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n\r\n"), parser::result::head_done);
    EXPECT_FALSE(p.keep_alive());
    ASSERT_EQ(head("GET / HTTP/1.0\r\n\r\n"), parser::result::head_done);
    EXPECT_FALSE(p.keep_alive());
    ASSERT_EQ(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), parser::result::head_done);
    EXPECT_TRUE(p.keep_alive());
    ASSERT_EQ(head("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n"),
              parser::result::head_done);
    EXPECT_TRUE(p.expects_continue());
    ASSERT_EQ(head("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"), parser::result::head_done);
    EXPECT_FALSE(p.expects_continue());  // no body, nothing to wait for
    ASSERT_EQ(head("POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"), parser::result::head_done);
    EXPECT_FALSE(p.expects_continue());  // HTTP/1.0 ignores it
}

TEST(request_parser, headers_reach_the_request) {
    vial::server::options o;
    parser p(o);
    p.reset();
    vial::raw_request req;
    const std::string text = "GET /x HTTP/1.1\r\nHost: example.com\r\nX-Tab:\t v \t\r\nX-Utf8: D\xc3\xbcsseldorf\r\n\r\n";
    std::size_t consumed = 0;
    ASSERT_EQ(p.parse(text.data(), text.size(), consumed, req), parser::result::head_done);
    EXPECT_EQ(consumed, text.size());
    EXPECT_EQ(req["Host"], "example.com");
    EXPECT_EQ(req["x-tab"], "v");
    EXPECT_EQ(req["X-Utf8"], "D\xc3\xbcsseldorf");
}

TEST(request_parser, absolute_form_is_served_as_its_path_with_its_authority_as_host) {
    // RFC 9112 3.2.2: what a client sends through a proxy (curl -x) must be accepted.
    expect_same_in_pieces(
        "GET http://example.com/a/b?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"
        "GET http://example.com?hail=all HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET https://example.com:1234 HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET *  HTTP/1.1\r\nHost: x\r\n\r\n",
        {{"GET /a/b?q=1 v11 ", "GET /?hail=all v11 ", "GET / v11 "}, 400});
    expect_same_in_pieces("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nM-SEARCH * HTTP/1.1\r\nHost: x\r\n\r\n",
                          {{"OPTIONS * v11 ", "M-SEARCH * v11 "}, 0});  // asterisk-form: left alone

    head_parser head;
    const auto& req = head.req;
    ASSERT_EQ(head("GET http://example.com:8080/x HTTP/1.1\r\nHost: other\r\n\r\n"), parser::result::head_done);
    EXPECT_EQ(req.target(), "/x");
    EXPECT_EQ(req["Host"], "example.com:8080");  // the target's authority
    EXPECT_EQ(req.count(boost::beast::http::field::host), 1u);
    ASSERT_EQ(head("GET http://example.com/ HTTP/1.1\r\n\r\n"), parser::result::error);  // Host is still required
    EXPECT_EQ(head.p.error_status(), 400u);
}

TEST(request_parser, a_target_in_none_of_the_four_forms_is_400) {
    // RFC 9112 3.2: origin-form, absolute-form, authority-form (CONNECT), asterisk-form.
    for (const char* target : {"plaintext", "a/b", "example.com:80", "?q", "1http://a/", "http:/a", "**", "%2F"})
        expect_same_in_pieces(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n", {{}, 400});
    expect_same_in_pieces("CONNECT /x HTTP/1.1\r\nHost: x\r\n\r\n", {{}, 400});  // CONNECT: authority-form only
    expect_same_in_pieces("CONNECT example.com HTTP/1.1\r\nHost: x\r\n\r\n", {{}, 400});  // the port is required
    expect_same_in_pieces("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
                          "CONNECT [::1]:443 HTTP/1.1\r\nHost: x\r\n\r\n",
                          {{"CONNECT example.com:443 v11 ", "CONNECT [::1]:443 v11 "}, 0});
}

TEST(request_parser, user_info_or_an_empty_host_in_an_absolute_target_is_400) {
    // RFC 9110 4.2.4: user info in an http(s) URI is an error; 4.2.1: so is an empty host.
    for (const char* target : {"http://user@a/plaintext", "http://user:pw@example.com:8080/x", "https://@a/",
                               "http:///x", "http://:80/x", "http://a b/", "http://a:99999/", "http://[::1/"})
        expect_same_in_pieces(std::string("GET ") + target + " HTTP/1.1\r\nHost: a\r\n\r\n", {{}, 400});
    expect_same_in_pieces("GET http://[::1]:8080/x HTTP/1.1\r\nHost: a\r\n\r\n", {{"GET /x v11 "}, 0});
}

TEST(request_parser, an_invalid_host_value_is_400) {
    // RFC 9112 3.2: a server MUST answer 400 to a Host field with an invalid value.
    for (const char* value : {"a b", "a/b", "a@b", "user@a", "a:b", "a:80:80", "a:999999", "a:65536", "[::1",
                              "[::1]x", "[a]", "[1:2:3:4:5:6:7:8:9]", "a%2", "a%zz", "a\"b", "a?b", "a#b", "\xc3\xa9"})
        expect_same_in_pieces(std::string("GET / HTTP/1.1\r\nHost: ") + value + "\r\n\r\n", {{}, 400});
    for (const char* value : {"", "a", "example.com:8080", "a:", "127.0.0.1", "[::1]:80", "[v1.fe]", "xn--bcher-kva.de",
                              "a%20b", "0.0.0.0=5000", "a!$&'()*+,;=b", "A-b_c~d.e", "[2001:db8::7]",
                              "[::ffff:192.0.2.1]"})
        expect_same_in_pieces(std::string("GET / HTTP/1.1\r\nHost: ") + value + "\r\n\r\n", {{"GET / v11 "}, 0});
    // HTTP/1.0 needs no Host, but one that is there is checked too.
    expect_same_in_pieces("GET / HTTP/1.0\r\nHost: a b\r\n\r\n", {{}, 400});
}

TEST(request_parser, fuzz_regression_a_bare_cr_inside_a_head_line_is_400_at_once_in_any_split) {
    // Found by fuzz/fuzz_request_parser (issue 11): given at once, a line with a CR inside
    // it ("\r\x1a...\r\n") waited for the rest of the head (and would have ended in a 408),
    // given a byte at a time it was a 400 as soon as the CR was followed by another byte.
    expect_same_in_pieces(std::string("\r\x1a\0\xfe\0I\0%\r\n\xe9=\xac\0\x1a" "0]I", 18), {{}, 400});
    expect_same_in_pieces(std::string("\r\r\n", 3), {{}, 400});
    expect_same_in_pieces("GET /a\rb HTTP/1.1\r\n", {{}, 400});
    expect_same_in_pieces("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n", {{}, 400});
}
