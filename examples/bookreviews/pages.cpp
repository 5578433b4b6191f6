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

/// Characters, not bytes: the form's limits are in characters, as the user counts them.
std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

/// The review's rating, or 0 when it is not one of "1" to "5".
int rating_of(std::string_view text) {
    return text.size() == 1 && text[0] >= '1' && text[0] <= '5' ? text[0] - '0' : 0;
}

review_errors check(const review_form& form) {
    review_errors errors;
    if (rating_of(form.rating) == 0) errors.rating = "Choose a rating from 1 to 5.";
    const std::size_t length = utf8_length(trim(form.text));
    if (length == 0) errors.text = "Write a few words about the book.";
    else if (length > 2000) errors.text = "Keep it under 2000 characters (this one has " + std::to_string(length) + ").";
    return errors;
}

bool valid_username(std::string_view name) {
    return name.size() >= 3 && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
           });
}

account_form kept(const vial::form<account_input>& input, const vial::request& req) {
    return {input->username, vial::next_url(req, "")};
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
    return vial::redirect(vial::url_for<"signin_form">(app) + "?next=" + vial::url_for<"book">(app, book_id), 303);
}

//! [post_review]
vial::response post_review(std::int64_t book_id, vial::form<review_form> input, const vial::request& req,
                           vial::session<account>& s, store& db) {
    auto found = db.find_book(book_id);
    if (!found) vial::abort(404);
    const review_errors errors = check(*input);
    if (!errors.rating.empty() || !errors.text.empty()) {
        // The page again, the errors beside the fields and the input kept: 422.
        book_page page{s->username, std::move(*found), db.reviews_for(book_id), std::move(*input), errors};
        return render<"book.html">(page, req, s, 422);
    }
    db.add_review(book_id, s->user_id, rating_of(input->rating), trim(input->text));
    vial::flash("Thank you for your review!", "success");
    return vial::redirect(vial::url_for<"book">(app, book_id), 303);  // post/redirect/get
}
//! [post_review]

vial::response signup_form(const vial::request& req, vial::session<account>& s) {
    return render<"signup.html">(account_page{s->username, {"", vial::next_url(req, "")}, {}}, req, s);
}

vial::response signup(vial::form<account_input> input, const vial::request& req, vial::session<account>& s,
                      store& db) {
    account_errors errors;
    if (!valid_username(input->username))
        errors.username = "3 to 32 letters, digits or underscores.";
    if (input->password.size() < 8) errors.password = "At least 8 characters.";
    else if (input->password2 != input->password) errors.password2 = "The two passwords differ.";
    if (errors.username.empty() && errors.password.empty() && errors.password2.empty()) {
        if (auto id = db.create_user(input->username, vial::hash_password(input->password))) {
            *s = account{*id, input->username};
            vial::flash("Welcome, " + input->username + "! You are signed in.", "success");
            return vial::redirect(vial::next_url(req), 303);
        }
        errors.username = "That name is taken; choose another.";
    }
    return render<"signup.html">(account_page{s->username, kept(input, req), std::move(errors)}, req, s, 422);
}

vial::response signin_form(const vial::request& req, vial::session<account>& s) {
    return render<"signin.html">(account_page{s->username, {"", vial::next_url(req, "")}, {}}, req, s);
}

//! [signin]
vial::response signin(vial::form<account_input> input, const vial::request& req, vial::session<account>& s,
                      store& db) {
    const auto user = db.find_user(std::string_view(input->username));
    // An unknown name costs as much as a wrong password: the time does not tell which it was.
    static const std::string no_such_user = vial::hash_password("no such user");
    if (vial::verify_password(input->password, user ? user->password_hash : no_such_user) && user) {
        *s = account{user->id, user->username};
        vial::flash("Signed in as " + user->username + ".", "success");
        return vial::redirect(vial::next_url(req), 303);  // only ever a path on this site
    }
    account_errors errors;
    errors.password = "Wrong username or password.";
    return render<"signin.html">(account_page{s->username, kept(input, req), std::move(errors)}, req, s, 401);
}
//! [signin]

vial::response signout(vial::session<account>& s) {
    s.clear();
    vial::flash("Signed out", "success");
    return vial::redirect(vial::url_for<"index">(app), 303);
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
