#ifndef VIAL_WEB_CSRF_HPP
#define VIAL_WEB_CSRF_HPP

/// @file
/// CSRF protection that an app or a blueprint opts in to, as Flask-WTF's CSRFProtect:
/// a random token per session; forms carry it (`{{ csrf_token() }}` in a hidden field named
/// `csrf_token`), scripts in an `X-CSRFToken` header; a POST, PUT, PATCH or DELETE without
/// the right one is refused with 400 and a message that says what is missing.
/// @code
/// constexpr auto app = vial::web_app(vial::before_request(vial::check_csrf), ...);   // the whole app
/// constexpr auto admin = vial::blueprint<"admin", "/admin">(vial::before_request(vial::check_csrf), ...);
/// vial::csrf_protect(vial::post<"/reviews", add_review>())                          // one route (a guard)
/// @endcode
/// What is checked: POST, PUT, PATCH and DELETE requests whose body a page of another site
/// can make a browser send without asking first (no CORS preflight): a form post
/// (`application/x-www-form-urlencoded`, `multipart/form-data`), `text/plain` (what
/// `<form enctype="text/plain">`, `navigator.sendBeacon` and `fetch` in `no-cors` mode send),
/// and a POST without a Content-Type (`fetch` with no body). Other bodies (JSON, XML, ...)
/// are not: a browser sends those cross-site only after a preflight, which vial does not
/// grant. Only requests that match a route are checked: a POST to an unknown URL is a 404,
/// and one to a URL without POST a 405, as without CSRF protection (Flask-WTF's CSRFProtect
/// also skips a request without an endpoint).
///
/// `csrf_token()` hands out the session's token masked with a fresh random pad each time
/// (so that the page's bytes differ on every render, against BREACH-style compression
/// attacks); any of them verifies while the session lasts.

#include <vial/http/errors.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/web/crypto.hpp>
#include <vial/web/guard.hpp>
#include <vial/web/session.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace vial {

namespace detail::web {

/// Whether a request is one the CSRF check applies to (see the file's comment).
inline bool csrf_checked(const request& req) {
    const std::string_view m = req.method();
    if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") return false;
    if (req.url_rule().empty()) return false;  // no route matched: the 404 or 405 answers it
    const std::string type = req.content_type();
    if (type.empty()) return m == "POST";
    return type == "application/x-www-form-urlencoded" || type == "multipart/form-data" || type == "text/plain";
}

inline constexpr std::string_view csrf_key = "_csrf_token";
inline constexpr std::size_t csrf_size = 32;

/// The session's raw token, made on first use.
inline std::string session_csrf_secret(bool create) {
    auto& st = loaded_state();
    const auto it = st.data.find(csrf_key);
    if (it != st.data.end() && it->is_string()) {
        if (auto raw = crypto::base64url_decode(it->get<std::string>()); raw && raw->size() == csrf_size) return *raw;
    }
    if (!create) return {};
    std::string raw = crypto::random_bytes(csrf_size);
    st.data[std::string(csrf_key)] = crypto::base64url_encode(raw);
    return raw;
}

}  // namespace detail::web

/// The CSRF token to put in a form (hidden field `csrf_token`) or an `X-CSRFToken` header.
/// @return a fresh masking of the session's token (created, and the session saved, on first use)
/// @throws std::logic_error outside a request of a vial::web_app
inline std::string csrf_token() {
    namespace c = detail::crypto;
    const std::string raw = detail::web::session_csrf_secret(true);
    std::string out = c::random_bytes(raw.size());
    out.resize(2 * raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) out[raw.size() + i] = static_cast<char>(out[i] ^ raw[i]);
    return c::base64url_encode(out);
}

/// Checks the CSRF token of a request: a function object, to use as a before_request hook
/// (`vial::before_request(vial::check_csrf)`) on an app or a blueprint.
struct check_csrf_fn {
    /// @throws vial::http_error 400 when a checked request lacks the right token
    std::optional<response> operator()(const request& req) const {
        if (!detail::web::csrf_checked(req)) return std::nullopt;
        std::string sent(req.header("X-CSRFToken"));
        if (sent.empty()) sent = req.header("X-CSRF-Token");
        if (sent.empty()) {
            if (auto field = req.form().get("csrf_token")) sent = std::string(*field);
        }
        if (sent.empty())
            throw http_error(400, "CSRF token missing: a form must send {{ csrf_token() }} in a hidden field named "
                                  "csrf_token (or a script an X-CSRFToken header)");
        const std::string raw = detail::web::session_csrf_secret(false);
        if (raw.empty())
            throw http_error(400, "CSRF session token missing: the session expired or cookies are off; reload the "
                                  "form and send it again");
        const auto decoded = detail::crypto::base64url_decode(sent);
        bool ok = decoded && decoded->size() == 2 * raw.size();
        if (ok) {
            std::string unmasked(raw.size(), '\0');
            for (std::size_t i = 0; i < raw.size(); ++i)
                unmasked[i] = static_cast<char>((*decoded)[i] ^ (*decoded)[raw.size() + i]);
            ok = detail::crypto::equal_constant_time(unmasked, raw);
        }
        if (!ok)
            throw http_error(400, "CSRF token invalid: it does not belong to this session; reload the form and send "
                                  "it again");
        return std::nullopt;
    }
};

/// The CSRF check as a hook object: `vial::before_request(vial::check_csrf)`.
inline constexpr check_csrf_fn check_csrf{};

/// The CSRF check as a guard, for single routes: `vial::csrf_protect(vial::post<...>(h))`.
inline constexpr auto csrf_protect = guard(check_csrf_fn{});

}  // namespace vial

#endif  // VIAL_WEB_CSRF_HPP
