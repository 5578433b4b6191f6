#ifndef VIAL_SERVER_DETAIL_EVENT_SET_HPP
#define VIAL_SERVER_DETAIL_EVENT_SET_HPP

/// @file
/// One worker's client sockets in an edge-triggered epoll set, which the worker's io_context
/// watches as a single descriptor.
///
/// Why not Asio's own socket operations: Asio's reactor tries every `async_read_some`
/// speculatively, and it only remembers that a socket has nothing to read when a read
/// returned end-of-file. After a response, the next request has usually not arrived yet, so
/// most reads cost a `recv` that fails with EAGAIN before the one that succeeds (measured with
/// wrk: 1.64 `recv` calls per request, nginx 1.0). In an edge-triggered set the kernel reports
/// every arrival of new bytes, so a connection that read less than it asked for knows the
/// socket is empty and waits for the next event, as nginx does. The set is asked for events
/// once per batch: one `epoll_wait` here and, when the worker goes back to waiting, one
/// `epoll_wait` plus one `epoll_ctl` for Asio's watch of the set, instead of one failed `recv`
/// per request. Under load the worker takes several batches in a row before it goes back
/// (`worker::on_events`), which leaves about 2.2 system calls per request (nginx: 2.1).

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/system_error.hpp>

#if !defined(__linux__)
#error "vial's server uses epoll (Linux); see docs/server.md"
#endif

#include <sys/epoll.h>

#include <cerrno>
#include <cstdint>
#include <utility>

namespace vial::server::detail {

/// Edge-triggered readiness of many sockets, each tagged with its owner.
class event_set {
public:
    /// What one event says about a socket.
    enum : std::uint32_t {
        readable = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR,
        writable = EPOLLOUT | EPOLLHUP | EPOLLERR,
        peer_closed = EPOLLRDHUP | EPOLLHUP | EPOLLERR,  ///< reading will end in EOF or an error
    };

    /// @throws boost::system::system_error when no epoll descriptor can be made
    explicit event_set(boost::asio::io_context& ioc) : watch_(ioc) {
        const int fd = ::epoll_create1(EPOLL_CLOEXEC);
        if (fd < 0) throw boost::system::system_error(errno, boost::system::system_category(), "epoll_create1");
        watch_.assign(fd);
    }

    event_set(const event_set&) = delete;
    event_set& operator=(const event_set&) = delete;

    /// Watches `fd` for input and output from now on, edge-triggered.
    /// @return false when the kernel refuses (errno tells why)
    bool add(int fd, void* owner) noexcept {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.ptr = owner;
        return ::epoll_ctl(watch_.native_handle(), EPOLL_CTL_ADD, fd, &ev) == 0;
    }

    /// Stops watching `fd` (before it is closed: a copy of the descriptor in another process
    /// would otherwise keep it in the set), and drops its pending events.
    void remove(int fd) noexcept {
        epoll_event ev{};
        ::epoll_ctl(watch_.native_handle(), EPOLL_CTL_DEL, fd, &ev);
    }

    /// Calls `handler(error_code)` on the io_context's thread once some socket has an event.
    template <class Handler>
    void async_wait(Handler&& handler) {
        watch_.async_wait(boost::asio::posix::descriptor_base::wait_read, std::forward<Handler>(handler));
    }

    /// Cancels `async_wait` (its handler gets operation_aborted).
    void cancel() noexcept {
        boost::system::error_code ignored;
        watch_.cancel(ignored);
    }

    /// Takes the pending events without waiting.
    /// @return how many were stored in `out` (0 when none, or on an error)
    int take(epoll_event* out, int max) noexcept {
        const int n = ::epoll_wait(watch_.native_handle(), out, max, 0);
        return n < 0 ? 0 : n;
    }

private:
    boost::asio::posix::stream_descriptor watch_;
};

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_EVENT_SET_HPP
