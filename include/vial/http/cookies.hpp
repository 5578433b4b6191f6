#ifndef VIAL_HTTP_COOKIES_HPP
#define VIAL_HTTP_COOKIES_HPP

/// @file
/// Cookies (RFC 6265): parsing the request's `Cookie` header, formatting `Set-Cookie`.
///
/// Values travel as they are when every byte is a cookie-octet (printable ASCII except
/// space, the double quote, `,`, `;` and the backslash). Any other value is sent as a quoted string with those bytes
/// written as backslash-octal escapes (`"a\040b"` for "a b"), the convention Python's
/// http.cookies and Werkzeug use, and `parse_cookie_header` undoes it, so any bytes round-trip.

#include <vial/http/date.hpp>
#include <vial/http/detail/header_params.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vial {

/// Request cookies by name; lookups accept std::string_view.
using cookie_map = std::map<std::string, std::string, std::less<>>;

/// Attributes of a `Set-Cookie` header. The defaults give a session cookie for the whole site.
struct cookie_options {
    /// `Max-Age`: seconds until the cookie expires (negative values are sent as 0).
    std::optional<std::chrono::seconds> max_age{};
    /// `Expires`: when the cookie expires, sent as an IMF-fixdate.
    std::optional<std::chrono::system_clock::time_point> expires{};
    /// `Path`; empty leaves the attribute out.
    std::string path = "/";
    /// `Domain`; empty leaves the attribute out (the cookie is then host-only).
    std::string domain{};
    /// `Secure`: send only over HTTPS.
    bool secure = false;
    /// `HttpOnly`: hide from JavaScript.
    bool http_only = false;
    /// `SameSite`: "Strict", "Lax", "None" (any case), or empty to leave it out.
    /// "None" requires `secure`, as browsers drop the cookie otherwise.
    std::string same_site{};
};

namespace detail::http_text {

/// RFC 9110 tchar, the characters of a cookie name.
[[nodiscard]] constexpr bool is_tchar(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// RFC 6265 cookie-octet.
[[nodiscard]] constexpr bool is_cookie_octet(char ch) noexcept {
    const auto c = static_cast<unsigned char>(ch);
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) ||
           (c >= 0x5D && c <= 0x7E);
}

[[nodiscard]] inline std::string quote_cookie_value(std::string_view value) {
    if (std::all_of(value.begin(), value.end(), is_cookie_octet)) return std::string(value);
    std::string out = "\"";
    for (const char ch : value) {
        if (is_cookie_octet(ch)) {
            out += ch;
        } else {
            const auto c = static_cast<unsigned char>(ch);
            out += '\\';
            out += static_cast<char>('0' + (c >> 6));
            out += static_cast<char>('0' + ((c >> 3) & 7));
            out += static_cast<char>('0' + (c & 7));
        }
    }
    out += '"';
    return out;
}

[[nodiscard]] inline std::string unquote_cookie_value(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
    value = value.substr(1, value.size() - 2);
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto is_octal = [&](std::size_t k, char max) { return value[k] >= '0' && value[k] <= max; };
        if (value[i] == '\\' && i + 3 < value.size() && is_octal(i + 1, '3') && is_octal(i + 2, '7') && is_octal(i + 3, '7')) {
            out += static_cast<char>((value[i + 1] - '0') * 64 + (value[i + 2] - '0') * 8 + (value[i + 3] - '0'));
            i += 3;
        } else if (value[i] == '\\' && i + 1 < value.size()) {
            out += value[++i];
        } else {
            out += value[i];
        }
    }
    return out;
}

inline void check_cookie_attribute(std::string_view what, std::string_view value) {
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == ';')
            throw std::invalid_argument("vial: cookie " + std::string(what) +
                                        " must not contain ';' or control characters");
    }
}

}  // namespace detail::http_text

/// @param name a cookie name
/// @return whether `name` is a valid cookie name: a non-empty RFC 9110 token (letters, digits
///         and `!#$%&*+-.^_|~`, the apostrophe and the backtick; no spaces, separators such as
///         `=;,()<>@:/[]?{}` and the double quote, or controls)
[[nodiscard]] constexpr bool is_valid_cookie_name(std::string_view name) noexcept {
    return !name.empty() && std::all_of(name.begin(), name.end(), detail::http_text::is_tchar);
}

/// Parses a `Cookie` request header ("a=1; b=2"). Lenient, as browsers are: whitespace is
/// trimmed, pairs without '=' or with an empty name are skipped, quoted values are unquoted
/// (see the file comment). Values are not percent-decoded. When a name repeats, the first wins
/// (browsers send the most specific path first).
/// @param header the header value
/// @param into the map to add to (existing names are kept)
inline void parse_cookie_header(std::string_view header, cookie_map& into) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        const auto pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        const auto name = detail::http_text::trim(pair.substr(0, eq));
        if (name.empty()) continue;
        into.emplace(std::string(name), detail::http_text::unquote_cookie_value(detail::http_text::trim(pair.substr(eq + 1))));
    }
}

/// @copybrief parse_cookie_header(std::string_view, cookie_map&)
/// @param header the header value
/// @return the cookies by name
[[nodiscard]] inline cookie_map parse_cookie_header(std::string_view header) {
    cookie_map out;
    parse_cookie_header(header, out);
    return out;
}

/// Formats the value of a `Set-Cookie` header.
/// @param name the cookie name, see `is_valid_cookie_name`
/// @param value any bytes (quoted when needed, see the file comment)
/// @param options the attributes
/// @return e.g. "sid=abc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax"
/// @throws std::invalid_argument on an invalid name; a path or domain with ';' or control
///         characters; a same_site other than Strict/Lax/None; SameSite=None without secure;
///         a `__Secure-` cookie without secure; a `__Host-` cookie without secure, with a
///         domain, or with a path other than "/"
[[nodiscard]] inline std::string format_set_cookie(std::string_view name, std::string_view value,
                                                   const cookie_options& options = {}) {
    if (!is_valid_cookie_name(name))
        throw std::invalid_argument("vial: invalid cookie name '" + std::string(name) +
                                    "': use letters, digits and !#$%&'*+-.^_`|~ only");
    detail::http_text::check_cookie_attribute("path", options.path);
    detail::http_text::check_cookie_attribute("domain", options.domain);
    std::string same_site;
    if (!options.same_site.empty()) {
        for (const char* policy : {"Strict", "Lax", "None"})
            if (detail::http_text::iequals(options.same_site, policy)) same_site = policy;
        if (same_site.empty())
            throw std::invalid_argument("vial: cookie same_site must be \"Strict\", \"Lax\" or \"None\", not \"" +
                                        options.same_site + "\"");
        if (same_site == "None" && !options.secure)
            throw std::invalid_argument("vial: a SameSite=None cookie must also set secure = true");
    }
    if (name.starts_with("__Secure-") && !options.secure)
        throw std::invalid_argument("vial: a __Secure- cookie must set secure = true");
    if (name.starts_with("__Host-") && (!options.secure || !options.domain.empty() || options.path != "/"))
        throw std::invalid_argument("vial: a __Host- cookie must set secure = true, path = \"/\" and no domain");

    std::string out(name);
    out += '=';
    out += detail::http_text::quote_cookie_value(value);
    if (options.expires) out.append("; Expires=").append(format_http_date(*options.expires));
    if (options.max_age)
        out.append("; Max-Age=").append(std::to_string(std::max<std::chrono::seconds::rep>(0, options.max_age->count())));
    if (!options.domain.empty()) out.append("; Domain=").append(options.domain);
    if (!options.path.empty()) out.append("; Path=").append(options.path);
    if (options.secure) out.append("; Secure");
    if (options.http_only) out.append("; HttpOnly");
    if (!same_site.empty()) out.append("; SameSite=").append(same_site);
    return out;
}

}  // namespace vial

#endif  // VIAL_HTTP_COOKIES_HPP
