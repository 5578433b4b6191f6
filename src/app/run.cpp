// The parts of vial::run that do not depend on the app's type, compiled once into the vial
// library: the command line, the route table printout, the exception log that goes through
// the server's log thread, and the call of server::serve.
#include <vial/app/run.hpp>
#include <vial/server/server.hpp>

#include <algorithm>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

namespace vial::detail {

namespace {

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

}  // namespace

std::ostream& standard_output() noexcept { return std::cout; }

std::vector<server::extra_flag> run_flags() {
    return {{"--routes", "print every route (endpoint, methods, rule) and exit"},
            {"--debug", "show exception messages in 500 responses"}};
}

int parse_run_command_line(int argc, char** argv, server::options& opts, std::span<const server::extra_flag> flags,
                           std::span<const route_info> routes, server::parse_result& parsed) {
    parsed = server::parse_options(argc, argv, opts, std::cout, std::cerr, flags);
    if (parsed.action != server::parse_action::run) return parsed.exit_code();
    if (parsed.has("--routes")) {
        print_route_table(routes, std::cout);
        return 0;
    }
    return -1;
}

void print_route_table(std::span<const route_info> routes, std::ostream& out) {
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

int serve_pipeline(const server::options& opts, app_settings& settings, pipeline_ref pipeline) {
    // Exceptions are logged in order with the access log, by the server's log thread.
    line_forwarder lines(std::clog);
    std::ostream exception_log(&lines);
    settings.log = &exception_log;
    try {
        const int status = server::serve(
            opts, [pipeline](request& req, response& res) { pipeline.handle(pipeline.pipeline, req, res); }, std::clog,
            [&lines](server::server& srv) { lines.sink([&srv](std::string_view line) { srv.log(line); }); });
        lines.sink({});
        return status;
    } catch (const std::exception& e) {
        std::cerr << "vial: cannot start: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace vial::detail
