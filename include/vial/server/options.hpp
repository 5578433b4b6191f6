#ifndef VIAL_SERVER_OPTIONS_HPP
#define VIAL_SERVER_OPTIONS_HPP

/// @file
/// The server's settings (every limit and timeout) and the command-line flags that set them.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace vial::server {

/// Everything `serve()` and `server` can be told. The defaults suit a production process
/// behind a reverse proxy; tests shorten the timeouts.
struct options {
    // Where and how to listen.
    std::string host = "127.0.0.1";   ///< address or name to bind ("0.0.0.0", "::", "localhost")
    unsigned short port = 8080;       ///< 0 picks a free port; `server::port()` tells which
    unsigned threads = 0;             ///< worker threads; 0 means one per hardware core
    bool reuse_port = false;          ///< SO_REUSEPORT, so several processes share the port
    bool access_log = true;           ///< one line per request on the log stream
    int backlog = 1024;               ///< listen(2) backlog

    // What is accepted besides plain HTTP/1.0 and HTTP/1.1.
    /// Methods outside the IANA registry and a few common extensions (M-SEARCH, NOTIFY,
    /// SUBSCRIBE, UNSUBSCRIBE, PURGE, SOURCE) are answered 501 unless this is true.
    bool allow_unknown_methods = false;
    /// Serve the HTTP-shaped request lines of Icecast (`SOURCE /mount ICE/1.0`) and RTSP
    /// (`OPTIONS /x RTSP/1.0`, RTSP methods only) as HTTP/1.0 requests, as Node's parser does.
    bool accept_ice_and_rtsp = true;

    // Size limits. Over a limit the request is refused with the status in the comment
    // and the connection is closed.
    std::size_t max_request_line = 8 * 1024;       ///< method, target and version (414)
    std::size_t max_header_bytes = 16 * 1024;      ///< all header lines together (431)
    std::size_t max_header_line = 8 * 1024;        ///< one header line (431)
    std::size_t max_header_fields = 100;           ///< header fields per request (431)
    std::size_t max_body = 1024 * 1024;            ///< body, also after de-chunking (413)
    std::size_t max_chunk_extensions = 4 * 1024;   ///< chunk-extension bytes per request (400)
    std::size_t max_requests_per_connection = 1000;  ///< then `Connection: close`
    /// Open connections at once; one accepted past it is answered 503 and closed at once.
    /// 0 (the default): as many as the process's descriptor limit (`ulimit -n`) allows, less
    /// 64 kept for everything else, so that running out of descriptors is a 503 too.
    std::size_t max_connections = 0;

    // Timeouts. A connection that misses one is closed (a half-received head gets a 408).
    std::chrono::milliseconds header_timeout{10'000};     ///< whole head, from its first byte
    std::chrono::milliseconds body_timeout{30'000};       ///< whole body, from the end of the head
    std::chrono::milliseconds write_timeout{30'000};      ///< each response write
    std::chrono::milliseconds keep_alive_timeout{10'000}; ///< idle time between requests
    std::chrono::milliseconds linger_timeout{2'000};      ///< draining unread input before closing
    std::chrono::milliseconds shutdown_timeout{10'000};   ///< graceful stop, then connections are cut
    /// Graceful stop: an idle keep-alive connection stays open until it has been idle this long
    /// (instead of `keep_alive_timeout`), and a request that arrives on it meanwhile is answered
    /// with `Connection: close`. A proxy that keeps connections to the server closes its idle
    /// ones sooner (nginx's upstream `keepalive_timeout` below this), so it never sends a
    /// request on a connection the server is closing.
    std::chrono::milliseconds drain_timeout{5'000};

    /// @return `threads`, or the number of hardware cores when it is 0.
    [[nodiscard]] unsigned thread_count() const noexcept {
        if (threads != 0) return threads;
        const unsigned n = std::thread::hardware_concurrency();
        return n == 0 ? 1 : n;
    }
};

/// What `parse_options` tells its caller to do.
enum class parse_action {
    run,         ///< flags understood: go on and serve
    exit_ok,     ///< `--help` printed the usage: exit with status 0
    exit_error,  ///< a bad flag was reported on the error stream: exit with status 2
};

/// A boolean flag the caller handles itself (`--routes`, `--openapi`), listed in the usage.
struct extra_flag {
    std::string_view name;  ///< with the dashes: "--routes"
    std::string_view help;  ///< one line for the usage text
};

/// The outcome of `parse_options`.
struct parse_result {
    parse_action action = parse_action::run;
    /// The extra flags that were given, in command-line order (each at most once).
    std::vector<std::string_view> extra;

    /// @return the process exit status for `exit_ok` / `exit_error` (0 or 2), else 0.
    [[nodiscard]] int exit_code() const noexcept { return action == parse_action::exit_error ? 2 : 0; }
    /// @return whether the extra flag `name` ("--routes") was given.
    [[nodiscard]] bool has(std::string_view name) const noexcept {
        for (auto f : extra)
            if (f == name) return true;
        return false;
    }
};

namespace detail {

/// @return whether `text` is a plain decimal number no greater than `max`, stored in `out`
bool parse_unsigned(std::string_view text, unsigned long long max, unsigned long long& out);

/// A byte count: digits, then optionally K, M or G (powers of 1024; "KiB", "kb" and the like
/// are read the same way). "16K" is 16384.
bool parse_size(std::string_view text, std::size_t& out);

/// A duration: a number of seconds ("10", "0.5") or a number with a unit: "ms", "s", "m"
/// ("250ms", "1.5s", "2m"). Whole milliseconds, at least one, at most a day.
bool parse_duration(std::string_view text, std::chrono::milliseconds& out);

/// "16M", "8K" or "1000": the shortest exact way to write a byte count.
std::string format_size(std::size_t bytes);

/// "10s" or "250ms".
std::string format_duration(std::chrono::milliseconds d);

/// A limit set from the command line: `--max-body 4M` sets `options::max_body`.
struct size_flag {
    std::string_view name;      ///< "--max-body"
    std::string_view metavar;   ///< "SIZE" (K/M/G suffixes) or "N" (a plain count)
    std::size_t options::*field;
    std::size_t min;            ///< the smallest value that makes sense
    std::string_view help;
};

inline constexpr size_flag size_flags[] = {
    {"--max-request-line", "SIZE", &options::max_request_line, 16, "request line, 414"},
    {"--max-header-line", "SIZE", &options::max_header_line, 16, "one header line, 431"},
    {"--max-header-bytes", "SIZE", &options::max_header_bytes, 16, "all header lines, 431"},
    {"--max-header-fields", "N", &options::max_header_fields, 1, "header fields, 431"},
    {"--max-body", "SIZE", &options::max_body, 0, "body, also when chunked, 413"},
    {"--max-chunk-extensions", "SIZE", &options::max_chunk_extensions, 0, "chunk extensions, 400"},
    {"--max-requests-per-connection", "N", &options::max_requests_per_connection, 1, "then Connection: close"},
    {"--max-connections", "N", &options::max_connections, 0, "open connections, then 503; 0: ulimit -n - 64"},
};

/// A timeout set from the command line: `--header-timeout 2s`.
struct duration_flag {
    std::string_view name;
    std::chrono::milliseconds options::*field;
    std::string_view help;
};

inline constexpr duration_flag duration_flags[] = {
    {"--header-timeout", &options::header_timeout, "request head, from its first byte, 408"},
    {"--body-timeout", &options::body_timeout, "body, from the end of the head, 408"},
    {"--write-timeout", &options::write_timeout, "writing one response"},
    {"--keep-alive-timeout", &options::keep_alive_timeout, "idle between requests"},
    {"--linger-timeout", &options::linger_timeout, "reading what is left before a close"},
    {"--shutdown-timeout", &options::shutdown_timeout, "graceful stop, then connections are cut"},
    {"--drain-timeout", &options::drain_timeout, "idle connections kept open while stopping"},
};

}  // namespace detail

/// Writes the usage text (all flags, the caller's extra ones included) to `out`.
/// @param out where the text goes
/// @param program the program's name, for the first line
/// @param extra the caller's own flags
/// @param defaults the settings the program starts from, shown as the defaults of the limits
///        and timeouts
void print_usage(std::ostream& out, std::string_view program, std::span<const extra_flag> extra = {},
                 const options& defaults = {});

/// Parses the server's command-line flags into `opts`.
///
/// Known flags: `--host H`, `--port N`, `--threads N`, `--reuse-port`, `--no-access-log`,
/// `--access-log`, `--help`, and one per limit and timeout of `options`, named after its field:
/// `--max-request-line`, `--max-header-line`, `--max-header-bytes`, `--max-header-fields`,
/// `--max-body`, `--max-chunk-extensions`, `--max-requests-per-connection`, `--max-connections`,
/// `--header-timeout`, `--body-timeout`, `--write-timeout`, `--keep-alive-timeout`,
/// `--linger-timeout`, `--shutdown-timeout`, `--drain-timeout`, and `--backlog N`. Sizes are bytes or take K, M or
/// G (`--max-body 4M`); timeouts are seconds or take ms, s or m (`--header-timeout 500ms`). A
/// value may also follow an `=` (`--port=8080`). The caller's own boolean flags are passed in
/// `extra` (e.g. `{{"--routes", "print the route table and exit"}}`): they are accepted,
/// shown in the usage, and returned in `parse_result::extra` for the caller to act on.
/// Anything else is an error: a message naming the flag goes to `err` and the action is
/// `exit_error` (exit status 2). `--help` prints the usage to `out` and returns `exit_ok`.
///
/// @par Example
/// @code
/// vial::server::options opts;
/// const vial::server::extra_flag mine[] = {{"--routes", "print the routes and exit"}};
/// auto r = vial::server::parse_options(argc, argv, opts, std::cout, std::cerr, mine);
/// if (r.action != vial::server::parse_action::run) return r.exit_code();
/// if (r.has("--routes")) { print_routes(); return 0; }
/// return vial::server::serve(opts, app);
/// @endcode
parse_result parse_options(int argc, char** argv, options& opts, std::ostream& out, std::ostream& err,
                           std::span<const extra_flag> extra = {});

/// @overload
/// The usage text of `--help` goes to `err` as well.
inline parse_result parse_options(int argc, char** argv, options& opts, std::ostream& err,
                                  std::span<const extra_flag> extra = {}) {
    return parse_options(argc, argv, opts, err, err, extra);
}

/// @overload
/// For a braced list of extra flags; `--help` writes to `out`.
inline parse_result parse_options(int argc, char** argv, options& opts, std::ostream& out, std::ostream& err,
                                  std::initializer_list<extra_flag> extra) {
    return parse_options(argc, argv, opts, out, err, std::span<const extra_flag>(extra.begin(), extra.size()));
}

/// @overload
/// For a braced list of extra flags.
inline parse_result parse_options(int argc, char** argv, options& opts, std::ostream& err,
                                  std::initializer_list<extra_flag> extra) {
    return parse_options(argc, argv, opts, err, std::span<const extra_flag>(extra.begin(), extra.size()));
}

}  // namespace vial::server

#endif  // VIAL_SERVER_OPTIONS_HPP
