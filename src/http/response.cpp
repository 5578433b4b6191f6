// vial::response and the response helpers, compiled once into the vial library.
#include <vial/http/raw.hpp>
#include <vial/http/response.hpp>
#include <vial/json.hpp>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

namespace {

static_assert(sizeof(raw_response) <= 160 && alignof(raw_response) <= alignof(std::max_align_t),
              "vial: the response's storage (detail::opaque<160> in response.hpp) is too small for the Beast "
              "message of this Boost version: raise it there");

void check_header(std::string_view name, std::string_view value) {
    if (name.empty() || detail::has_cr_lf_nul(name) || detail::has_cr_lf_nul(value))
        throw std::invalid_argument("vial: header '" + std::string(name.substr(0, 64)) +
                                    "' has an empty name or contains CR, LF or NUL");
}

}  // namespace

namespace detail {

bool has_cr_lf_nul(std::string_view text) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u;
    constexpr std::uint64_t highs = 0x8080808080808080u;
    const auto has_zero_byte = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, text.data() + i, 8);
        if (has_zero_byte(x) || has_zero_byte(x ^ (ones * '\r')) || has_zero_byte(x ^ (ones * '\n'))) return true;
    }
    for (; i < text.size(); ++i)
        if (text[i] == '\r' || text[i] == '\n' || text[i] == '\0') return true;
    return false;
}

}  // namespace detail

response::response() {
    auto* r = ::new (static_cast<void*>(raw_.bytes)) raw_response();
    r->result(boost::beast::http::status::ok);  // does not throw
}

response::response(unsigned status, std::string body, std::string_view content_type) {
    if (!content_type.empty() && detail::has_cr_lf_nul(content_type)) check_header("Content-Type", content_type);
    auto* r = ::new (static_cast<void*>(raw_.bytes)) raw_response();
    try {
        r->result(status);
        r->body() = std::move(body);
        if (!content_type.empty()) r->set(boost::beast::http::field::content_type, content_type);  // no name lookup
    } catch (...) {
        std::destroy_at(r);  // a throwing constructor runs no destructor
        throw;
    }
}

response::response(const response& other) : file_(other.file_) {
    ::new (static_cast<void*>(raw_.bytes)) raw_response(other.raw());
}

response::response(response&& other) noexcept : file_(std::move(other.file_)) {
    ::new (static_cast<void*>(raw_.bytes)) raw_response(std::move(other.raw()));
}

response& response::operator=(const response& other) {
    if (this != &other) {
        raw() = other.raw();
        file_ = other.file_;
    }
    return *this;
}

response& response::operator=(response&& other) noexcept {
    if (this != &other) {
        raw() = std::move(other.raw());
        file_ = std::move(other.file_);
    }
    return *this;
}

response::~response() { std::destroy_at(&raw()); }

raw_response& response::raw() noexcept { return raw_.as<raw_response>(); }
const raw_response& response::raw() const noexcept { return raw_.as<raw_response>(); }

unsigned response::status() const noexcept { return raw().result_int(); }
response& response::status(unsigned code) {
    raw().result(code);
    return *this;
}

response& response::set_header(std::string_view name, std::string_view value) {
    check_header(name, value);
    raw().set(name, value);
    return *this;
}

response& response::add_header(std::string_view name, std::string_view value) {
    check_header(name, value);
    raw().insert(name, value);
    return *this;
}

std::string_view response::header(std::string_view name) const {
    const auto& r = raw();
    const auto it = r.find(name);
    return it == r.end() ? std::string_view{} : std::string_view{it->value().data(), it->value().size()};
}

bool response::has_header(std::string_view name) const {
    const auto& r = raw();
    return r.find(name) != r.end();
}

response& response::remove_header(std::string_view name) {
    raw().erase(name);
    return *this;
}

std::string& response::body() noexcept { return raw().body(); }
const std::string& response::body() const noexcept { return raw().body(); }
response& response::body(std::string text) {
    raw().body() = std::move(text);
    file_.reset();
    return *this;
}

response& response::file_body(int fd, std::uint64_t offset, std::uint64_t length) {
    file_ = std::make_shared<const detail::file_part>(fd, offset, length);
    raw().body().clear();
    return *this;
}

detail::file_part::~file_part() {
    if (fd >= 0) ::close(fd);
}

namespace detail::http_text {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace detail::http_text

namespace detail {

bool dump_plain_json(const nlohmann::json& value, std::string& out) {
    using t = nlohmann::json::value_t;
    const auto plain_string = [&out](const std::string& s) {
        for (const char c : s)
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        out.push_back('"');
        out.append(s);
        out.push_back('"');
        return true;
    };
    char digits[24];
    switch (value.type()) {
        case t::null: out.append("null"); return true;
        case t::boolean: out.append(value.get_ref<const bool&>() ? "true" : "false"); return true;
        case t::number_integer: {
            const auto r = std::to_chars(digits, digits + sizeof digits, value.get_ref<const std::int64_t&>());
            out.append(digits, static_cast<std::size_t>(r.ptr - digits));
            return true;
        }
        case t::number_unsigned: {
            const auto r = std::to_chars(digits, digits + sizeof digits, value.get_ref<const std::uint64_t&>());
            out.append(digits, static_cast<std::size_t>(r.ptr - digits));
            return true;
        }
        case t::string: return plain_string(value.get_ref<const std::string&>());
        case t::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& element : value.get_ref<const nlohmann::json::array_t&>()) {
                if (!first) out.push_back(',');
                first = false;
                if (!dump_plain_json(element, out)) return false;
            }
            out.push_back(']');
            return true;
        }
        case t::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& [key, element] : value.get_ref<const nlohmann::json::object_t&>()) {
                if (!first) out.push_back(',');
                first = false;
                if (!plain_string(key)) return false;
                out.push_back(':');
                if (!dump_plain_json(element, out)) return false;
            }
            out.push_back('}');
            return true;
        }
        default: return false;  // floats, binary, discarded
    }
}

std::string dump_json(const nlohmann::json& value, nlohmann::json::error_handler_t on_error) {
    std::string text;
    text.reserve(64);  // one allocation for a small document, not one per doubling
    if (dump_plain_json(value, text)) return text;
    using handler_t = nlohmann::json::error_handler_t;
    struct cached {
        explicit cached(handler_t h) : to(nlohmann::detail::output_adapter<char, std::string>(out), ' ', h) {}
        std::string out;
        nlohmann::detail::serializer<nlohmann::json> to;
    };
    if (on_error == handler_t::ignore) return value.dump(-1, ' ', false, on_error);
    thread_local cached strict(handler_t::strict);
    thread_local cached replace(handler_t::replace);
    auto& c = on_error == handler_t::strict ? strict : replace;
    c.out.clear();
    c.to.dump(value, false, false, 0);
    if (c.out.size() > 4096) return std::move(c.out);  // a large one is handed over, not copied
    return c.out;
}

}  // namespace detail

response text(std::string body, unsigned status) {
    return response(status, std::move(body), "text/plain; charset=utf-8");
}

response html(std::string body, unsigned status) {
    return response(status, std::move(body), "text/html; charset=utf-8");
}

response json_response(const nlohmann::json& value, unsigned status) {
    return response(status, detail::dump_json(value, nlohmann::json::error_handler_t::replace), "application/json");
}

response redirect(std::string_view location, unsigned code) {
    if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308)
        throw std::invalid_argument("vial::redirect: status " + std::to_string(code) +
                                    " is not a redirect; use 301, 302, 303, 307 or 308");
    const auto escaped = detail::http_text::html_escape(location);
    response res(code,
                 "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
                 "<p>You should be redirected automatically to the target URL: <a href=\"" +
                     escaped + "\">" + escaped + "</a>. If not, click the link.\n",
                 "text/html; charset=utf-8");
    res.set_header("Location", location);
    return res;
}

}  // namespace vial
