#ifndef VIAL_SERVER_DETAIL_CONNECTION_HPP
#define VIAL_SERVER_DETAIL_CONNECTION_HPP

/// @file
/// One worker thread's state (`worker`) and one client connection (`connection`).
///
/// Each worker owns an io_context run by exactly one thread, so nothing a connection touches
/// needs a lock. The io_context runs the worker's timer and what other threads post to it;
/// the client sockets sit in the worker's edge-triggered `event_set` (see event_set.hpp), and
/// a connection reads and writes its socket with non-blocking system calls when an event says
/// it can. A connection reads, parses and answers every complete request it has, writes the
/// answers, and only then reads again; it deletes itself when it closes. Timeouts are not
/// per-operation timers: each worker sweeps its connections on a coarse tick and times out
/// any connection whose deadline has passed.

#include <vial/http/raw.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/server/detail/event_set.hpp>
#include <vial/server/detail/log_writer.hpp>
#include <vial/server/detail/request_parser.hpp>
#include <vial/server/detail/response_writer.hpp>
#include <vial/server/handler.hpp>
#include <vial/server/options.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/verb.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial::server::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

/// What all workers share: read-only settings, the handler, the log.
struct shared_state {
    options opts;
    handler app;
    /// Writes to the log stream on its own thread (see log_writer.hpp).
    log_writer log;
    /// True until the listening socket is closed: until then a draining worker keeps running
    /// even with no connection left, as the last accepted ones may still be handed to it.
    std::atomic<bool> listening{true};
    /// Set by `server::stop()` before the workers hear of it, so that a handler running at
    /// that moment already answers with `Connection: close`.
    std::atomic<bool> stopping{false};
    /// Connections open (accepted and not yet closed), and how many may be; see
    /// `options::max_connections`. Only the accepting thread adds to the count.
    std::atomic<std::size_t> connections{0};
    std::size_t connection_limit = 0;

    void write_log(std::string_view text) { log.write(text); }
    /// @return whether one more connection may be served (then it is counted)
    bool admit_connection() noexcept {
        if (connections.load(std::memory_order_relaxed) >= connection_limit) return false;
        connections.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
};

/// A growable byte buffer with a read and a write end; bytes are kept contiguous.
class byte_buffer {
public:
    [[nodiscard]] const char* data() const noexcept { return data_.get() + begin_; }
    [[nodiscard]] std::size_t size() const noexcept { return end_ - begin_; }
    void consume(std::size_t n) noexcept {
        begin_ += n;
        if (begin_ >= end_) begin_ = end_ = 0;
    }
    void clear() noexcept { begin_ = end_ = 0; }
    /// @return writable space of at least `min` bytes after the data.
    asio::mutable_buffer prepare(std::size_t min) {
        if (capacity_ - end_ < min) {
            if (begin_ != 0) {
                std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
                end_ -= begin_;
                begin_ = 0;
            }
            if (capacity_ - end_ < min) {
                const std::size_t cap = std::max({capacity_ * 2, end_ + min, std::size_t{8192}});
                auto bigger = std::make_unique_for_overwrite<char[]>(cap);
                if (end_ != 0) std::memcpy(bigger.get(), data_.get(), end_);
                data_ = std::move(bigger);
                capacity_ = cap;
            }
        }
        return {data_.get() + end_, capacity_ - end_};
    }
    void commit(std::size_t n) noexcept { end_ += n; }

private:
    std::unique_ptr<char[]> data_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

/// Owns a file descriptor until `release()`: closes it if nobody took it (an accepted socket
/// whose hand-off to a worker never ran because the server stopped).
class unique_fd {
public:
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&&) = delete;
    ~unique_fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

class connection;

/// One thread's io_context, its sockets' event set and the connections it serves.
struct worker {
    explicit worker(shared_state& s) : shared(s), ioc(1), sweep_timer(ioc), events(ioc) {}
    /// Closes the connections still open (there are some only after a forced stop).
    ~worker();

    worker(const worker&) = delete;
    worker& operator=(const worker&) = delete;

    shared_state& shared;
    asio::io_context ioc;
    asio::steady_timer sweep_timer;
    event_set events;
    clock::time_point now = clock::now();  // refreshed on every tick, batch of events and request
    connection* first = nullptr;           // intrusive list of live connections
    std::size_t count = 0;
    bool draining = false;  // graceful shutdown: no new requests after the current ones
    bool stopped = false;   // neither sweeping nor watching: the io_context may run out of work
    bool watching = false;  // an async_wait on `events` is pending
    std::string log_buffer;
    std::vector<connection*> deferred;  // stopped to let the others have a turn (null: gone since)
    bool resume_posted = false;
    // Responses of a batch of events, sent together once the batch is handled (see on_events).
    std::vector<connection*> held;  // null: gone since
    bool holding = false;           // handling a batch: a finished response is held, not sent
    clock::time_point batch_started{};

    /// Holds `c`'s response until the end of the batch (or a late send_held_if_late).
    void hold(connection* c);
    /// Before a handler runs: sends the held responses if they have waited longer than max_hold.
    void send_held_if_late();
    /// Sends the responses held during the batch. May delete connections.
    void send_held();
    /// Drops `c` (being deleted) from the held responses.
    void forget_held(connection* c) noexcept;

    /// Starts the sweep and the watch of the event set (again, after a stop).
    void start();
    void drain();
    /// The listening socket is closed: no connection will be handed over any more.
    void listener_closed();
    void force_close();
    void flush_log() {
        shared.write_log(log_buffer);
        log_buffer.clear();
    }
    void link(connection* c) noexcept;
    void unlink(connection* c) noexcept;
    /// Gives `c` another turn after the connections that are waiting.
    void defer(connection* c);
    /// Drops `c` (being deleted) from the connections waiting for a turn.
    void forget(connection* c) noexcept;

private:
    /// Batches of events taken in a row before the io_context runs its other handlers.
    static constexpr int max_batches_per_wake = 8;
    /// How long a response may wait for the others of its batch: held responses are sent
    /// before a handler starts when they have waited this long, so a response is late by at
    /// most this and one handler that started within it.
    static constexpr std::chrono::microseconds max_hold{200};

    void resume();
    void stop_running() noexcept {
        stopped = true;
        sweep_timer.cancel();
        events.cancel();
    }
    void start_sweeping();
    void sweep();
    void watch();
    void on_events();
    [[nodiscard]] clock::duration tick() const noexcept {
        const auto& o = shared.opts;
        auto t = std::min({o.header_timeout, o.body_timeout, o.write_timeout, o.keep_alive_timeout,
                           o.linger_timeout, o.drain_timeout}) / 4;
        return std::clamp<clock::duration>(t, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
    }
};

/// One client connection: reads requests, calls the handler, writes responses in order.
class connection {
public:
    /// @param fd a connected, non-blocking TCP socket, now owned by the connection
    /// @param remote the client's address, for the request and the access log
    connection(worker& w, int fd, std::string remote)
        : w_(w), opts_(w.shared.opts), fd_(fd), parser_(w.shared.opts), remote_(std::move(remote)) {
        req_.remote_address(remote_);
    }

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    void start() {
        w_.link(this);
        w_.now = clock::now();
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (!w_.events.add(fd_, this)) return destroy();
        parser_.reset();
        // Accepted as the server began to shut down (from the listener's queue): like an idle
        // connection, it waits up to drain_timeout for its request, which is answered with
        // Connection: close. Its client (a proxy) may well have sent one already.
        idle_since_ = w_.now;
        read_deadline_ = w_.now + (w_.draining ? std::min(opts_.header_timeout, opts_.drain_timeout)
                                               : opts_.header_timeout);
        idle_ = true;
        run();  // the request has often arrived already
    }

    /// The worker sends the response it held (worker::send_held). May delete the connection.
    void send_held() {
        held_ = false;
        run();
    }

    /// What the event set reported for this connection's socket.
    void on_events(std::uint32_t events) {
        if ((events & event_set::readable) != 0) readable_ = true;
        if ((events & event_set::peer_closed) != 0) peer_closed_ = true;
        if ((events & event_set::writable) != 0) writable_ = true;
        run();
    }

    /// Called by the worker's sweep: times the connection out once its deadline passed.
    /// May delete the connection.
    void check_deadline(clock::time_point now) {
        const auto deadline = phase_ == phase::writing ? write_deadline_ : read_deadline_;
        if (now < deadline) return;
        if (phase_ == phase::reading && !(idle_ && in_.size() == 0 && !parser_.in_head())) {
            // A client that started a request gets a 408, an idle one is just closed.
            append_error(408, "timed out reading the request");
            start_write();
        } else {
            phase_ = phase::closing;
        }
        run();
    }

    /// Graceful shutdown: a busy connection closes after its response; an idle one once it
    /// has been idle for drain_timeout, unless a request arrives first, which is answered with
    /// Connection: close. Closing an idle connection at once would race a request its client
    /// (a proxy reusing the connection) may be sending at that moment: the request would meet
    /// a reset, and a proxy does not send a POST again. May delete the connection.
    void drain() {
        if (phase_ != phase::reading || !idle_) return;
        if (unread_bytes() > 0) {  // a request has just arrived: answer it now
            readable_ = true;
            return run();
        }
        read_deadline_ = std::min(read_deadline_, idle_since_ + opts_.drain_timeout);
        if (read_deadline_ <= w_.now) destroy();  // idle that long: its client has let it go
    }

    /// Past the shutdown deadline: cuts the connection and deletes it.
    void force_close() {
        ::shutdown(fd_, SHUT_RDWR);
        destroy();
    }

    connection* prev_ = nullptr;
    connection* next_ = nullptr;

private:
    enum class phase { reading, writing, lingering, closing };

    ~connection() = default;

    // Does what the socket allows until it has to wait for an event; deletes the connection
    // once it is closing.
    // A client that keeps its socket busy (a long upload, a stream of pipelined requests) gets
    // this many reads, writes and answered requests at a time; then the others on the worker
    // have a turn. A plain keep-alive request takes three.
    static constexpr int turn_budget = 64;

    void run() {
        budget_ = turn_budget;
        while (true) {
            if (phase_ == phase::closing) return destroy();
            if (phase_ == phase::writing && writable_ && w_.holding && !held_) return w_.hold(this);
            if (budget_ <= 0) return w_.defer(this);
            --budget_;
            bool progressed = false;
            switch (phase_) {
                case phase::reading: progressed = read_step(); break;
                case phase::writing: progressed = write_step(); break;
                case phase::lingering: progressed = linger_step(); break;
                case phase::closing: break;
            }
            if (!progressed) return;
        }
    }

    // The outcome of one recv: bytes, end of input, nothing for now, or a broken connection.
    enum class received { bytes, eof, would_block, failed };
    received receive(std::size_t& n) {
        const auto space = in_.prepare(4096);
        const auto r = ::recv(fd_, space.data(), space.size(), 0);
        if (r > 0) {
            n = static_cast<std::size_t>(r);
            in_.commit(n);
            // Less than asked for: the socket is empty, and the next arrival is an event.
            // Unless the peer closed: then read on until recv reports the end.
            if (n < space.size() && !peer_closed_) readable_ = false;
            return received::bytes;
        }
        if (r == 0) return received::eof;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            readable_ = false;
            return received::would_block;
        }
        return errno == EINTR ? received::would_block : received::failed;
    }

    bool read_step() {
        if (!readable_) return false;
        std::size_t n = 0;
        switch (receive(n)) {
            case received::bytes:
                if (idle_) {
                    idle_ = false;
                    read_deadline_ = w_.now + opts_.header_timeout;
                }
                process();
                return true;
            case received::would_block: return readable_;
            case received::eof:
            case received::failed: phase_ = phase::closing; return true;
        }
        return false;
    }

    // Sends what is left of out_ and, when a large body was moved out of the response (see
    // handle_request), of body_ after it: one sendmsg of the two pieces, as one send of a copy
    // would, without the copy.
    bool write_step() {
        if (!writable_) return false;
        if (sent_ == out_.size() && file_) return file_step();
        const bool with_body = !body_.empty();
        ssize_t r = 0;
        if (!with_body) {
            r = ::send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
        } else {
            iovec pieces[2];
            int count = 0;
            if (sent_ < out_.size()) pieces[count++] = {out_.data() + sent_, out_.size() - sent_};
            pieces[count++] = {body_.data() + body_sent_, body_.size() - body_sent_};
            msghdr message{};
            message.msg_iov = pieces;
            message.msg_iovlen = static_cast<decltype(message.msg_iovlen)>(count);
            r = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
        }
        if (r < 0) {
            if (errno == EINTR) return true;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                writable_ = false;
                return false;
            }
            phase_ = phase::closing;
            return true;
        }
        const auto n = static_cast<std::size_t>(r);
        const std::size_t from_head = std::min(n, out_.size() - sent_);
        sent_ += from_head;
        body_sent_ += n - from_head;
        if (sent_ == out_.size() && body_sent_ == body_.size()) {
            if (with_body) {
                body_ = std::string();  // frees it: a connection keeps no page between requests
                body_sent_ = 0;
            }
            if (!file_) written();
            return true;
        }
        writable_ = false;  // the send buffer is full: wait for the event that it is not
        return false;
    }

    // Sends the file body that follows the head in out_ (sendfile(2): the kernel copies it
    // from the page cache to the socket; the process never reads it).
    bool file_step() {
        const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(file_left_, 4u << 20));
        const auto r = ::sendfile(fd_, file_->fd, &file_offset_, chunk);
        if (r > 0) {
            file_left_ -= static_cast<std::uint64_t>(r);
            write_deadline_ = clock::now() + opts_.write_timeout;  // a large file: the deadline is per step
            if (file_left_ == 0) {
                file_.reset();
                written();
            }
            return true;
        }
        if (r < 0 && errno == EINTR) return true;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            writable_ = false;
            return false;
        }
        // The file shrank under us (0) or failed: the length promised cannot be kept.
        phase_ = phase::closing;
        return true;
    }

    // Reads and drops what the client still sends until it closes too, so that unread input
    // does not turn the close into a reset that destroys the response.
    bool linger_step() {
        if (!readable_) return false;
        std::size_t n = 0;
        const auto r = receive(n);
        in_.clear();
        if (r == received::would_block) return readable_;
        if (r != received::bytes) phase_ = phase::closing;
        return true;
    }

    // Parses and answers every complete request in the input; then writes, or reads more.
    void process() {
        while (true) {
            std::size_t consumed = 0;
            const auto r = parser_.parse(in_.data(), in_.size(), consumed, req_.raw());
            in_.consume(consumed);
            switch (r) {
                case request_parser::result::need_more:
                    if (in_.size() == 0 && !parser_.in_head() && !parser_.in_body()) become_idle();
                    if (!out_.empty()) return start_write();
                    phase_ = phase::reading;
                    return;
                case request_parser::result::head_done:
                    head_parsed_ = true;
                    if (opts_.access_log) started_ = clock::now();
                    if (parser_.in_body()) {
                        read_deadline_ = w_.now + opts_.body_timeout;
                        // RFC 9110 10.1.1: ask for the body, unless some of it is already here.
                        if (parser_.expects_continue() && in_.size() == 0) out_.append("HTTP/1.1 100 Continue\r\n\r\n");
                    }
                    continue;
                case request_parser::result::complete:
                    w_.send_held_if_late();
                    handle_request();
                    parser_.reset();
                    head_parsed_ = false;
                    w_.now = clock::now();
                    read_deadline_ = w_.now + opts_.header_timeout;  // for a pipelined next request
                    if (close_after_write_ || file_ || !body_.empty() || out_.size() >= 64 * 1024 || --budget_ <= 0)
                        return start_write();
                    continue;
                case request_parser::result::error:
                    append_error(parser_.error_status(), parser_.error_reason());
                    return start_write();
            }
        }
    }

    // Between requests: wait for the next one with the keep-alive timeout.
    void become_idle() noexcept {
        if (idle_) return;
        idle_ = true;
        idle_since_ = w_.now;
        read_deadline_ = w_.now + (w_.draining ? std::min(opts_.keep_alive_timeout, opts_.drain_timeout)
                                               : opts_.keep_alive_timeout);
    }

    void handle_request() {
        ++requests_;
        const auto& raw = std::as_const(req_).raw();
        const bool head = raw.method() == boost::beast::http::verb::head;
        const bool version_10 = raw.version() == 10;
        if (req_.remote_address() != remote_) req_.remote_address(remote_);  // a handler may have changed it
        response res;
        try {
            w_.shared.app(req_, res);
        } catch (const std::exception& e) {
            res = response(500, "Internal Server Error\n");
            log_error(e.what());
        } catch (...) {
            res = response(500, "Internal Server Error\n");
            log_error("unknown exception");
        }
        // Decided after the handler: a shutdown may have begun while it ran.
        bool keep_alive = parser_.keep_alive() && requests_ < opts_.max_requests_per_connection && !w_.draining &&
                          !w_.shared.stopping.load(std::memory_order_relaxed);
        if (const auto it = res.raw().find(boost::beast::http::field::connection); it != res.raw().end())
            if (has_close_token({it->value().data(), it->value().size()})) keep_alive = false;
        const std::size_t bytes = append_response(out_, res, head, keep_alive, version_10, true);
        // A large body is sent from its own string after the head (body_step), not copied; it
        // goes before anything pipelined behind it, as a file body does.
        if (large_body_left(res, head)) body_ = std::move(res.body());
        // A file body goes after the head, before anything pipelined behind it (see file_step).
        if (res.file_body() && !sends_no_body(res.status(), head)) {
            file_ = res.file_body();
            file_offset_ = static_cast<off_t>(file_->offset);
            file_left_ = file_->length;
        }
        if (opts_.access_log) {
            const auto& done = std::as_const(req_).raw();  // the handler may have edited it
            log_access(to_view(done.method_string()), to_view(done.target()), done.version(), res.status(), bytes);
        }
        if (!keep_alive) close_after_write_ = true;
    }

    void append_error(unsigned status, std::string_view reason) {
        const std::size_t bytes = append_error_response(out_, status, reason);
        close_after_write_ = true;
        if (opts_.access_log) {
            const auto& raw = std::as_const(req_).raw();
            if (head_parsed_) log_access(to_view(raw.method_string()), to_view(raw.target()), raw.version(), status, bytes);
            else log_access("-", "-", 11, status, bytes);
        }
    }

    void start_write() {
        phase_ = phase::writing;
        sent_ = 0;
        write_deadline_ = w_.now + opts_.write_timeout;
    }

    void written() {
        out_.clear();
        sent_ = 0;
        if (out_.capacity() > 256 * 1024) std::string().swap(out_);
        if (close_after_write_) return linger();
        if (in_.size() == 0 && !parser_.in_head() && !parser_.in_body()) {
            // Nothing more was asked: close when shutting down, else wait for the next request.
            if (w_.draining) return linger();
            become_idle();
            phase_ = phase::reading;
            return;
        }
        process();  // requests that were pipelined behind the one answered
    }

    void linger() {
        phase_ = phase::lingering;
        ::shutdown(fd_, SHUT_WR);
        // Shutting down, with nothing more from the client, read or waiting: closing now loses
        // nothing (no input left to turn the close into a reset), and the process need not wait
        // for the client's own close.
        if ((w_.draining || w_.shared.stopping.load(std::memory_order_relaxed)) && in_.size() == 0 &&
            unread_bytes() == 0) {
            phase_ = phase::closing;
            return;
        }
        read_deadline_ = w_.now + opts_.linger_timeout;
        in_.clear();
    }

    /// @return the bytes the kernel holds for the socket, not read yet; -1 when it cannot tell
    [[nodiscard]] int unread_bytes() const noexcept {
        int available = 0;
        return ::ioctl(fd_, FIONREAD, &available) == 0 ? available : -1;
    }

    void destroy() {
        if (deferred_) w_.forget(this);
        if (held_) w_.forget_held(this);
        w_.events.remove(fd_);
        ::close(fd_);
        w_.shared.connections.fetch_sub(1, std::memory_order_relaxed);
        w_.unlink(this);
        delete this;
    }

    void log_access(std::string_view method, std::string_view target, unsigned version, unsigned status,
                    std::size_t bytes) {
        auto& log = w_.log_buffer;
        const auto& c = thread_clock();
        log.append(remote_.empty() ? std::string_view("-") : std::string_view(remote_));
        log.append(" - - ");
        log.append(c.log_time, c.log_time_size);
        log.append(" \"");
        log.append(method);
        log.push_back(' ');
        log.append(target.substr(0, 512));
        log.append(version == 10 ? " HTTP/1.0\" " : " HTTP/1.1\" ");
        append_number(log, status);
        log.push_back(' ');
        append_number(log, bytes);
        // How long the server took from the end of the head to the serialized response.
        log.push_back(' ');
        append_duration(log, head_parsed_ ? clock::now() - started_ : clock::duration{});
        log.push_back('\n');
        if (log.size() >= 16 * 1024) w_.flush_log();
    }

    void log_error(std::string_view what) {
        w_.log_buffer.append("vial: handler threw: ");
        w_.log_buffer.append(what);
        w_.log_buffer.push_back('\n');
    }

    static std::string_view to_view(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

    friend struct worker;

    worker& w_;
    const options& opts_;
    int fd_;
    byte_buffer in_;
    std::string out_;
    std::size_t sent_ = 0;  // bytes of out_ already written
    std::shared_ptr<const vial::detail::file_part> file_;  // a file body to send after out_
    std::string body_;            // a large body to send after out_ (moved out of the response)
    std::size_t body_sent_ = 0;   // bytes of body_ already written
    off_t file_offset_ = 0;
    std::uint64_t file_left_ = 0;
    request_parser parser_;
    request req_;  // reused from request to request: its buffers keep their capacity
    std::string remote_;
    std::size_t requests_ = 0;
    phase phase_ = phase::reading;
    clock::time_point read_deadline_{};
    clock::time_point write_deadline_{};
    clock::time_point started_{};
    clock::time_point idle_since_{};  // when the connection last became idle
    bool readable_ = true;           // the socket may have input (false after it said it has none)
    bool writable_ = true;           // the socket may take output (false after it took less than given)
    bool peer_closed_ = false;       // the client closed or reset: read until recv says so
    bool idle_ = true;               // waiting for the first byte of a request
    bool head_parsed_ = false;       // req_ holds the current request's head
    bool close_after_write_ = false;
    bool deferred_ = false;          // in the worker's list of connections waiting for another turn
    bool held_ = false;              // its response waits for the end of the worker's batch
    int budget_ = 0;                 // what is left of this turn (see turn_budget)
};

inline worker::~worker() {
    while (first != nullptr) first->destroy();
}

inline void worker::link(connection* c) noexcept {
    c->prev_ = nullptr;
    c->next_ = first;
    if (first != nullptr) first->prev_ = c;
    first = c;
    ++count;
    if (stopped) start();  // accepted while shutting down, after the last connection had closed
}

inline void worker::unlink(connection* c) noexcept {
    if (c->prev_ != nullptr) c->prev_->next_ = c->next_;
    else first = c->next_;
    if (c->next_ != nullptr) c->next_->prev_ = c->prev_;
    --count;
    if (draining && count == 0 && !stopped && !shared.listening) stop_running();
}

inline void worker::start() {
    stopped = false;
    start_sweeping();
    watch();
}

inline void worker::start_sweeping() {
    sweep_timer.expires_after(tick());
    sweep_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) sweep();  // else cancelled: stopped, or restarted with a new wait
    });
}

inline void worker::sweep() {
    if (stopped) return;
    now = clock::now();
    for (connection* c = first; c != nullptr;) {
        connection* next = c->next_;  // c may delete itself
        c->check_deadline(now);
        c = next;
    }
    if (!log_buffer.empty()) flush_log();
    if (stopped) return;
    // Nothing left, nor to come: let the io_context run out of work.
    if (draining && count == 0 && !shared.listening) return stop_running();
    start_sweeping();
}

inline void worker::watch() {
    if (watching || stopped) return;
    watching = true;
    events.async_wait([this](const boost::system::error_code& ec) {
        watching = false;
        if (!ec) on_events();
        else if (ec == asio::error::operation_aborted && !stopped) watch();  // cancelled, then restarted
    });
}

inline void worker::on_events() {
    epoll_event batch[64];
    // Under load, by the end of a batch the next events have usually arrived: they are taken
    // at once (one epoll_wait that does not wait) rather than through Asio's watch of the set
    // (an epoll_wait and an epoll_ctl more), for a few batches in a row, so that timers and
    // posted work (hand-offs, deferred turns) still come soon.
    for (int round = 0; round < max_batches_per_wake && !stopped; ++round) {
        const int n = events.take(batch, 64);
        if (n <= 0) break;
        now = clock::now();
        // The batch's responses are sent once it is handled, one send right after another: the
        // first wakes the client's thread (or the proxy's), which is then still running when the
        // next ones arrive. Sending each as soon as it is made paid that wake-up for nearly every
        // response: about a sixth of the CPU time of a 25 KB page (docs/performance.md).
        holding = true;
        batch_started = now;
        // Only a connection's own event can delete it, and each socket has at most one event
        // in a batch, so no event below refers to a deleted connection.
        for (int i = 0; i < n; ++i) static_cast<connection*>(batch[i].data.ptr)->on_events(batch[i].events);
        holding = false;
        send_held();
    }
    watch();
}

inline void worker::hold(connection* c) {
    c->held_ = true;
    held.push_back(c);
}

inline void worker::send_held_if_late() {
    if (!holding || now - batch_started <= max_hold) return;
    holding = false;  // the connections released here send at once, and so does what they do next
    send_held();
    holding = true;
    batch_started = now;
}

inline void worker::send_held() {
    // Each held connection is handled again only here: a socket has one event in a batch, and
    // deferred turns and timers run outside batches.
    for (std::size_t i = 0; i < held.size(); ++i)
        if (connection* c = held[i]) c->send_held();
    held.clear();
}

inline void worker::forget_held(connection* c) noexcept {
    c->held_ = false;
    std::replace(held.begin(), held.end(), c, static_cast<connection*>(nullptr));
}

inline void worker::defer(connection* c) {
    if (c->deferred_) return;
    c->deferred_ = true;
    deferred.push_back(c);
    if (resume_posted) return;
    resume_posted = true;
    asio::post(ioc, [this] { resume(); });
}

inline void worker::forget(connection* c) noexcept {
    c->deferred_ = false;
    std::replace(deferred.begin(), deferred.end(), c, static_cast<connection*>(nullptr));
}

inline void worker::resume() {
    resume_posted = false;
    // Those that use up their turn again are deferred anew, behind what arrives meanwhile.
    std::vector<connection*> turn;
    turn.swap(deferred);
    now = clock::now();
    // Only a connection's own turn can delete it, and it is no longer in `deferred` then.
    for (connection* c : turn) {
        if (c == nullptr) continue;
        c->deferred_ = false;
        c->run();
    }
}

inline void worker::drain() {
    draining = true;
    now = clock::now();
    for (connection* c = first; c != nullptr;) {
        connection* next = c->next_;
        c->drain();
        c = next;
    }
    if (count == 0 && !stopped && !shared.listening) stop_running();
}

inline void worker::listener_closed() {
    if (draining && count == 0 && !stopped) stop_running();
}

inline void worker::force_close() {
    draining = true;
    while (first != nullptr) first->force_close();
    if (!stopped) stop_running();
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_CONNECTION_HPP
