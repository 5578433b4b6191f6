// BookReviews' data: books, reviews and users, behind one interface with two backends.
//
// SQLite is the embedded default (a file under the working directory); PostgreSQL is chosen by
// a `postgresql://` (or `postgres://`) URL so that several processes on several machines share
// one database. The web layer (bookreviews.cpp) sees only this header.
#pragma once

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bookreviews {

/// A book with its review summary (average_rating is 0 when review_count is 0).
struct book {
    BOOST_HANA_DEFINE_STRUCT(book,
        (std::int64_t, id),
        (std::string, title),
        (std::string, author),
        (int, year),
        (std::string, description),
        (double, average_rating),
        (std::int64_t, review_count));
};

/// A review as pages and the API show it: who wrote it, not their user id.
struct review {
    BOOST_HANA_DEFINE_STRUCT(review,
        (std::int64_t, id),
        (std::int64_t, book_id),
        (std::string, username),
        (int, rating),
        (std::string, text),
        (std::string, created_at));   // UTC, "YYYY-MM-DD HH:MM:SS"
};

/// A registered user; password_hash is vial::hash_password's output.
struct user {
    std::int64_t id = 0;
    std::string username;
    std::string password_hash;
};

/// A database error the app cannot fix by itself (connection lost, disk full...): the web
/// layer answers 503 with a short reason and logs what() in full.
struct store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The data of the app. Every member is safe to call from several threads at once (each
/// backend keeps one connection per thread, or a small pool). Every query is prepared and
/// parameterized.
class store {
public:
    /// Opens (and on first use creates, migrates and seeds) the database `url` names:
    ///   - `postgresql://...` or `postgres://...`: a libpq connection URI;
    ///   - `sqlite:PATH`, `sqlite://PATH` or a bare PATH: an SQLite file (WAL mode).
    /// Throws store_error with a message fit for standard error when it cannot.
    static std::unique_ptr<store> open(std::string_view url);

    virtual ~store() = default;

    /// Books whose title contains `title_part` (case-insensitive; empty: all), by title.
    virtual std::vector<book> books(std::string_view title_part, int limit, int offset) = 0;
    virtual std::optional<book> find_book(std::int64_t id) = 0;
    /// A book's reviews, newest first.
    virtual std::vector<review> reviews_for(std::int64_t book_id) = 0;
    /// As reviews_for, into `out` (its previous rows replaced): a caller that keeps `out`
    /// from one call to the next reuses its reviews' strings, so reading a page's reviews
    /// allocates nothing per review once the strings are long enough. The rows are read anew
    /// every time. The default calls reviews_for.
    virtual void reviews_into(std::int64_t book_id, std::vector<review>& out) { out = reviews_for(book_id); }
    /// A book and its reviews for its page: find_book(id), and when there is such a book, its
    /// reviews into `reviews` as reviews_into does. SQLite reads both in one read transaction:
    /// one snapshot (the count shown and the reviews listed agree) and one pair of locks taken
    /// instead of two; PostgreSQL in one statement (one snapshot, one round trip). The default
    /// calls find_book, then reviews_into (two snapshots).
    virtual std::optional<book> find_book_with_reviews(std::int64_t id, std::vector<review>& reviews) {
        auto found = find_book(id);
        if (found) reviews_into(id, reviews);
        return found;
    }

    virtual std::optional<user> find_user(std::string_view username) = 0;
    virtual std::optional<user> find_user(std::int64_t id) = 0;
    /// The new user's id, or nullopt when the name is taken (case-insensitive).
    virtual std::optional<std::int64_t> create_user(std::string_view username,
                                                    std::string_view password_hash) = 0;

    /// Adds a review and returns its id; throws store_error when the book does not exist.
    virtual std::int64_t add_review(std::int64_t book_id, std::int64_t user_id, int rating,
                                    std::string_view text) = 0;
};

}  // namespace bookreviews
