// The tutorial's final program (docs/tutorial.md, steps 4 to 9): a small BookReviews.
// This header holds the data types, the store, the handlers' declarations and the app; the
// handlers (and so the templates) are compiled once, in bookshelf.cpp; main.cpp serves the
// app and bookshelf_test.cpp tests it.
#ifndef BOOKSHELF_HPP
#define BOOKSHELF_HPP

#include <vial/openapi.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>
#include <vial/web.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookshelf {

//! [types]
struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (int, id), (std::string, title), (std::string, author),
                             (double, average), (int, review_count));
};

struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (int, book_id), (std::string, user), (int, rating), (std::string, text));
};
//! [types]

//! [store]
/// The books and their reviews, in memory, shared by the server's threads.
class store {
public:
    store();  // a few books to start with
    std::vector<book> books(std::string_view title_part) const;
    std::optional<book> find(int book_id) const;
    std::vector<review> reviews_of(int book_id) const;
    void add_review(review r);

private:
    book with_average(book b) const;  // fills average and review_count
    mutable std::mutex mutex_;
    std::vector<book> books_;
    std::vector<review> reviews_;
};
//! [store]

//! [users]
/// Who may sign in: one reader, with a salted scrypt hash (an app keeps these in a database).
struct user_store {
    std::string ann_hash = vial::hash_password("wonderland");
    bool check(std::string_view user, std::string_view password) const {
        return user == "ann" && vial::verify_password(password, ann_hash);
    }
};
//! [users]

//! [session]
struct user_session {
    BOOST_HANA_DEFINE_STRUCT(user_session, (std::string, user_id));
};
//! [session]

//! [search]
struct book_search {
    BOOST_HANA_DEFINE_STRUCT(book_search, (std::string, q));
    static constexpr auto rules = vial::rules(vial::field<"q">(vial::default_value(), vial::max_length(100)));
};
//! [search]

//! [review_form]
struct review_form {
    BOOST_HANA_DEFINE_STRUCT(review_form, (int, rating), (std::string, text));
    static constexpr auto rules = vial::rules(vial::field<"rating">(vial::minimum(1), vial::maximum(5)),
                                              vial::field<"text">(vial::min_length(1), vial::max_length(2000)));
};
//! [review_form]

//! [signin_input]
struct signin_input {
    BOOST_HANA_DEFINE_STRUCT(signin_input, (std::string, username), (std::string, password));
};
//! [signin_input]

struct api_error {
    BOOST_HANA_DEFINE_STRUCT(api_error, (std::string, detail));
};

using session = vial::session<user_session>;

// The pages (bookshelf.cpp).
vial::response index(const vial::request& req, vial::query<book_search> search, const store& db, session& s);
vial::response show_book(int book_id, const vial::request& req, const store& db, session& s);
vial::response post_review(int book_id, vial::form_input<review_form> form, const vial::request& req, store& db,
                           session& s);
vial::response signin_form(const vial::request& req, session& s);
vial::response signin(vial::form<signin_input> input, const vial::request& req, const user_store& users, session& s);
vial::response signout(session& s);
vial::response page_not_found(const vial::request& req, session& s);

//! [api]
std::vector<book> api_books(vial::query<book_search> search, const store& db);
vial::responses<vial::ok<std::vector<review>>, vial::not_found<api_error>> api_reviews(int book_id, const store& db);

constexpr auto api = vial::blueprint<"api", "/api">(
    vial::get<"/books", api_books>().doc({.summary = "Books whose title holds q"}),
    vial::get<"/books/<int:book_id>/reviews", api_reviews>().doc({.summary = "A book's reviews"}));
//! [api]

//! [app]
constexpr auto login_required = vial::login_required<"/signin">;

inline constexpr auto app = vial::web_app(
    vial::before_request(vial::check_csrf),  // every form post carries its token
    vial::static_files("static"),            // /static/style.css
    vial::get<"/", index>(),
    vial::get<"/books/<int:book_id>", show_book>(),
    login_required(vial::post<"/books/<int:book_id>/reviews", post_review>()),
    vial::get<"/signin", signin_form>(),
    vial::post<"/signin", signin>(),
    vial::post<"/signout", signout>(),
    vial::errorhandler<404>(page_not_found),
    api,
    vial::openapi::routes());  // /openapi.json and /docs
//! [app]

}  // namespace bookshelf

#endif  // BOOKSHELF_HPP
