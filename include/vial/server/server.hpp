#ifndef VIAL_SERVER_SERVER_HPP
#define VIAL_SERVER_SERVER_HPP

/// @file
/// The HTTP/1.1 server: `server` to run one in-process (tests, embedding), `serve()` for a
/// program's main, which also handles SIGINT/SIGTERM.
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
/// one thread and no lock is taken on the request path. Each worker keeps its sockets in an
/// edge-triggered epoll set (detail/event_set.hpp explains why), so the server needs Linux.
///
/// This header is a facade: the server itself (detail/server_impl.hpp, on Boost.Asio and
/// Boost.Beast) is compiled once into the vial library, so a program that includes this
/// header parses neither Beast nor Asio.

#include <vial/server/handler.hpp>
#include <vial/server/options.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace vial::server {

class server_impl;

/// An HTTP server running on its own threads.
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
class server {
public:
    /// @param opts settings (copied)
    /// @param app called for every valid request, on one of the worker threads
    /// @param log where the access log and errors go, written by a thread of the server's own
    ///        (must outlive the server; `std::clog`, the default, does)
    server(options opts, handler app, std::ostream& log = std::clog);

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Stops the server (gracefully) if it is still running.
    ~server();

    /// Binds, listens and starts the worker threads.
    /// @throws boost::system::system_error (a std::runtime_error; include
    ///         <boost/system/system_error.hpp> to catch it by that name) when the address
    ///         cannot be resolved or bound
    void start();

    /// @return the port the server listens on (the real one when `options::port` was 0).
    [[nodiscard]] unsigned short port() const noexcept;

    /// @return "http://HOST:PORT/" with the real port.
    [[nodiscard]] std::string url() const;

    /// @return the settings the server runs with.
    [[nodiscard]] const options& settings() const noexcept;

    /// Graceful stop: stop accepting (the connections already queued on the listening socket
    /// are still accepted), let requests in flight finish, answer what arrives on idle
    /// connections within `options::drain_timeout` (every response now carries
    /// `Connection: close`), then return. Connections still open after
    /// `options::shutdown_timeout` are cut. Idempotent; call it from any thread but a worker.
    void stop();

    /// Ends the wait of a graceful `stop()` running on another thread: the connections still
    /// open are cut now instead of at `options::shutdown_timeout`. (`serve()` calls it on a
    /// second SIGINT or SIGTERM.)
    void cut();

    /// Writes one line to the log stream, after the access log lines already handed over
    /// (by the log's own thread: this never waits for the stream).
    void log(std::string_view line);

private:
    std::unique_ptr<server_impl> impl_;
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
int serve(const options& opts, handler app, std::ostream& log = std::clog,
          const std::function<void(server&)>& on_start = {});

}  // namespace vial::server

#endif  // VIAL_SERVER_SERVER_HPP
