// The parts of the request pipeline (vial::dispatcher) that do not depend on the app's type,
// compiled once into the vial library: the order of the steps, the error handling around
// them, the exception log line, the 405, OPTIONS, redirect and 500 responses.
#include <vial/app/dispatcher.hpp>

#include <exception>
#include <optional>
#include <iostream>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace vial::detail {

std::ostream* standard_log() noexcept { return &std::clog; }

void log_exception(std::ostream* log, std::string_view where, const std::exception_ptr& error,
                   std::string_view method, std::string_view target) {
    if (log == nullptr) return;
    std::string what = "unknown exception";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    *log << "vial: exception in " << where << " for " << method << ' ' << target << ": " << what << std::endl;
}

response internal_error_response(bool debug, const std::exception_ptr& error) {
    std::string body = "500 Internal Server Error\n";
    if (debug) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            body += e.what();
            body += '\n';
        } catch (...) {
            body += "unknown exception\n";
        }
    }
    return response(500, std::move(body));
}

void throw_method_not_allowed(method_set allowed) {
    char allow[64];
    throw http_error(405, {}, {{"Allow", std::string(allow, format_allow(allowed, allow))}});
}

response options_response(method_set allowed) {
    char allow[64];
    response res(200, {}, {});
    res.set_header("Allow", std::string_view(allow, format_allow(allowed, allow)));
    return res;
}

response slash_redirect_response(const std::string& location) {
    response res(308, "Redirecting to " + location + "\n");
    res.set_header("Location", location);
    return res;
}

namespace {

/// Runs the error handlers that fit the error, innermost blueprint first; else the default.
/// @param unhandled set to the exception that no handler took (it became a 500), if any
response handle_error(const pipeline_steps& steps, const void* self, const app_settings& settings,
                      const std::exception_ptr& error, std::string_view blueprint, request& req,
                      std::exception_ptr& unhandled) {
    try {
        try {
            std::rethrow_exception(error);
        } catch (const http_exception& e) {
            return e.to_response();
        } catch (const http_error& e) {
            std::optional<response> handled;
            if (steps.by_status != nullptr) handled = steps.by_status(self, e, error, blueprint, req);
            if (!handled && steps.by_type != nullptr) handled = steps.by_type(self, error, blueprint, req, e.status());
            if (!handled) return e.to_response();
            for (const auto& [name, value] : e.headers())
                if (handled->header(name).empty()) handled->set_header(name, value);
            return std::move(*handled);
        } catch (...) {
            if (steps.by_type != nullptr)
                if (auto handled = steps.by_type(self, error, blueprint, req, 500)) return std::move(*handled);
            // Unhandled: logged, then Flask's errorhandler(500) if there is one.
            unhandled = error;
            log_exception(settings.log, "handler", error, req.method(), req.target());
            if (steps.by_status != nullptr)
                if (auto handled = steps.by_status(self, http_error(500), error, blueprint, req))
                    return std::move(*handled);
            return internal_error_response(settings.debug, error);
        }
    } catch (...) {
        unhandled = std::current_exception();
        log_exception(settings.log, "error handler", unhandled, req.method(), req.target());
        return internal_error_response(settings.debug, unhandled);
    }
}

}  // namespace

void run_pipeline(const pipeline_steps& steps, const void* self, const void* match, const app_settings& settings,
                  std::string_view blueprint, request& req, response& res) {
    std::exception_ptr unhandled;  // what teardown hooks see, as in Flask
    try {
        if (steps.before == nullptr || !steps.before(self, req, blueprint, res)) steps.main(self, match, req, res);
    } catch (...) {
        res = handle_error(steps, self, settings, std::current_exception(), blueprint, req, unhandled);
    }
    if (steps.after != nullptr) {
        try {
            steps.after(self, res, req, blueprint);
        } catch (...) {
            res = handle_error(steps, self, settings, std::current_exception(), blueprint, req, unhandled);
        }
    }
    if (steps.teardown != nullptr) steps.teardown(self, unhandled, req, blueprint);
}

}  // namespace vial::detail
