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
#include <iostream>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>

namespace vial {

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
    const auto parsed = server::parse_options(
        argc, argv, opts, std::cout, std::cerr,
        {{"--routes", "print every route (endpoint, methods, rule) and exit"},
         {"--debug", "show exception messages in 500 responses"}});
    if (parsed.action != server::parse_action::run) return parsed.exit_code();
    if (parsed.has("--routes")) {
        print_routes<App>(std::cout);
        return 0;
    }
    std::tuple<Services...> held(std::forward<Services>(services)...);
    return std::apply(
        [&](auto&... s) {
            dispatcher<App, std::remove_reference_t<Services>...> pipeline(app, s...);
            pipeline.settings.debug = parsed.has("--debug");
            try {
                return server::serve(opts, [&pipeline](request& req, response& res) { pipeline.handle(req, res); });
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
