// The tutorial's step 9 (docs/tutorial.md): the app of bookshelf.hpp through vial::test_client,
// as a browser would use it. Run from the folder that holds static/.
#include "bookshelf.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace {

/// The value of the first `name="csrf_token" value="..."` in a page.
std::string csrf_token_in(const std::string& page) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = page.find(marker);
    if (at == std::string::npos) return "";
    const auto start = at + marker.size();
    return page.substr(start, page.find('"', start) - start);
}

//! [fixture]
class bookshelf_test : public ::testing::Test {
protected:
    vial::sessions sessions{vial::secret_keys{"a-test-key-of-at-least-16-bytes"}};
    bookshelf::store db;
    bookshelf::user_store users;
    vial::openapi::spec spec{bookshelf::app, {.title = "Bookshelf", .version = "1.0.0"}};
    // The services are held by reference: a test sees what the handlers did to them.
    vial::test_client<std::remove_const_t<decltype(bookshelf::app)>, vial::sessions&, bookshelf::store&,
                      bookshelf::user_store&, vial::openapi::spec&>
        client{bookshelf::app, sessions, db, users, spec};

    void sign_in() {
        const std::string token = csrf_token_in(client.get("/signin").body());
        const auto res = client.post("/signin", "username=ann&password=wonderland&next=/books/2&csrf_token=" + token,
                                     "application/x-www-form-urlencoded");
        ASSERT_EQ(res.status(), 303);
        ASSERT_EQ(res.header("Location"), "/books/2");
    }
};
//! [fixture]

TEST_F(bookshelf_test, lists_and_searches_books) {
    const auto res = client.get("/");
    EXPECT_EQ(res.status(), 200);
    EXPECT_NE(res.body().find("<a class=\"book-link\" href=\"/books/1\">Emma</a>"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("<span class=\"average\">5.0</span>"), std::string::npos) << res.body();
    const std::string found = client.get("/?q=Ulys").body();
    EXPECT_NE(found.find("Ulysses"), std::string::npos);
    EXPECT_EQ(found.find("Emma"), std::string::npos);
    EXPECT_NE(client.get("/?q=%3Cb%3E").body().find("No book has \"&lt;b&gt;\""), std::string::npos);
}

//! [test_review]
TEST_F(bookshelf_test, a_signed_in_reader_posts_a_review) {
    sign_in();
    const std::string page = client.get("/books/2").body();
    EXPECT_NE(page.find("<span id=\"current-user\">ann</span>"), std::string::npos) << page;
    EXPECT_NE(page.find("Welcome back, ann!"), std::string::npos);  // the sign-in's flash

    const auto posted = client.post("/books/2/reviews", "rating=4&text=Long+but+fun&csrf_token=" + csrf_token_in(page),
                                    "application/x-www-form-urlencoded");
    EXPECT_EQ(posted.status(), 303);
    EXPECT_EQ(posted.header("Location"), "/books/2");
    const std::string after = client.get("/books/2").body();
    EXPECT_NE(after.find("<div class=\"flash flash-success\">Thank you for your review!</div>"), std::string::npos);
    EXPECT_NE(after.find("<span class=\"review-text\">Long but fun</span>"), std::string::npos) << after;
    EXPECT_EQ(client.get("/books/2").body().find("Thank you"), std::string::npos);  // flashed once
}
//! [test_review]

TEST_F(bookshelf_test, an_invalid_review_shows_the_errors_beside_the_fields_with_the_input_kept) {
    sign_in();
    const std::string token = csrf_token_in(client.get("/books/2").body());
    const auto res = client.post("/books/2/reviews", "rating=9&text=&csrf_token=" + token,
                                 "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status(), 422);
    EXPECT_NE(res.body().find("value=\"9\""), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("data-field=\"rating\">Input should be less than or equal to 5<"), std::string::npos);
    EXPECT_NE(res.body().find("data-field=\"text\">String should have at least 1 character<"), std::string::npos);
    EXPECT_EQ(db.reviews_of(2).size(), 0u);

    const auto kept = client.post("/books/2/reviews", "rating=x&text=%3Cscript%3E&csrf_token=" + token,
                                  "application/x-www-form-urlencoded");
    EXPECT_EQ(kept.status(), 422);
    EXPECT_NE(kept.body().find("<textarea name=\"text\">&lt;script&gt;</textarea>"), std::string::npos) << kept.body();
    EXPECT_NE(kept.body().find("data-field=\"rating\">Input should be a valid integer"), std::string::npos);
}

TEST_F(bookshelf_test, posting_needs_a_signed_in_user_and_the_csrf_token) {
    const std::string page = client.get("/books/2").body();
    EXPECT_NE(page.find("<a id=\"signin-to-review\" href=\"/signin?next=/books/2\">"), std::string::npos) << page;
    EXPECT_EQ(csrf_token_in(page), "");  // no form on the page for a visitor
    const std::string token = csrf_token_in(client.get("/signin").body());
    const auto anonymous = client.post("/books/2/reviews", "rating=4&text=hi&csrf_token=" + token,
                                       "application/x-www-form-urlencoded");
    EXPECT_EQ(anonymous.status(), 303);
    EXPECT_EQ(anonymous.header("Location"), "/signin?next=/books/2/reviews");

    sign_in();
    const auto no_token = client.post("/books/2/reviews", "rating=4&text=hi", "application/x-www-form-urlencoded");
    EXPECT_EQ(no_token.status(), 400);
    EXPECT_NE(no_token.body().find("CSRF token missing"), std::string::npos) << no_token.body();
    EXPECT_EQ(db.reviews_of(2).size(), 0u);
}

TEST_F(bookshelf_test, a_wrong_password_and_signing_out) {
    const std::string token = csrf_token_in(client.get("/signin").body());
    const auto wrong = client.post("/signin", "username=ann&password=nope&csrf_token=" + token,
                                   "application/x-www-form-urlencoded");
    EXPECT_EQ(wrong.status(), 401);
    EXPECT_NE(wrong.body().find("Wrong user name or password"), std::string::npos);
    EXPECT_NE(wrong.body().find("name=\"username\" value=\"ann\""), std::string::npos);
    // Without its fields the post never reaches the handler: vial::form<signin_input> answers 422.
    const auto missing = client.post("/signin", "username=ann&csrf_token=" + token, "application/x-www-form-urlencoded");
    EXPECT_EQ(missing.status(), 422);
    EXPECT_NE(missing.body().find(R"("loc":["body","password"])"), std::string::npos) << missing.body();

    sign_in();
    const std::string page = client.get("/").body();
    const auto out = client.post("/signout", "csrf_token=" + csrf_token_in(page), "application/x-www-form-urlencoded");
    EXPECT_EQ(out.status(), 303);
    const std::string after = client.get("/").body();
    EXPECT_NE(after.find("Signed out"), std::string::npos);
    EXPECT_NE(after.find("id=\"signin-link\""), std::string::npos);
}

TEST_F(bookshelf_test, a_missing_page_is_the_404_template) {
    const auto res = client.get("/nowhere");
    EXPECT_EQ(res.status(), 404);
    EXPECT_NE(res.body().find("<h1>Page not found</h1>"), std::string::npos) << res.body();
    EXPECT_EQ(client.get("/books/99").status(), 404);
}

TEST_F(bookshelf_test, serves_the_style_sheet) {
    const auto res = client.get("/static/style.css");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_NE(res.body().find("h1 { color: rgb(139, 69, 19); }"), std::string::npos);
}

//! [test_api]
TEST_F(bookshelf_test, the_json_api_and_its_document) {
    const auto books = client.get("/api/books?q=Emma");
    EXPECT_EQ(books.status(), 200);
    EXPECT_EQ(nlohmann::json::parse(books.body()),
              nlohmann::json::parse(R"([{"author":"Jane Austen","average":5.0,"id":1,"review_count":1,"title":"Emma"}])"));
    EXPECT_EQ(client.get("/api/books/1/reviews").body(),
              R"([{"book_id":1,"rating":5,"text":"Witty from the first line.","user":"ann"}])");
    EXPECT_EQ(client.get("/api/books/99/reviews").status(), 404);
    EXPECT_EQ(client.get("/api/books?q=" + std::string(101, 'x')).status(), 422);

    const auto doc = nlohmann::json::parse(client.get("/openapi.json").body());
    EXPECT_TRUE(doc["paths"].contains("/api/books/{book_id}/reviews"));
}
//! [test_api]

}  // namespace
