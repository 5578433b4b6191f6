// A 30-route app in one file, as a service of modest size is written: three blueprints (one
// nested), typed parameters, JSON and text results, before/after/teardown hooks, error
// handlers by status and by exception type, a service handed to vial::run. bench/compile/apps.sh
// measures what it costs to compile; the tests build it and check its route table, so it
// keeps compiling.
//
// Its JSON results are nlohmann::json trees (<vial/json.hpp>), as before vial had a writer of
// its own. With -DAPP30_JSON_WRITER the same results are written by vial::json_writer, and the
// file no longer includes nlohmann: apps.sh measures both.
#include <vial/vial.hpp>
#ifndef APP30_JSON_WRITER
#include <vial/json.hpp>
#endif

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace {

struct counters {
    std::atomic<long> requests{0};
};

struct not_found_in_store : std::runtime_error {
    using std::runtime_error::runtime_error;
};

#ifdef APP30_JSON_WRITER
using json_result = vial::response;
json_result user_json(int id) {
    return vial::json_writer().begin_object().member("id", id).member("name", "user" + std::to_string(id)).end_object().to_response();
}
json_result created(std::string_view name) {
    return vial::json_writer().begin_object().member("created", name).end_object().to_response();
}
json_result object_of(std::string_view key, long value) {
    return vial::json_writer().begin_object().member(key, value).end_object().to_response();
}
json_result settings_of(int user_id) {
    return vial::json_writer().begin_object().member("theme", "dark").member("user", user_id).end_object().to_response();
}
json_result numbers() { return vial::json_writer().begin_array().value(1).value(2).value(3).end_array().to_response(); }
json_result health() { return vial::json_writer().begin_object().member("ok", true).end_object().to_response(); }
std::string name_of(const vial::request& req) { return req.form().get("name").value_or(""); }
#else
using json_result = nlohmann::json;
json_result user_json(int id) { return {{"id", id}, {"name", "user" + std::to_string(id)}}; }
json_result created(const nlohmann::json& name) { return {{"created", name}}; }
json_result object_of(std::string_view key, long value) { return {{key, value}}; }
json_result settings_of(int user_id) { return {{"user", user_id}, {"theme", "dark"}}; }
json_result numbers() { return nlohmann::json::array({1, 2, 3}); }
json_result health() { return nlohmann::json{{"ok", true}}; }
const nlohmann::json& name_of(const vial::request& req) { return req.json().at("name"); }
#endif

// users: 10 routes
std::string list_users(const vial::request& req) { return "users page " + req.args().get("page").value_or("1"); }
json_result show_user(int user_id) { return user_json(user_id); }
json_result create_user(const vial::request& req) { return created(name_of(req)); }
std::string update_user(int user_id, const vial::request& req) { return "updated " + std::to_string(user_id) + ": " + req.body(); }
std::pair<int, std::string> delete_user(int user_id) { return {204, std::to_string(user_id)}; }
std::string user_posts(int user_id, unsigned page) { return std::to_string(user_id) + "/" + std::to_string(page); }
std::string user_by_name(std::string_view name) { return "user " + std::string(name); }
json_result user_settings(int user_id) { return settings_of(user_id); }
std::string user_avatar(int user_id, std::string_view size) { return std::to_string(user_id) + "@" + std::string(size); }
std::string user_missing(int user_id) { throw not_found_in_store("no user " + std::to_string(user_id)); }

// posts: 10 routes
json_result list_posts() { return numbers(); }
std::string show_post(int post_id) { return "post " + std::to_string(post_id); }
std::string post_by_slug(int year, int month, std::string_view slug) {
    return std::to_string(year) + "-" + std::to_string(month) + " " + std::string(slug);
}
std::pair<int, std::string> create_post(const vial::request& req) { return {201, req.body()}; }
std::string edit_post(int post_id, const vial::request& req) { return std::to_string(post_id) + req.body(); }
std::string post_comments(int post_id) { return "comments of " + std::to_string(post_id); }
std::string comment(int post_id, int comment_id) { return std::to_string(post_id) + "#" + std::to_string(comment_id); }
std::string post_file(std::string_view path) { return "file " + std::string(path); }
std::string post_by_id(const vial::uuid& id) { return "uuid " + id.to_string(); }
vial::response post_feed() { return vial::response(200, "<rss/>", "application/rss+xml"); }

// admin (nested in posts' sibling): 5 routes
std::string dashboard(counters& c) { return "requests: " + std::to_string(c.requests.load()); }
std::string admin_user(int user_id) { return "admin view of " + std::to_string(user_id); }
std::string ban_user(int user_id) { vial::abort(403, "cannot ban " + std::to_string(user_id)); }
json_result stats(counters& c) { return object_of("requests", c.requests.load()); }
std::string audit(std::string_view day) { return "audit " + std::string(day); }

constexpr auto users = vial::blueprint<"users", "/users">(
    vial::before_request([](const vial::request& req) -> std::optional<vial::response> {
        if (req.method() == "DELETE" && req.header("X-Token").empty()) return vial::response(401, "token needed\n");
        return std::nullopt;
    }),
    vial::errorhandler<not_found_in_store>(
        [](const not_found_in_store& e) { return std::pair{404, std::string(e.what())}; }),
    vial::get<"/", list_users>(),
    vial::get<"/<int:user_id>", show_user>(),
    vial::post<"/", create_user>(),
    vial::put<"/<int:user_id>", update_user>(),
    vial::del<"/<int:user_id>", delete_user>(),
    vial::get<"/<int:user_id>/posts/<int(min=1):page>", user_posts>(),
    vial::get<"/by-name/<name>", user_by_name>(),
    vial::get<"/<int:user_id>/settings", user_settings>(),
    vial::get<"/<int:user_id>/avatar/<any(small,large):size>", user_avatar>(),
    vial::get<"/<int:user_id>/missing", user_missing>());

constexpr auto admin = vial::blueprint<"admin", "/admin">(
    vial::before_request([](const vial::request& req) -> std::optional<vial::response> {
        if (req.header("X-Admin") != "yes") return vial::response(403, "admins only\n");
        return std::nullopt;
    }),
    vial::errorhandler<403>([](const vial::http_error& e) { return "admin: " + e.reason(); }),
    vial::get<"/", dashboard>(),
    vial::get<"/users/<int:user_id>", admin_user>(),
    vial::post<"/users/<int:user_id>/ban", ban_user>(),
    vial::get<"/stats", stats>(),
    vial::get<"/audit/<string(length=10):day>", audit>());

constexpr auto posts = vial::blueprint<"posts", "/posts">(
    vial::after_request([](vial::response& res) { res.set_header("Cache-Control", "max-age=60"); }),
    vial::get<"/", list_posts>(),
    vial::get<"/<int:post_id>", show_post>(),
    vial::get<"/<int:year>/<int:month>/<slug>", post_by_slug>(),
    vial::post<"/", create_post>(),
    vial::patch<"/<int:post_id>", edit_post>(),
    vial::get<"/<int:post_id>/comments", post_comments>(),
    vial::get<"/<int:post_id>/comments/<int:comment_id>", comment>(),
    vial::get<"/files/<path:path>", post_file>(),
    vial::get<"/id/<uuid:id>", post_by_id>(),
    vial::get<"/feed.xml", post_feed>());

constexpr auto app = vial::app(
    vial::before_request([](counters& c) { c.requests.fetch_add(1, std::memory_order_relaxed); }),
    vial::after_request([](vial::response& res) { res.set_header("X-Frame-Options", "DENY"); }),
    vial::teardown_request([](std::exception_ptr) {}),
    vial::errorhandler<404>([](const vial::request& req) { return "nothing at " + std::string(req.path()) + "\n"; }),
    vial::errorhandler<500>([] { return std::string("something broke\n"); }),
    vial::get<"/", "index">([] { return std::string("app30\n"); }),
    vial::get<"/health", "health">([] { return health(); }),
    vial::get<"/about/", "about">([] { return std::string("about\n"); }),
    vial::get<"/version", "version">([] { return std::string("1.0\n"); }),
    vial::get<"/robots.txt", "robots">([] { return std::string("User-agent: *\n"); }),
    users,
    posts,
    admin);

static_assert(decltype(app)::route_count == 30);

}  // namespace

int main(int argc, char** argv) {
    counters c;
    return vial::run(app, argc, argv, c);
}
