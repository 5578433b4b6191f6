#ifndef VIAL_SERVER_DETAIL_SERVER_IMPL_HPP
#define VIAL_SERVER_DETAIL_SERVER_IMPL_HPP

/// @file
/// The HTTP/1.1 server behind the facade of <vial/server/server.hpp>: `server_impl` runs one,
/// `serve_impl()` is `serve()`. Compiled once into the vial library (src/server.cpp); apps never
/// include this header, so they never parse Beast or Asio.
///
/// Protocol: HTTP/1.1 and 1.0 (1.0 keeps the connection only with `Connection: keep-alive`),
/// pipelined requests answered in order, HEAD answered with the handler's GET-style fields
/// and no body bytes, `Date` and `Content-Length` on every response (none on 1xx/204, as RFC
/// 9110 requires), chunked request bodies, `Expect: 100-continue`, at most
/// `options::max_requests_per_connection` requests per connection.
///
/// Strictness (see detail/request_parser.hpp): the server answers and closes the connection on
/// 400 (malformed: bare LF or CR, obs-fold, bad names/values, missing or repeated Host on
/// HTTP/1.1, an invalid Host value, a target in none of RFC 9112's four forms or with user
/// info, Content-Length with Transfer-Encoding, Transfer-Encoding on HTTP/1.0, differing
/// Content-Lengths, bad chunks), 408 (head or body too slow), 413 (body), 414 (request line),
/// 417 (Expect other than 100-continue), 431 (header limits), 501 (Transfer-Encoding not
/// ending in chunked; unregistered method) and 505 (HTTP major version other than 1). Error
/// responses are short text with `Connection: close`; bytes after the bad request are never
/// parsed. An exception escaping the handler becomes a 500.
///
/// Threading: one io_context per worker thread; a single listening socket accepts on the first
/// worker and hands each new connection to the workers in turn, so every connection lives on
/// one thread and no lock is taken on the request path. (Measured against one io_context
/// shared by all threads: the same throughput within noise, a few percent less CPU per
/// request, and no strands needed.) Each worker keeps its sockets in an edge-triggered epoll
/// set that its io_context watches (detail/event_set.hpp explains why), so the server needs
/// Linux.

#include <vial/server/detail/connection.hpp>
#include <vial/server/detail/connection_limit.hpp>
#include <vial/server/handler.hpp>
#include <vial/server/options.hpp>
#include <vial/server/server.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>

#include <linux/filter.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace vial::server {

/// The HTTP server behind `vial::server::server` (the facade in <vial/server/server.hpp>).
///
/// @par Example
/// @code
/// vial::server::options opts;
/// opts.port = 0;
/// vial::server::server srv(opts, [](vial::request&, vial::response& res) { res.body("hi"); });
/// srv.start();                       // listening once this returns
/// talk_to("127.0.0.1", srv.port());
/// srv.stop();                        // graceful: in-flight requests finish first
/// @endcode
class server_impl {
public:
    /// @param opts settings (copied)
    /// @param app called for every valid request, on one of the worker threads
    /// @param log where the access log and errors go, written by a thread of the server's own
    ///        (must outlive the server; `std::clog`, the default, does)
    server_impl(options opts, handler app, std::ostream& log = std::clog)
        : shared_(std::make_unique<detail::shared_state>()) {
        shared_->opts = std::move(opts);
        shared_->app = std::move(app);
        shared_->log.start(&log);
    }

    server_impl(const server_impl&) = delete;
    server_impl& operator=(const server_impl&) = delete;

    /// Stops the server (gracefully) if it is still running.
    ~server_impl() { stop(); }

    /// Binds, listens and starts the worker threads.
    /// @throws boost::system::system_error when the address cannot be resolved or bound
    void start() {
        if (started_) return;
        const auto& o = shared_->opts;
        const unsigned n = o.thread_count();
        for (unsigned i = 0; i < n; ++i) workers_.push_back(std::make_unique<detail::worker>(*shared_));

        auto& ioc = workers_.front()->ioc;
        acceptor_ = std::make_unique<detail::tcp::acceptor>(ioc);
        const auto endpoint = resolve(o.host, o.port);
        acceptor_->open(endpoint.protocol());
        acceptor_->set_option(detail::asio::socket_base::reuse_address(true));
        if (o.reuse_port) {
            using reuse_port = detail::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
            acceptor_->set_option(reuse_port(true));
        }
        acceptor_->bind(endpoint);
        acceptor_->listen(o.backlog);
        acceptor_->non_blocking(true);
        port_ = acceptor_->local_endpoint().port();
        shared_->connection_limit = detail::connection_limit(o.max_connections);
        accept_retry_ = std::make_unique<detail::asio::steady_timer>(ioc);

        started_ = true;
        running_threads_ = n;
        do_accept();
        for (auto& w : workers_) {
            w->start();
            threads_.emplace_back([this, w = w.get()] { run(*w); });
        }
    }

    /// @return the port the server listens on (the real one when `options::port` was 0).
    [[nodiscard]] unsigned short port() const noexcept { return port_; }

    /// @return "http://HOST:PORT/" with the real port.
    [[nodiscard]] std::string url() const {
        const auto& h = shared_->opts.host;
        const bool v6 = h.find(':') != std::string::npos;
        return "http://" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(port_) + "/";
    }

    /// @return the settings the server runs with.
    [[nodiscard]] const options& settings() const noexcept { return shared_->opts; }

    /// Graceful stop: stop accepting (the connections already queued on the listening socket
    /// are still accepted), let requests in flight finish, answer what arrives on idle
    /// connections within `options::drain_timeout` (every response now carries
    /// `Connection: close`), then return. Connections still open after
    /// `options::shutdown_timeout` are cut. Idempotent; call it from any thread but a worker.
    void stop() {
        std::lock_guard lock(stop_mutex_);
        if (!started_ || stopped_) return;
        stopped_ = true;
        shared_->stopping = true;
        detail::asio::post(workers_.front()->ioc, [this] { stop_listening(); });
        for (auto& w : workers_) detail::asio::post(w->ioc, [w = w.get()] { w->drain(); });

        std::unique_lock done_lock(done_mutex_);
        done_.wait_for(done_lock, shared_->opts.shutdown_timeout, [this] { return running_threads_ == 0 || cut_; });
        if (running_threads_ != 0) {
            for (auto& w : workers_) detail::asio::post(w->ioc, [w = w.get()] { w->force_close(); });
            if (!done_.wait_for(done_lock, std::chrono::milliseconds(500), [this] { return running_threads_ == 0; }))
                for (auto& w : workers_) w->ioc.stop();
        }
        done_lock.unlock();
        for (auto& t : threads_) t.join();
        threads_.clear();
        for (auto& w : workers_) w->flush_log();
        // The log is written by a thread of its own; a stream nobody reads must not keep the
        // process from stopping, so this waits a second at most.
        shared_->log.flush(std::chrono::seconds(1));
    }

    /// Ends the wait of a graceful `stop()` running on another thread: the connections still
    /// open are cut now instead of at `options::shutdown_timeout`. (`serve()` calls it on a
    /// second SIGINT or SIGTERM.)
    void cut() {
        std::lock_guard lock(done_mutex_);
        cut_ = true;
        done_.notify_all();
    }

    /// Writes one line to the log stream, after the access log lines already handed over
    /// (by the log's own thread: this never waits for the stream).
    void log(std::string_view line) {
        std::string text(line);
        text.push_back('\n');
        shared_->write_log(text);
    }

private:
    static detail::tcp::endpoint resolve(const std::string& host, unsigned short port) {
        boost::system::error_code ec;
        const auto address = detail::asio::ip::make_address(host, ec);
        if (!ec) return {address, port};
        detail::asio::io_context ioc;
        detail::tcp::resolver resolver(ioc);
        const auto results = resolver.resolve(host, std::to_string(port), ec);
        if (ec || results.empty())
            throw boost::system::system_error(ec ? ec : detail::asio::error::host_not_found, "resolving " + host);
        return *results.begin();
    }

    // Waits until the listening socket has connections, then accepts them with accept4
    // (non-blocking and close-on-exec from the start; no Asio socket object per connection).
    void do_accept() {
        acceptor_->async_wait(detail::tcp::acceptor::wait_read, [this](const boost::system::error_code& ec) {
            if (ec == detail::asio::error::operation_aborted || !acceptor_->is_open()) return;
            accept_ready();
        });
    }

    // Closing a listening socket resets the connections in its queue: handshakes the kernel
    // completed, whose clients may have sent a request already (and a proxy does not send a
    // POST again). So the listener first stops taking new connections: a filter drops every
    // SYN (the client tries again a second later and is then refused, which a proxy answers by
    // trying another server). The handshakes under way complete within a round trip; they and
    // everything queued are accepted, as before, until the socket is closed.
    void stop_listening() {
        drop_new_connections(acceptor_->native_handle());
        close_timer_ = std::make_unique<detail::asio::steady_timer>(workers_.front()->ioc);
        close_timer_->expires_after(std::min<std::chrono::milliseconds>(shared_->opts.drain_timeout, handshake_settle));
        close_timer_->async_wait([this](const boost::system::error_code&) {
            // What completed since the last wake-up: accept_ready takes 64 at a time.
            for (int i = 0; i < 16 && unaccepted(); ++i) accept_ready();
            boost::system::error_code ignored;
            accept_retry_->cancel();
            acceptor_->close(ignored);
            // After the hand-overs just posted, so a worker with nothing left can stop.
            shared_->listening = false;
            for (auto& w : workers_) detail::asio::post(w->ioc, [w = w.get()] { w->listener_closed(); });
        });
    }

    /// How long a stopping listener waits for the handshakes under way to complete: a round
    /// trip to the client (microseconds on loopback, a millisecond or two in a data centre).
    static constexpr std::chrono::milliseconds handshake_settle{100};

    // Attaches a classic BPF filter that drops TCP segments with SYN set and ACK not: new
    // connection attempts, and nothing else (the last ACK of a handshake passes). Best effort.
    static void drop_new_connections(int fd) noexcept {
        sock_filter code[] = {
            BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),           // the TCP header's flags byte
            BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),        // SYN and ACK
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x02, 0, 1),  // SYN alone?
            BPF_STMT(BPF_RET | BPF_K, 0),                     // drop it
            BPF_STMT(BPF_RET | BPF_K, 0xffffffffU),           // keep the rest whole
        };
        sock_fprog program{static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
        ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program);
    }

    /// @return whether the listening socket has a connection to accept
    [[nodiscard]] bool unaccepted() const noexcept {
        pollfd p{acceptor_->native_handle(), POLLIN, 0};
        return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
    }

    void accept_ready() {
        for (int i = 0; i < 64; ++i) {  // then let the first worker's connections have a turn
            sockaddr_storage address{};
            socklen_t size = sizeof address;
            const int fd = ::accept4(acceptor_->native_handle(), reinterpret_cast<sockaddr*>(&address), &size,
                                     SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                const int error = errno;
                if (error == EINTR || error == ECONNABORTED || error == EPROTO) continue;
                if (error == EAGAIN || error == EWOULDBLOCK) break;
                // Out of descriptors or similar: say so (once a second at most), wait a little,
                // try again.
                if (const auto now = std::chrono::steady_clock::now(); now - last_accept_error_log_ >= std::chrono::seconds(1)) {
                    last_accept_error_log_ = now;
                    log("vial: accept failed: " + boost::system::error_code(error, boost::system::system_category()).message());
                }
                accept_retry_->expires_after(std::chrono::milliseconds(50));
                accept_retry_->async_wait([this](const boost::system::error_code& e) {
                    if (!e && acceptor_->is_open()) do_accept();
                });
                return;
            }
            if (!shared_->admit_connection()) {
                refuse(fd);
                continue;
            }
            detail::tcp::endpoint peer;
            std::string remote;
            if (size <= peer.capacity()) {
                std::memcpy(peer.data(), &address, size);
                peer.resize(size);
                boost::system::error_code ignored;
                remote = peer.address().to_string(ignored);
            }
            auto& w = *workers_[next_worker_];
            next_worker_ = (next_worker_ + 1) % workers_.size();
            detail::asio::post(w.ioc, [&w, socket = detail::unique_fd(fd), remote = std::move(remote)]() mutable {
                (new detail::connection(w, socket.release(), std::move(remote)))->start();
            });
        }
        do_accept();
    }

    // Over options::max_connections: a 503 and a close, and a log line a second at most.
    void refuse(int fd) {
        detail::refuse_connection(fd);
        ++refused_;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_refusal_log_ < std::chrono::seconds(1)) return;
        last_refusal_log_ = now;
        log("vial: " + std::to_string(shared_->connection_limit) + " connections open (--max-connections), " +
            std::to_string(refused_) + " refused with 503 so far");
    }

    void run(detail::worker& w) {
        while (true) {
            try {
                w.ioc.run();
                break;
            } catch (const std::exception& e) {
                log(std::string("vial: worker error: ") + e.what());
            }
        }
        std::lock_guard lock(done_mutex_);
        if (--running_threads_ == 0) done_.notify_all();
    }

    std::unique_ptr<detail::shared_state> shared_;
    std::vector<std::unique_ptr<detail::worker>> workers_;
    std::unique_ptr<detail::tcp::acceptor> acceptor_;
    std::unique_ptr<detail::asio::steady_timer> accept_retry_;
    std::vector<std::thread> threads_;
    std::size_t next_worker_ = 0;
    std::size_t refused_ = 0;  // connections refused over the limit (accepting thread only)
    std::chrono::steady_clock::time_point last_refusal_log_{};
    std::chrono::steady_clock::time_point last_accept_error_log_{};
    unsigned short port_ = 0;
    bool started_ = false;
    bool stopped_ = false;
    std::mutex stop_mutex_;
    std::mutex done_mutex_;
    std::condition_variable done_;
    unsigned running_threads_ = 0;
    bool cut_ = false;  // under done_mutex_
    std::unique_ptr<detail::asio::steady_timer> close_timer_;  // closes the listener while stopping
};

/// Runs the server until SIGINT or SIGTERM, then shuts it down gracefully; a second signal
/// during the graceful stop cuts the connections still open at once.
///
/// Prints `vial: serving on http://HOST:PORT/` (the real port) once listening.
/// @param opts the options
/// @param app the handler of every request
/// @param log where the server's log goes (written by a thread of the server's own)
/// @param on_start called once the server listens, before the start-up line: for instance
///        to send other log lines through `server::log`, so that they never wait for the stream
/// @return 0 after a clean shutdown, 1 when the server could not start (the reason is logged)
inline int serve_impl(const options& opts, handler app, std::ostream& log,
                      const std::function<void(server&)>& on_start) {
    detail::asio::io_context signals_ioc(1);
    detail::asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    server srv(opts, std::move(app), log);
    const std::string where = "vial: cannot listen on " + opts.host + ":" + std::to_string(opts.port) + ": ";
    try {
        srv.start();
    } catch (const boost::system::system_error& e) {
        // The code's message alone: what() appends Boost's source location.
        std::string reason = e.code().message();
        if (e.code() == boost::system::errc::address_in_use)
            reason += " (another process has the port: choose another with --port, or --port 0 for a free one)";
        srv.log(where + reason);
        return 1;
    } catch (const std::exception& e) {
        srv.log(where + e.what());
        return 1;
    }
    if (on_start) on_start(srv);
    srv.log("vial: serving on " + srv.url());
    int signal_number = 0;
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (!ec) signal_number = sig;
    });
    signals_ioc.run();
    const auto signal_name = [](int sig) { return std::string(sig == SIGINT ? "SIGINT" : "SIGTERM"); };
    srv.log("vial: " + signal_name(signal_number) + ", shutting down");
    // A second signal (Ctrl-C again) cuts the connections the graceful stop still waits for.
    signals_ioc.restart();
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        srv.log("vial: " + signal_name(sig) + " again, closing connections now");
        srv.cut();
    });
    std::thread second_signal([&] { signals_ioc.run(); });
    srv.stop();
    detail::asio::post(signals_ioc, [&] { signals.cancel(); });
    second_signal.join();
    srv.log("vial: stopped");
    return 0;  // ~server writes what is left of the log, for a second at most
}

}  // namespace vial::server

#endif  // VIAL_SERVER_DETAIL_SERVER_IMPL_HPP
