#ifndef VIAL_APP_RUN_HPP
#define VIAL_APP_RUN_HPP

/// @file
/// `vial::run(app, argc, argv, services...)`: the command line of a vial program.
/// Flags: --host, --port (0 picks a free port), --threads, --reuse-port, --no-access-log,
/// one per limit and timeout (--max-body, --header-timeout, ...), --routes (print the route
/// table and exit, like `flask routes`), --debug, --help (the usage, on standard output).

#include <vial/app/dispatcher.hpp>
#include <vial/route/app.hpp>
#include <vial/server/options.hpp>

#include <concepts>
#include <iosfwd>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace vial {

namespace detail {

/// @return std::cout, from the library (so that this header need not include <iostream>)
std::ostream& standard_output() noexcept;

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
        if (status < 0 && parsed.has(S::command_flag.name)) status = s.on_command_flag(standard_output());
    }
}

// What `vial::run` does that does not depend on the app's type, compiled once into the vial
// library (src/app/run.cpp): an app's file instantiates only the dispatcher and one small
// function per app.

/// The flags `vial::run` adds to the server's: --routes and --debug.
/// @return those two, to which services append their own
std::vector<server::extra_flag> run_flags();

/// Parses the command line into `opts` and `parsed`, and handles --help, bad flags and
/// --routes (printing `routes`).
/// @return the exit status when `vial::run` must return now, or -1 to go on
int parse_run_command_line(int argc, char** argv, server::options& opts, std::span<const server::extra_flag> flags,
                           std::span<const route_info> routes, server::parse_result& parsed);

/// Prints endpoint, methods and rule of every route, like `flask routes`.
void print_route_table(std::span<const route_info> routes, std::ostream& out);

/// The request pipeline as the server calls it: a pointer to it and one plain function, so
/// that an app's file instantiates no std::function and no server code.
struct pipeline_ref {
    const void* pipeline = nullptr;
    void (*handle)(const void* pipeline, request& req, response& res) = nullptr;
};

/// Serves `pipeline` until SIGINT or SIGTERM: sets `settings.log` to a stream whose lines go to
/// the server's log thread (in order with the access log), runs `server::serve`.
/// @return the exit status: 0 after a graceful shutdown, 1 when the server cannot start
///         ("vial: cannot start: ..." on standard error)
int serve_pipeline(const server::options& opts, app_settings& settings, pipeline_ref pipeline);

}  // namespace detail

/// Prints endpoint, methods and rule of every route, like `flask routes`.
template <class App>
void print_routes(std::ostream& out) {
    const auto routes = App::routes();
    detail::print_route_table(routes, out);
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
    std::vector<server::extra_flag> flags = detail::run_flags();
    (detail::add_command_flag<std::remove_cvref_t<Services>>(flags), ...);
    server::parse_result parsed;
    static constexpr auto routes = App::routes();
    if (const int status = detail::parse_run_command_line(argc, argv, opts, flags, routes, parsed); status >= 0)
        return status;
    int flag_status = -1;
    (detail::run_command_flag(services, parsed, flag_status), ...);
    if (flag_status >= 0) return flag_status;
    std::tuple<Services...> held(std::forward<Services>(services)...);
    return std::apply(
        [&](auto&... s) {
            using pipeline_type = dispatcher<App, std::remove_reference_t<Services>...>;
            pipeline_type pipeline(app, s...);
            pipeline.settings.debug = parsed.has("--debug");
            return detail::serve_pipeline(opts, pipeline.settings,
                                          {&pipeline, [](const void* p, request& req, response& res) {
                                               static_cast<const pipeline_type*>(p)->handle(req, res);
                                           }});
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
