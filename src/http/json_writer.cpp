// vial::json_writer, compiled once into the vial library.
#include <vial/http/json_writer.hpp>
#include <vial/typed/detail/json_cursor.hpp>  // plain_run, utf8_sequence (standard library only)

#include <charconv>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace vial {

namespace {

/// Appends `text` as a JSON string, escaped as nlohmann's dump() escapes it (ensure_ascii off).
void write_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    const char* p = text.data();
    const char* const end = p + text.size();
    const char* run = p;  // bytes copied as they are, not yet appended
    while (p != end) {
        p = detail::plain_run(p, end);  // the typed layer's scanner: 8 bytes at a time
        if (p == end) break;
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            const std::size_t n = detail::utf8_sequence(p, end);
            if (n == 0)
                throw std::invalid_argument("vial::json_writer: invalid UTF-8 byte at index " +
                                            std::to_string(p - text.data()));
            p += n;
            continue;
        }
        out.append(run, p);
        if (c == '"' || c == '\\') {
            const char escaped[2] = {'\\', static_cast<char>(c)};
            out.append(escaped, 2);
        } else if (const char* short_form = c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : nullptr) {
            out += short_form;
        } else {
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
        run = ++p;
    }
    out.append(run, end);
    out += '"';
}

/// Appends an integer's decimal digits.
template <class Integer>
void write_integer(std::string& out, Integer n) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, result.ptr);
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
    write_integer(out_, n);
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::unsigned_integer(unsigned long long n) {
    separate();
    write_integer(out_, n);
    need_comma_ = true;
    return *this;
}

response json_writer::to_response(unsigned status) {
    need_comma_ = false;
    return response(status, std::move(out_), "application/json"); }

}  // namespace vial
