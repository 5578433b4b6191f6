#ifndef VIAL_SERVER_DETAIL_LOG_WRITER_HPP
#define VIAL_SERVER_DETAIL_LOG_WRITER_HPP

/// @file
/// The thread that writes the server's log (the access log, the start-up and shutdown lines).
///
/// A log stream can block: standard error is often a pipe, and a program that started the
/// server and reads only its first line (to learn the port) leaves the pipe to fill up after
/// some 64 KiB. Written from the workers, that would stop every request once the pipe is full.
/// So the workers only hand their text over, and this thread alone writes it and waits for
/// the stream. While more than `max_pending` bytes wait, new text is dropped, and the number
/// of lines lost is logged once the stream takes text again.
///
/// When the stream is standard error or output (`std::clog`, `std::cerr`, `std::cout` as the
/// C++ library sets them up), the thread writes to the file descriptor itself, not through
/// stdio: a thread blocked inside stdio holds the FILE's lock, which `exit` needs to flush the
/// standard streams, so the process could not end. It also ignores SIGPIPE: a reader that went
/// away costs the log, not the process.

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#if __has_include(<ext/stdio_sync_filebuf.h>)
#include <ext/stdio_sync_filebuf.h>
#define VIAL_DETAIL_HAS_STDIO_SYNC_FILEBUF 1
#endif

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace vial::server::detail {

class log_writer {
public:
    /// Text waiting beyond this is dropped.
    static constexpr std::size_t max_pending = 1024 * 1024;

    log_writer() = default;
    log_writer(const log_writer&) = delete;
    log_writer& operator=(const log_writer&) = delete;

    /// Writes what is pending for at most a second, then leaves the thread to finish alone.
    ~log_writer() { close(std::chrono::seconds(1)); }

    /// Starts the thread that writes to `out` (which must outlive this object, or the process
    /// when the thread is left blocked; `std::clog` does). Text given before is kept.
    void start(std::ostream* out) {
        if (thread_.joinable() || out == nullptr) return;
        state_->out = out;
        state_->fd = file_descriptor_of(*out);
        thread_ = std::thread([s = state_] { run(*s); });
    }

    /// Queues `text` (whole lines) for the stream; drops it when too much is waiting.
    void write(std::string_view text) {
        if (text.empty()) return;
        std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        if (s.pending.size() + text.size() > max_pending) {
            for (char c : text) s.dropped += c == '\n';
            return;
        }
        const bool wake = s.pending.empty();
        s.pending.append(text);
        if (wake) s.wake.notify_one();
    }

    /// Waits until everything queued so far is written, for at most `timeout`.
    /// @return whether it was
    bool flush(std::chrono::milliseconds timeout) {
        std::unique_lock lock(state_->mutex);
        auto& s = *state_;
        if (!thread_.joinable()) return s.pending.empty();
        return s.idle.wait_for(lock, timeout, [&] { return (s.pending.empty() && !s.busy) || s.done; });
    }

    /// Writes what is pending, for at most `timeout`, and ends the thread. A thread still
    /// blocked on the stream then is left to finish on its own: it owns what it uses.
    void close(std::chrono::milliseconds timeout) {
        if (!thread_.joinable()) return;
        bool done = false;
        {
            std::unique_lock lock(state_->mutex);
            auto& s = *state_;
            s.closing = true;
            s.wake.notify_one();
            done = s.idle.wait_for(lock, timeout, [&] { return s.done; });
        }
        if (done) thread_.join();
        else thread_.detach();
    }

private:
    struct state {
        std::mutex mutex;
        std::condition_variable wake;  // text arrived, or closing
        std::condition_variable idle;  // all written, or done
        std::string pending;
        std::size_t dropped = 0;  // lines
        bool busy = false;        // the thread is writing
        bool closing = false;
        bool done = false;
        std::ostream* out = nullptr;
        int fd = -1;  // out's file descriptor, written directly; -1: write to out
    };

    // The descriptor under a stream that goes straight to stdio (libstdc++'s standard streams
    // while synchronized with stdio), else -1.
    static int file_descriptor_of(std::ostream& out) {
#ifdef VIAL_DETAIL_HAS_STDIO_SYNC_FILEBUF
        if (auto* buf = dynamic_cast<__gnu_cxx::stdio_sync_filebuf<char>*>(out.rdbuf()); buf != nullptr) {
            out.flush();
            return ::fileno(buf->file());
        }
#else
        (void)out;
#endif
        return -1;
    }

    static void write_all(int fd, const char* data, std::size_t size) {
        while (size != 0) {
            const auto n = ::write(fd, data, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // the reader is gone (EPIPE), or worse: drop the text
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    }

    static void run(state& s) {
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);  // a write to a closed pipe fails with EPIPE
        std::string text;
        std::unique_lock lock(s.mutex);
        while (true) {
            s.wake.wait(lock, [&] { return !s.pending.empty() || s.dropped != 0 || s.closing; });
            if (s.pending.empty() && s.dropped == 0) break;  // closing, and all written
            text.clear();
            text.swap(s.pending);
            if (s.dropped != 0) {
                text += "vial: " + std::to_string(s.dropped) + " log lines dropped: the log stream did not keep up\n";
                s.dropped = 0;
            }
            s.busy = true;
            lock.unlock();
            if (s.fd >= 0) {
                write_all(s.fd, text.data(), text.size());
            } else {
                s.out->write(text.data(), static_cast<std::streamsize>(text.size()));
                s.out->flush();
            }
            if (text.capacity() > max_pending) std::string().swap(text);
            lock.lock();
            s.busy = false;
            if (s.pending.empty()) s.idle.notify_all();
        }
        s.done = true;
        s.idle.notify_all();
    }

    std::shared_ptr<state> state_ = std::make_shared<state>();
    std::thread thread_;
};

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_LOG_WRITER_HPP
