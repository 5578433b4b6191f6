#ifndef VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP
#define VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP

/// @file
/// Serializes responses straight into a connection's output buffer: status line, the
/// handler's fields, then Date, Content-Length and Connection, which the server owns.

#include <vial/http/response.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

namespace vial::server::detail {

/// Appends a string literal without measuring it at run time.
template <std::size_t N>
inline void append_literal(std::string& out, const char (&text)[N]) {
    out.append(text, N - 1);
}


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

inline std::string_view reason_phrase(unsigned status) noexcept {
    namespace http = boost::beast::http;
    if (http::int_to_status(status) == http::status::unknown) return "Unknown";
    const auto r = http::obsolete_reason(static_cast<http::status>(status));
    return {r.data(), r.size()};
}

inline void append_status_line(std::string& out, unsigned status) {
    append_literal(out, "HTTP/1.1 ");
    if (status < 100 || status > 999) status = 500;
    const char digits[3] = {static_cast<char>('0' + status / 100), static_cast<char>('0' + status / 10 % 10),
                            static_cast<char>('0' + status % 10)};
    out.append(digits, 3);
    out.push_back(' ');
    out.append(reason_phrase(status));
    append_literal(out, "\r\n");
}

/// Appends `s`, turning CR, LF and NUL into spaces so that no field can split the head.
inline void append_field_text(std::string& out, std::string_view s) {
    const std::size_t at = out.size();
    out.append(s);
    for (std::size_t i = at; i < out.size(); ++i) {
        const char c = out[i];
        if (c == '\r' || c == '\n' || c == '\0') out[i] = ' ';
    }
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

/// Serializes `res` onto `out`.
/// @param head_request the request was HEAD: fields as for GET, no body bytes
/// @param keep_alive whether the connection stays open (else `Connection: close`)
/// @param version_10 the request was HTTP/1.0 (a kept-alive 1.0 connection says so)
/// @return the number of body bytes written
inline std::size_t append_response(std::string& out, const response& res, bool head_request, bool keep_alive,
                                   bool version_10) {
    namespace http = boost::beast::http;
    const auto& raw = res.raw();
    const unsigned status = res.status();
    append_status_line(out, status);
    bool has_date = false;
    std::string_view own_length;
    for (const auto& f : raw) {
        const auto name = f.name();
        if (name == http::field::content_length) {
            own_length = {f.value().data(), f.value().size()};
            continue;
        }
        if (name == http::field::transfer_encoding || name == http::field::connection) continue;
        if (name == http::field::date) has_date = true;
        const auto n = f.name_string();
        const auto v = f.value();
        append_field_text(out, {n.data(), n.size()});
        append_literal(out, ": ");
        append_field_text(out, {v.data(), v.size()});
        append_literal(out, "\r\n");
    }
    if (!has_date) {
        const auto& c = thread_clock();
        out.append(c.date_line, c.date_line_size);
    }
    // RFC 9110 8.6: no Content-Length on 1xx and 204; a 304 or a HEAD may carry the length
    // the body would have had.
    const bool no_body = status < 200 || status == 204 || status == 304 || head_request;
    if (status >= 200 && status != 204) {
        if ((head_request || status == 304) && !own_length.empty()) {
            append_literal(out, "Content-Length: ");
            append_field_text(out, own_length);
            append_literal(out, "\r\n");
        } else if (status != 304 || !res.body().empty()) {
            append_literal(out, "Content-Length: ");
            append_number(out, res.body().size());
            append_literal(out, "\r\n");
        }
    }
    if (!keep_alive) append_literal(out, "Connection: close\r\n");
    else if (version_10) append_literal(out, "Connection: keep-alive\r\n");
    append_literal(out, "\r\n");
    if (no_body) return 0;
    out.append(res.body());
    return res.body().size();
}

/// Appends a complete error response with a short text body and `Connection: close`.
/// @return the number of body bytes written
inline std::size_t append_error_response(std::string& out, unsigned status, std::string_view reason) {
    append_status_line(out, status);
    const auto& c = thread_clock();
    out.append(c.date_line, c.date_line_size);
    const auto phrase = reason_phrase(status);
    const std::size_t body_size = phrase.size() + (reason.empty() ? 0 : 2 + reason.size()) + 1;
    append_literal(out, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    append_number(out, body_size);
    append_literal(out, "\r\nConnection: close\r\n\r\n");
    out.append(phrase);
    if (!reason.empty()) {
        append_literal(out, ": ");
        out.append(reason);
    }
    out.push_back('\n');
    return body_size;
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_RESPONSE_WRITER_HPP
