// The log's own thread: a log stream that blocks (a pipe nobody reads) never holds up the
// server, and drops are reported once the stream takes text again.
#include <vial/server/detail/log_writer.hpp>

#include <gtest/gtest.h>

#include <ext/stdio_filebuf.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using vial::server::detail::log_writer;

std::string line(int i) { return "line " + std::to_string(i) + " " + std::string(80, 'x') + "\n"; }

/// Reads what the pipe holds now.
std::string drain(int fd) {
    std::string out;
    char buf[65536];
    while (true) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) return out;
        const auto n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace

TEST(log_writer, writes_lines_in_order_and_flushes) {
    std::ostringstream out;
    log_writer w;
    w.write("before start\n");  // kept until there is a stream
    w.start(&out);
    for (int i = 0; i < 1000; ++i) w.write(line(i));
    ASSERT_TRUE(w.flush(5s));
    std::string expected = "before start\n";
    for (int i = 0; i < 1000; ++i) expected += line(i);
    EXPECT_EQ(out.str(), expected);
    w.close(5s);
}

TEST(log_writer, a_pipe_nobody_reads_does_not_block_the_writers) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    // A stream on the pipe, unbuffered. It must outlive a writer thread left blocked on it, as
    // std::clog does: never destroyed (and still reachable, for the leak checker).
    static auto* const kept = new std::vector<std::unique_ptr<std::streambuf>>;
    kept->push_back(std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fds[1], std::ios::out, 1));
    static auto* const streams = new std::vector<std::unique_ptr<std::ostream>>;
    auto& out = *streams->emplace_back(std::make_unique<std::ostream>(kept->back().get()));
    {
        log_writer w;
        w.start(&out);
        // Far more than the pipe holds (64 KiB) and than the writer keeps (1 MiB): every call
        // returns at once; what does not fit is dropped.
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 30000; ++i) w.write(line(i));
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
        EXPECT_FALSE(w.flush(100ms));  // still blocked on the pipe

        // Once the pipe is read, what was kept arrives, then the count of the lines dropped.
        std::string got;
        for (int tries = 0; tries < 100 && !w.flush(10ms); ++tries) got += drain(fds[0]);
        w.write("after\n");
        ASSERT_TRUE(w.flush(5s));
        got += drain(fds[0]);
        EXPECT_EQ(got.find(line(0)), 0u);
        const auto note = got.find(" log lines dropped: the log stream did not keep up\n");
        ASSERT_NE(note, std::string::npos) << got.substr(got.size() - 200);
        EXPECT_TRUE(got.ends_with("after\n"));
        const auto kept = static_cast<int>(got.size() / line(0).size());
        EXPECT_GT(kept, 1000);
        EXPECT_LT(kept, 30000);

        // Blocked again at the end: close gives up after its timeout instead of hanging.
        for (int i = 0; i < 30000; ++i) w.write(line(i));
        const auto t1 = std::chrono::steady_clock::now();
        w.close(200ms);
        EXPECT_LT(std::chrono::steady_clock::now() - t1, 2s);
    }
    // The thread left behind ends once the pipe is gone (EPIPE, not a SIGPIPE that kills us).
    ::close(fds[0]);
    std::this_thread::sleep_for(100ms);
    SUCCEED();
}
