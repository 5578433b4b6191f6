// Command-line flags: parse_options.
#include <vial/server/options.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

namespace {

struct args {
    explicit args(std::vector<std::string> a) : strings(std::move(a)) {
        strings.insert(strings.begin(), "app");
        for (auto& s : strings) pointers.push_back(s.data());
    }
    int argc() const { return static_cast<int>(pointers.size()); }
    char** argv() { return pointers.data(); }
    std::vector<std::string> strings;
    std::vector<char*> pointers;
};

using vial::server::parse_action;

}  // namespace

TEST(parse_options, defaults_without_flags) {
    args a({});
    vial::server::options o;
    std::ostringstream err;
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err);
    EXPECT_EQ(r.action, parse_action::run);
    EXPECT_EQ(o.host, "127.0.0.1");
    EXPECT_EQ(o.port, 8080);
    EXPECT_GE(o.thread_count(), 1u);
    EXPECT_FALSE(o.reuse_port);
    EXPECT_TRUE(o.access_log);
    EXPECT_EQ(o.max_request_line, 8u * 1024);
    EXPECT_EQ(o.max_header_bytes, 16u * 1024);
    EXPECT_EQ(o.max_header_line, 8u * 1024);
    EXPECT_EQ(o.max_header_fields, 100u);
    EXPECT_EQ(o.max_body, 1024u * 1024);
    EXPECT_EQ(o.max_chunk_extensions, 4u * 1024);
    EXPECT_EQ(o.max_requests_per_connection, 1000u);
    EXPECT_EQ(o.header_timeout, std::chrono::seconds(10));
    EXPECT_EQ(o.body_timeout, std::chrono::seconds(30));
    EXPECT_EQ(o.write_timeout, std::chrono::seconds(30));
    EXPECT_EQ(o.keep_alive_timeout, std::chrono::seconds(10));
    EXPECT_EQ(err.str(), "");
}

TEST(parse_options, every_flag) {
    args a({"--host", "0.0.0.0", "--port=9000", "--threads", "3", "--reuse-port", "--no-access-log"});
    vial::server::options o;
    std::ostringstream err;
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err);
    EXPECT_EQ(r.action, parse_action::run);
    EXPECT_EQ(o.host, "0.0.0.0");
    EXPECT_EQ(o.port, 9000);
    EXPECT_EQ(o.threads, 3u);
    EXPECT_EQ(o.thread_count(), 3u);
    EXPECT_TRUE(o.reuse_port);
    EXPECT_FALSE(o.access_log);

    args b({"--threads", "0"});
    EXPECT_EQ(vial::server::parse_options(b.argc(), b.argv(), o, err).action, parse_action::run);
    EXPECT_EQ(o.thread_count(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(parse_options, help_exits_0_with_usage) {
    args a({"--help"});
    vial::server::options o;
    std::ostringstream err;
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err, {{"--routes", "print the routes and exit"}});
    EXPECT_EQ(r.action, parse_action::exit_ok);
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_NE(err.str().find("usage: app"), std::string::npos);
    EXPECT_NE(err.str().find("--port N"), std::string::npos);
    EXPECT_NE(err.str().find("--routes"), std::string::npos);
    EXPECT_NE(err.str().find("print the routes and exit"), std::string::npos);
}

TEST(parse_options, bad_flags_exit_2_with_a_message) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--bogus"}, "unknown option '--bogus'"},
        {{"--port"}, "'--port' needs a value"},
        {{"--port", "70000"}, "invalid port '70000'"},
        {{"--port", "8x"}, "invalid port '8x'"},
        {{"--threads", "-1"}, "invalid thread count '-1'"},
        {{"--threads", "5000"}, "invalid thread count '5000'"},
        {{"--reuse-port=yes"}, "'--reuse-port' takes no value"},
        {{"stray"}, "unexpected argument 'stray'"},
        {{"--routes"}, "unknown option '--routes'"},  // not declared by the caller
    };
    for (const auto& [flags, message] : cases) {
        args a(flags);
        vial::server::options o;
        std::ostringstream err;
        const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err);
        EXPECT_EQ(r.action, parse_action::exit_error) << flags[0];
        EXPECT_EQ(r.exit_code(), 2);
        EXPECT_NE(err.str().find(message), std::string::npos) << err.str();
        EXPECT_NE(err.str().find("--help"), std::string::npos);
    }
}

TEST(parse_options, extra_flags_are_left_to_the_caller) {
    args a({"--routes", "--port", "1234"});
    vial::server::options o;
    std::ostringstream err;
    const vial::server::extra_flag mine[] = {{"--routes", "print the routes"}, {"--openapi", "print the spec"}};
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err, mine);
    EXPECT_EQ(r.action, parse_action::run);
    EXPECT_TRUE(r.has("--routes"));
    EXPECT_FALSE(r.has("--openapi"));
    EXPECT_EQ(o.port, 1234);
    ASSERT_EQ(r.extra.size(), 1u);
    EXPECT_EQ(r.extra[0], "--routes");
}
