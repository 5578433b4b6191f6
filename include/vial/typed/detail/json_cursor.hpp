#ifndef VIAL_TYPED_DETAIL_JSON_CURSOR_HPP
#define VIAL_TYPED_DETAIL_JSON_CURSOR_HPP

/// @file
/// The lexical half of vial's JSON reader: a strict RFC 8259 scanner over the bytes (no tree).
/// Strings are checked to be UTF-8 (overlong forms, surrogates and code points above U+10FFFF
/// rejected), escapes decoded (a lone surrogate escape is rejected), numbers follow the
/// grammar exactly, and arrays/objects nest at most `json_max_depth` deep. A syntax error
/// throws `syntax_failure` with the byte where the input broke.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vial {

/// How deep arrays and objects may nest in a document vial reads; deeper is malformed.
inline constexpr int json_max_depth = 64;

namespace detail {

struct syntax_failure {
    std::size_t offset;
    const char* reason;
};

/// A number as scanned: its bytes and its form.
struct json_number {
    const char* begin;
    const char* end;
    bool negative;
    bool integral;  ///< no fraction, no exponent
};

/// The first byte at or after `q` (before `end`) that is '"', '\\', a control character or not
/// ASCII: what a JSON string reader or writer must look at. Eight bytes at a time.
inline const char* plain_run(const char* q, const char* end) noexcept {
    while (end - q >= 8) {
        std::uint64_t w;
        std::memcpy(&w, q, 8);
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        const std::uint64_t quote = w ^ (ones * '"');
        const std::uint64_t slash = w ^ (ones * '\\');
        // Some byte is < 0x20, >= 0x80, '"' or '\\' (each test exact about "some byte").
        const std::uint64_t special =
            (((w - ones * 0x20) & ~w) | w | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) & highs;
        if (special != 0) break;
        q += 8;
    }
    while (q != end) {
        const auto c = static_cast<unsigned char>(*q);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return q;
        ++q;
    }
    return q;
}

/// The length of the UTF-8 sequence at `q` (its first byte >= 0x80), or 0 when it is not one:
/// overlong, a surrogate, above U+10FFFF, or cut short by `end`.
inline std::size_t utf8_sequence(const char* q, const char* end) noexcept {
    const auto b0 = static_cast<unsigned char>(q[0]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 1;
    else if (b0 == 0xE0) { n = 2; lo = 0xA0; }
    else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) n = 2;
    else if (b0 == 0xED) { n = 2; hi = 0x9F; }
    else if (b0 == 0xF0) { n = 3; lo = 0x90; }
    else if (b0 >= 0xF1 && b0 <= 0xF3) n = 3;
    else if (b0 == 0xF4) { n = 3; hi = 0x8F; }
    else return 0;
    if (static_cast<std::size_t>(end - q) <= n) return 0;
    const auto b1 = static_cast<unsigned char>(q[1]);
    if (b1 < lo || b1 > hi) return 0;
    for (std::size_t i = 2; i <= n; ++i) {
        const auto b = static_cast<unsigned char>(q[i]);
        if (b < 0x80 || b > 0xBF) return 0;
    }
    return n + 1;
}

class json_cursor {
public:
    explicit json_cursor(std::string_view text) noexcept
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

    [[noreturn]] void fail(const char* at, const char* reason) const {
        throw syntax_failure{static_cast<std::size_t>(at - begin_), reason};
    }

    void ws() noexcept {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    /// The next byte, or '\0' at the end (a NUL byte in the input is never valid where peeked).
    [[nodiscard]] char peek() const noexcept { return p_ != end_ ? *p_ : '\0'; }
    [[nodiscard]] bool at_end() const noexcept { return p_ == end_; }
    [[nodiscard]] const char* pos() const noexcept { return p_; }
    [[nodiscard]] const char* begin() const noexcept { return begin_; }
    void advance() noexcept { ++p_; }

    void expect(char c, const char* reason) {
        if (p_ == end_ || *p_ != c) fail(p_, reason);
        ++p_;
    }

    void enter() {
        if (++depth_ > json_max_depth) fail(p_, "nesting deeper than 64");
        ++p_;
    }
    void leave() noexcept {
        --depth_;
        ++p_;
    }

    /// After a member of an object: true at ',' (skipped, and the whitespace after it), false
    /// at '}' (not skipped); anything else is malformed.
    bool more_members() {
        ws();
        if (peek() == ',') {
            ++p_;
            ws();
            return true;
        }
        if (peek() == '}') return false;
        fail(p_, "expected ',' or '}'");
    }
    /// After an item of an array: true at ',' (skipped), false at ']' (not skipped).
    bool more_items() {
        ws();
        if (peek() == ',') {
            ++p_;
            return true;
        }
        if (peek() == ']') return false;
        fail(p_, "expected ',' or ']'");
    }

    /// Reads `true`, `false` or `null` (spelled `word`) at the cursor.
    void word(const char* w, std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, w, n) != 0) fail(p_, "invalid literal");
        p_ += n;
    }

    /// Reads the string at the cursor (at '"') into `out` (replacing its contents).
    void string(std::string& out) {
        out.clear();
        const char* run = ++p_;
        for (;;) {
            const char* q = plain_run(p_);
            if (q == end_) fail(q, "unterminated string");
            const auto c = static_cast<unsigned char>(*q);
            if (c == '"') {
                out.append(run, q);
                p_ = q + 1;
                return;
            }
            if (c == '\\') {
                out.append(run, q);
                p_ = q;
                escape(out);
                run = p_;
                continue;
            }
            if (c < 0x20) fail(q, "control character in string");
            p_ = utf8(q);
        }
    }

    /// Reads the string at the cursor as a view into the input when it has no escapes, else
    /// decoded into `scratch`.
    std::string_view key(std::string& scratch) {
        const char* start = p_ + 1;
        const char* q = start;
        for (;;) {
            q = plain_run(q);
            if (q == end_) fail(q, "unterminated string");
            const auto c = static_cast<unsigned char>(*q);
            if (c == '"') {
                p_ = q + 1;
                return {start, static_cast<std::size_t>(q - start)};
            }
            if (c == '\\') break;
            if (c < 0x20) fail(q, "control character in string");
            q = utf8(q);
        }
        string(scratch);
        return scratch;
    }

    /// Scans the number at the cursor.
    json_number number() {
        json_number n{p_, p_, false, true};
        const char* q = p_;
        if (q != end_ && *q == '-') {
            n.negative = true;
            ++q;
        }
        if (q == end_ || !digit(*q)) fail(q, "invalid number");
        if (*q == '0') {
            ++q;
        } else {
            while (q != end_ && digit(*q)) ++q;
        }
        if (q != end_ && *q == '.') {
            n.integral = false;
            ++q;
            if (q == end_ || !digit(*q)) fail(q, "invalid number: digits expected after '.'");
            while (q != end_ && digit(*q)) ++q;
        }
        if (q != end_ && (*q == 'e' || *q == 'E')) {
            n.integral = false;
            ++q;
            if (q != end_ && (*q == '+' || *q == '-')) ++q;
            if (q == end_ || !digit(*q)) fail(q, "invalid number: digits expected in the exponent");
            while (q != end_ && digit(*q)) ++q;
        }
        n.end = p_ = q;
        return n;
    }

    /// Skips the value at the cursor (after whitespace), checking its syntax.
    void skip_value() {
        ws();
        switch (peek()) {
        case '{': {
            enter();
            ws();
            if (peek() == '}') {
                leave();
                return;
            }
            for (;;) {
                if (peek() != '"') fail(p_, "expected a string key");
                skip_string();
                ws();
                expect(':', "expected ':'");
                skip_value();
                if (!more_members()) break;
            }
            leave();
            return;
        }
        case '[': {
            enter();
            ws();
            if (peek() == ']') {
                leave();
                return;
            }
            for (;;) {
                skip_value();
                if (!more_items()) break;
            }
            leave();
            return;
        }
        case '"': skip_string(); return;
        case 't': word("true", 4); return;
        case 'f': word("false", 5); return;
        case 'n': word("null", 4); return;
        default:
            if (peek() == '-' || digit(peek())) {
                (void)number();
                return;
            }
            fail(p_, at_end() ? "unexpected end of input" : "expected a value");
        }
    }

    /// Skips the string at the cursor (at '"'), checking it as `key` does.
    void skip_string() { (void)key(scratch_); }

    static constexpr bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

private:
    const char* plain_run(const char* q) const noexcept { return detail::plain_run(q, end_); }

    /// Checks the UTF-8 sequence at q (its first byte >= 0x80); returns the byte after it.
    const char* utf8(const char* q) const {
        const std::size_t n = utf8_sequence(q, end_);
        if (n == 0) fail(q, "invalid UTF-8 in string");
        return q + n;
    }

    int hex4(const char* q) const {
        if (end_ - q < 4) fail(q, "invalid \\u escape");
        int v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = q[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else fail(q, "invalid \\u escape");
            v = v * 16 + d;
        }
        return v;
    }

    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    /// Decodes the escape at p_ (at '\\') onto out.
    void escape(std::string& out) {
        const char* q = p_;
        if (end_ - q < 2) fail(q, "unterminated string");
        switch (q[1]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            std::uint32_t cp = static_cast<std::uint32_t>(hex4(q + 2));
            q += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF) fail(p_, "lone surrogate in \\u escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end_ - q < 6 || q[0] != '\\' || q[1] != 'u') fail(p_, "lone surrogate in \\u escape");
                const auto low = static_cast<std::uint32_t>(hex4(q + 2));
                if (low < 0xDC00 || low > 0xDFFF) fail(p_, "lone surrogate in \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                q += 6;
            }
            put_utf8(out, cp);
            p_ = q;
            return;
        }
        default: fail(q, "invalid escape in string");
        }
        p_ = q + 2;
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    int depth_ = 0;
    std::string scratch_;
};

/// Line and column (from 1) of byte `offset` of `text`.
inline void line_column(std::string_view text, std::size_t offset, std::size_t& line, std::size_t& column) {
    line = 1;
    column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
}

}  // namespace detail
}  // namespace vial

#endif  // VIAL_TYPED_DETAIL_JSON_CURSOR_HPP
