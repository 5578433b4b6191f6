#ifndef VIAL_TEMPLATE_GLOBALS_HPP
#define VIAL_TEMPLATE_GLOBALS_HPP

/// @file
/// What a template sees besides its context: `request`, `session`, `csrf_token()` and
/// `get_flashed_messages()`, as the handler hands them over. The web layer (sessions, flash,
/// CSRF) fills one of these; a template rendered without it cannot name them.

#include <vial/http/multi_dict.hpp>

#include <span>
#include <string>
#include <string_view>

namespace vial {

/// One flashed message, as `flash(message, category)` stored it.
struct flashed_message {
    std::string category;
    std::string message;
};

/// The globals of a template.
/// @tparam Session the session's data: `void` for none, a Hana-reflected struct (a typed
///         session: `session.user_id` is checked against it), or a string map with
///         `find(key)` and `end()` (`session["user"]`, `session.user`)
template <class Session = void>
struct template_globals {
    using session_type = Session;
    std::string_view path;                      ///< `request.path`
    const multi_dict* args = nullptr;           ///< `request.args` (null: no arguments)
    const Session* session = nullptr;           ///< `session` (null: an empty session)
    std::string_view csrf_token;                ///< `csrf_token()`
    std::span<const flashed_message> flashes;   ///< `get_flashed_messages()`
};

}  // namespace vial

#endif  // VIAL_TEMPLATE_GLOBALS_HPP
