// How the server writes a response head: the status line, the handler's fields (CR, LF and
// NUL neutralized), then Date, Content-Length and Connection, which the server owns.
#include <vial/server/detail/response_writer.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

using vial::server::detail::append_error_response;
using vial::server::detail::append_response;

std::string write(const vial::response& res, bool head = false, bool keep_alive = true, bool version_10 = false) {
    std::string out = "previous bytes|";
    append_response(out, res, head, keep_alive, version_10);
    EXPECT_EQ(out.substr(0, 15), "previous bytes|");  // appended, never overwritten
    return out.substr(15);
}

std::string date_of(const std::string& head) {
    const auto at = head.find("\r\nDate: ");
    return at == std::string::npos ? std::string() : head.substr(at + 8, 29);
}

TEST(response_writer, writes_status_fields_date_length_and_body) {
    vial::response res(200, "Hello, World!");
    const auto out = write(res);
    ASSERT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: ")) << out;
    EXPECT_TRUE(out.ends_with(" GMT\r\nContent-Length: 13\r\n\r\nHello, World!")) << out;
    EXPECT_EQ(date_of(out).size(), 29u);

    vial::response teapot(418, "short and stout");
    EXPECT_TRUE(write(teapot).starts_with("HTTP/1.1 418 ")) << write(teapot);
    vial::response odd(299, "x");
    EXPECT_TRUE(write(odd).starts_with("HTTP/1.1 299 Unknown\r\n")) << write(odd);
}

TEST(response_writer, connection_field_follows_keep_alive_and_version) {
    vial::response res(200, "x");
    EXPECT_EQ(write(res).find("Connection:"), std::string::npos);
    EXPECT_NE(write(res, false, false).find("\r\nConnection: close\r\n\r\nx"), std::string::npos);
    EXPECT_NE(write(res, false, true, true).find("\r\nConnection: keep-alive\r\n\r\nx"), std::string::npos);
    res.set_header("Connection", "upgrade");  // the server's own say wins
    EXPECT_EQ(write(res).find("upgrade"), std::string::npos);
}

TEST(response_writer, bodies_and_lengths_by_status_and_method) {
    vial::response res(200, "twelve bytes");
    const auto head = write(res, true);
    EXPECT_TRUE(head.ends_with("Content-Length: 12\r\n\r\n")) << head;
    vial::response none(204, "ignored");
    const auto no_content = write(none);
    EXPECT_EQ(no_content.find("Content-Length"), std::string::npos);
    EXPECT_TRUE(no_content.ends_with("\r\n\r\n"));
    vial::response not_modified(304, {});
    not_modified.set_header("Content-Length", "42");
    EXPECT_TRUE(write(not_modified).ends_with("Content-Length: 42\r\n\r\n")) << write(not_modified);
    const std::string big(100 * 1024, 'b');  // written after the head, not with it
    vial::response large(200, big);
    const auto out = write(large);
    EXPECT_TRUE(out.ends_with("Content-Length: 102400\r\n\r\n" + big));
}

TEST(response_writer, a_large_body_can_be_left_for_the_caller_to_send) {
    using vial::server::detail::body_copy_limit;
    using vial::server::detail::large_body_left;
    vial::response small(200, std::string(body_copy_limit, 's'));
    vial::response large(200, std::string(body_copy_limit + 1, 'l'));
    vial::response no_content(204, std::string(body_copy_limit + 1, 'n'));
    EXPECT_FALSE(large_body_left(small, false));
    EXPECT_TRUE(large_body_left(large, false));
    EXPECT_FALSE(large_body_left(large, true)) << "HEAD sends no body";
    EXPECT_FALSE(large_body_left(no_content, false));

    std::string out;
    EXPECT_EQ(append_response(out, large, false, true, false, true), body_copy_limit + 1);
    EXPECT_TRUE(out.ends_with("Content-Length: " + std::to_string(body_copy_limit + 1) + "\r\n\r\n")) << out;
    out.clear();
    EXPECT_EQ(append_response(out, small, false, true, false, true), body_copy_limit);
    EXPECT_TRUE(out.ends_with("\r\n\r\n" + std::string(body_copy_limit, 's'))) << "a small body is still copied";
}

TEST(response_writer, control_characters_in_fields_cannot_split_the_head) {
    // Through raw() a handler can bypass set_header's check; the writer still neutralizes.
    for (std::size_t at = 0; at < 20; ++at) {
        for (const char bad : {'\r', '\n', '\0'}) {
            std::string value(20, 'v');
            value[at] = bad;
            vial::response res(200, "x");
            res.raw().set("X-Test", value);
            const auto out = write(res);
            std::string expected = value;
            expected[at] = ' ';
            EXPECT_NE(out.find("\r\nX-Test: " + expected + "\r\n"), std::string::npos) << at;
        }
    }
    vial::response res(200, "x");
    EXPECT_THROW(res.set_header("X-Test", "a\r\nInjected: 1"), std::invalid_argument);
    EXPECT_THROW(res.set_header("X-Test", std::string("nul\0here", 8)), std::invalid_argument);
    EXPECT_THROW(res.set_header("X-Test", "long enough to fill a word\n"), std::invalid_argument);
    EXPECT_NO_THROW(res.set_header("X-Test", "plain value, longer than eight bytes"));
}

TEST(response_writer, the_handler_may_send_its_own_date) {
    vial::response res(200, "x");
    res.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    const auto out = write(res);
    EXPECT_EQ(date_of(out), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(out.find("Date:"), out.rfind("Date:"));
}

TEST(response_writer, date_follows_the_clock_across_seconds) {
    vial::response res(200, "x");
    const auto first = date_of(write(res));
    std::string later = first;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (later == first && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        later = date_of(write(res));
    }
    EXPECT_NE(later, first);
    std::string error;
    append_error_response(error, 400, "bad");
    EXPECT_EQ(date_of(error), later);
}

TEST(response_writer, access_log_durations) {
    using namespace std::chrono;
    const auto text = [](nanoseconds d) {
        std::string out;
        vial::server::detail::append_duration(out, d);
        return out;
    };
    EXPECT_EQ(text(0ns), "0.0us");
    EXPECT_EQ(text(-5ns), "0.0us");
    EXPECT_EQ(text(49ns), "0.0us");
    EXPECT_EQ(text(50ns), "0.1us");
    EXPECT_EQ(text(65'620ns), "65.6us");
    EXPECT_EQ(text(152'000ns), "152.0us");
    EXPECT_EQ(text(999'949ns), "999.9us");
    EXPECT_EQ(text(999'999ns), "1000.0us");
    EXPECT_EQ(text(1ms), "1.000ms");
    EXPECT_EQ(text(7'432'400ns), "7.432ms");
    EXPECT_EQ(text(7'012'600ns), "7.013ms");
    EXPECT_EQ(text(12s + 5ms), "12005.000ms");
}

TEST(response_writer, error_responses_are_short_text_and_close) {
    std::string out;
    const auto n = append_error_response(out, 431, "header block too large");
    EXPECT_TRUE(out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n")) << out;
    EXPECT_TRUE(out.ends_with("Connection: close\r\n\r\nRequest Header Fields Too Large: header block too large\n"));
    EXPECT_EQ(n, std::string("Request Header Fields Too Large: header block too large\n").size());
}

}  // namespace
