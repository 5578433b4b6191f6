#ifndef VIAL_SERVER_DETAIL_REQUEST_TARGET_HPP
#define VIAL_SERVER_DETAIL_REQUEST_TARGET_HPP

/// @file
/// Checks of the request-target forms (RFC 9112 3.2) and of a Host value (RFC 9112 3.2,
/// RFC 3986 3.2.2), as plain functions over the bytes: the request parser calls each from one
/// place, the fuzzers call them directly.
///
/// ```
/// request-target = origin-form / absolute-form / authority-form / asterisk-form
/// Host           = uri-host [ ":" port ]          ; uri-host = RFC 3986 host
/// host           = IP-literal / IPv4address / reg-name
/// IP-literal     = "[" ( IPv6address / IPvFuture ) "]"
/// IPvFuture      = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
/// reg-name       = *( unreserved / pct-encoded / sub-delims )
/// port           = *DIGIT                         ; here: at most 65535
/// ```

#include <cstddef>
#include <string_view>

namespace vial::server::detail {

namespace uri_chars {
inline constexpr bool alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline constexpr bool digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline constexpr bool hexdig(char c) noexcept {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline constexpr bool unreserved(char c) noexcept {
    return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
inline constexpr bool sub_delim(char c) noexcept {
    return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}
}  // namespace uri_chars

/// @return whether `s` is an RFC 3986 reg-name (possibly empty; IPv4 addresses are reg-names too)
inline constexpr bool is_reg_name(std::string_view s) noexcept {
    using namespace uri_chars;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || !hexdig(s[i + 1]) || !hexdig(s[i + 2])) return false;
            i += 2;
        } else if (!unreserved(c) && !sub_delim(c)) {
            return false;
        }
    }
    return true;
}

/// @return whether `s` is an RFC 3986 IPv4address ("192.0.2.1": four decimal octets, no
///         leading zero)
inline constexpr bool is_ipv4_address(std::string_view s) noexcept {
    int octets = 0;
    std::size_t i = 0;
    while (true) {
        const std::size_t b = i;
        unsigned v = 0;
        while (i < s.size() && uri_chars::digit(s[i]) && i - b < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
        const std::size_t n = i - b;
        if (n == 0 || v > 255 || (n > 1 && s[b] == '0')) return false;
        if (++octets == 4) return i == s.size();
        if (i == s.size() || s[i] != '.') return false;
        ++i;
    }
}

/// @return whether `s` is an RFC 3986 IPv6address (eight groups of 1 to 4 hex digits, one
///         "::" standing for one or more zero groups, the last two groups possibly an IPv4
///         address)
inline constexpr bool is_ipv6_address(std::string_view s) noexcept {
    int groups = 0;
    bool elided = false;
    std::size_t i = 0;
    if (s.starts_with("::")) {
        elided = true;
        i = 2;
        if (i == s.size()) return true;
    } else if (s.starts_with(':')) {
        return false;
    }
    while (i < s.size()) {
        // An IPv4 address ends the address, in the place of two groups.
        const std::size_t colon = s.find(':', i);
        if (colon == std::string_view::npos && s.find('.', i) != std::string_view::npos) {
            if (!is_ipv4_address(s.substr(i))) return false;
            groups += 2;
            break;
        }
        std::size_t n = 0;
        while (i + n < s.size() && uri_chars::hexdig(s[i + n])) ++n;
        if (n == 0 || n > 4) return false;
        ++groups;
        i += n;
        if (i == s.size()) break;
        if (s[i] != ':') return false;
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (elided) return false;
            elided = true;
            ++i;
            if (i == s.size()) break;
        } else if (i == s.size()) {
            return false;  // a single trailing ':'
        }
    }
    return elided ? groups <= 7 : groups == 8;
}

/// @return whether `s` is an RFC 3986 IP-literal, brackets included ("[::1]", "[v1.x]")
inline constexpr bool is_ip_literal(std::string_view s) noexcept {
    using namespace uri_chars;
    if (s.size() < 2 || s.front() != '[' || s.back() != ']') return false;
    s = s.substr(1, s.size() - 2);
    if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) {
        std::size_t i = 1;
        while (i < s.size() && hexdig(s[i])) ++i;
        if (i == 1 || i == s.size() || s[i] != '.') return false;
        if (++i == s.size()) return false;
        for (; i < s.size(); ++i)
            if (!unreserved(s[i]) && !sub_delim(s[i]) && s[i] != ':') return false;
        return true;
    }
    return is_ipv6_address(s);
}

/// @return whether `s` is `host [ ":" port ]`, the value of a Host field or the authority of
///         an http URI without user info. An empty value is valid (RFC 9112 3.2: a client
///         sends an empty Host when the target URI has no authority); the port is digits and
///         at most 65535.
inline constexpr bool is_valid_host(std::string_view s) noexcept {
    std::string_view host = s;
    std::string_view port;
    bool has_port = false;
    if (s.starts_with('[')) {
        const std::size_t close = s.find(']');
        if (close == std::string_view::npos) return false;
        host = s.substr(0, close + 1);
        if (close + 1 < s.size()) {
            if (s[close + 1] != ':') return false;
            port = s.substr(close + 2);
            has_port = true;
        }
        if (!is_ip_literal(host)) return false;
    } else {
        if (const std::size_t colon = s.find(':'); colon != std::string_view::npos) {
            host = s.substr(0, colon);
            port = s.substr(colon + 1);
            has_port = true;
        }
        if (!is_reg_name(host)) return false;
    }
    if (has_port) {
        if (port.size() > 5) return false;
        unsigned v = 0;
        for (char c : port) {
            if (!uri_chars::digit(c)) return false;
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v > 65535) return false;
    }
    return true;
}

/// Which of the four forms of RFC 9112 3.2 a request-target is in.
enum class target_form {
    origin,     ///< "/path?query"
    absolute,   ///< "http://host/path?query" (any scheme "://")
    authority,  ///< "host:port", for CONNECT only
    asterisk,   ///< "*", server-wide (OPTIONS; UPnP's M-SEARCH)
    invalid,    ///< none of them: 400
};

/// @return the form of `target` (already checked to be VCHARs) for a request with `method`.
///         The authority-form is only recognised for CONNECT, and is the only form CONNECT
///         takes (RFC 9112 3.2.3, RFC 9110 9.3.6); the absolute-form needs "://" after its
///         scheme.
inline constexpr target_form classify_request_target(std::string_view method, std::string_view target) noexcept {
    if (method == "CONNECT") {
        const std::size_t colon = target.rfind(':');
        const bool has_port = colon != std::string_view::npos && colon + 1 < target.size() &&
                              (target.front() != '[' || target[colon - 1] == ']');
        return has_port && colon > 0 && is_valid_host(target) ? target_form::authority : target_form::invalid;
    }
    if (target.starts_with('/')) return target_form::origin;
    if (target == "*") return target_form::asterisk;
    if (target.empty() || !uri_chars::alpha(target.front())) return target_form::invalid;
    std::size_t i = 1;
    while (i < target.size() && (uri_chars::alpha(target[i]) || uri_chars::digit(target[i]) || target[i] == '+' ||
                                 target[i] == '-' || target[i] == '.'))
        ++i;
    return target.substr(i, 3) == "://" ? target_form::absolute : target_form::invalid;
}

/// Checks the authority of an absolute-form target ("host:8080", "user@host").
/// @return an empty string when it is fine, else why the request is a 400: user info is an
///         error in an http(s) URI (RFC 9110 4.2.4) and vial serves every absolute-form as
///         http; an empty host is invalid for http (RFC 9110 4.2.1); the rest must be a valid
///         host and port.
inline constexpr std::string_view check_target_authority(std::string_view authority) noexcept {
    if (authority.find('@') != std::string_view::npos) return "user info in the request target";
    if (authority.empty() || authority.front() == ':') return "empty host in the request target";
    if (!is_valid_host(authority)) return "invalid host in the request target";
    return {};
}

}  // namespace vial::server::detail

#endif  // VIAL_SERVER_DETAIL_REQUEST_TARGET_HPP
