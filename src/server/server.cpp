// vial::server::server and serve(): the facade of <vial/server/server.hpp> over the server in
// detail/server_impl.hpp (Boost.Asio, Boost.Beast), compiled once into the vial library.
#include <vial/server/detail/server_impl.hpp>
#include <vial/server/server.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace vial::server {

server::server(options opts, handler app, std::ostream& log)
    : impl_(std::make_unique<server_impl>(std::move(opts), std::move(app), log)) {}

server::~server() = default;  // ~server_impl stops gracefully

void server::start() { impl_->start(); }
unsigned short server::port() const noexcept { return impl_->port(); }
std::string server::url() const { return impl_->url(); }
const options& server::settings() const noexcept { return impl_->settings(); }
void server::stop() { impl_->stop(); }
void server::cut() { impl_->cut(); }
void server::log(std::string_view line) { impl_->log(line); }

int serve(const options& opts, handler app, std::ostream& log, const std::function<void(server&)>& on_start) {
    return serve_impl(opts, std::move(app), log, on_start);
}

}  // namespace vial::server
