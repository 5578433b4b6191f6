#ifndef VIAL_WEB_TEMPLATE_GLOBALS_HPP
#define VIAL_WEB_TEMPLATE_GLOBALS_HPP

/// @file
/// What a template rendered during a request of a `vial::web_app` sees besides its context,
/// as in Flask: `request.path`, `request.args`, `csrf_token()`, `get_flashed_messages()` and
/// `session`.
/// @code
/// vial::response book_page(int id, const vial::request& req, vial::session<member>& s) {
///     return vial::html(vial::render_template<"book.html">(templates, page{...}, app,
///                                                          vial::template_globals_for(req, s)));
/// }
/// @endcode
/// Building the globals takes the flashed messages out of the session (they are shown once,
/// so render them: a base layout usually does) and makes the session's CSRF token if it has
/// none yet (the session cookie is then sent). What the globals point to is kept until the
/// request ends.

#include <vial/http/request.hpp>
#include <vial/template/globals.hpp>
#include <vial/web/csrf.hpp>
#include <vial/web/session.hpp>

#include <functional>
#include <map>
#include <string>

namespace vial {

/// A string-map session as templates read it: `session["user"]`, `session.user`.
using session_strings = std::map<std::string, std::string, std::less<>>;

namespace detail::web {
template <class Session>
template_globals<Session> globals_for(const request& req, const Session* session) {
    auto& st = loaded_state();
    template_globals<Session> g;
    g.path = req.path();
    g.args = &req.args();
    g.session = session;
    g.csrf_token = st.kept_strings.emplace_back(csrf_token());
    (void)get_flashed_messages();  // takes them out of the session, into st.flashes
    g.flashes = *st.flashes;
    return g;
}
}  // namespace detail::web

/// @param req the current request
/// @return the globals of a template rendered for `req`; `session` is the session's string
///         values by key (vial's own `_` keys left out)
/// @throws std::logic_error outside a request of a vial::web_app
inline template_globals<session_strings> template_globals_for(const request& req) {
    auto& st = detail::web::loaded_state();
    auto& strings = st.kept_maps.emplace_back();
    for (const auto& [key, value] : st.data.items())
        if (!key.empty() && key.front() != '_' && value.is_string()) strings.emplace(key, value.get<std::string>());
    return detail::web::globals_for(req, &strings);
}

/// @param req the current request
/// @param s the typed session: templates check `session.field` against T
/// @return the globals of a template rendered for `req`
/// @throws std::logic_error outside a request of a vial::web_app
template <class T>
template_globals<T> template_globals_for(const request& req, const session<T>& s) {
    return detail::web::globals_for(req, &*s);
}

}  // namespace vial

#endif  // VIAL_WEB_TEMPLATE_GLOBALS_HPP
