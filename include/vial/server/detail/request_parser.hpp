#ifndef VIAL_SERVER_DETAIL_REQUEST_PARSER_HPP
#define VIAL_SERVER_DETAIL_REQUEST_PARSER_HPP

/// @file
/// A strict, incremental HTTP/1.x request parser (RFC 9112) that fills a Beast request.
///
/// Strict means: CRLF only (a bare LF or CR anywhere in the head is an error), no obs-fold,
/// header names are tokens, values hold no control characters, exactly one Host on HTTP/1.1,
/// Content-Length and Transfer-Encoding never together, Transfer-Encoding only on HTTP/1.1
/// and ending in `chunked`, chunk sizes in hex without stray spaces, chunk extensions that
/// follow the grammar and stay under a size limit. Every error carries the status to answer
/// with (400, 413, 414, 417, 431, 501, 505) and a short reason.

#include <vial/http/raw.hpp>
#include <vial/http/request.hpp>
#include <vial/server/detail/request_target.hpp>
#include <vial/server/options.hpp>

#include <boost/beast/http/field.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace vial::server::detail {

/// Character classes of RFC 9110, as a table indexed by byte.
struct char_table {
    enum : unsigned char { tchar = 1, vchar = 2, field_value = 4, hexdig = 8, qdtext = 16 };
    std::array<unsigned char, 256> bits{};

    constexpr char_table() {
        for (unsigned c = 0; c < 256; ++c) {
            unsigned char b = 0;
            const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            const bool digit = c >= '0' && c <= '9';
            if (alpha || digit || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos)
                b |= tchar;
            if (c > 0x20 && c < 0x7f) b |= vchar;
            if ((c > 0x20 && c < 0x7f) || c >= 0x80 || c == ' ' || c == '\t') b |= field_value;
            if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) b |= hexdig;
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80)
                b |= qdtext;
            bits[c] = b;
        }
    }
    [[nodiscard]] constexpr bool is(char c, unsigned char cls) const noexcept {
        return (bits[static_cast<unsigned char>(c)] & cls) != 0;
    }
};

inline constexpr char_table chars{};

/// ASCII case-insensitive comparison with a lower-case literal.
inline bool iequals(std::string_view a, std::string_view lower) noexcept {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
        if (c != lower[i]) return false;
    }
    return true;
}

inline std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Calls `f(element)` for each non-empty element of a comma-separated list, OWS trimmed.
template <class F>
void for_each_list_element(std::string_view list, F&& f) {
    while (true) {
        const auto comma = list.find(',');
        const auto element = trim_ows(list.substr(0, comma));
        if (!element.empty()) f(element);
        if (comma == std::string_view::npos) return;
        list.remove_prefix(comma + 1);
    }
}

/// Parses requests one after the other from a byte stream.
class request_parser {
public:
    enum class result {
        need_more,  ///< everything given was consumed or kept; read more bytes
        head_done,  ///< the head is parsed into the request; call again for the body
        complete,   ///< the request is complete
        error,      ///< malformed or over a limit: answer `error_status()` and close
    };

    explicit request_parser(const options& opts) noexcept : opts_(&opts) {}

    /// Prepares for the next request on the same connection.
    void reset() noexcept {
        state_ = state::head;
        scan_ = 0;
        lines_ = 0;
        header_bytes_ = 0;
        fields_ = 0;
        skipped_ = 0;
        version_ = 11;
        keep_alive_ = true;
        chunked_ = false;
        expect_continue_ = false;
        content_length_ = 0;
        remaining_ = 0;
        body_size_ = 0;
        extension_bytes_ = 0;
        error_status_ = 0;
        error_reason_ = {};
    }

    /// Parses from `data`. `consumed` is set to the number of bytes the caller must drop from
    /// its buffer (the rest is kept for the next call, with more bytes appended).
    result parse(const char* data, std::size_t size, std::size_t& consumed, raw_request& req) {
        consumed = 0;
        switch (state_) {
            case state::head: return parse_head(data, size, consumed, req);
            case state::done: return result::complete;
            case state::error: return result::error;
            default: return parse_body(data, size, consumed, req);
        }
    }

    /// @return whether a byte of the current request's head has been seen (not just blank lines).
    [[nodiscard]] bool in_head() const noexcept { return state_ == state::head && scan_ > 0; }
    /// @return whether the head is parsed and the body is still being read.
    [[nodiscard]] bool in_body() const noexcept {
        return state_ != state::head && state_ != state::done && state_ != state::error;
    }
    [[nodiscard]] unsigned version() const noexcept { return version_; }
    [[nodiscard]] bool keep_alive() const noexcept { return keep_alive_; }
    [[nodiscard]] bool chunked() const noexcept { return chunked_; }
    [[nodiscard]] std::uint64_t content_length() const noexcept { return content_length_; }
    /// @return whether the client waits for `100 Continue` before sending a body.
    [[nodiscard]] bool expects_continue() const noexcept { return expect_continue_; }
    [[nodiscard]] unsigned error_status() const noexcept { return error_status_; }
    [[nodiscard]] std::string_view error_reason() const noexcept { return error_reason_; }

private:
    enum class state { head, body_length, chunk_size, chunk_data, chunk_data_end, trailers, done, error };

    result fail(unsigned status, std::string_view reason) noexcept {
        state_ = state::error;
        error_status_ = status;
        error_reason_ = reason;
        return result::error;
    }

    // The head: find complete lines, enforce the size limits as bytes arrive, then parse the
    // whole head at once.
    result parse_head(const char* data, std::size_t size, std::size_t& consumed, raw_request& req) {
        const auto& o = *opts_;
        std::size_t start = 0;
        if (lines_ == 0 && scan_ == 0) {
            // RFC 9112 2.2: ignore empty lines received before the request line.
            while (size - start >= 2 && data[start] == '\r' && data[start + 1] == '\n') {
                start += 2;
                skipped_ += 2;
            }
            consumed = start;
            if (skipped_ > o.max_request_line) return fail(400, "too many empty lines before the request");
            if (size - start == 1 && data[start] == '\r') return result::need_more;
        }
        const char* p = data + start;
        const std::size_t n = size - start;
        while (true) {
            const char* line = p + scan_;
            const std::size_t avail = n - scan_;
            const auto* nl = static_cast<const char*>(std::memchr(line, '\n', avail));
            if (nl == nullptr) {
                if (has_bare_cr(line, avail)) return fail(400, "CR without LF in the request head");
                if (lines_ == 0) {
                    if (avail > o.max_request_line + 1) return fail(414, "request line too long");
                } else {
                    if (avail > o.max_header_line + 1) return fail(431, "header line too long");
                    if (header_bytes_ + avail > o.max_header_bytes + 1) return fail(431, "header block too large");
                }
                return result::need_more;
            }
            std::size_t len = static_cast<std::size_t>(nl - line);
            if (len == 0 || line[len - 1] != '\r') return fail(400, "bare LF in the request head");
            if (has_bare_cr(line, len)) return fail(400, "CR without LF in the request head");
            --len;
            if (lines_ == 0) {
                if (len > o.max_request_line) return fail(414, "request line too long");
            } else if (len == 0) {
                const std::size_t head_size = static_cast<std::size_t>(nl + 1 - p);
                consumed = start + head_size;
                return parse_head_lines(p, head_size, req);
            } else {
                if (len > o.max_header_line) return fail(431, "header line too long");
                header_bytes_ += len + 2;
                if (header_bytes_ > o.max_header_bytes) return fail(431, "header block too large");
                if (++fields_ > o.max_header_fields) return fail(431, "too many header fields");
            }
            ++lines_;
            scan_ = static_cast<std::size_t>(nl + 1 - p);
        }
    }

    // Whether the `n` bytes at `p` hold a CR followed by a byte (any byte: an LF never follows
    // inside a line). Checked as bytes arrive and on complete lines alike, so that a bare CR
    // is a 400 as soon as it is seen whatever the split (found by fuzz/fuzz_request_parser).
    static bool has_bare_cr(const char* p, std::size_t n) noexcept {
        return n >= 2 && std::memchr(p, '\r', n - 1) != nullptr;
    }

    // Parses a complete head: every line ends in CRLF, the last line is empty.
    result parse_head_lines(const char* p, std::size_t size, raw_request& req) {
        std::string_view head(p, size - 2);  // without the final empty line's CRLF
        auto next_line = [&head]() {
            const auto crlf = head.find("\r\n");
            const auto line = head.substr(0, crlf);
            head.remove_prefix(crlf + 2);
            return line;
        };
        req.clear();
        req.body().clear();
        if (auto r = parse_request_line(next_line(), req); r != result::head_done) return r;

        unsigned hosts = 0;
        std::string_view host;
        bool has_length = false;
        bool has_te = false;
        bool te_empty = true;
        unsigned chunked_count = 0;
        bool last_is_chunked = false;
        bool te_invalid = false;
        bool close_token = false;
        bool keep_alive_token = false;
        bool expect_other = false;
        bool expect_continue = false;
        std::uint64_t length = 0;

        while (!head.empty()) {
            const auto line = next_line();
            std::string_view name, value;
            if (auto r = split_field(line, name, value); r != result::need_more) return r;
            // Look at the fields that frame the message or that the server acts on.
            namespace http = boost::beast::http;
            http::field known = http::field::unknown;  // saves Beast looking the name up again
            switch (name.size()) {
                case 4:
                    if (iequals(name, "host")) {
                        ++hosts;
                        host = value;
                        known = http::field::host;
                    }
                    break;
                case 6:
                    if (iequals(name, "expect")) {
                        known = http::field::expect;
                        if (iequals(value, "100-continue")) expect_continue = true;
                        else expect_other = true;
                    }
                    break;
                case 10:
                    if (iequals(name, "connection")) {
                        known = http::field::connection;
                        for_each_list_element(value, [&](std::string_view token) {
                            if (iequals(token, "close")) close_token = true;
                            else if (iequals(token, "keep-alive")) keep_alive_token = true;
                        });
                    }
                    break;
                case 14:
                    if (iequals(name, "content-length")) {
                        known = http::field::content_length;
                        std::uint64_t v = 0;
                        if (value.empty()) return fail(400, "empty Content-Length");
                        for (char c : value) {
                            if (c < '0' || c > '9') return fail(400, "invalid Content-Length");
                            if (v > (UINT64_MAX - 9) / 10) return fail(413, "Content-Length too large");
                            v = v * 10 + static_cast<unsigned>(c - '0');
                        }
                        if (has_length && v != length) return fail(400, "conflicting Content-Length fields");
                        has_length = true;
                        length = v;
                    }
                    break;
                case 17:
                    if (iequals(name, "transfer-encoding")) {
                        known = http::field::transfer_encoding;
                        has_te = true;
                        for_each_list_element(value, [&](std::string_view coding) {
                            te_empty = false;
                            for (char c : coding)
                                if (!chars.is(c, char_table::tchar)) te_invalid = true;
                            last_is_chunked = iequals(coding, "chunked");
                            if (last_is_chunked) ++chunked_count;
                        });
                    }
                    break;
                default: break;
            }
            if (known != http::field::unknown) req.insert(known, name, value);
            else req.insert(name, value);
        }

        if (hosts > 1) return fail(400, "more than one Host field");
        if (hosts == 0 && version_ == 11) return fail(400, "missing Host field (required by HTTP/1.1)");
        if (hosts == 1 && !is_valid_host(host)) return fail(400, "invalid Host value");  // RFC 9112 3.2
        if (has_te) {
            if (has_length) return fail(400, "both Content-Length and Transfer-Encoding");
            if (version_ < 11) return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            if (te_empty || te_invalid) return fail(400, "invalid Transfer-Encoding");
            if (!last_is_chunked) return fail(501, "Transfer-Encoding not ending in chunked is not implemented");
            if (chunked_count > 1) return fail(400, "chunked applied more than once");
        }
        keep_alive_ = version_ >= 11 ? !close_token : keep_alive_token && !close_token;
        if (expect_other && version_ >= 11) return fail(417, "unsupported Expect value");
        if (!authority_.empty()) req.set(boost::beast::http::field::host, {authority_.data(), authority_.size()});

        if (has_te) {
            chunked_ = true;
            state_ = state::chunk_size;
        } else if (has_length && length > 0) {
            if (length > opts_->max_body) return fail(413, "body too large");
            content_length_ = length;
            remaining_ = length;
            req.body().reserve(static_cast<std::size_t>(length));
            state_ = state::body_length;
        } else {
            state_ = state::done;
        }
        expect_continue_ = expect_continue && version_ >= 11 && state_ != state::done;
        return result::head_done;
    }

    result parse_request_line(std::string_view line, raw_request& req) {
        std::size_t i = 0;
        while (i < line.size() && chars.is(line[i], char_table::tchar)) ++i;
        if (i == 0 || i == line.size() || line[i] != ' ') return fail(400, "invalid method");
        const auto method = line.substr(0, i);
        const std::size_t t = ++i;
        while (i < line.size() && chars.is(line[i], char_table::vchar)) ++i;
        if (i == t) return fail(400, "invalid request target");
        const auto target = line.substr(t, i - t);
        if (i == line.size()) return fail(400, "missing HTTP version in the request line");
        if (line[i] != ' ') return fail(400, "invalid character in the request target");
        const auto version = line.substr(i + 1);
        if (version.starts_with("HTTP/")) {
            if (version.size() != 8 || version[6] != '.' || version[5] < '0' || version[5] > '9' ||
                version[7] < '0' || version[7] > '9')
                return fail(400, "invalid HTTP version");
            const unsigned major = static_cast<unsigned>(version[5] - '0');
            const unsigned minor = static_cast<unsigned>(version[7] - '0');
            if (major != 1) return fail(505, "HTTP version not supported");
            // RFC 9110 2.5: a later HTTP/1.x minor version is answered as HTTP/1.1.
            version_ = minor == 0 ? 10 : 11;
            if (!opts_->allow_unknown_methods && !is_known_method(method))
                return fail(501, "method not implemented");
        } else if (opts_->accept_ice_and_rtsp && version == "ICE/1.0" && method == "SOURCE") {
            version_ = 10;
        } else if (opts_->accept_ice_and_rtsp && version == "RTSP/1.0" && is_rtsp_method(method)) {
            version_ = 10;
        } else {
            return fail(400, "invalid protocol version");
        }
        if (const auto reason = check_target_form(method, target); !reason.empty()) return fail(400, reason);
        req.method_string({method.data(), method.size()});
        authority_ = {};
        if (const auto absolute = split_absolute_form(target)) {
            // RFC 9112 3.2.2: a server must accept the absolute-form (what a client sends to a
            // proxy). It is served as its origin-form, and its authority stands for Host.
            authority_ = absolute->authority;
            if (const auto reason = check_target_authority(authority_); !reason.empty()) return fail(400, reason);
            const std::string_view rest = absolute->rest;
            if (rest.starts_with('/')) req.target({rest.data(), rest.size()});
            else req.target(std::string("/").append(rest));
        } else {
            req.target({target.data(), target.size()});
        }
        req.version(version_);
        return result::head_done;
    }

    // RFC 9112 3.2: a target in none of the four forms ("plaintext", "GET host:80") is a 400.
    static std::string_view check_target_form(std::string_view method, std::string_view target) noexcept {
        if (classify_request_target(method, target) == target_form::invalid)
            return "request target in none of the four forms (origin, absolute, authority, asterisk)";
        return {};
    }

    // An absolute-form target ("http://user@host:8080/path?q") in two views into it: the
    // authority ("user@host:8080") and what follows it ("/path?q", possibly empty or starting
    // with '?'). scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986).
    struct absolute_form {
        std::string_view authority;
        std::string_view rest;
    };
    static std::optional<absolute_form> split_absolute_form(std::string_view target) noexcept {
        const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
        if (target.empty() || !is_alpha(target.front())) return std::nullopt;
        std::size_t i = 1;
        while (i < target.size() && (is_alpha(target[i]) || (target[i] >= '0' && target[i] <= '9') ||
                                     target[i] == '+' || target[i] == '-' || target[i] == '.'))
            ++i;
        if (target.substr(i, 3) != "://") return std::nullopt;
        const std::size_t authority_start = i + 3;
        i = authority_start;
        while (i < target.size() && target[i] != '/' && target[i] != '?' && target[i] != '#') ++i;
        return absolute_form{target.substr(authority_start, i - authority_start), target.substr(i)};
    }

    // The IANA HTTP method registry, plus UPnP's and caches' common extensions.
    static bool is_known_method(std::string_view m) noexcept {
        static constexpr std::string_view known[] = {
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
            "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK",
            "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE",
            "ORDERPATCH", "PRI", "PROPFIND", "PROPPATCH", "REBIND", "REPORT", "SEARCH", "UNBIND",
            "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL",
            "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PURGE", "SOURCE"};
        for (auto k : known)
            if (k == m) return true;
        return false;
    }

    static bool is_rtsp_method(std::string_view m) noexcept {
        static constexpr std::string_view rtsp[] = {"OPTIONS", "DESCRIBE", "ANNOUNCE", "SETUP",
                                                    "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER",
                                                    "SET_PARAMETER", "REDIRECT", "RECORD", "FLUSH"};
        for (auto k : rtsp)
            if (k == m) return true;
        return false;
    }

    // Splits "name: value" and validates both; returns need_more on success.
    result split_field(std::string_view line, std::string_view& name, std::string_view& value) {
        if (line.front() == ' ' || line.front() == '\t') return fail(400, "obsolete line folding in the header");
        std::size_t i = 0;
        while (i < line.size() && chars.is(line[i], char_table::tchar)) ++i;
        if (i == line.size() || line[i] != ':') return fail(400, "invalid header field name");
        if (i == 0) return fail(400, "empty header field name");
        name = line.substr(0, i);
        value = trim_ows(line.substr(i + 1));
        for (char c : value)
            if (!chars.is(c, char_table::field_value)) return fail(400, "invalid character in a header value");
        return result::need_more;
    }

    result parse_body(const char* data, std::size_t size, std::size_t& consumed, raw_request& req) {
        std::size_t pos = 0;
        auto done = [&](result r) {
            consumed = pos;
            return r;
        };
        // Moves what has arrived of the current body (or chunk) into the request.
        // @return true when all of it has arrived
        auto take_body = [&] {
            const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size - pos));
            req.body().append(data + pos, take);
            pos += take;
            remaining_ -= take;
            return remaining_ == 0;
        };
        while (true) {
            switch (state_) {
                case state::body_length: {
                    if (!take_body()) return done(result::need_more);
                    state_ = state::done;
                    return done(result::complete);
                }
                case state::chunk_size: {
                    const std::size_t avail = size - pos;
                    const auto* nl = static_cast<const char*>(std::memchr(data + pos, '\n', avail));
                    const std::size_t max_line = 64 + (opts_->max_chunk_extensions - extension_bytes_);
                    if (nl == nullptr) {
                        if (avail > max_line) return fail(400, "chunk extensions too long");
                        return done(result::need_more);
                    }
                    std::size_t len = static_cast<std::size_t>(nl - (data + pos));
                    if (len == 0 || data[pos + len - 1] != '\r') return fail(400, "bare LF after a chunk size");
                    --len;
                    if (auto r = parse_chunk_line({data + pos, len}); r != result::need_more) return r;
                    pos += len + 2;
                    break;
                }
                case state::chunk_data: {
                    if (!take_body()) return done(result::need_more);
                    state_ = state::chunk_data_end;
                    break;
                }
                case state::chunk_data_end: {
                    if (size - pos < 2) {
                        if (size - pos == 1 && data[pos] != '\r') return fail(400, "chunk data not followed by CRLF");
                        return done(result::need_more);
                    }
                    if (data[pos] != '\r' || data[pos + 1] != '\n') return fail(400, "chunk data not followed by CRLF");
                    pos += 2;
                    state_ = state::chunk_size;
                    break;
                }
                case state::trailers: {
                    const std::size_t avail = size - pos;
                    const auto* nl = static_cast<const char*>(std::memchr(data + pos, '\n', avail));
                    if (nl == nullptr) {
                        if (avail > opts_->max_header_line + 1) return fail(431, "trailer line too long");
                        if (avail >= 2 && data[pos] == '\r') return fail(400, "CR without LF in the trailers");
                        return done(result::need_more);
                    }
                    std::size_t len = static_cast<std::size_t>(nl - (data + pos));
                    if (len == 0 || data[pos + len - 1] != '\r') return fail(400, "bare LF in the trailers");
                    --len;
                    if (len == 0) {
                        pos += 2;
                        state_ = state::done;
                        return done(result::complete);
                    }
                    if (len > opts_->max_header_line) return fail(431, "trailer line too long");
                    header_bytes_ += len + 2;
                    if (header_bytes_ > opts_->max_header_bytes) return fail(431, "header block too large");
                    if (++fields_ > opts_->max_header_fields) return fail(431, "too many header fields");
                    std::string_view name, value;
                    if (auto r = split_field({data + pos, len}, name, value); r != result::need_more) return r;
                    // Trailer fields are checked and dropped: none of them may change the framing,
                    // and handlers read headers only.
                    pos += len + 2;
                    break;
                }
                default: return done(result::complete);
            }
        }
    }

    // chunk-size [ chunk-ext ] where chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
    result parse_chunk_line(std::string_view line) {
        std::size_t i = 0;
        std::uint64_t size = 0;
        while (i < line.size() && chars.is(line[i], char_table::hexdig)) {
            const char c = line[i];
            const unsigned d = c <= '9' ? static_cast<unsigned>(c - '0')
                                        : static_cast<unsigned>((c | 0x20) - 'a' + 10);
            if (size > (UINT64_MAX >> 4)) return fail(413, "chunk size too large");
            size = (size << 4) | d;
            ++i;
        }
        if (i == 0) return fail(400, "invalid chunk size");
        const auto ext = line.substr(i);
        extension_bytes_ += ext.size();
        if (extension_bytes_ > opts_->max_chunk_extensions) return fail(400, "chunk extensions too long");
        if (!valid_chunk_extensions(ext)) return fail(400, "invalid chunk extension");
        if (size == 0) {
            state_ = state::trailers;
            return result::need_more;
        }
        if (size > opts_->max_body || body_size_ + size > opts_->max_body) return fail(413, "body too large");
        body_size_ += size;
        remaining_ = size;
        state_ = state::chunk_data;
        return result::need_more;
    }

    static bool valid_chunk_extensions(std::string_view s) noexcept {
        std::size_t i = 0;
        auto skip_bws = [&] {
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        };
        auto token = [&] {
            const std::size_t b = i;
            while (i < s.size() && chars.is(s[i], char_table::tchar)) ++i;
            return i > b;
        };
        while (i < s.size()) {
            skip_bws();
            if (i == s.size() || s[i] != ';') return false;
            ++i;
            skip_bws();
            if (!token()) return false;
            const std::size_t before = i;
            skip_bws();
            if (i < s.size() && s[i] == '=') {
                ++i;
                skip_bws();
                if (i < s.size() && s[i] == '"') {
                    ++i;
                    bool closed = false;
                    while (i < s.size()) {
                        const char c = s[i];
                        if (c == '"') {
                            ++i;
                            closed = true;
                            break;
                        }
                        if (c == '\\') {
                            // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                            if (i + 1 >= s.size() || !chars.is(s[i + 1], char_table::field_value)) return false;
                            i += 2;
                            continue;
                        }
                        if (!chars.is(c, char_table::qdtext)) return false;
                        ++i;
                    }
                    if (!closed) return false;
                } else if (!token()) {
                    return false;
                }
            } else {
                i = before;  // trailing BWS is only allowed before another ';'
                if (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != ';') return false;
            }
        }
        return true;
    }

    const options* opts_;
    state state_ = state::head;
    std::size_t scan_ = 0;          // start of the first unterminated line of the head
    std::size_t lines_ = 0;         // complete lines of the head so far
    std::size_t header_bytes_ = 0;  // header (and trailer) bytes so far
    std::size_t fields_ = 0;        // header (and trailer) fields so far
    std::size_t skipped_ = 0;       // empty lines skipped before the request line
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool chunked_ = false;
    bool expect_continue_ = false;
    std::uint64_t content_length_ = 0;
    std::uint64_t remaining_ = 0;  // of the body or of the current chunk
    std::uint64_t body_size_ = 0;  // chunked: data so far
    std::size_t extension_bytes_ = 0;
    unsigned error_status_ = 0;
    std::string_view error_reason_;
    std::string_view authority_;  // of an absolute-form target, into the head being parsed
};

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_REQUEST_PARSER_HPP
