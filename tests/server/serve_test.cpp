// serve() end to end: a child process prints its start-up line, answers curl and raw sockets,
// and on SIGTERM/SIGINT finishes the request in flight and exits with status 0.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <optional>
#include <regex>

using namespace vial_test;
using namespace std::chrono_literals;

namespace {

/// The serve_main program in a child process, its stderr (the log) on a pipe.
class child {
public:
    explicit child(std::vector<std::string> args, std::string program = VIAL_SERVE_MAIN) {
        int fds[2];
        if (::pipe(fds) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], 2);
            ::close(fds[0]);
            ::close(fds[1]);
            std::vector<char*> argv;
            argv.push_back(program.data());
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        fd_ = fds[0];
    }
    ~child() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) ::close(fd_);
    }

    /// Reads the log until it holds `pattern` or the timeout passes.
    bool wait_for(const std::regex& pattern, std::chrono::milliseconds timeout, std::smatch* m = nullptr) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (true) {
            if (std::smatch local; std::regex_search(log_, m ? *m : local, pattern)) return true;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
            char buf[4096];
            const auto n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) return false;
            log_.append(buf, static_cast<std::size_t>(n));
        }
    }

    /// @return the exit status, or -1 when the child did not exit within `timeout`.
    int wait_exit(std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                reaped_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(10ms);
        }
        return -1;
    }

    void signal(int sig) { ::kill(pid_, sig); }
    const std::string& log() const { return log_; }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    bool reaped_ = false;
    std::string log_;
};

}  // namespace

TEST(serve, prints_its_url_serves_and_stops_on_sigterm) {
    child app({"--threads", "2"});
    std::smatch m;
    ASSERT_TRUE(app.wait_for(std::regex(R"(vial: serving on http://127\.0\.0\.1:(\d+)/\n)"), 5s, &m)) << app.log();
    const auto port = static_cast<unsigned short>(std::stoi(m[1]));
    ASSERT_NE(port, 0);

    const auto body = run_command("curl -s --max-time 5 http://127.0.0.1:" + std::to_string(port) + "/hi");
    EXPECT_EQ(body, "Hello, World!");
    ASSERT_TRUE(app.wait_for(std::regex(R"("GET /hi HTTP/1.1" 200 13 )"), 3s)) << app.log();

    // A request in flight when the signal comes is answered before the process exits.
    client slow(port);
    slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    std::this_thread::sleep_for(100ms);
    app.signal(SIGTERM);
    const auto r = parse_responses(slow.read_all());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 200u);
    EXPECT_EQ(r[0].header("connection"), "close");
    EXPECT_EQ(app.wait_exit(5s), 0);
    app.wait_for(std::regex("vial: stopped"), 1s);
    EXPECT_NE(app.log().find("SIGTERM, shutting down"), std::string::npos) << app.log();
}

TEST(serve, sigint_also_stops_it) {
    child app({"--no-access-log"});
    ASSERT_TRUE(app.wait_for(std::regex("serving on"), 5s)) << app.log();
    app.signal(SIGINT);
    EXPECT_EQ(app.wait_exit(5s), 0);
}

TEST(serve, a_second_signal_cuts_what_the_graceful_stop_waits_for) {
    child app({"--no-access-log"});
    std::smatch m;
    ASSERT_TRUE(app.wait_for(std::regex(R"(serving on http://127\.0\.0\.1:(\d+)/)"), 5s, &m)) << app.log();
    client stuck(static_cast<unsigned short>(std::stoi(m[1])));
    stuck.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf");  // and never the rest
    std::this_thread::sleep_for(100ms);
    const auto t0 = std::chrono::steady_clock::now();
    app.signal(SIGINT);
    EXPECT_EQ(app.wait_exit(500ms), -1);  // waiting for the body (shutdown_timeout is 10 s)
    app.signal(SIGINT);
    EXPECT_EQ(app.wait_exit(5s), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
    app.wait_for(std::regex("vial: stopped"), 1s);
    EXPECT_NE(app.log().find("vial: SIGINT again, closing connections now\n"), std::string::npos) << app.log();
}

// vial::run logs a handler's exception through the server's log thread, like the access log:
// with standard error a pipe nobody reads (a harness that reads the start-up line only), a
// worker writing the exception to std::clog itself would block for good once the pipe is full.
TEST(serve, exceptions_are_logged_without_waiting_for_the_log_stream) {
    child app({"--threads", "1"}, VIAL_RUN_MAIN);
    std::smatch m;
    ASSERT_TRUE(app.wait_for(std::regex(R"(serving on http://127\.0\.0\.1:(\d+)/)"), 5s, &m)) << app.log();
    const auto port = static_cast<unsigned short>(std::stoi(m[1]));
    // From here on nobody reads the pipe: some 64 KiB of log lines fill it.
    std::optional<client> c;
    unsigned answered = 0;
    for (int i = 0; i < 1500; ++i) {
        if (i % 500 == 0) c.emplace(port);  // within max_requests_per_connection
        if (!c->send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n")) break;
        std::size_t used = 0;
        std::vector<response> r;
        c->read_until([&](const std::string& buffer) {
            r = parse_responses(buffer, {}, &used);
            return !r.empty();
        });
        if (r.empty() || r[0].status != 500) break;
        c->buffer().erase(0, used);
        ++answered;
    }
    EXPECT_EQ(answered, 1500u);
    c.reset();  // an idle client still connected would hold the stop for drain_timeout
    app.signal(SIGTERM);
    EXPECT_EQ(app.wait_exit(5s), 0);
    app.wait_for(std::regex("vial: stopped"), 2s);
    EXPECT_NE(app.log().find("vial: exception in handler for GET /boom: kaput\n"), std::string::npos)
        << app.log().substr(0, 2000);
}

TEST(serve, reports_a_port_in_use) {
    vial::server::options o = test_options();
    std::ostringstream log;
    vial::server::server holder(o, echo_handler, log);
    holder.start();
    child app({"--port", std::to_string(holder.port())});
    EXPECT_TRUE(app.wait_for(std::regex("vial: cannot listen on 127.0.0.1:\\d+: Address already in use \\(another "
                                        "process has the port: choose another with --port, or --port 0 for a free "
                                        "one\\)\n"),
                             5s))
        << app.log();
    EXPECT_EQ(app.wait_exit(5s), 1);
    EXPECT_EQ(app.log().find("/usr/include"), std::string::npos) << app.log();  // no Boost source location

    child nowhere({"--host", "nosuch.invalid"});
    EXPECT_EQ(nowhere.wait_exit(10s), 1);
    nowhere.wait_for(std::regex("\n"), 1s);
    EXPECT_EQ(nowhere.log().find("vial: cannot listen on nosuch.invalid:0: "), 0u) << nowhere.log();
    EXPECT_EQ(nowhere.log().find('['), std::string::npos) << nowhere.log();
}

TEST(serve, flags) {
    {
        child app({"--help"});
        EXPECT_EQ(app.wait_exit(5s), 0);
        EXPECT_TRUE(app.wait_for(std::regex("usage: "), 1s));
    }
    {
        child app({"--nope"});
        EXPECT_EQ(app.wait_exit(5s), 2);
        EXPECT_TRUE(app.wait_for(std::regex("unknown option '--nope'"), 1s));
    }
}
