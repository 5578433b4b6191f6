// BookReviews' typed JSON API: the same store as the pages, structs in and out, in the OpenAPI
// document at /openapi.json and on /docs.
#include "app.hpp"

#include <string>
#include <utility>

namespace bookreviews {

//! [api]
std::vector<book> api_books(vial::query<book_filter> filter, store& db) {
    return db.books(filter->q, filter->limit, filter->offset);
}

vial::responses<vial::ok<book>, vial::not_found<api_error>> api_book(std::int64_t book_id, store& db) {
    if (auto b = db.find_book(book_id)) return vial::ok<book>{std::move(*b)};
    return vial::not_found<api_error>{{"no book " + std::to_string(book_id)}};
}
//! [api]

vial::responses<vial::ok<std::vector<review>>, vial::not_found<api_error>> api_reviews(std::int64_t book_id,
                                                                                        store& db) {
    if (!db.find_book(book_id)) return vial::not_found<api_error>{{"no book " + std::to_string(book_id)}};
    return vial::ok<std::vector<review>>{db.reviews_for(book_id)};
}

}  // namespace bookreviews
