#ifndef VIAL_SERVER_DETAIL_CONNECTION_LIMIT_HPP
#define VIAL_SERVER_DETAIL_CONNECTION_LIMIT_HPP

/// @file
/// The limit on open connections (`options::max_connections`) and how a connection past it
/// is refused: a 503 written at once, without reading the request, then a close.

#include <vial/server/detail/response_writer.hpp>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <string>

namespace vial::server::detail {

/// Descriptors kept for everything but client connections (the listening socket, the event
/// sets, the log, the application's files and sockets) when the limit comes from `ulimit -n`.
inline constexpr std::size_t reserved_descriptors = 64;

/// @return the limit to apply: `configured`, or when it is 0 the soft descriptor limit less
///         `reserved_descriptors` (at least 1; no limit when the descriptor limit is infinite)
inline std::size_t connection_limit(std::size_t configured) noexcept {
    if (configured != 0) return configured;
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return static_cast<std::size_t>(-1);
    const auto n = static_cast<std::size_t>(r.rlim_cur);
    return n > reserved_descriptors ? n - reserved_descriptors : 1;
}

/// Answers a just-accepted, non-blocking socket `503 Service Unavailable` (with
/// `Retry-After: 1` and `Connection: close`) as far as the socket takes it without waiting,
/// drops what the client has sent so far (so that the close is less likely a reset), and
/// closes it. Never blocks.
inline void refuse_connection(int fd) noexcept {
    try {
        std::string response;
        append_error_response(response, 503, "too many connections, try again");
        response.insert(response.find("\r\n") + 2, "Retry-After: 1\r\n");  // RFC 9110 10.2.3
        [[maybe_unused]] const auto sent = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    } catch (...) {
        // Out of memory for the response: the close alone says no.
    }
    char scratch[4096];
    for (int i = 0; i < 4 && ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; ++i) {
    }
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_CONNECTION_LIMIT_HPP
