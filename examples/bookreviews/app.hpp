// BookReviews' web layer: the forms, the page contexts, the handlers' declarations and the app.
//
// The handlers are declared here and defined in pages.cpp (HTML, templates) and api.cpp (the typed
// JSON API), after the app, so that they can build URLs with url_for; bookreviews.cpp serves it.
// Splitting them keeps a template edit to one recompiled file (pages.cpp).
#pragma once

#include "store.hpp"

#include <vial/openapi.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>
#include <vial/web.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#ifndef BOOKREVIEWS_STATIC_DIR
#define BOOKREVIEWS_STATIC_DIR "static"  // CMake sets the source folder's absolute path
#endif

namespace bookreviews {

/// What the signed session cookie holds: who is signed in (user_id 0: nobody).
struct account {
    BOOST_HANA_DEFINE_STRUCT(account, (std::int64_t, user_id), (std::string, username));
};

// ---- What the forms and the query strings carry (typed parameters) ----

/// `GET /?q=...`: the search box.
struct search_query {
    BOOST_HANA_DEFINE_STRUCT(search_query, (std::string, q));
    static constexpr auto rules = vial::rules(vial::field<"q">(vial::default_value()));
};

/// A posted review. Its rules are the form's validation: vial::form_input shows their messages
/// beside the fields (pydantic's, or the field's vial::message) with the input kept.
struct review_input {
    BOOST_HANA_DEFINE_STRUCT(review_input, (int, rating), (std::string, text));
    static constexpr auto rules = vial::rules(
        vial::field<"rating">(vial::minimum(1), vial::maximum(5), vial::message("Choose a rating from 1 to 5.")),
        vial::field<"text">(vial::min_length(1), vial::max_length(2000)));
};

/// The sign-up form (the name's characters and the second password are checked in code).
struct signup_input {
    BOOST_HANA_DEFINE_STRUCT(signup_input, (std::string, username), (std::string, password),
                             (std::string, password2), (std::string, next));
    static constexpr auto rules = vial::rules(
        vial::field<"username">(vial::min_length(3), vial::max_length(32),
                                vial::message("3 to 32 letters, digits or underscores.")),
        vial::field<"password">(vial::min_length(8), vial::message("At least 8 characters.")),
        vial::field<"password2">(vial::default_value()), vial::field<"next">(vial::default_value()));
};

/// The sign-in form.
struct signin_input {
    BOOST_HANA_DEFINE_STRUCT(signin_input, (std::string, username), (std::string, password), (std::string, next));
    static constexpr auto rules = vial::rules(
        vial::field<"username">(vial::min_length(1), vial::message("Enter your username.")),
        vial::field<"password">(vial::min_length(1), vial::message("Enter your password.")),
        vial::field<"next">(vial::default_value()));
};

/// `GET /api/books?q=&limit=&offset=`.
struct book_filter {
    BOOST_HANA_DEFINE_STRUCT(book_filter, (std::string, q), (int, limit), (int, offset));
    static constexpr auto rules = vial::rules(
        vial::field<"q">(vial::default_value(), vial::description("a piece of the title, any case")),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(20)),
        vial::field<"offset">(vial::minimum(0), vial::default_value(0)));
};

/// The API's error body.
struct api_error {
    BOOST_HANA_DEFINE_STRUCT(api_error, (std::string, detail));
};

// ---- The templates' contexts (the Flask twin in bench/ passes the same names) ----

struct index_page {
    BOOST_HANA_DEFINE_STRUCT(index_page, (std::string, current_user), (std::string, q), (std::vector<book>, books));
};

struct book_page {
    BOOST_HANA_DEFINE_STRUCT(book_page, (std::string, current_user), (bookreviews::book, book), (std::vector<review>, reviews),
                             (vial::field_texts<review_input>, form), (vial::field_texts<review_input>, errors));
};

/// signup.html: the fields as typed (never the passwords) and the errors beside them.
struct signup_page {
    BOOST_HANA_DEFINE_STRUCT(signup_page, (std::string, current_user), (vial::field_texts<signup_input>, form),
                             (vial::field_texts<signup_input>, errors));
};

struct signin_page {
    BOOST_HANA_DEFINE_STRUCT(signin_page, (std::string, current_user), (vial::field_texts<signin_input>, form),
                             (vial::field_texts<signin_input>, errors));
};

struct plain_page {
    BOOST_HANA_DEFINE_STRUCT(plain_page, (std::string, current_user));
};

// ---- Handlers (pages.cpp, api.cpp) ----

vial::response index(vial::query<search_query> query, const vial::request& req, vial::session<account>& s,
                     store& db);
vial::response show_book(std::int64_t book_id, const vial::request& req, vial::session<account>& s, store& db);
vial::response post_review(std::int64_t book_id, vial::form_input<review_input> form, const vial::request& req,
                           vial::session<account>& s, store& db);
vial::response signup_form(const vial::request& req, vial::session<account>& s);
vial::response signup(vial::form_input<signup_input> form, const vial::request& req, vial::session<account>& s,
                      store& db);
vial::response signin_form(const vial::request& req, vial::session<account>& s);
vial::response signin(vial::form_input<signin_input> form, const vial::request& req, vial::session<account>& s,
                      store& db);
vial::response signout(vial::session<account>& s);

/// The 404 page (templates/404.html) for any URL no route takes.
vial::response page_not_found(const vial::request& req, vial::session<account>& s);
/// A store_error: 503 with a short reason (JSON under /api/, a small page elsewhere).
vial::response store_unavailable(const store_error& e, const vial::request& req);

std::vector<book> api_books(vial::query<book_filter> filter, store& db);
vial::responses<vial::ok<book>, vial::not_found<api_error>> api_book(std::int64_t book_id, store& db);
vial::responses<vial::ok<std::vector<review>>, vial::not_found<api_error>> api_reviews(std::int64_t book_id,
                                                                                        store& db);

/// Posting a review needs a signed-in user; anyone else goes to the sign-in page, which
/// brings them back to the book (not to the POST-only URL they posted to).
std::optional<vial::response> require_signin(std::int64_t book_id, vial::session<account>& s);

inline constexpr auto signed_in = vial::guard(&require_signin);

inline constexpr vial::route_doc page{.hidden = true};  // pages stay out of the OpenAPI document

inline constexpr auto app = vial::web_app(
    vial::before_request(vial::check_csrf),  // every form post carries its token
    vial::static_files(BOOKREVIEWS_STATIC_DIR, {.max_age = 3600}).doc(page),
    vial::get<"/", "index">(index).doc(page),
    vial::get<"/books/<int:book_id>", "book">(show_book).doc(page),
    signed_in(vial::post<"/books/<int:book_id>/reviews", "post_review">(post_review).doc(page)),
    vial::get<"/signup", "signup_form">(signup_form).doc(page),
    vial::post<"/signup", "signup">(signup).doc(page),
    vial::get<"/signin", "signin_form">(signin_form).doc(page),
    vial::post<"/signin", "signin">(signin).doc(page),
    vial::post<"/signout", "signout">(signout).doc(page),
    vial::get<"/api/books", "api_books">(api_books)
        .doc({.summary = "List books", .description = "Books by title, with their average rating; `q` filters by "
                                                       "a piece of the title.", .tags = {"books"}}),
    vial::get<"/api/books/<int:book_id>", "api_book">(api_book).doc({.summary = "Get a book", .tags = {"books"}}),
    vial::get<"/api/books/<int:book_id>/reviews", "api_reviews">(api_reviews)
        .doc({.summary = "List a book's reviews", .description = "Newest first.", .tags = {"reviews"}}),
    vial::errorhandler<404>(page_not_found),
    vial::errorhandler<store_error>(store_unavailable),
    vial::openapi::routes());

}  // namespace bookreviews
