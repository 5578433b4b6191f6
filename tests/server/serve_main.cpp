// A minimal program around vial::server::serve, run by serve_test in a child process.
#include <vial/server/server.hpp>

#include <iostream>
#include <thread>

int main(int argc, char** argv) {
    vial::server::options opts;
    opts.port = 0;
    const auto parsed = vial::server::parse_options(argc, argv, opts, std::cerr, {{"--routes", "print the routes"}});
    if (parsed.action != vial::server::parse_action::run) return parsed.exit_code();
    if (parsed.has("--routes")) {
        std::cout << "GET /\n";
        return 0;
    }
    return vial::server::serve(opts, [](vial::request& req, vial::response& res) {
        if (req.target() == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(500));
        res.body("Hello, World!");
    });
}
