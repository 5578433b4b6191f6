#ifndef VIAL_TESTS_SERVER_TEST_SUPPORT_HPP
#define VIAL_TESTS_SERVER_TEST_SUPPORT_HPP

// Helpers for talking to an in-process server over real loopback sockets. Every read has a
// timeout, so no test can hang.

#include <vial/server/server.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace vial_test {

using namespace std::chrono_literals;

/// Options for tests: a free port, two threads, short timeouts.
inline vial::server::options test_options() {
    vial::server::options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    o.header_timeout = 2s;
    o.body_timeout = 2s;
    o.write_timeout = 2s;
    o.keep_alive_timeout = 2s;
    o.linger_timeout = 500ms;
    o.shutdown_timeout = 3s;
    o.drain_timeout = 500ms;
    return o;
}

/// Answers "METHOD TARGET\n" followed by the body; a few targets do special things.
inline void echo_handler(vial::request& req, vial::response& res) {
    const auto target = req.target();
    if (target == "/throw") throw std::runtime_error("boom");
    if (target.starts_with("/sleep")) std::this_thread::sleep_for(std::chrono::milliseconds(400));
    if (target == "/close") res.set_header("Connection", "close");
    if (target == "/no-content") {
        res.status(204);
        return;
    }
    std::string body;
    body.append(req.method()).append(" ").append(target).append("\n").append(req.body());
    res.content_type("text/plain");
    res.body(std::move(body));
}

/// A blocking TCP client socket with a receive timeout.
class client {
public:
    explicit client(unsigned short port, std::chrono::milliseconds timeout = 3000ms) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        timeout_ = timeout;
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~client() {
        if (fd_ >= 0) ::close(fd_);
    }
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    [[nodiscard]] bool connected() const { return connected_; }

    bool send(std::string_view data) {
        while (!data.empty()) {
            const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
    /// Lets the kernel hold up to `bytes` of received data for this socket (SO_RCVBUF).
    void receive_buffer(int bytes) { ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes); }

    /// Reads what is available within the timeout; returns false on EOF/error/timeout.
    bool read_some(std::string& out, std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            timed_out_ = true;
            return false;
        }
        char buf[16384];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            eof_ = true;
            return false;
        }
        out.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    /// Reads until the peer closes (or the timeout passes).
    std::string read_all() {
        std::string out;
        const auto end = std::chrono::steady_clock::now() + timeout_;
        while (true) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                timed_out_ = true;
                break;
            }
            if (!read_some(out, left)) break;
        }
        return out;
    }

    /// Reads until `pred(buffer)` holds, EOF or the timeout.
    template <class Pred>
    std::string read_until(Pred pred) {
        const auto end = std::chrono::steady_clock::now() + timeout_;
        while (!pred(buffer_)) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                timed_out_ = true;
                break;
            }
            if (!read_some(buffer_, left)) break;
        }
        return buffer_;
    }

    std::string& buffer() { return buffer_; }
    [[nodiscard]] bool eof() const { return eof_; }
    [[nodiscard]] bool timed_out() const { return timed_out_; }

    /// @return whether the server closed the connection within `timeout` (reading and dropping data).
    bool closed_within(std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        std::string sink;
        while (std::chrono::steady_clock::now() < end) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (!read_some(sink, left)) return eof_;
        }
        return false;
    }

private:
    int fd_ = -1;
    bool connected_ = false;
    bool eof_ = false;
    bool timed_out_ = false;
    std::chrono::milliseconds timeout_;
    std::string buffer_;
};

/// One parsed response.
struct response {
    unsigned status = 0;
    std::string head;
    std::map<std::string, std::string> headers;  // names lower-cased; last one wins
    std::string body;
    [[nodiscard]] std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
    [[nodiscard]] bool has(const std::string& name) const { return headers.count(name) != 0; }
};

/// Parses consecutive responses from `data`. Bodies are framed by Content-Length; `head_only`
/// lists, per response index, whether it answers a HEAD (no body bytes). 1xx responses are
/// returned as well. Stops at the first incomplete response.
inline std::vector<response> parse_responses(std::string_view data, std::vector<bool> head_only = {},
                                             std::size_t* used = nullptr) {
    std::vector<response> out;
    std::size_t pos = 0;
    while (pos < data.size()) {
        const auto end = data.find("\r\n\r\n", pos);
        if (end == std::string_view::npos) break;
        response r;
        r.head = std::string(data.substr(pos, end - pos));
        if (r.head.size() < 12 || !r.head.starts_with("HTTP/1.")) break;
        r.status = static_cast<unsigned>(std::stoi(r.head.substr(9, 3)));
        std::size_t line = r.head.find("\r\n");
        while (line != std::string::npos) {
            const auto next = r.head.find("\r\n", line + 2);
            const auto field = r.head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
            const auto colon = field.find(':');
            if (colon != std::string::npos) {
                std::string name = field.substr(0, colon);
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                auto value = field.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                r.headers[name] = value;
            }
            line = next;
        }
        std::size_t body_size = 0;
        const bool is_head = out.size() < head_only.size() && head_only[out.size()];
        if (r.status >= 200 && !is_head && r.has("content-length")) body_size = std::stoul(r.header("content-length"));
        if (r.status < 200) body_size = 0;
        if (end + 4 + body_size > data.size()) break;
        r.body = std::string(data.substr(end + 4, body_size));
        pos = end + 4 + body_size;
        out.push_back(std::move(r));
    }
    if (used != nullptr) *used = pos;
    return out;
}

/// Sends `request` on a new connection, half-closes, and reads everything until the server closes.
inline std::string exchange(unsigned short port, std::string_view request, std::chrono::milliseconds timeout = 3000ms) {
    client c(port, timeout);
    c.send(request);
    return c.read_all();
}

/// Runs a shell command and returns its standard output.
inline std::string run_command(const std::string& command, int* status = nullptr) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    const int rc = ::pclose(pipe);
    if (status != nullptr) *status = rc;
    return out;
}

}  // namespace vial_test

#endif  // VIAL_TESTS_SERVER_TEST_SUPPORT_HPP
