// The full framework through find_package(vial): an app answered by the test client and by a
// server started and stopped in-process, both from the installed library (libvial), with
// Boost, nlohmann and Threads found through vial's package.
#include <vial/vial.hpp>

#include <sstream>
#include <string>

namespace {

std::string hello(std::string_view name) { return "Hello, " + std::string(name); }

constexpr auto app = vial::app(vial::get<"/hello/<name>", hello>());

}  // namespace

int main() {
    vial::test_client client(app);
    const auto res = client.get("/hello/world");
    if (res.status() != 200 || res.body() != "Hello, world") return 1;

    vial::server::options opts;
    opts.host = "127.0.0.1";
    opts.port = 0;
    opts.threads = 1;
    std::ostringstream log;
    vial::server::server srv(opts, [](vial::request&, vial::response& r) { r.body("hi"); }, log);
    srv.start();
    const bool listening = srv.port() != 0;
    srv.stop();
    return listening ? 0 : 2;
}
