// The tutorial's pages and store (docs/tutorial.md, steps 4 to 7). The only file that
// includes the templates: editing one recompiles this file alone.
#include "bookshelf.hpp"

#include <vial/template.hpp>

#include <vial_templates/templates.hpp>

#include <algorithm>
#include <utility>

namespace bookshelf {

// ---- the store (step 4) ----

store::store()
    : books_{{1, "Emma", "Jane Austen", 0, 0},
             {2, "Ulysses", "James Joyce", 0, 0},
             {3, "Beloved", "Toni Morrison", 0, 0},
             {4, "The Remains of the Day", "Kazuo Ishiguro", 0, 0}},
      reviews_{{1, "ann", 5, "Witty from the first line."}, {3, "ann", 4, "Hard, and worth it."}} {}

book store::with_average(book b) const {
    int sum = 0;
    b.review_count = 0;
    for (const review& r : reviews_) {
        if (r.book_id != b.id) continue;
        sum += r.rating;
        ++b.review_count;
    }
    b.average = b.review_count == 0 ? 0.0 : static_cast<double>(sum) / b.review_count;
    return b;
}

std::vector<book> store::books(std::string_view title_part) const {
    const std::lock_guard lock(mutex_);
    std::vector<book> out;
    for (const book& b : books_)
        if (b.title.find(title_part) != std::string::npos) out.push_back(with_average(b));
    return out;
}

std::optional<book> store::find(int book_id) const {
    const std::lock_guard lock(mutex_);
    for (const book& b : books_)
        if (b.id == book_id) return with_average(b);
    return std::nullopt;
}

std::vector<review> store::reviews_of(int book_id) const {
    const std::lock_guard lock(mutex_);
    std::vector<review> out;
    for (const review& r : reviews_)
        if (r.book_id == book_id) out.push_back(r);
    return out;
}

void store::add_review(review r) {
    const std::lock_guard lock(mutex_);
    reviews_.push_back(std::move(r));
}

// ---- the pages (steps 3 to 7) ----

namespace {

//! [contexts]
struct index_page {
    BOOST_HANA_DEFINE_STRUCT(index_page, (std::string, q), (std::vector<book>, books));
};

/// The review form shows the input as typed (`form.rating`) and an error per field (`errors.rating`):
/// vial::field_texts has review_form's member names, each a string.
struct book_page {
    BOOST_HANA_DEFINE_STRUCT(book_page, (bookshelf::book, book), (std::vector<review>, reviews),
                             (vial::field_texts<review_form>, form), (vial::field_texts<review_form>, errors));
};
//! [contexts]

struct signin_page {
    BOOST_HANA_DEFINE_STRUCT(signin_page, (std::string, next), (std::string, username), (std::string, error));
};

struct not_found_page {
    BOOST_HANA_DEFINE_STRUCT(not_found_page, (std::string, path));
};

//! [render]
/// Renders a page of templates/ with the app (for url_for) and what the layout needs:
/// the signed-in user, the flashed messages and the CSRF token.
template <vial::fixed_string Name, class Context>
vial::response render(const Context& context, const vial::request& req, session& s, unsigned status = 200) {
    return vial::html(vial::render_template<Name>(templates, context, app, vial::template_globals_for(req, s)), status);
}
//! [render]

}  // namespace

vial::response index(const vial::request& req, vial::query<book_search> search, const store& db, session& s) {
    return render<"index.html">(index_page{search->q, db.books(search->q)}, req, s);
}

vial::response show_book(int book_id, const vial::request& req, const store& db, session& s) {
    const std::optional<book> b = db.find(book_id);
    if (!b) vial::abort(404);
    return render<"book.html">(book_page{*b, db.reviews_of(book_id), {}, {}}, req, s);
}

//! [post_review]
vial::response post_review(int book_id, vial::form_input<review_form> form, const vial::request& req, store& db,
                           session& s) {
    const std::optional<book> b = db.find(book_id);
    if (!b) vial::abort(404);
    if (!form) {
        // The page again, with the input kept and each error beside its field.
        return render<"book.html">(book_page{*b, db.reviews_of(book_id), form.input(), form.errors()}, req, s, 422);
    }
    db.add_review({book_id, s->user_id, form->rating, std::move(form->text)});
    vial::flash("Thank you for your review!", "success");
    return vial::redirect(vial::url_for<"show_book", app>(book_id), 303);  // post/redirect/get
}
//! [post_review]

//! [signin]
vial::response signin_form(const vial::request& req, session& s) {
    return render<"signin.html">(signin_page{vial::next_url(req), "", ""}, req, s);
}

vial::response signin(vial::form<signin_input> input, const vial::request& req, const user_store& users, session& s) {
    if (!users.check(input->username, input->password))
        return render<"signin.html">(signin_page{vial::next_url(req), input->username, "Wrong user name or password"},
                                     req, s, 401);
    s->user_id = input->username;
    vial::flash("Welcome back, " + input->username + "!", "success");
    return vial::redirect(vial::next_url(req), 303);  // only ever a path on this site
}

vial::response signout(session& s) {
    s.clear();
    vial::flash("Signed out", "success");
    return vial::redirect("/", 303);
}
//! [signin]

vial::response page_not_found(const vial::request& req, session& s) {
    return render<"404.html">(not_found_page{std::string(req.path())}, req, s, 404);
}

// ---- the JSON API (step 8) ----

//! [api_impl]
std::vector<book> api_books(vial::query<book_search> search, const store& db) { return db.books(search->q); }

vial::responses<vial::ok<std::vector<review>>, vial::not_found<api_error>> api_reviews(int book_id, const store& db) {
    if (!db.find(book_id)) return vial::not_found<api_error>{{"no book " + std::to_string(book_id)}};
    return vial::ok<std::vector<review>>{db.reviews_of(book_id)};
}
//! [api_impl]

}  // namespace bookshelf
