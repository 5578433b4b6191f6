#ifndef VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP
#define VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP

/// @file
/// Serializes responses straight into a connection's output buffer: status line, the
/// handler's fields, then Date, Content-Length and Connection, which the server owns.

#include <vial/http/raw.hpp>
#include <vial/http/response.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>

namespace vial::server::detail {

/// The current second, formatted for the Date field and for the access log; refreshed at most
/// once a second per thread.
struct clock_strings {
    std::time_t second = -1;
    char date_line[64] = {};  // "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    std::size_t date_line_size = 0;
    char log_time[40] = {};  // "[06/Nov/1994:08:49:37 +0000]"
    std::size_t log_time_size = 0;

    void refresh() noexcept {
        const std::time_t now = std::time(nullptr);
        if (now == second) return;
        second = now;
        std::tm tm{};
        gmtime_r(&now, &tm);
        static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        int n = std::snprintf(date_line, sizeof date_line, "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                              days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
        date_line_size = n > 0 ? static_cast<std::size_t>(n) : 0;
        n = std::snprintf(log_time, sizeof log_time, "[%02d/%s/%04d:%02d:%02d:%02d +0000]", tm.tm_mday,
                          months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        log_time_size = n > 0 ? static_cast<std::size_t>(n) : 0;
    }
};

inline clock_strings& thread_clock() noexcept {
    thread_local clock_strings c;
    c.refresh();
    return c;
}

inline void append_number(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// Appends a duration for the access log: "65.6us", or from one millisecond up "7.432ms"
/// (rounded to the last digit shown; integer arithmetic, as printf of a double cost more than
/// the rest of a small request).
inline void append_duration(std::string& out, std::chrono::nanoseconds elapsed) {
    const auto ns = static_cast<std::uint64_t>(std::max<std::chrono::nanoseconds::rep>(elapsed.count(), 0));
    const bool ms = ns >= 1'000'000;
    const std::uint64_t scaled = ms ? (ns + 500) / 1000 : (ns + 50) / 100;  // in us, or in 0.1 us
    const std::uint64_t unit = ms ? 1000 : 10;
    append_number(out, scaled / unit);
    char fraction[4] = {'.', '0', '0', '0'};
    const std::size_t digits = ms ? 3 : 1;
    std::uint64_t f = scaled % unit;
    for (std::size_t i = digits; i > 0; --i, f /= 10) fraction[i] = static_cast<char>('0' + f % 10);
    out.append(fraction, digits + 1);
    out.append(ms ? "ms" : "us");
}

inline std::string_view reason_phrase(unsigned status) noexcept {
    namespace http = boost::beast::http;
    if (http::int_to_status(status) == http::status::unknown) return "Unknown";
    const auto r = http::obsolete_reason(static_cast<http::status>(status));
    return {r.data(), r.size()};
}

/// Writes into memory reserved beforehand: a response head is measured first, then written
/// with plain copies instead of one bounds-checked append per piece.
class head_writer {
public:
    /// The most a status line takes: "HTTP/1.1 NNN ", the longest reason phrase, CRLF.
    static constexpr std::size_t status_line_max = 13 + 64 + 2;
    static constexpr std::size_t number_max = 20;

    explicit head_writer(char* at) noexcept : p_(at) {}
    void put(std::string_view s) noexcept {
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
    }
    template <std::size_t N>
    void put(const char (&text)[N]) noexcept {
        std::memcpy(p_, text, N - 1);
        p_ += N - 1;
    }
    /// Copies `s`, turning CR, LF and NUL into spaces so that no field can split the head.
    void put_field_text(std::string_view s) noexcept {
        if (!vial::detail::has_cr_lf_nul(s)) return put(s);
        for (const char c : s) *p_++ = (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
    }
    void put_number(std::uint64_t v) noexcept { p_ = std::to_chars(p_, p_ + number_max, v).ptr; }
    void put_status_line(unsigned status) noexcept {
        if (status < 100 || status > 999) status = 500;
        if (status == 200) return put("HTTP/1.1 200 OK\r\n");
        put("HTTP/1.1 ");
        p_[0] = static_cast<char>('0' + status / 100);
        p_[1] = static_cast<char>('0' + status / 10 % 10);
        p_[2] = static_cast<char>('0' + status % 10);
        p_[3] = ' ';
        p_ += 4;
        put(reason_phrase(status).substr(0, 64));
        put("\r\n");
    }
    [[nodiscard]] char* end() const noexcept { return p_; }

private:
    char* p_;
};

/// Makes room for up to `n` more bytes at the end of `out` and returns where they start;
/// `finish` then cuts `out` to what the writer wrote.
inline char* grow(std::string& out, std::size_t n) {
    const std::size_t at = out.size();
    if (out.capacity() - at < n) out.reserve(std::max(out.capacity() * 2, at + n));
    out.resize(at + n);
    return out.data() + at;
}
inline void finish(std::string& out, const head_writer& w) noexcept {
    out.resize(static_cast<std::size_t>(w.end() - out.data()));
}

/// @return whether a Connection field value holds the token "close".
inline bool has_close_token(std::string_view value) noexcept {
    while (!value.empty()) {
        const auto comma = value.find(',');
        auto t = value.substr(0, comma);
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        if (t.size() == 5) {
            bool eq = true;
            for (std::size_t i = 0; i < 5; ++i)
                if ((t[i] | 0x20) != "close"[i]) eq = false;
            if (eq) return true;
        }
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

/// Whether a response sends no body bytes: RFC 9110 8.6, no body on 1xx, 204 and 304, and
/// none for a HEAD request (a 304 or a HEAD may still carry the length the body would have had).
inline bool sends_no_body(unsigned status, bool head_request) noexcept {
    return status < 200 || status == 204 || status == 304 || head_request;
}

/// Bodies up to this size are copied after the head, so that head and body go out in one
/// piece; larger ones are written from their own string (see append_response's `leave_large_body`).
inline constexpr std::size_t body_copy_limit = 16 * 1024;

/// @return whether append_response(out, res, head_request, ..., true) leaves res.body() out
///         for the caller to send right after `out`: a body larger than body_copy_limit
inline bool large_body_left(const response& res, bool head_request) noexcept {
    return !sends_no_body(res.status(), head_request) && !res.file_body() && res.body().size() > body_copy_limit;
}

/// Serializes `res` onto `out`.
/// @param head_request the request was HEAD: fields as for GET, no body bytes
/// @param keep_alive whether the connection stays open (else `Connection: close`)
/// @param version_10 the request was HTTP/1.0 (a kept-alive 1.0 connection says so)
/// @param leave_large_body write only the head of a response whose body is larger than
///        body_copy_limit (large_body_left): the caller sends the body after `out`, without
///        copying it (a 25 KB page copied cost about 26 k instructions of a request's 300 k)
/// @return the number of body bytes written (or, with a large body left, to be written)
inline std::size_t append_response(std::string& out, const response& res, bool head_request, bool keep_alive,
                                   bool version_10, bool leave_large_body = false) {
    namespace http = boost::beast::http;
    const auto& raw = res.raw();
    const unsigned status = res.status();
    const std::string& body = res.body();
    // RFC 9110 8.6: no Content-Length on 1xx and 204 (below); a 304 or a HEAD may carry the
    // length the body would have had.
    const bool no_body = sends_no_body(status, head_request);
    // A body from a file is sent by the connection after the head (sendfile), not copied here.
    const vial::detail::file_part* file = res.file_body().get();
    const std::uint64_t body_size = file != nullptr ? file->length : body.size();
    const bool body_with_head = !no_body && file == nullptr && body.size() <= body_copy_limit;  // one copy for both

    // Measure: an upper bound of what is written below.
    bool has_date = false;
    std::string_view own_length;
    std::size_t size = head_writer::status_line_max + sizeof "Content-Length: \r\n" + head_writer::number_max +
                       sizeof "Connection: keep-alive\r\n" + 2 + (body_with_head ? body.size() : 0);
    for (const auto& f : raw) {
        const auto name = f.name();
        if (name == http::field::content_length) own_length = {f.value().data(), f.value().size()};
        else if (name == http::field::date) has_date = true;
        size += f.name_string().size() + f.value().size() + 4;
    }
    const clock_strings* clock = nullptr;
    if (!has_date) {
        clock = &thread_clock();
        size += clock->date_line_size;
    }

    head_writer w(grow(out, size));
    w.put_status_line(status);
    for (const auto& f : raw) {
        const auto name = f.name();
        if (name == http::field::content_length || name == http::field::transfer_encoding ||
            name == http::field::connection)
            continue;
        const auto n = f.name_string();
        const auto v = f.value();
        w.put_field_text({n.data(), n.size()});
        w.put(": ");
        w.put_field_text({v.data(), v.size()});
        w.put("\r\n");
    }
    if (clock != nullptr) w.put({clock->date_line, clock->date_line_size});
    if (status >= 200 && status != 204) {
        if ((head_request || status == 304) && !own_length.empty()) {
            w.put("Content-Length: ");
            w.put_field_text(own_length);
            w.put("\r\n");
        } else if (status != 304 || body_size != 0) {
            w.put("Content-Length: ");
            w.put_number(body_size);
            w.put("\r\n");
        }
    }
    if (!keep_alive) w.put("Connection: close\r\n");
    else if (version_10) w.put("Connection: keep-alive\r\n");
    w.put("\r\n");
    if (body_with_head) w.put(body);
    finish(out, w);
    if (no_body) return 0;
    if (file != nullptr) return body_size;  // the caller sends the file
    if (!body_with_head && !leave_large_body) out.append(body);
    return body.size();
}

/// Appends a complete error response with a short text body and `Connection: close`.
/// @return the number of body bytes written
inline std::size_t append_error_response(std::string& out, unsigned status, std::string_view reason) {
    const auto& clock = thread_clock();
    const auto phrase = reason_phrase(status);
    const std::size_t body_size = phrase.size() + (reason.empty() ? 0 : 2 + reason.size()) + 1;
    head_writer w(grow(out, head_writer::status_line_max + clock.date_line_size + 128 + body_size));
    w.put_status_line(status);
    w.put({clock.date_line, clock.date_line_size});
    w.put("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    w.put_number(body_size);
    w.put("\r\nConnection: close\r\n\r\n");
    w.put(phrase);
    if (!reason.empty()) {
        w.put(": ");
        w.put(reason);
    }
    w.put("\n");
    finish(out, w);
    return body_size;
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP
