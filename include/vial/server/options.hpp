#ifndef VIAL_SERVER_OPTIONS_HPP
#define VIAL_SERVER_OPTIONS_HPP

/// @file
/// The server's settings (every limit and timeout) and the command-line flags that set them.

#include <charconv>
#include <chrono>
#include <cstddef>
#include <initializer_list>
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

    // Timeouts. A connection that misses one is closed (a half-received head gets a 408).
    std::chrono::milliseconds header_timeout{10'000};     ///< whole head, from its first byte
    std::chrono::milliseconds body_timeout{30'000};       ///< whole body, from the end of the head
    std::chrono::milliseconds write_timeout{30'000};      ///< each response write
    std::chrono::milliseconds keep_alive_timeout{10'000}; ///< idle time between requests
    std::chrono::milliseconds linger_timeout{2'000};      ///< draining unread input before closing
    std::chrono::milliseconds shutdown_timeout{10'000};   ///< graceful stop, then connections are cut

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

inline bool parse_unsigned(std::string_view text, unsigned long long max, unsigned long long& out) {
    if (text.empty()) return false;
    unsigned long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v > max) return false;
    out = v;
    return true;
}

}  // namespace detail

/// Writes the usage text (all flags, the caller's extra ones included) to `out`.
inline void print_usage(std::ostream& out, std::string_view program, std::span<const extra_flag> extra = {}) {
    out << "usage: " << program << " [options]\n"
        << "  --host H         address to listen on (default 127.0.0.1; 0.0.0.0 for all)\n"
        << "  --port N         TCP port (default 8080; 0 picks a free one)\n"
        << "  --threads N      worker threads (default 0: one per core)\n"
        << "  --reuse-port     set SO_REUSEPORT so several processes can share the port\n"
        << "  --no-access-log  do not log one line per request\n";
    for (const auto& f : extra) {
        out << "  " << f.name;
        for (std::size_t i = f.name.size(); i < 17; ++i) out << ' ';
        out << f.help << '\n';
    }
    out << "  --help           show this help and exit\n";
}

/// Parses the server's command-line flags into `opts`.
///
/// Known flags: `--host H`, `--port N`, `--threads N`, `--reuse-port`, `--no-access-log`,
/// `--help`; a value may also follow an `=` (`--port=8080`). The caller's own boolean flags
/// are passed in `extra` (e.g. `{{"--routes", "print the route table and exit"}}`): they are
/// accepted, shown in the usage, and returned in `parse_result::extra` for the caller to act
/// on. Anything else is an error: a message naming the flag goes to `err` and the action is
/// `exit_error` (exit status 2). `--help` prints the usage to `err` and returns `exit_ok`.
///
/// @par Example
/// @code
/// vial::server::options opts;
/// const vial::server::extra_flag mine[] = {{"--routes", "print the routes and exit"}};
/// auto r = vial::server::parse_options(argc, argv, opts, std::cerr, mine);
/// if (r.action != vial::server::parse_action::run) return r.exit_code();
/// if (r.has("--routes")) { print_routes(); return 0; }
/// return vial::server::serve(opts, app);
/// @endcode
inline parse_result parse_options(int argc, char** argv, options& opts, std::ostream& err,
                                  std::span<const extra_flag> extra = {}) {
    parse_result result;
    const std::string_view program = argc > 0 && argv[0] != nullptr ? argv[0] : "vial";
    auto fail = [&](const std::string& message) {
        err << program << ": " << message << "\n"
            << "try '" << program << " --help' for the list of options\n";
        result.action = parse_action::exit_error;
        return result;
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        bool has_value = false;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            has_value = true;
        }
        auto needs_value = [&](std::string_view flag) -> bool {
            if (has_value) return true;
            if (i + 1 >= argc) return false;
            value = argv[++i];
            has_value = true;
            (void)flag;
            return true;
        };
        auto no_value = [&]() { return !has_value; };

        if (arg == "--help" || arg == "-h") {
            if (!no_value()) return fail("option '--help' takes no value");
            print_usage(err, program, extra);
            result.action = parse_action::exit_ok;
            return result;
        } else if (arg == "--host") {
            if (!needs_value(arg)) return fail("option '--host' needs a value, e.g. --host 0.0.0.0");
            if (value.empty()) return fail("option '--host' needs a non-empty address");
            opts.host = std::string(value);
        } else if (arg == "--port") {
            unsigned long long v = 0;
            if (!needs_value(arg)) return fail("option '--port' needs a value, e.g. --port 8080");
            if (!detail::parse_unsigned(value, 65535, v))
                return fail("invalid port '" + std::string(value) + "': expected 0 to 65535");
            opts.port = static_cast<unsigned short>(v);
        } else if (arg == "--threads") {
            unsigned long long v = 0;
            if (!needs_value(arg)) return fail("option '--threads' needs a value, e.g. --threads 4");
            if (!detail::parse_unsigned(value, 1024, v))
                return fail("invalid thread count '" + std::string(value) + "': expected 1 to 1024, or 0 for one per core");
            opts.threads = static_cast<unsigned>(v);
        } else if (arg == "--reuse-port") {
            if (!no_value()) return fail("option '--reuse-port' takes no value");
            opts.reuse_port = true;
        } else if (arg == "--no-access-log") {
            if (!no_value()) return fail("option '--no-access-log' takes no value");
            opts.access_log = false;
        } else {
            bool known = false;
            for (const auto& f : extra) {
                if (f.name == arg) {
                    if (!no_value()) return fail("option '" + std::string(arg) + "' takes no value");
                    if (!result.has(f.name)) result.extra.push_back(f.name);
                    known = true;
                    break;
                }
            }
            if (!known) {
                if (arg.starts_with("-")) return fail("unknown option '" + std::string(arg) + "'");
                return fail("unexpected argument '" + std::string(arg) + "'");
            }
        }
    }
    return result;
}

/// @overload
/// For a braced list of extra flags.
inline parse_result parse_options(int argc, char** argv, options& opts, std::ostream& err,
                                  std::initializer_list<extra_flag> extra) {
    return parse_options(argc, argv, opts, err, std::span<const extra_flag>(extra.begin(), extra.size()));
}

}  // namespace vial::server

#endif  // VIAL_SERVER_OPTIONS_HPP
