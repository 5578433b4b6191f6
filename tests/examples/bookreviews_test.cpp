// BookReviews' web layer in-process (vial::test_client), on an in-memory store: every page, the
// forms and their errors, sessions and CSRF, the guard, the 404 page, the API and store errors.
// tests/examples/bookreviews_blackbox.py drives the real program (SQLite) over a socket.
#include "app.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <string>

namespace {

using bookreviews::book;
using bookreviews::review;
using bookreviews::user;

/// The store interface over a few vectors: enough to test the pages without a database.
class memory_store final : public bookreviews::store {
public:
    memory_store() {
        books_.push_back({1, "Dune", "Frank Herbert", 1965, "Sand and spice.", 0, 0});
        books_.push_back({2, "Emma", "Jane Austen", 1815, "A matchmaker.", 0, 0});
        books_.push_back({3, "Dubliners", "James Joyce", 1914, "Fifteen stories.", 0, 0});
        users_.push_back({1, "reader", "!"});
        add_review(2, 1, 4, "Witty & <sharp>.");
    }
    bool fail = false;  // every call throws store_error

    std::vector<book> books(std::string_view part, int limit, int offset) override {
        const std::lock_guard lock(mutex_);
        check();
        std::vector<book> out;
        for (const auto& b : books_)
            if (lower(b.title).find(lower(part)) != std::string::npos) out.push_back(b);
        std::sort(out.begin(), out.end(), [](const book& a, const book& b) { return a.title < b.title; });
        out.erase(out.begin(), out.begin() + std::min<std::size_t>(offset, out.size()));
        if (out.size() > static_cast<std::size_t>(limit)) out.resize(limit);
        return out;
    }
    std::optional<book> find_book(std::int64_t id) override {
        const std::lock_guard lock(mutex_);
        check();
        for (const auto& b : books_)
            if (b.id == id) return b;
        return std::nullopt;
    }
    std::vector<review> reviews_for(std::int64_t book_id) override {
        const std::lock_guard lock(mutex_);
        check();
        std::vector<review> out;
        for (auto it = reviews_.rbegin(); it != reviews_.rend(); ++it)
            if (it->book_id == book_id) out.push_back(*it);
        return out;
    }
    std::optional<user> find_user(std::string_view name) override {
        const std::lock_guard lock(mutex_);
        check();
        for (const auto& u : users_)
            if (lower(u.username) == lower(name)) return u;
        return std::nullopt;
    }
    std::optional<user> find_user(std::int64_t id) override {
        const std::lock_guard lock(mutex_);
        check();
        for (const auto& u : users_)
            if (u.id == id) return u;
        return std::nullopt;
    }
    std::optional<std::int64_t> create_user(std::string_view name, std::string_view hash) override {
        const std::lock_guard lock(mutex_);
        check();
        for (const auto& u : users_)
            if (lower(u.username) == lower(name)) return std::nullopt;
        users_.push_back({static_cast<std::int64_t>(users_.size()) + 1, std::string(name), std::string(hash)});
        return users_.back().id;
    }
    std::int64_t add_review(std::int64_t book_id, std::int64_t user_id, int rating, std::string_view text) override {
        const std::lock_guard lock(mutex_);
        check();
        auto b = std::find_if(books_.begin(), books_.end(), [&](const book& x) { return x.id == book_id; });
        if (b == books_.end()) throw bookreviews::store_error("no such book");
        const std::int64_t id = static_cast<std::int64_t>(reviews_.size()) + 1;
        reviews_.push_back({id, book_id, users_.at(user_id - 1).username, rating, std::string(text), "2026-12-07 01:00:00"});
        b->average_rating = (b->average_rating * b->review_count + rating) / (b->review_count + 1);
        ++b->review_count;
        return id;
    }

private:
    void check() const {
        if (fail) throw bookreviews::store_error("disk I/O error");
    }
    static std::string lower(std::string_view s) {
        std::string out(s);
        for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
    }
    std::mutex mutex_;
    std::vector<book> books_;
    std::vector<review> reviews_;
    std::vector<user> users_;
};

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

/// The value of the first `name="csrf_token" value="..."` in a page.
std::string csrf_of(const std::string& page) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = page.find(marker);
    if (at == std::string::npos) return {};
    const auto from = at + marker.size();
    return page.substr(from, page.find('"', from) - from);
}

constexpr std::string_view form_type = "application/x-www-form-urlencoded";

struct bookreviews_pages : ::testing::Test {
    memory_store db;
    vial::sessions sessions{vial::secret_keys{"bookreviews-test-key-0123456789"}};
    vial::openapi::spec spec{bookreviews::app, {.title = "BookReviews API", .version = "1.0.0"}};
    vial::test_client<std::remove_const_t<decltype(bookreviews::app)>, vial::sessions&, bookreviews::store&, vial::openapi::spec&> client{
        bookreviews::app, sessions, db, spec};

    std::string token(std::string_view page = "/") { return csrf_of(client.get(page).body()); }

    vial::response sign_up(const std::string& name, const std::string& password = "correct horse") {
        return client.post("/signup",
                           "csrf_token=" + token("/signup") + "&username=" + name + "&password=" + vial::percent_encode(password) +
                               "&password2=" + vial::percent_encode(password) + "&next=/books/1",
                           form_type);
    }
};

TEST_F(bookreviews_pages, the_index_lists_books_with_their_average_and_searches_by_title) {
    const auto res = client.get("/");
    ASSERT_EQ(res.status(), 200);
    EXPECT_EQ(res.header("Content-Type"), "text/html; charset=utf-8");
    const std::string page(res.body());
    EXPECT_TRUE(has(page, "<form id=\"search\" method=\"get\" action=\"/\""));
    EXPECT_TRUE(has(page, "<a class=\"book-link\" href=\"/books/2\">Emma</a>")) << page;
    EXPECT_TRUE(has(page, "<span class=\"average\">4.0</span>")) << page;
    EXPECT_TRUE(has(page, "<a id=\"signin-link\" href=\"/signin\">"));
    EXPECT_TRUE(has(page, "<link rel=\"stylesheet\" href=\"/static/style.css\">"));

    const std::string found(client.get("/?q=DU").body());
    EXPECT_TRUE(has(found, ">Dune</a>") && has(found, ">Dubliners</a>") && !has(found, ">Emma</a>")) << found;
    EXPECT_TRUE(has(found, "value=\"DU\""));
    const std::string none(client.get("/?q=%3Cscript%3E").body());
    EXPECT_TRUE(has(none, "No book has a title like that.") && has(none, "&lt;script&gt;")) << none;
}

TEST_F(bookreviews_pages, a_visitors_page_views_send_no_cookie_until_a_form_needs_a_token) {
    for (const char* url : {"/", "/books/2", "/nowhere"}) EXPECT_FALSE(client.get(url).has_header("Set-Cookie")) << url;
    EXPECT_TRUE(client.get("/signin").has_header("Set-Cookie"));  // its form carries a CSRF token
}

TEST_F(bookreviews_pages, a_book_page_shows_its_reviews_escaped_and_asks_visitors_to_sign_in) {
    const auto res = client.get("/books/2");
    ASSERT_EQ(res.status(), 200);
    const std::string page(res.body());
    EXPECT_TRUE(has(page, "<h1>Emma</h1>"));
    EXPECT_TRUE(has(page, "<span id=\"average\">4.0</span>"));
    EXPECT_TRUE(has(page, "<span class=\"review-rating\">4</span>"));
    EXPECT_TRUE(has(page, "<span class=\"review-author\">reader</span>"));
    EXPECT_TRUE(has(page, "<p class=\"review-text\">Witty &amp; &lt;sharp&gt;.</p>")) << page;
    EXPECT_FALSE(has(page, "review-form"));
    EXPECT_TRUE(has(page, "id=\"signin-to-review\" href=\"/signin?next=")) << page;
    EXPECT_TRUE(has(client.get("/books/1").body(), "<span id=\"average\">-</span>"));
}

TEST_F(bookreviews_pages, unknown_pages_and_books_get_the_404_template) {
    for (const char* url : {"/nowhere", "/books/99", "/books/x"}) {
        const auto res = client.get(url);
        EXPECT_EQ(res.status(), 404) << url;
        EXPECT_TRUE(has(std::string(res.body()), "<h1>Page not found</h1>")) << url;
    }
}

TEST_F(bookreviews_pages, sign_up_signs_in_and_goes_to_next_with_a_flash) {
    const auto res = sign_up("ann_1");
    ASSERT_EQ(res.status(), 303) << res.body();
    EXPECT_EQ(res.header("Location"), "/books/1");
    const std::string page(client.get("/books/1").body());
    EXPECT_TRUE(has(page, "<span id=\"current-user\">ann_1</span>")) << page;
    EXPECT_TRUE(has(page, "<form id=\"signout\""));
    EXPECT_TRUE(has(page, "class=\"flash flash-success\"")) << page;
    EXPECT_TRUE(has(page, "<form id=\"review-form\" method=\"post\" action=\"/books/1/reviews\""));
    EXPECT_FALSE(has(client.get("/books/1").body(), "flash-success"));  // read once
}

TEST_F(bookreviews_pages, sign_up_errors_are_beside_the_fields_with_the_name_kept) {
    auto res = client.post("/signup",
                           "csrf_token=" + token("/signup") + "&username=a%3Cb&password=short&password2=short", form_type);
    EXPECT_EQ(res.status(), 422);
    std::string page(res.body());
    EXPECT_TRUE(has(page, "data-field=\"username\"") && has(page, "data-field=\"password\"")) << page;
    EXPECT_TRUE(has(page, "value=\"a&lt;b\"")) << page;
    res = client.post("/signup", "csrf_token=" + token("/signup") + "&username=bob&password=longenough&password2=other",
                      form_type);
    EXPECT_EQ(res.status(), 422);
    EXPECT_TRUE(has(std::string(res.body()), "data-field=\"password2\""));
    ASSERT_EQ(sign_up("bob").status(), 303);
    client.post("/signout", "csrf_token=" + token(), form_type);
    res = sign_up("BOB");
    EXPECT_EQ(res.status(), 422);
    EXPECT_TRUE(has(std::string(res.body()), "That name is taken")) << res.body();
}

TEST_F(bookreviews_pages, sign_in_checks_the_password_and_sign_out_forgets_the_user) {
    ASSERT_EQ(sign_up("carol").status(), 303);
    auto res = client.post("/signout", "csrf_token=" + token(), form_type);
    EXPECT_EQ(res.status(), 303);
    EXPECT_EQ(res.header("Location"), "/");
    std::string page(client.get("/").body());
    EXPECT_TRUE(has(page, "Signed out") && has(page, "id=\"signin-link\"")) << page;

    res = client.post("/signin", "csrf_token=" + token("/signin") + "&username=carol&password=wrong-password&next=/books/2",
                      form_type);
    EXPECT_EQ(res.status(), 401);
    page = res.body();
    EXPECT_TRUE(has(page, "class=\"field-error\" data-field=\"password\"")) << page;
    EXPECT_TRUE(has(page, "name=\"username\" value=\"carol\"") && has(page, "name=\"next\" value=\"/books/2\"")) << page;
    res = client.post("/signin", "csrf_token=" + token("/signin") + "&username=nobody&password=correct+horse", form_type);
    EXPECT_EQ(res.status(), 401);
    EXPECT_EQ(client.post("/signin", "csrf_token=" + token("/signin") + "&username=reader&password=%21", form_type).status(),
              401);  // the seed user cannot sign in

    res = client.post("/signin",
                      "csrf_token=" + token("/signin") + "&username=carol&password=correct+horse&next=/books/2", form_type);
    EXPECT_EQ(res.status(), 303);
    EXPECT_EQ(res.header("Location"), "/books/2");
    res = client.post("/signin",
                      "csrf_token=" + token("/signin") + "&username=carol&password=correct+horse&next=https://evil.example/",
                      form_type);
    EXPECT_EQ(res.header("Location"), "/");  // never to another site
}

TEST_F(bookreviews_pages, posting_a_review_needs_a_user_and_brings_visitors_back_to_the_book) {
    const auto res = client.post("/books/1/reviews", "csrf_token=" + token("/signin") + "&rating=5&text=Great", form_type);
    EXPECT_EQ(res.status(), 303);
    EXPECT_EQ(res.header("Location"), "/signin?next=/books/1");
    const std::string form(client.get(std::string(res.header("Location"))).body());
    EXPECT_TRUE(has(form, "name=\"next\" value=\"/books/1\"")) << form;
}

TEST_F(bookreviews_pages, a_valid_review_is_thanked_after_a_redirect_and_shown) {
    ASSERT_EQ(sign_up("dave").status(), 303);
    client.get("/books/1");  // the sign-up flash, shown
    auto res = client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=5&text=A+classic.", form_type);
    ASSERT_EQ(res.status(), 303) << res.body();
    EXPECT_EQ(res.header("Location"), "/books/1");
    const std::string page(client.get("/books/1").body());
    EXPECT_TRUE(has(page, "<div class=\"flash flash-success\" role=\"status\">Thank you for your review!</div>")) << page;
    EXPECT_TRUE(has(page, "<span id=\"average\">5.0</span>"));
    EXPECT_TRUE(has(page, "<span class=\"review-author\">dave</span>") && has(page, "A classic.")) << page;
}

TEST_F(bookreviews_pages, an_invalid_review_is_422_with_errors_beside_the_fields_and_the_input_kept) {
    ASSERT_EQ(sign_up("erin").status(), 303);
    auto res = client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=9&text=Kept+%3Ctext%3E",
                           form_type);
    EXPECT_EQ(res.status(), 422);
    std::string page(res.body());
    EXPECT_TRUE(has(page, "class=\"field-error\" data-field=\"rating\"")) << page;
    EXPECT_FALSE(has(page, "data-field=\"text\""));
    EXPECT_TRUE(has(page, ">Kept &lt;text&gt;</textarea>")) << page;

    res = client.post("/books/1/reviews",
                      "csrf_token=" + token("/books/1") + "&rating=3&text=" + std::string(2001, 'x'), form_type);
    EXPECT_EQ(res.status(), 422);
    page = res.body();
    EXPECT_TRUE(has(page, "data-field=\"text\"") && has(page, "<option value=\"3\" selected>")) << page;
    res = client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=3&text=+++", form_type);
    EXPECT_EQ(res.status(), 422);
    // 2000 characters, counted as characters: 2000 two-byte letters are fine.
    std::string long_text;
    for (int i = 0; i < 2000; ++i) long_text += "%C3%A9";
    EXPECT_EQ(client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=3&text=" + long_text, form_type)
                  .status(),
              303);
    EXPECT_EQ(db.reviews_for(1).size(), 1u);
}

TEST_F(bookreviews_pages, the_forms_messages_come_from_the_structs_rules_and_the_handlers_checks) {
    // vial::form_input<review_input>: rating's vial::message, text's pydantic message, blank text in code.
    ASSERT_EQ(sign_up("gus").status(), 303);
    auto res = client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=&text=", form_type);
    EXPECT_EQ(res.status(), 422);
    std::string page(res.body());
    EXPECT_TRUE(has(page, "data-field=\"rating\">Choose a rating from 1 to 5.</span>")) << page;
    EXPECT_TRUE(has(page, "data-field=\"text\">String should have at least 1 character</span>")) << page;
    EXPECT_TRUE(has(page, "<option value=\"\" selected>Choose...</option>")) << page;
    res = client.post("/books/1/reviews", "csrf_token=" + token("/books/1") + "&rating=2&text=%20%0A", form_type);
    EXPECT_TRUE(has(std::string(res.body()), "data-field=\"text\">Write a few words about the book.</span>"));
    EXPECT_TRUE(has(std::string(res.body()), "<option value=\"2\" selected>"));
    EXPECT_TRUE(db.reviews_for(1).empty());
    client.post("/signout", "csrf_token=" + token(), form_type);

    // Sign-up: the length from the rules, the characters and the second password in code; never a
    // password sent back; next only as a path on this site.
    res = client.post("/signup", "csrf_token=" + token("/signup") +
                                     "&username=abc%21&password=long+enough&password2=long+enough&next=https://evil.example/",
                      form_type);
    EXPECT_EQ(res.status(), 422);
    page = res.body();
    EXPECT_TRUE(has(page, "data-field=\"username\">3 to 32 letters, digits or underscores.</span>")) << page;
    EXPECT_FALSE(has(page, "data-field=\"password\"") || has(page, "long enough")) << page;
    EXPECT_TRUE(has(page, "name=\"username\" value=\"abc!\"") && has(page, "name=\"next\" value=\"\"")) << page;
    res = client.post("/signup", "csrf_token=" + token("/signup") + "&username=" + std::string(33, 'a') +
                                     "&password=long+enough&password2=long+enougH", form_type);
    page = res.body();
    EXPECT_TRUE(has(page, "data-field=\"username\">3 to 32 letters, digits or underscores.</span>")) << page;
    EXPECT_TRUE(has(page, "data-field=\"password2\">The two passwords differ.</span>")) << page;

    // Sign-in: empty fields are said beside them; the form again with 401, the name kept.
    res = client.post("/signin", "csrf_token=" + token("/signin") + "&username=gus", form_type);
    EXPECT_EQ(res.status(), 401);
    page = res.body();
    EXPECT_TRUE(has(page, "data-field=\"password\">Enter your password.</span>")) << page;
    EXPECT_TRUE(has(page, "name=\"username\" value=\"gus\"")) << page;
}

TEST_F(bookreviews_pages, form_posts_without_their_csrf_token_are_refused) {
    ASSERT_EQ(sign_up("fay").status(), 303);
    EXPECT_EQ(client.post("/books/1/reviews", "rating=5&text=x", form_type).status(), 400);
    EXPECT_EQ(client.post("/books/1/reviews", "csrf_token=forged&rating=5&text=x", form_type).status(), 400);
    EXPECT_EQ(client.post("/signout", "", form_type).status(), 400);
    EXPECT_TRUE(db.reviews_for(1).empty());
}

TEST_F(bookreviews_pages, static_css_is_served) {
    const auto res = client.get("/static/style.css");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_TRUE(has(std::string(res.body()), "color: rgb(139, 69, 19)"));
}

TEST_F(bookreviews_pages, the_api_answers_typed_json) {
    auto res = client.get("/api/books?q=u&limit=1&offset=1");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.header("Content-Type"), "application/json");
    EXPECT_EQ(res.body(), R"([{"author":"Frank Herbert","average_rating":0.0,"description":"Sand and spice.","id":1,)"
                          R"("review_count":0,"title":"Dune","year":1965}])");
    res = client.get("/api/books/2");
    EXPECT_TRUE(has(std::string(res.body()), R"("average_rating":4.0)")) << res.body();
    res = client.get("/api/books/9");
    EXPECT_EQ(res.status(), 404);
    EXPECT_EQ(res.body(), R"({"detail":"no book 9"})");
    res = client.get("/api/books/2/reviews");
    EXPECT_EQ(res.body(), R"([{"book_id":2,"created_at":"2026-12-07 01:00:00","id":1,"rating":4,)"
                          R"("text":"Witty & <sharp>.","username":"reader"}])");
    EXPECT_EQ(client.get("/api/books/9/reviews").status(), 404);
    EXPECT_EQ(client.get("/api/books?limit=0").status(), 422);
}

TEST_F(bookreviews_pages, the_openapi_document_has_the_api_and_not_the_pages) {
    const auto doc = nlohmann::json::parse(client.get("/openapi.json").body());
    EXPECT_EQ(doc["info"]["title"], "BookReviews API");
    std::vector<std::string> paths;
    for (const auto& [path, item] : doc["paths"].items()) paths.push_back(path);
    EXPECT_EQ(paths, (std::vector<std::string>{"/api/books", "/api/books/{book_id}", "/api/books/{book_id}/reviews"}));
}

TEST_F(bookreviews_pages, store_errors_are_503_with_a_short_reason) {
    db.fail = true;
    auto res = client.get("/books/1");
    EXPECT_EQ(res.status(), 503);
    EXPECT_TRUE(has(std::string(res.body()), "database is unavailable")) << res.body();
    res = client.get("/api/books");
    EXPECT_EQ(res.status(), 503);
    EXPECT_EQ(res.header("Content-Type"), "application/json");
}

}  // namespace
