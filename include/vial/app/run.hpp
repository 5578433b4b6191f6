#ifndef VIAL_APP_RUN_HPP
#define VIAL_APP_RUN_HPP

/// @file
/// `vial::run(app, argc, argv, services...)`: the command line of a vial program.
/// Flags: --host, --port (0 picks a free port), --threads, --reuse-port, --no-access-log,
/// one per limit and timeout (--max-body, --header-timeout, ...), --routes (print the route
/// table and exit, like `flask routes`), --debug, --help (the usage, on standard output).

#include <vial/app/dispatcher.hpp>
#include <vial/route/method.hpp>
#include <vial/server/options.hpp>
#include <vial/server/server.hpp>

#include <algorithm>
#include <concepts>
#include <span>
#include <vector>
#include <functional>
#include <iostream>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace vial {

namespace detail {

/// A stream buffer that hands every complete line written to it to a function (the running
/// server's log), or to `fallback` while there is none. The pipeline logs exceptions through
/// it, so that a worker never waits for a log stream nobody reads.
class line_forwarder : public std::streambuf {
public:
    explicit line_forwarder(std::ostream& fallback) : fallback_(fallback) {}

    /// @param sink where complete lines go from now on (without their '\n'); empty: `fallback`
    void sink(std::function<void(std::string_view)> sink) {
        const std::lock_guard lock(mutex_);
        sink_ = std::move(sink);
    }

protected:
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            const std::lock_guard lock(mutex_);
            pending_.push_back(traits_type::to_char_type(c));
        }
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        const std::lock_guard lock(mutex_);
        pending_.append(s, static_cast<std::size_t>(n));
        return n;
    }
    int sync() override {
        const std::lock_guard lock(mutex_);
        std::size_t start = 0;
        for (std::size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
            const std::string_view line(pending_.data() + start, nl - start);
            if (sink_) sink_(line);
            else fallback_ << line << '\n' << std::flush;
        }
        pending_.erase(0, start);
        return 0;
    }

private:
    std::ostream& fallback_;
    std::mutex mutex_;
    std::string pending_;
    std::function<void(std::string_view)> sink_;
};

/// A service that adds a command-line flag: `S::command_flag` (a server::extra_flag) and
/// `int on_command_flag(std::ostream&) const`, which runs instead of the server.
template <class S>
concept command_flag_service = requires(const S& s, std::ostream& out) {
    { S::command_flag.name } -> std::convertible_to<std::string_view>;
    { s.on_command_flag(out) } -> std::convertible_to<int>;
};

template <class S>
void add_command_flag(std::vector<server::extra_flag>& flags) {
    if constexpr (command_flag_service<S>) flags.push_back(S::command_flag);
}

template <class S>
void run_command_flag(const S& s, const server::parse_result& parsed, int& status) {
    if constexpr (command_flag_service<S>) {
        if (status < 0 && parsed.has(S::command_flag.name)) status = s.on_command_flag(std::cout);
    }
}

}  // namespace detail

/// Prints endpoint, methods and rule of every route, like `flask routes`.
template <class App>
void print_routes(std::ostream& out) {
    const auto routes = App::routes();
    std::size_t w_endpoint = 8;
    std::size_t w_methods = 7;
    std::vector<std::string> methods(routes.size());
    for (std::size_t i = 0; i < routes.size(); ++i) {
        for (std::size_t m = 0; m < method_count; ++m) {
            if (!routes[i].methods.contains(static_cast<method>(m))) continue;
            if (!methods[i].empty()) methods[i] += ", ";
            methods[i] += method_names[m];
        }
        w_endpoint = std::max(w_endpoint, std::max<std::size_t>(routes[i].endpoint.size(), 9));
        w_methods = std::max(w_methods, methods[i].size());
    }
    auto row = [&](std::string_view a, std::string_view b, std::string_view c) {
        out << a << std::string(w_endpoint - a.size() + 2, ' ') << b << std::string(w_methods - b.size() + 2, ' ') << c
            << '\n';
    };
    row("Endpoint", "Methods", "Rule");
    row(std::string(w_endpoint, '-'), std::string(w_methods, '-'), "-----------------------");
    for (std::size_t i = 0; i < routes.size(); ++i)
        row(routes[i].endpoint.empty() ? "(unnamed)" : routes[i].endpoint, methods[i], routes[i].rule);
}

/// Serves `app` with the options given on the command line until SIGINT or SIGTERM.
/// @param app the app
/// @param defaults server options (limits, timeouts...) that the command-line flags override
/// @param argc the program's argument count
/// @param argv the program's arguments
/// @param services objects handlers ask for by type (by reference; shared by all threads, so
///        they must be safe to use concurrently)
/// @return the process exit status: 0 after a graceful shutdown or --help/--routes, 2 for a
///         bad flag, 1 when the server cannot start
/// @par Example
/// @code
/// vial::server::options opts;
/// opts.max_body = 16 * 1024 * 1024;
/// return vial::run(app, opts, argc, argv, db);
/// @endcode
template <class App, class... Services>
int run(const App& app, server::options defaults, int argc, char** argv, Services&&... services) {
    server::options opts = std::move(defaults);
    // A service may add a flag of its own (the OpenAPI spec's --openapi): given, it runs instead.
    std::vector<server::extra_flag> flags{{"--routes", "print every route (endpoint, methods, rule) and exit"},
                                          {"--debug", "show exception messages in 500 responses"}};
    (detail::add_command_flag<std::remove_cvref_t<Services>>(flags), ...);
    const auto parsed = server::parse_options(argc, argv, opts, std::cout, std::cerr,
                                              std::span<const server::extra_flag>(flags));
    if (parsed.action != server::parse_action::run) return parsed.exit_code();
    if (parsed.has("--routes")) {
        print_routes<App>(std::cout);
        return 0;
    }
    int flag_status = -1;
    (detail::run_command_flag(services, parsed, flag_status), ...);
    if (flag_status >= 0) return flag_status;
    std::tuple<Services...> held(std::forward<Services>(services)...);
    return std::apply(
        [&](auto&... s) {
            dispatcher<App, std::remove_reference_t<Services>...> pipeline(app, s...);
            pipeline.settings.debug = parsed.has("--debug");
            // Exceptions are logged in order with the access log, by the server's log thread.
            detail::line_forwarder lines(std::clog);
            std::ostream exception_log(&lines);
            pipeline.settings.log = &exception_log;
            try {
                const int status = server::serve(
                    opts, [&pipeline](request& req, response& res) { pipeline.handle(req, res); }, std::clog,
                    [&lines](server::server& srv) { lines.sink([&srv](std::string_view line) { srv.log(line); }); });
                lines.sink({});
                return status;
            } catch (const std::exception& e) {
                std::cerr << "vial: cannot start: " << e.what() << '\n';
                return 1;
            }
        },
        held);
}

/// Serves `app` with the default options and those given on the command line.
/// @param app the app
/// @param argc the program's argument count
/// @param argv the program's arguments
/// @param services objects handlers ask for by type, by reference
/// @return the process exit status (see the overload with options)
template <class App, class... Services>
int run(const App& app, int argc, char** argv, Services&&... services) {
    return run(app, server::options{}, argc, argv, std::forward<Services>(services)...);
}

}  // namespace vial

#endif  // VIAL_APP_RUN_HPP
