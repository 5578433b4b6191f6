#ifndef VIAL_SERVER_DETAIL_CONNECTION_HPP
#define VIAL_SERVER_DETAIL_CONNECTION_HPP

/// @file
/// One worker thread's state (`worker`) and one client connection (`connection`).
///
/// Each worker owns an io_context run by exactly one thread, so nothing a connection touches
/// needs a lock. A connection always has exactly one socket operation pending (a read or a
/// write) until it deletes itself from that operation's completion handler. Timeouts are not
/// per-operation timers: each worker sweeps its connections on a coarse tick and cancels the
/// operation of any connection whose deadline has passed.

#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/server/detail/request_parser.hpp>
#include <vial/server/detail/response_writer.hpp>
#include <vial/server/handler.hpp>
#include <vial/server/options.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <utility>

namespace vial::server::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

/// What all workers share: read-only settings, the handler, the log stream.
struct shared_state {
    options opts;
    handler app;
    std::ostream* log = nullptr;
    std::mutex log_mutex;
    /// Set by `server::stop()` before the workers hear of it, so that a handler running at
    /// that moment already answers with `Connection: close`.
    std::atomic<bool> stopping{false};

    void write_log(std::string_view text) {
        if (text.empty() || log == nullptr) return;
        std::lock_guard lock(log_mutex);
        log->write(text.data(), static_cast<std::streamsize>(text.size()));
        log->flush();
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

class connection;

/// One thread's io_context and the connections it serves.
struct worker {
    explicit worker(shared_state& s) : shared(s), ioc(1), sweep_timer(ioc) {}

    shared_state& shared;
    asio::io_context ioc;
    asio::steady_timer sweep_timer;
    clock::time_point now = clock::now();  // refreshed on every tick and every read
    connection* first = nullptr;           // intrusive list of live connections
    std::size_t count = 0;
    bool draining = false;  // graceful shutdown: no new requests after the current ones
    bool stopped = false;   // sweeping ended
    std::string log_buffer;

    void start_sweeping();
    void drain();
    void force_close();
    void flush_log() {
        shared.write_log(log_buffer);
        log_buffer.clear();
    }
    void link(connection* c) noexcept;
    void unlink(connection* c) noexcept;

private:
    void sweep();
    [[nodiscard]] clock::duration tick() const noexcept {
        const auto& o = shared.opts;
        auto t = std::min({o.header_timeout, o.body_timeout, o.write_timeout, o.keep_alive_timeout,
                           o.linger_timeout}) / 4;
        return std::clamp<clock::duration>(t, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
    }
};

/// One client connection: reads requests, calls the handler, writes responses in order.
class connection {
public:
    connection(worker& w, tcp::socket socket)
        : w_(w), opts_(w.shared.opts), socket_(std::move(socket)), parser_(w.shared.opts) {}

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    void start() {
        w_.link(this);
        // Accepted as the server began to shut down: a client whose request has already
        // arrived is answered (with Connection: close); one that has sent nothing is closed.
        if (w_.draining && (socket_.available(ignored_) == 0 || ignored_)) {
            socket_.close(ignored_);
            // No operation is pending: finish right away through the io_context.
            asio::post(w_.ioc, [this] { finish(); });
            phase_ = phase::closing;
            return;
        }
        socket_.set_option(tcp::no_delay(true), ignored_);
        const auto ep = socket_.remote_endpoint(ignored_);
        if (!ignored_) remote_ = ep.address().to_string();
        parser_.reset();
        read_deadline_ = w_.now + opts_.header_timeout;
        idle_ = true;
        do_read();
    }

    /// Called by the worker's sweep: cancels the pending operation once its deadline passed.
    void check_deadline(clock::time_point now) {
        if (timed_out_ || phase_ == phase::closing) return;
        const auto deadline = phase_ == phase::writing ? write_deadline_ : read_deadline_;
        if (now < deadline) return;
        timed_out_ = true;
        socket_.cancel(ignored_);
    }

    /// Graceful shutdown: an idle connection closes now, a busy one after its response.
    void drain() {
        if (phase_ == phase::reading && idle_) {
            draining_idle_ = true;
            socket_.cancel(ignored_);
        }
    }

    /// Past the shutdown deadline: cut the connection.
    void force_close() {
        forced_ = true;
        socket_.shutdown(tcp::socket::shutdown_both, ignored_);
        socket_.cancel(ignored_);
    }

    connection* prev_ = nullptr;
    connection* next_ = nullptr;

private:
    enum class phase { reading, writing, lingering, closing };

    void do_read() {
        phase_ = phase::reading;
        socket_.async_read_some(in_.prepare(4096),
                                [this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        if (ec || forced_) {
            if (forced_ || draining_idle_ || !timed_out_) return finish();
            // A timeout: a client that started a request gets a 408, an idle one is just closed.
            timed_out_ = false;
            if (idle_ && in_.size() == 0 && !parser_.in_head()) return finish();
            append_error(408, "timed out reading the request");
            return do_write();
        }
        w_.now = clock::now();
        timed_out_ = false;
        in_.commit(n);
        if (idle_) {
            idle_ = false;
            read_deadline_ = w_.now + opts_.header_timeout;
        }
        process();
    }

    // Parses and answers every complete request in the input, then writes or reads more.
    void process() {
        while (true) {
            std::size_t consumed = 0;
            const auto r = parser_.parse(in_.data(), in_.size(), consumed, raw_);
            in_.consume(consumed);
            switch (r) {
                case request_parser::result::need_more:
                    if (in_.size() == 0 && !parser_.in_head() && !parser_.in_body() && !idle_) {
                        // Between requests: wait for the next one with the keep-alive timeout.
                        idle_ = true;
                        read_deadline_ = w_.now + opts_.keep_alive_timeout;
                    }
                    if (!out_.empty()) return do_write();
                    return do_read();
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
                    handle_request();
                    parser_.reset();
                    head_parsed_ = false;
                    w_.now = clock::now();
                    read_deadline_ = w_.now + opts_.header_timeout;  // for a pipelined next request
                    if (close_after_write_ || out_.size() >= 64 * 1024) return do_write();
                    continue;
                case request_parser::result::error:
                    append_error(parser_.error_status(), parser_.error_reason());
                    return do_write();
            }
        }
    }

    void handle_request() {
        ++requests_;
        const bool head = raw_.method() == boost::beast::http::verb::head;
        const bool version_10 = raw_.version() == 10;
        request req(std::move(raw_), remote_);
        response res;
        try {
            w_.shared.app(req, res);
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
        const std::size_t bytes = append_response(out_, res, head, keep_alive, version_10);
        if (opts_.access_log) log_access(req.method(), req.target(), req.raw().version(), res.status(), bytes);
        raw_ = std::move(req.raw());
        if (!keep_alive) close_after_write_ = true;
    }

    void append_error(unsigned status, std::string_view reason) {
        const std::size_t bytes = append_error_response(out_, status, reason);
        close_after_write_ = true;
        if (opts_.access_log) {
            if (head_parsed_) log_access(to_view(raw_.method_string()), to_view(raw_.target()), raw_.version(), status, bytes);
            else log_access("-", "-", 11, status, bytes);
        }
    }

    void do_write() {
        phase_ = phase::writing;
        write_deadline_ = w_.now + opts_.write_timeout;
        asio::async_write(socket_, asio::buffer(out_),
                          [this](const boost::system::error_code& ec, std::size_t) { on_write(ec); });
    }

    void on_write(const boost::system::error_code& ec) {
        if (ec || forced_) return finish();
        w_.now = clock::now();
        timed_out_ = false;
        out_.clear();
        if (out_.capacity() > 256 * 1024) std::string().swap(out_);
        if (close_after_write_) return linger();
        if (w_.draining && in_.size() == 0 && !parser_.in_head() && !parser_.in_body()) {
            // Shutting down and nothing else was asked on this connection: close it.
            socket_.shutdown(tcp::socket::shutdown_send, ignored_);
            return linger();
        }
        process();
    }

    // Half-closes, then reads and drops what the client still sends until it closes too, so
    // that unread input does not turn the close into a reset that destroys the response.
    void linger() {
        phase_ = phase::lingering;
        timed_out_ = false;
        socket_.shutdown(tcp::socket::shutdown_send, ignored_);
        read_deadline_ = w_.now + opts_.linger_timeout;
        in_.clear();
        linger_read();
    }
    void linger_read() {
        socket_.async_read_some(in_.prepare(4096), [this](const boost::system::error_code& ec, std::size_t) {
            if (ec || forced_ || timed_out_) return finish();
            in_.clear();
            linger_read();
        });
    }

    void finish() {
        phase_ = phase::closing;
        socket_.close(ignored_);
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
        const double us = head_parsed_ ? std::chrono::duration<double, std::micro>(clock::now() - started_).count() : 0.0;
        char buf[32];
        const int n = us >= 1000.0 ? std::snprintf(buf, sizeof buf, " %.3fms\n", us / 1000.0)
                                   : std::snprintf(buf, sizeof buf, " %.1fus\n", us);
        if (n > 0) log.append(buf, static_cast<std::size_t>(n));
        if (log.size() >= 16 * 1024) w_.flush_log();
    }

    void log_error(std::string_view what) {
        w_.log_buffer.append("vial: handler threw: ");
        w_.log_buffer.append(what);
        w_.log_buffer.push_back('\n');
    }

    static std::string_view to_view(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

    worker& w_;
    const options& opts_;
    tcp::socket socket_;
    byte_buffer in_;
    std::string out_;
    request_parser parser_;
    raw_request raw_;
    std::string remote_;
    std::size_t requests_ = 0;
    phase phase_ = phase::reading;
    clock::time_point read_deadline_{};
    clock::time_point write_deadline_{};
    clock::time_point started_{};
    bool idle_ = true;               // waiting for the first byte of a request
    bool head_parsed_ = false;       // raw_ holds the current request's head
    bool close_after_write_ = false;
    bool timed_out_ = false;
    bool draining_idle_ = false;
    bool forced_ = false;
    boost::system::error_code ignored_;
};

inline void worker::link(connection* c) noexcept {
    c->prev_ = nullptr;
    c->next_ = first;
    if (first != nullptr) first->prev_ = c;
    first = c;
    ++count;
}

inline void worker::unlink(connection* c) noexcept {
    if (c->prev_ != nullptr) c->prev_->next_ = c->next_;
    else first = c->next_;
    if (c->next_ != nullptr) c->next_->prev_ = c->prev_;
    --count;
    if (draining && count == 0) {
        stopped = true;
        sweep_timer.cancel();
    }
}

inline void worker::start_sweeping() {
    sweep_timer.expires_after(tick());
    sweep_timer.async_wait([this](const boost::system::error_code&) { sweep(); });
}

inline void worker::sweep() {
    now = clock::now();
    for (connection* c = first; c != nullptr; c = c->next_) c->check_deadline(now);
    if (!log_buffer.empty()) flush_log();
    if (stopped || (draining && count == 0)) {
        stopped = true;
        return;  // nothing left: let the io_context run out of work
    }
    start_sweeping();
}

inline void worker::drain() {
    draining = true;
    for (connection* c = first; c != nullptr; c = c->next_) c->drain();
    if (count == 0) {
        stopped = true;
        sweep_timer.cancel();
    }
}

inline void worker::force_close() {
    draining = true;
    for (connection* c = first; c != nullptr; c = c->next_) c->force_close();
    if (count == 0) {
        stopped = true;
        sweep_timer.cancel();
    }
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_CONNECTION_HPP
