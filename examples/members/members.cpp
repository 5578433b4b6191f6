// A members' area: the web layer's pieces in one small app (see docs/sessions.md, docs/static.md).
//
//   ./members --secret-key-file keys.txt --port 8080     (or VIAL_SECRET_KEY=... ./members)
//   then open http://127.0.0.1:8080/ and sign in as ann / wonderland.
//
// Static CSS from ./static, a signed cookie session (typed), flash messages, CSRF on every
// form post, and a guard that sends visitors to the sign-in page and back.
#include <vial/vial.hpp>
#include <vial/web.hpp>

#include <boost/hana/define_struct.hpp>

#include <string>

namespace {

/// What the session holds: a typed session over a Hana struct.
struct member_session {
    BOOST_HANA_DEFINE_STRUCT(member_session, (std::string, user_id), (int, visits));
};

/// The users: one, with a salted scrypt hash made at startup (an app keeps these in a database).
struct user_store {
    std::string ann_hash = vial::hash_password("wonderland");
    bool check(std::string_view user, std::string_view password) const {
        return user == "ann" && vial::verify_password(password, ann_hash);
    }
};

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

/// The page around every view, with the flashed messages (shown once).
vial::response page(std::string_view title, const std::string& body, unsigned status = 200) {
    std::string out = "<!doctype html><html><head><title>" + escape(title) +
                      "</title><link rel=stylesheet href=\"/static/style.css\"></head><body>";
    for (const auto& m : vial::get_flashed_messages())
        out += "<p class=\"flash " + escape(m.category) + "\">" + escape(m.message) + "</p>";
    return vial::html(out + body + "</body></html>", status);
}

vial::response index(vial::session<member_session>& s) {
    ++s->visits;
    const std::string who = s->user_id.empty() ? "a visitor" : escape(s->user_id);
    return page("Home", "<h1>Hello, " + who + "</h1><p>Visits: " + std::to_string(s->visits) +
                            "</p><p><a href=\"/members\">Members' page</a></p>");
}

//! [signin]
vial::response signin_form(const vial::request& req) {
    return page("Sign in", "<form method=post action=\"/signin\">"
                           "<input type=hidden name=csrf_token value=\"" + vial::csrf_token() + "\">"
                           "<input type=hidden name=next value=\"" + escape(vial::next_url(req)) + "\">"
                           "<input name=user> <input name=password type=password> <button>Sign in</button></form>");
}

vial::response signin(const vial::request& req, vial::session<member_session>& s, const user_store& users) {
    const auto user = req.form().get("user").value_or("");
    if (!users.check(user, req.form().get("password").value_or(""))) {
        vial::flash("Wrong user or password", "error");
        return vial::redirect("/signin?next=" + vial::percent_encode(vial::next_url(req), "/"), 303);
    }
    s->user_id = user;
    vial::flash("Signed in as " + user, "success");
    return vial::redirect(vial::next_url(req), 303);   // only ever a path on this site
}
//! [signin]

vial::response signout(vial::session<>& s) {
    s.clear();
    vial::flash("Signed out", "success");
    return vial::redirect("/", 303);
}

vial::response members(vial::session<member_session>& s) {
    return page("Members", "<h1>Members only</h1><p>Welcome, " + escape(s->user_id) +
                               "</p><form method=post action=\"/signout\"><input type=hidden name=csrf_token value=\"" +
                               vial::csrf_token() + "\"><button>Sign out</button></form>");
}

//! [app]
constexpr auto login_required = vial::login_required<"/signin">;

constexpr auto app = vial::web_app(
    vial::before_request(vial::check_csrf),          // every form post carries its token
    vial::static_files("static", {.max_age = 60}),   // /static/style.css
    vial::get<"/", index>(),
    vial::get<"/signin", signin_form>(),
    vial::post<"/signin", signin>(),
    vial::post<"/signout", signout>(),
    login_required(vial::get<"/members", members>()));
//! [app]

}  // namespace

int main(int argc, char** argv) {
    // Refuses to start (exit status 2, the reason on standard error) without a key.
    auto sessions = vial::sessions::from_command_line(argc, argv);
    user_store users;
    return vial::run(app, argc, argv, sessions, users);
}
