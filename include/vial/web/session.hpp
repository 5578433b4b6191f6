#ifndef VIAL_WEB_SESSION_HPP
#define VIAL_WEB_SESSION_HPP

/// @file
/// Signed cookie sessions and flash messages, as Flask's defaults.
/// @code
/// struct visitor { BOOST_HANA_DEFINE_STRUCT(visitor, (std::string, name), (int, visits)); };
///
/// constexpr auto app = vial::web_app(                      // vial::app plus the session hooks
///     vial::get<"/">([](vial::session<visitor>& s) {       // a typed session...
///         ++s->visits;
///         return "visit " + std::to_string(s->visits);
///     }),
///     vial::post<"/name">([](vial::request& req, vial::session<>& s) {   // ...or a string map
///         s.set("name", req.form().get("name").value_or(""));
///         vial::flash("Name saved", "success");
///         return vial::redirect("/", 303);
///     }));
///
/// int main(int argc, char** argv) {
///     auto sessions = vial::sessions::from_command_line(argc, argv);   // --secret-key-file, VIAL_SECRET_KEY
///     return vial::run(app, argc, argv, sessions);
/// }
/// @endcode
/// A handler asks for `vial::session<>&` (strings by key) or `vial::session<T>&` (a
/// Hana-reflected struct); both are views of the same signed cookie, loaded on first use and
/// sent back (Set-Cookie) only when the session changed. A cookie that is missing, tampered
/// with, truncated, signed with an unknown key, expired or otherwise bad gives an empty
/// session, never an error.
///
/// `vial::flash`, `vial::get_flashed_messages` and `vial::csrf_token` (see csrf.hpp) work
/// in any handler, hook, guard or template rendered during a request of a `vial::web_app`.

#include <vial/app/hooks.hpp>
#include <vial/http/cookies.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/json.hpp>  // handlers returning session.json() and other nlohmann::json values
#include <vial/route/app.hpp>
#include <vial/template/globals.hpp>  // vial::flashed_message, shared with templates
#include <vial/web/detail/struct_json.hpp>
#include <vial/web/secret_keys.hpp>
#include <vial/web/session_codec.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <cstdlib>
#include <iostream>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace vial {

/// How session cookies are made. The defaults are Flask's.
struct session_options {
    std::string cookie_name = "session";
    /// How long a permanent session lasts (its cookie's Max-Age), and the oldest signature
    /// any session cookie may carry (Flask's PERMANENT_SESSION_LIFETIME: 31 days).
    std::chrono::seconds permanent_lifetime = std::chrono::hours(24 * 31);
    /// `Secure`: send the cookie over HTTPS only. Off by default, so that plain-HTTP
    /// development works; turn it on behind TLS.
    bool secure = false;
    bool http_only = true;       ///< `HttpOnly`: hide the cookie from JavaScript
    std::string same_site = "Lax";  ///< `SameSite`: "Lax", "Strict", "None" (needs secure) or ""
    std::string path = "/";
    std::string domain{};
    /// Send a permanent session's cookie again on each request that uses the session, so that
    /// it expires `permanent_lifetime` after the last visit rather than the first.
    bool refresh_each_request = true;
    /// The clock (tests set it); null: std::chrono::system_clock::now.
    std::chrono::system_clock::time_point (*now)() = nullptr;
};



class sessions;

template <class T = void>
class session;

namespace detail::web {

/// A typed view, written back into the session's JSON when the request ends.
struct typed_view {
    virtual ~typed_view() = default;
    virtual void flush(nlohmann::json& data) = 0;
    const std::type_info* type = nullptr;
};

/// What one request knows of its session (one per thread: a request runs on one thread).
struct request_state {
    const request* req = nullptr;
    const sessions* owner = nullptr;
    bool loaded = false;
    bool had_cookie = false;
    nlohmann::json data = nlohmann::json::object();
    std::string original;  ///< data as it arrived, serialized ("" when there was none)
    std::optional<std::vector<flashed_message>> flashes;  ///< read in this request
    std::vector<std::unique_ptr<typed_view>> typed;
    /// What template globals made in this request point to (see template_globals.hpp).
    std::deque<std::string> kept_strings;
    std::deque<std::map<std::string, std::string, std::less<>>> kept_maps;

    void reset() {
        req = nullptr;
        owner = nullptr;
        loaded = false;
        had_cookie = false;
        data = nlohmann::json::object();
        original.clear();
        flashes.reset();
        typed.clear();
        kept_strings.clear();
        kept_maps.clear();
    }
};

inline request_state& state() noexcept {
    thread_local request_state s;
    return s;
}

/// The current request's loaded session state.
/// @throws std::logic_error outside a request of a vial::web_app
request_state& loaded_state();

inline constexpr std::string_view permanent_key = "_permanent";
inline constexpr std::string_view flashes_key = "_flashes";

inline bool is_permanent(const nlohmann::json& data) {
    const auto it = data.find(permanent_key);
    return it != data.end() && it->is_boolean() && it->get<bool>();
}

template <class T>
struct typed_holder;

}  // namespace detail::web

/// A session as strings by key (Flask's `session` dict). Keys starting with '_' are vial's
/// own (`_flashes`, `_csrf_token`, `_permanent`), as in Flask.
template <>
class session<void> {
public:
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    /// @return the value of `key`, or std::nullopt when absent or not a string
    [[nodiscard]] std::optional<std::string> get(std::string_view key) const {
        const auto& d = data();
        const auto it = d.find(key);
        if (it == d.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    }
    /// @return the value of `key`, or `fallback`
    [[nodiscard]] std::string get(std::string_view key, std::string_view fallback) const {
        auto v = get(key);
        return v ? std::move(*v) : std::string(fallback);
    }
    [[nodiscard]] bool contains(std::string_view key) const { return data().contains(key); }
    void set(std::string_view key, std::string value) { data()[std::string(key)] = std::move(value); }
    /// @return whether the key was there
    bool erase(std::string_view key) { return data().erase(std::string(key)) != 0; }
    /// Empties the session (the cookie is deleted at the end of the request), typed views included.
    void clear() {
        auto& st = detail::web::loaded_state();
        st.data = nlohmann::json::object();
        st.typed.clear();
    }
    /// @return whether the session holds nothing
    [[nodiscard]] bool empty() const { return data().empty(); }
    /// A permanent session's cookie lasts `session_options::permanent_lifetime`; any other
    /// ends with the browser session (Flask's `session.permanent`).
    [[nodiscard]] bool permanent() const { return detail::web::is_permanent(data()); }
    void permanent(bool on) {
        if (on) data()[std::string(detail::web::permanent_key)] = true;
        else data().erase(std::string(detail::web::permanent_key));
    }
    /// @return the whole session, a JSON object, for values other than strings
    [[nodiscard]] nlohmann::json& json() { return data(); }
    [[nodiscard]] const nlohmann::json& json() const { return data(); }

private:
    friend class sessions;
    session() = default;
    static nlohmann::json& data() { return detail::web::loaded_state().data; }
};

/// A typed session: the fields of a Hana-reflected struct, stored under their names in the
/// session's JSON. Fields the cookie lacks keep their default; a cookie whose fields do not
/// fit T gives a default T. Changes are saved when the request ends.
template <class T>
class session {
    static_assert(detail::web::storable<T>(),
                  "vial: session<T>: T must be a Hana-reflected struct (BOOST_HANA_DEFINE_STRUCT) of strings, "
                  "bool, numbers, std::optional, std::vector and such structs");

public:
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    [[nodiscard]] T& get() noexcept { return value_; }
    [[nodiscard]] const T& get() const noexcept { return value_; }
    [[nodiscard]] T& operator*() noexcept { return value_; }
    [[nodiscard]] const T& operator*() const noexcept { return value_; }
    [[nodiscard]] T* operator->() noexcept { return &value_; }
    [[nodiscard]] const T* operator->() const noexcept { return &value_; }
    /// Resets T to its default and removes its fields from the session.
    void clear() {
        value_ = T{};
        cleared_ = true;
    }
    [[nodiscard]] bool permanent() const;
    void permanent(bool on);

private:
    friend class sessions;
    friend struct detail::web::typed_holder<T>;
    session() = default;

    T value_{};
    bool cleared_ = false;
};

namespace detail::web {

template <class T>
struct typed_holder final : typed_view {
    session<T> s;
    T loaded_value;  ///< the value as read from the cookie
    void flush(nlohmann::json& data) override {
        // A request that only read the session (a page view) has nothing to write: no JSON made.
        if (!s.cleared_ && same_value(s.value_, loaded_value)) return;
        const auto now = to_json(s.value_);
        // Only the fields that changed are written: reading a session does not fill it with defaults.
        const auto base = to_json(s.cleared_ ? T{} : loaded_value);
        if (s.cleared_)
            for (auto it = base.begin(); it != base.end(); ++it) data.erase(it.key());
        for (auto it = now.begin(); it != now.end(); ++it) {
            const auto was = base.find(it.key());
            if (was != base.end() && *was == *it) continue;
            if (it->is_null()) data.erase(it.key());
            else data[it.key()] = *it;
        }
    }
    explicit typed_holder(const nlohmann::json& data) {
        type = &typeid(T);
        if (!from_json(data, s.value_)) s.value_ = T{};
        loaded_value = s.value_;
    }
};

}  // namespace detail::web

template <class T>
bool session<T>::permanent() const {
    return detail::web::is_permanent(detail::web::loaded_state().data);
}

/// The session service: the keys and cookie settings. Hand it to `vial::run` and
/// `vial::test_client` beside the app's other services; handlers then ask for
/// `vial::session<>&` or `vial::session<T>&`.
class sessions {
public:
    /// @param keys the signing keys, newest first
    /// @param options cookie settings
    /// @throws std::invalid_argument for cookie settings no browser keeps (a bad name, or
    ///         SameSite=None without Secure), at startup rather than on the first response
    explicit sessions(const secret_keys& keys, session_options options = {})
        : codec_(keys), options_(std::move(options)) {
        cookie_options co;
        co.secure = options_.secure;
        co.same_site = options_.same_site;
        co.path = options_.path;
        co.domain = options_.domain;
        (void)format_set_cookie(options_.cookie_name, "x", co);  // throws with the reason
    }

    /// Reads the keys from the command line (`--secret-key-file PATH`, `--secret-key KEY`,
    /// removed from argv) or the environment (`VIAL_SECRET_KEY_FILE`, `VIAL_SECRET_KEY`).
    /// Without a usable key the program refuses to start: the reason goes to standard error
    /// and the process exits with status 2.
    /// `--help`, `--routes` and `--openapi` work without a key: the program does not serve then.
    static sessions from_command_line(int& argc, char** argv, session_options options = {}) {
        try {
            const secret_keys keys = secret_keys::from_command_line(argc, argv);  // before options is moved from
            return sessions(keys, std::move(options));
        } catch (const std::invalid_argument& e) {
            for (int i = 1; i < argc; ++i) {
                const std::string_view arg = argv[i];
                if (arg == "--help" || arg == "-h" || arg == "--routes" || arg == "--openapi")
                    return sessions(secret_keys{detail::crypto::base64url_encode(detail::crypto::random_bytes(32))},
                                    std::move(options));
            }
            std::cerr << "vial: cannot start: " << e.what() << '\n';
            std::exit(2);
        }
    }

    [[nodiscard]] const session_options& options() const noexcept { return options_; }
    [[nodiscard]] const session_codec& codec() const noexcept { return codec_; }
    [[nodiscard]] std::chrono::system_clock::time_point now() const {
        return options_.now != nullptr ? options_.now() : std::chrono::system_clock::now();
    }

    /// What a handler's `vial::session<>&` parameter is bound to.
    session<void>& provide(std::type_identity<session<void>>) const {
        (void)detail::web::loaded_state();
        static thread_local session<void> view;
        return view;
    }
    /// What a handler's `vial::session<T>&` parameter is bound to.
    template <class T>
    session<T>& provide(std::type_identity<session<T>>) const {
        if constexpr (!detail::web::storable<T>()) {
            // session<T>'s static_assert says what to fix; the holder is not instantiated, so
            // that stays the only error (clang would add one for the push_back below).
            static_cast<void>(sizeof(session<T>));
            std::terminate();
        } else {
            auto& st = detail::web::loaded_state();
            for (auto& v : st.typed)
                if (*v->type == typeid(T)) return static_cast<detail::web::typed_holder<T>&>(*v).s;
            auto holder = std::make_unique<detail::web::typed_holder<T>>(st.data);
            auto& s = holder->s;
            st.typed.push_back(std::move(holder));
            return s;
        }
    }

    /// Loads the current request's session from its cookie (called on first use).
    void load(detail::web::request_state& st) const {
        st.loaded = true;
        const auto cookie = st.req->cookie(options_.cookie_name);
        st.had_cookie = cookie.has_value();
        if (cookie) {
            if (auto data = codec_.decode(*cookie, now(), options_.permanent_lifetime)) {
                st.data = std::move(*data);
                st.original = st.data.dump();
                return;
            }
        }
        st.data = nlohmann::json::object();
        st.original.clear();
    }

    /// Writes the session cookie into the response if the session changed (or a permanent
    /// one is refreshed); deletes it when the session became empty.
    /// @throws std::length_error when the cookie would be over 4093 bytes, the most browsers keep
    void save(detail::web::request_state& st, response& res) const {
        if (!st.loaded) return;
        for (auto& v : st.typed) v->flush(st.data);
        const std::string_view vary = res.header("Vary");
        if (vary.empty()) res.set_header("Vary", "Cookie");
        else if (vary.find("Cookie") == std::string_view::npos) res.set_header("Vary", std::string(vary) + ", Cookie");
        cookie_options co;
        co.path = options_.path;
        co.domain = options_.domain;
        co.secure = options_.secure;
        co.http_only = options_.http_only;
        co.same_site = options_.same_site;
        if (st.data.empty()) {
            if (st.had_cookie) res.delete_cookie(options_.cookie_name, co);
            return;
        }
        const bool permanent = detail::web::is_permanent(st.data);
        const std::string text = st.data.dump();
        if (text == st.original && !(permanent && options_.refresh_each_request)) return;
        const std::string value = codec_.encode(st.data, now());
        if (permanent) co.max_age = options_.permanent_lifetime;
        const std::string header = format_set_cookie(options_.cookie_name, value, co);
        if (header.size() > 4093)
            throw std::length_error("vial: the session cookie would be " + std::to_string(header.size()) +
                                    " bytes, over the 4093 browsers keep: store less in the session (an id, and "
                                    "the rest in a database)");
        res.add_header("Set-Cookie", header);
    }

private:
    session_codec codec_;
    session_options options_;
};

namespace detail::web {

inline request_state& loaded_state() {
    auto& st = state();
    if (st.req == nullptr || st.owner == nullptr)
        throw std::logic_error(
            "vial: no session here: sessions, flash and csrf_token() work during a request of an app declared "
            "with vial::web_app(...), served with a vial::sessions service");
    if (!st.loaded) st.owner->load(st);
    return st;
}

/// The hooks vial::web_app adds: named, so that their symbols are short.
struct begin_request {
    void operator()(request& req, const sessions& s) const {
        auto& st = state();
        st.reset();
        st.req = &req;
        st.owner = &s;
    }
};
struct save_session {
    void operator()(response& res, request& req) const {
        auto& st = state();
        if (st.req == &req && st.owner != nullptr) st.owner->save(st, res);
    }
};
struct end_request {
    void operator()() const { state().reset(); }
};

}  // namespace detail::web

template <class T>
void session<T>::permanent(bool on) {
    auto& d = detail::web::loaded_state().data;
    if (on) d[std::string(detail::web::permanent_key)] = true;
    else d.erase(std::string(detail::web::permanent_key));
}

/// An app with sessions, flash messages and CSRF tokens: `vial::app(items...)` plus the
/// hooks that load the session on first use and save it after the handler. The app's
/// services must include a `vial::sessions`.
template <class... Items>
constexpr auto web_app(const Items&... items) {
    // App-level after hooks run last-declared first: save_session, declared first, runs after
    // the app's own after_request hooks, which may still change the session.
    return app(before_request(detail::web::begin_request{}), after_request(detail::web::save_session{}),
               teardown_request(detail::web::end_request{}), items...);
}

/// Adds a message to show on a later page (Flask's `flash`).
/// @param message the text
/// @param category e.g. "error", "success"; "message" by default, as in Flask
inline void flash(std::string message, std::string category = "message") {
    auto& st = detail::web::loaded_state();
    auto& list = st.data[std::string(detail::web::flashes_key)];
    if (!list.is_array()) list = nlohmann::json::array();
    list.push_back(nlohmann::json::array({std::move(category), std::move(message)}));
}

/// The messages flashed so far, removed from the session: each is shown once (Flask's
/// `get_flashed_messages`). Calls later in the same request return the same messages.
/// @param categories only messages of these categories (all when empty)
/// @return the messages in the order flashed, each with its category
inline std::vector<flashed_message> get_flashed_messages(std::initializer_list<std::string_view> categories = {}) {
    auto& st = detail::web::loaded_state();
    if (!st.flashes) {
        std::vector<flashed_message> all;
        const auto it = st.data.find(detail::web::flashes_key);
        if (it != st.data.end()) {
            if (it->is_array())
                for (const auto& m : *it)
                    if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
                        all.push_back({m[0].get<std::string>(), m[1].get<std::string>()});
            st.data.erase(it);
        }
        st.flashes = std::move(all);
    }
    if (categories.size() == 0) return *st.flashes;
    std::vector<flashed_message> out;
    for (const auto& m : *st.flashes)
        for (const auto c : categories)
            if (m.category == c) {
                out.push_back(m);
                break;
            }
    return out;
}

}  // namespace vial

#endif  // VIAL_WEB_SESSION_HPP
