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

TEST(parse_options, every_limit_and_timeout_has_a_flag) {
    using namespace std::chrono_literals;
    args a({"--max-request-line", "4K", "--max-header-line=2k", "--max-header-bytes", "1MiB", "--max-header-fields",
            "20", "--max-body", "16M", "--max-chunk-extensions", "100", "--max-requests-per-connection", "5",
            "--max-connections", "20000", "--backlog", "64", "--header-timeout", "250ms", "--body-timeout", "1.5", "--write-timeout", "2s",
            "--keep-alive-timeout=0.2s", "--linger-timeout", "100ms", "--shutdown-timeout", "1m"});
    vial::server::options o;
    std::ostringstream err;
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err);
    EXPECT_EQ(r.action, parse_action::run) << err.str();
    EXPECT_EQ(o.max_request_line, 4096u);
    EXPECT_EQ(o.max_header_line, 2048u);
    EXPECT_EQ(o.max_header_bytes, 1024u * 1024);
    EXPECT_EQ(o.max_header_fields, 20u);
    EXPECT_EQ(o.max_body, 16u * 1024 * 1024);
    EXPECT_EQ(o.max_chunk_extensions, 100u);
    EXPECT_EQ(o.max_requests_per_connection, 5u);
    EXPECT_EQ(o.max_connections, 20000u);
    EXPECT_EQ(o.backlog, 64);
    EXPECT_EQ(o.header_timeout, 250ms);
    EXPECT_EQ(o.body_timeout, 1500ms);
    EXPECT_EQ(o.write_timeout, 2s);
    EXPECT_EQ(o.keep_alive_timeout, 200ms);
    EXPECT_EQ(o.linger_timeout, 100ms);
    EXPECT_EQ(o.shutdown_timeout, 60s);

    args b({"--max-body", "0", "--no-access-log", "--access-log"});
    EXPECT_EQ(vial::server::parse_options(b.argc(), b.argv(), o, err).action, parse_action::run);
    EXPECT_EQ(o.max_body, 0u);  // no body at all
    EXPECT_TRUE(o.access_log);  // the last of the two wins
}

TEST(parse_options, bad_limits_and_timeouts_exit_2_with_a_message) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--max-body"}, "'--max-body' needs a value"},
        {{"--max-body", "lots"}, "invalid value 'lots' for --max-body"},
        {{"--max-body", "4X"}, "invalid value '4X' for --max-body"},
        {{"--max-body", "-1"}, "invalid value '-1' for --max-body"},
        {{"--max-body", "99999999999999999999"}, "invalid value '99999999999999999999'"},
        {{"--max-body", "99999999999G"}, "invalid value '99999999999G'"},
        {{"--max-header-fields", "0"}, "of at least 1"},
        {{"--max-header-fields", "4K"}, "expected a whole number"},  // a count takes no unit
        {{"--max-request-line", "8"}, "of at least 16"},
        {{"--header-timeout", "0"}, "invalid duration '0' for --header-timeout"},
        {{"--header-timeout", "soon"}, "invalid duration 'soon'"},
        {{"--body-timeout", "5h"}, "invalid duration '5h'"},
        {{"--keep-alive-timeout", "1.2.3"}, "invalid duration '1.2.3'"},
        {{"--keep-alive-timeout", "-1"}, "invalid duration '-1'"},
        {{"--write-timeout", "0.1ms"}, "from 1ms to a day"},
        {{"--shutdown-timeout", "2d"}, "invalid duration '2d'"},
        {{"--backlog", "0"}, "invalid backlog '0'"},
        {{"--access-log=no"}, "'--access-log' takes no value"},
        {{"--max_body", "1K"}, "unknown option '--max_body'"},
    };
    for (const auto& [flags, message] : cases) {
        args a(flags);
        vial::server::options o;
        const vial::server::options before = o;
        std::ostringstream err;
        const auto r = vial::server::parse_options(a.argc(), a.argv(), o, err);
        EXPECT_EQ(r.action, parse_action::exit_error) << flags[0];
        EXPECT_EQ(r.exit_code(), 2);
        EXPECT_NE(err.str().find(message), std::string::npos) << err.str();
        EXPECT_EQ(o.max_body, before.max_body);
        EXPECT_EQ(o.header_timeout, before.header_timeout);
    }
}

TEST(parse_options, help_goes_to_out_and_lists_every_limit_with_the_programs_defaults) {
    args a({"--help"});
    vial::server::options o;
    o.max_body = 16 * 1024 * 1024;                      // a program's own default
    o.keep_alive_timeout = std::chrono::milliseconds(1500);
    std::ostringstream out, err;
    const auto r = vial::server::parse_options(a.argc(), a.argv(), o, out, err, {{"--routes", "print the routes"}});
    EXPECT_EQ(r.action, parse_action::exit_ok);
    EXPECT_EQ(err.str(), "");
    const std::string usage = out.str();
    EXPECT_NE(usage.find("--routes"), std::string::npos);
    for (const auto* flag : {"--max-request-line SIZE", "--max-header-line SIZE", "--max-header-bytes SIZE",
                             "--max-header-fields N", "--max-body SIZE", "--max-chunk-extensions SIZE",
                             "--max-requests-per-connection N", "--max-connections N", "--backlog N", "--header-timeout T",
                             "--body-timeout T", "--write-timeout T", "--keep-alive-timeout T",
                             "--linger-timeout T", "--shutdown-timeout T", "--drain-timeout T"})
        EXPECT_NE(usage.find(flag), std::string::npos) << flag;
    EXPECT_NE(usage.find("413 (default 16M)"), std::string::npos) << usage;
    EXPECT_NE(usage.find("(default 1500ms)"), std::string::npos) << usage;
    EXPECT_NE(usage.find("(default 8K)"), std::string::npos) << usage;
    EXPECT_NE(usage.find("(default 10s)"), std::string::npos) << usage;
    for (const auto& line : [&] {
             std::vector<std::string> lines;
             std::istringstream in(usage);
             for (std::string l; std::getline(in, l);) lines.push_back(l);
             return lines;
         }())
        EXPECT_LE(line.size(), 90u) << line;
}

TEST(parse_options, drain_timeout_has_a_flag) {
    using namespace std::chrono_literals;
    vial::server::options o;
    EXPECT_EQ(o.drain_timeout, 5s);
    args a({"--drain-timeout", "750ms"});
    std::ostringstream err;
    EXPECT_EQ(vial::server::parse_options(a.argc(), a.argv(), o, err).action, parse_action::run) << err.str();
    EXPECT_EQ(o.drain_timeout, 750ms);
}
