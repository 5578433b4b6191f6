// Server limits and timeouts beyond the command-line flags: start from vial::server::options,
// change what you need, and let the flags (--port, --threads, ...) override the rest.
//
//   ./custom_options --port 8080      then: curl -X POST --data-binary @big.bin http://127.0.0.1:8080/upload
#include <vial/vial.hpp>

#include <chrono>
#include <string>

namespace {

std::string upload(const vial::request& req) { return "received " + std::to_string(req.body().size()) + " bytes\n"; }

constexpr auto app = vial::app(vial::post<"/upload", upload>());

}  // namespace

int main(int argc, char** argv) {
    vial::server::options opts;
    opts.max_body = 16 * 1024 * 1024;                  // 16 MiB uploads (413 above)
    opts.keep_alive_timeout = std::chrono::seconds(30);  // keep idle connections longer
    opts.max_requests_per_connection = 10000;
    return vial::run(app, opts, argc, argv);
}
