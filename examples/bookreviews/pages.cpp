// BookReviews' HTML pages: templates/*.html rendered with vial's compile-time checked templates.
#include "app.hpp"

#include <vial/template.hpp>
#include <vial_templates/templates.hpp>

#include <algorithm>
#include <cstddef>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookreviews {

namespace {

//! [render]
/// Renders `Name` with the page's context, the app (for url_for) and the request's globals
/// (csrf_token(), get_flashed_messages(), request).
template <vial::fixed_string Name, class Context>
vial::response render(const Context& context, const vial::request& req, vial::session<account>& s,
                      unsigned status = 200) {
    return vial::html(vial::render_template<Name>(templates, context, app, vial::template_globals_for(req, s)), status);
}
//! [render]

/// As render, for pages whose only forms are for signed-in users (the index, a book, 404): a
/// visitor's view gets no CSRF token, so it neither starts a session nor sends a cookie (the
/// pages stay cacheable, and a crawler costs no signing). Flashes are still shown once.
template <vial::fixed_string Name, class Context>
vial::response render_view(const Context& context, const vial::request& req, vial::session<account>& s,
                           unsigned status = 200) {
    if (s->user_id != 0) return render<Name>(context, req, s, status);
    const std::vector<vial::flashed_message> flashes = vial::get_flashed_messages();
    vial::template_globals<account> globals{.path = req.path(), .args = &req.args(), .session = &*s,
                                            .csrf_token = {}, .flashes = flashes};
    return vial::html(vial::render_template<Name>(templates, context, app, globals), status);
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool word_characters(std::string_view name) {
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

/// What an account page shows again: never the passwords; `next` only as a path on this site.
template <class Input>
vial::field_texts<Input> kept(vial::form_input<Input>& form, const vial::request& req) {
    vial::field_texts<Input> texts = std::move(form.input());
    for (std::string_view field : {"password", "password2"})
        if (std::string* text = texts.find(field)) text->clear();
    texts.template get<"next">() = vial::next_url(req, "");
    return texts;
}

}  // namespace

//! [book]
vial::response show_book(std::int64_t book_id, const vial::request& req, vial::session<account>& s, store& db) {
    // This thread's reviews from its previous page, read into anew: their strings keep their
    // memory, so a page allocates nothing per review (about 15% of a page of 50 reviews).
    thread_local std::vector<review> reviews;
    auto found = db.find_book_with_reviews(book_id, reviews);
    if (!found) vial::abort(404);
    book_page page{s->username, std::move(*found), std::move(reviews), {}, {}};
    vial::response view = render_view<"book.html">(page, req, s);
    reviews = std::move(page.reviews);
    return view;
}
//! [book]

vial::response index(vial::query<search_query> query, const vial::request& req, vial::session<account>& s,
                     store& db) {
    std::string q(trim(query->q));
    index_page page{s->username, q, db.books(q, 200, 0)};
    return render_view<"index.html">(page, req, s);
}

std::optional<vial::response> require_signin(std::int64_t book_id, vial::session<account>& s) {
    if (s->user_id != 0) return std::nullopt;
    return vial::redirect(vial::url_for<"signin_form", app>() + "?next=" + vial::url_for<"book", app>(book_id), 303);
}

//! [post_review]
vial::response post_review(std::int64_t book_id, vial::form_input<review_input> form, const vial::request& req,
                           vial::session<account>& s, store& db) {
    auto found = db.find_book(book_id);
    if (!found) vial::abort(404);
    // The struct's rules checked rating (1..5) and the text's length; blank text is code's.
    if (form && trim(form->text).empty()) form.error<"text">("Write a few words about the book.");
    if (!form) {
        // The page again, the errors beside the fields and the input kept: 422.
        book_page page{s->username, std::move(*found), db.reviews_for(book_id), form.input(), form.errors()};
        return render<"book.html">(page, req, s, 422);
    }
    db.add_review(book_id, s->user_id, form->rating, trim(form->text));
    vial::flash("Thank you for your review!", "success");
    return vial::redirect(vial::url_for<"book", app>(book_id), 303);  // post/redirect/get
}
//! [post_review]

vial::response signup_form(const vial::request& req, vial::session<account>& s) {
    signup_page page{s->username, {}, {}};
    page.form.get<"next">() = vial::next_url(req, "");
    return render<"signup.html">(page, req, s);
}

vial::response signup(vial::form_input<signup_input> form, const vial::request& req, vial::session<account>& s,
                      store& db) {
    // Lengths come from the struct's rules; the characters and the second password are code.
    if (form.errors().get<"username">().empty() && !word_characters(form.input().get<"username">()))
        form.error<"username">("3 to 32 letters, digits or underscores.");
    if (form.errors().get<"password">().empty() && form.input().get<"password2">() != form.input().get<"password">())
        form.error<"password2">("The two passwords differ.");
    if (form) {
        if (auto id = db.create_user(form->username, vial::hash_password(form->password))) {
            *s = account{*id, form->username};
            vial::flash("Welcome, " + form->username + "! You are signed in.", "success");
            return vial::redirect(vial::next_url(req), 303);
        }
        form.error<"username">("That name is taken; choose another.");
    }
    return render<"signup.html">(signup_page{s->username, kept(form, req), form.errors()}, req, s, 422);
}

vial::response signin_form(const vial::request& req, vial::session<account>& s) {
    signin_page page{s->username, {}, {}};
    page.form.get<"next">() = vial::next_url(req, "");
    return render<"signin.html">(page, req, s);
}

//! [signin]
vial::response signin(vial::form_input<signin_input> form, const vial::request& req, vial::session<account>& s,
                      store& db) {
    if (form) {
        const auto user = db.find_user(std::string_view(form->username));
        // An unknown name costs as much as a wrong password: the time does not tell which it was.
        static const std::string no_such_user = vial::hash_password("no such user");
        if (vial::verify_password(form->password, user ? user->password_hash : no_such_user) && user) {
            *s = account{user->id, user->username};
            vial::flash("Signed in as " + user->username + ".", "success");
            return vial::redirect(vial::next_url(req), 303);  // only ever a path on this site
        }
        form.error<"password">("Wrong username or password.");
    }
    return render<"signin.html">(signin_page{s->username, kept(form, req), form.errors()}, req, s, 401);
}
//! [signin]

vial::response signout(vial::session<account>& s) {
    s.clear();
    vial::flash("Signed out", "success");
    return vial::redirect(vial::url_for<"index", app>(), 303);
}

vial::response page_not_found(const vial::request& req, vial::session<account>& s) {
    return render_view<"404.html">(plain_page{s->username}, req, s, 404);
}

vial::response store_unavailable(const store_error& e, const vial::request& req) {
    std::clog << "bookreviews: store error for " << req.path() << ": " << e.what() << '\n';
    if (req.path().starts_with("/api/"))
        return vial::response(503, R"({"detail":"the database is unavailable; try again shortly"})", "application/json");
    return vial::html("<!doctype html><title>Unavailable</title><h1>Sorry, the database is unavailable</h1>"
                      "<p>Please try again in a moment.</p>",
                      503);
}

}  // namespace bookreviews
