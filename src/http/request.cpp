// vial::request: the parts that touch the Beast message, compiled once into the vial library.
#include <vial/http/raw.hpp>
#include <vial/http/request.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

namespace {

static_assert(sizeof(raw_request) <= 160 && alignof(raw_request) <= alignof(std::max_align_t),
              "vial: the request's storage (detail::opaque<160> in request.hpp) is too small for the Beast "
              "message of this Boost version: raise it there");

std::string_view to_view(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

}  // namespace

request::request() { ::new (static_cast<void*>(raw_.bytes)) raw_request(); }

request::request(raw_request raw, std::string remote_address) : remote_address_(std::move(remote_address)) {
    ::new (static_cast<void*>(raw_.bytes)) raw_request(std::move(raw));
}

request::request(const request& other)
    : remote_address_(other.remote_address_), endpoint_(other.endpoint_), url_rule_(other.url_rule_),
      args_(other.args_), cookies_(other.cookies_), form_(other.form_), json_(other.json_) {
    ::new (static_cast<void*>(raw_.bytes)) raw_request(other.raw());
}

request::request(request&& other) noexcept
    : remote_address_(std::move(other.remote_address_)), endpoint_(other.endpoint_), url_rule_(other.url_rule_),
      args_(std::move(other.args_)), cookies_(std::move(other.cookies_)), form_(std::move(other.form_)),
      json_(std::move(other.json_)) {
    ::new (static_cast<void*>(raw_.bytes)) raw_request(std::move(other.raw_.as<raw_request>()));
}

request& request::operator=(const request& other) {
    if (this != &other) {
        raw_.as<raw_request>() = other.raw();
        remote_address_ = other.remote_address_;
        endpoint_ = other.endpoint_;
        url_rule_ = other.url_rule_;
        args_ = other.args_;
        cookies_ = other.cookies_;
        form_ = other.form_;
        json_ = other.json_;
    }
    return *this;
}

request& request::operator=(request&& other) noexcept {
    if (this != &other) {
        raw_.as<raw_request>() = std::move(other.raw_.as<raw_request>());
        remote_address_ = std::move(other.remote_address_);
        endpoint_ = other.endpoint_;
        url_rule_ = other.url_rule_;
        args_ = std::move(other.args_);
        cookies_ = std::move(other.cookies_);
        form_ = std::move(other.form_);
        json_ = std::move(other.json_);
    }
    return *this;
}

request::~request() { std::destroy_at(&raw_.as<raw_request>()); }

raw_request& request::raw() noexcept {
    clear_caches();
    return raw_.as<raw_request>();
}
const raw_request& request::raw() const noexcept { return raw_.as<raw_request>(); }

std::string_view request::method() const noexcept { return to_view(raw().method_string()); }
std::string_view request::target() const noexcept { return to_view(raw().target()); }

std::string_view request::header(std::string_view name) const {
    const auto& r = raw();
    const auto it = r.find(name);
    return it == r.end() ? std::string_view{} : to_view(it->value());
}

bool request::has_header(std::string_view name) const {
    const auto& r = raw();
    return r.find(name) != r.end();
}

std::vector<std::string_view> request::header_values(std::string_view name) const {
    std::vector<std::string_view> out;
    const auto [first, last] = raw().equal_range(name);
    for (auto it = first; it != last; ++it) out.push_back(to_view(it->value()));
    return out;
}

const std::string& request::body() const noexcept { return raw().body(); }

const cookie_map& request::cookies() const {
    if (!cookies_) {
        cookie_map parsed;
        const auto [first, last] = raw().equal_range(boost::beast::http::field::cookie);
        for (auto it = first; it != last; ++it) parse_cookie_header(to_view(it->value()), parsed);
        cookies_ = std::move(parsed);
    }
    return *cookies_;
}

const nlohmann::json& request::json() const {
    if (!json_) {
        try {
            json_ = std::make_shared<const nlohmann::json>(nlohmann::json::parse(body()));
        } catch (const nlohmann::json::parse_error& e) {
            std::string_view message = e.what();
            if (message.starts_with("[json.exception.")) {
                const auto close = message.find("] ");
                if (close != std::string_view::npos) message.remove_prefix(close + 2);
            }
            throw http_error(400, "invalid JSON body: " + std::string(message));
        }
    }
    return *json_;
}

const multi_dict& request::args() const {
    if (!args_) args_ = parse_query(query_string());
    return *args_;
}

std::optional<std::string> request::cookie(std::string_view name) const {
    const auto& all = cookies();
    const auto it = all.find(name);
    if (it == all.end()) return std::nullopt;
    return it->second;
}

const multi_dict& request::form() const {
    parse_form();
    return form_->fields;
}

const std::vector<uploaded_file>& request::files() const {
    parse_form();
    return form_->files;
}

const uploaded_file* request::file(std::string_view field) const {
    for (const auto& f : files())
        if (f.field == field) return &f;
    return nullptr;
}

std::string request::content_type() const {
    return detail::http_text::parse_header_value(header("Content-Type")).value;
}

bool request::is_json() const {
    const auto type = content_type();
    return type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"));
}

std::optional<std::uint64_t> request::content_length() const {
    const auto text = detail::http_text::trim(header("Content-Length"));
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

void request::parse_form() const {
    if (form_) return;
    const auto type = content_type();
    if (type == "application/x-www-form-urlencoded") {
        form_ = multipart_data{parse_query(body()), {}};
    } else if (type == "multipart/form-data") {
        form_ = parse_multipart(body(), multipart_boundary(header("Content-Type")));
    } else {
        form_ = multipart_data{};
    }
}

void request::clear_caches() noexcept {
    args_.reset();
    cookies_.reset();
    form_.reset();
    json_.reset();
}

}  // namespace vial
