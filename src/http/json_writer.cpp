// vial::json_writer, compiled once into the vial library.
#include <vial/http/json_writer.hpp>

#include <charconv>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace vial {

namespace {

/// @return the length of the UTF-8 sequence starting at `p` (1 to 4), or 0 when it is not a
///         valid one (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) noexcept {
    const unsigned char c = *p;
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (static_cast<std::size_t>(end - p) < n) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return n;
}

/// Appends `text` as a JSON string, escaped as nlohmann's dump() escapes it (ensure_ascii off).
void write_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    const auto* run = p;  // bytes copied as they are, not yet appended
    auto flush = [&](const unsigned char* to) { out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(to - run)); };
    while (p != end) {
        const unsigned char c = *p;
        if (c >= 0x80) {
            const std::size_t n = utf8_length(p, end);
            if (n == 0)
                throw std::invalid_argument("vial::json_writer: invalid UTF-8 byte at index " +
                                            std::to_string(p - reinterpret_cast<const unsigned char*>(text.data())));
            p += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++p;
            continue;
        }
        flush(p);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
        }
        run = ++p;
    }
    flush(end);
    out += '"';
}

}  // namespace

void json_writer::separate() {
    if (need_comma_) out_ += ',';
}

json_writer& json_writer::open(char c) {
    separate();
    out_ += c;
    need_comma_ = false;
    return *this;
}

json_writer& json_writer::close(char c) {
    out_ += c;
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::key(std::string_view name) {
    separate();
    write_string(out_, name);
    out_ += ':';
    need_comma_ = false;
    return *this;
}

json_writer& json_writer::value(std::string_view text) {
    separate();
    write_string(out_, text);
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::value(std::nullptr_t) {
    separate();
    out_ += "null";
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::boolean(bool b) {
    separate();
    out_ += b ? "true" : "false";
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::signed_integer(long long n) {
    separate();
    char digits[24];
    const auto [ptr, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out_.append(digits, ptr);
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::unsigned_integer(unsigned long long n) {
    separate();
    char digits[24];
    const auto [ptr, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out_.append(digits, ptr);
    need_comma_ = true;
    return *this;
}

response json_writer::to_response(unsigned status) {
    need_comma_ = false;
    return response(status, std::move(out_), "application/json"); }

}  // namespace vial
