// The PostgreSQL backend of store.hpp (libpq): the same tables, seed and behaviour as the
// SQLite one, for several processes on several machines sharing one database. One connection
// per thread, each with its statements prepared once (PQprepare) and run with `$n` parameters.
#include "store_backends.hpp"

#include <libpq-fe.h>

#include <array>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace bookreviews::detail {

namespace {

// Any constant: every instance of the app takes this transaction-level advisory lock while it
// creates, upgrades and seeds the schema, so instances starting together do it once, one after
// another.
constexpr const char* sql_set_up_lock = "SELECT pg_advisory_xact_lock(7021504331)";

constexpr const char* sql_schema_marker = "CREATE TABLE IF NOT EXISTS bookreviews_schema (version INTEGER NOT NULL)";

// What schema 2 adds to a database of either version. The trigger's UPDATE ... SET
// review_count = review_count + 1 runs in the transaction of the statement that changes the
// review: under READ COMMITTED two reviews of one book posted at once queue on the book's row
// lock and the second adds to the first's committed counts (never lost, never counted twice);
// a failed insert rolls the counts back with it. Old binaries' inserts are counted too.
constexpr const char* sql_schema_2_common = R"sql(
CREATE INDEX IF NOT EXISTS reviews_page ON reviews (book_id, created_at DESC, id DESC) INCLUDE (username, rating, text);
CREATE OR REPLACE FUNCTION bookreviews_count_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE books SET review_count = review_count - 1, rating_sum = rating_sum - OLD.rating WHERE id = OLD.book_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE books SET review_count = review_count + 1, rating_sum = rating_sum + NEW.rating WHERE id = NEW.book_id;
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS reviews_count ON reviews;
CREATE TRIGGER reviews_count AFTER INSERT OR DELETE OR UPDATE OF book_id, rating ON reviews
    FOR EACH ROW EXECUTE FUNCTION bookreviews_count_review();
)sql";

constexpr const char* sql_schema = R"sql(
CREATE TABLE IF NOT EXISTS users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_username_ci ON users (lower(username));
CREATE TABLE IF NOT EXISTS books (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT NOT NULL,
    author       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    description  TEXT NOT NULL,
    review_count BIGINT NOT NULL DEFAULT 0,
    rating_sum   BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reviews (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book_id    BIGINT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    username   TEXT NOT NULL,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
)sql";

// Version 1 to 2 (under the advisory lock, in one transaction; ALTER TABLE locks both tables,
// so a review posted meanwhile by another instance waits and is then counted by the trigger).
// Usernames never change in this app, so a copy in the review stays right.
constexpr const char* sql_upgrade_1_to_2 = R"sql(
ALTER TABLE books ADD COLUMN review_count BIGINT NOT NULL DEFAULT 0,
                  ADD COLUMN rating_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN username TEXT;
UPDATE reviews r SET username = u.username FROM users u WHERE u.id = r.user_id;
ALTER TABLE reviews ALTER COLUMN username SET NOT NULL;
UPDATE books b SET review_count = s.n, rating_sum = s.total
    FROM (SELECT book_id, COUNT(*) AS n, SUM(rating) AS total FROM reviews GROUP BY book_id) s
    WHERE b.id = s.book_id;
DROP INDEX IF EXISTS reviews_by_book;
)sql";

/// The statements the store runs, prepared once per connection under their index's name.
struct query {
    const char* name;
    const char* sql;
};

// The average is rating_sum / review_count as doubles, what AVG(rating) divides.
#define BOOKREVIEWS_BOOK_COLUMNS                                                            \
    "SELECT id, title, author, year, description,"                                         \
    " CASE WHEN review_count > 0 THEN rating_sum::float8 / review_count ELSE 0 END,"        \
    " review_count FROM books "

enum query_id : std::size_t {
    q_books, q_find_book, q_reviews_for, q_book_with_reviews, q_user_by_name, q_user_by_id, q_create_user, q_add_review,
    q_seed_book, q_seed_review, q_schema_version, q_count
};

constexpr std::array<query, q_count> queries{{
    {"br_books", BOOKREVIEWS_BOOK_COLUMNS
                 "WHERE title ILIKE $1 ESCAPE '\\'"
                 " ORDER BY lower(title) COLLATE \"C\", id LIMIT $2::bigint OFFSET $3::bigint"},
    {"br_find_book", BOOKREVIEWS_BOOK_COLUMNS "WHERE id = $1::bigint"},
    {"br_reviews_for",
     "SELECT id, book_id, username, rating, text,"
     " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
     " FROM reviews WHERE book_id = $1::bigint ORDER BY created_at DESC, id DESC"},
    // A book and its reviews in one statement, so from one snapshot (the count shown and the
    // reviews listed agree) in one round trip: the book's columns, then a review's on each row
    // (NULLs when it has none), newest first as br_reviews_for, from the same covering index.
    // The book's columns repeat on each row: still cheaper than a second statement, or than
    // BEGIN ISOLATION LEVEL REPEATABLE READ ... COMMIT around two (four round trips).
    {"br_book_with_reviews",
     "SELECT b.id, b.title, b.author, b.year, b.description,"
     " CASE WHEN b.review_count > 0 THEN b.rating_sum::float8 / b.review_count ELSE 0 END, b.review_count,"
     " r.id, r.book_id, r.username, r.rating, r.text,"
     " to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
     " FROM books b LEFT JOIN reviews r ON r.book_id = b.id"
     " WHERE b.id = $1::bigint ORDER BY r.created_at DESC, r.id DESC"},
    {"br_user_by_name", "SELECT id, username, password_hash FROM users WHERE lower(username) = lower($1)"},
    {"br_user_by_id", "SELECT id, username, password_hash FROM users WHERE id = $1::bigint"},
    {"br_create_user",
     "INSERT INTO users (username, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id"},
    {"br_add_review",
     "INSERT INTO reviews (book_id, user_id, username, rating, text)"
     " SELECT $1::bigint, id, username, $3::integer, $4 FROM users WHERE id = $2::bigint RETURNING id"},
    {"br_seed_book",
     "INSERT INTO books (title, author, year, description) VALUES ($1, $2, $3::integer, $4) RETURNING id"},
    {"br_seed_review",
     "INSERT INTO reviews (book_id, user_id, username, rating, text, created_at)"
     " SELECT $1::bigint, id, username, $3::integer, $4, $5::timestamp AT TIME ZONE 'UTC' FROM users"
     " WHERE id = $2::bigint"},
    {"br_schema_version", "SELECT COALESCE(MAX(version), 0) FROM bookreviews_schema"},
}};

#undef BOOKREVIEWS_BOOK_COLUMNS

std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

/// A query's result; empty when the query failed (then error() says why).
class result {
public:
    explicit result(PGresult* r) : r_(r) {}
    result(result&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
    result& operator=(result&& other) noexcept {
        std::swap(r_, other.r_);
        return *this;
    }
    result(const result&) = delete;
    result& operator=(const result&) = delete;
    ~result() { PQclear(r_); }

    bool ok() const {
        const auto status = PQresultStatus(r_);
        return r_ && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK);
    }
    /// The SQLSTATE of a failed query ("23505" unique violation...), or "".
    std::string_view sqlstate() const {
        const char* s = r_ ? PQresultErrorField(r_, PG_DIAG_SQLSTATE) : nullptr;
        return s ? s : "";
    }
    int rows() const { return PQntuples(r_); }
    bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string_view text(int row, int col) const {
        return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
    }
    std::int64_t int64(int row, int col) const { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }
    double real(int row, int col) const { return std::strtod(PQgetvalue(r_, row, col), nullptr); }
    PGresult* get() const { return r_; }

private:
    PGresult* r_;
};

/// Text parameters of one call (null() is SQL NULL), copied: libpq wants them NUL-terminated.
struct params {
    std::array<std::string, 5> storage;
    std::array<const char*, 5> values{};
    int count = 0;

    params& add(std::string_view v) { return add(std::string(v)); }
    params& add(std::int64_t v) { return add(std::to_string(v)); }
    params& add(std::string&& v) {
        storage[count] = std::move(v);
        values[count] = storage[count].c_str();
        ++count;
        return *this;
    }
    params& null() {
        values[count++] = nullptr;
        return *this;
    }
};

/// One thread's connection with the statements it has prepared.
class connection {
public:
    explicit connection(std::string url) : url_(std::move(url)) { connect(); }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() { PQfinish(conn_); }

    /// Runs query `id` with `p`. When the connection turns out to be broken it is reset;
    /// a read (`retry_read`) is then run once more, a write is not (it may have committed),
    /// and the error is thrown.
    result run(query_id id, const params& p, bool retry_read) {
        // Before a write, read what the server may have sent while we were idle: a connection
        // it closed (restart, pg_terminate_backend, idle timeout) shows up here and is replaced
        // before the write is sent, rather than failing the write.
        // (A server that ends a connection sends a FATAL message, then closes: the first read
        // takes the message, the second sees the end.)
        for (int i = 0; i < 2 && !retry_read && PQstatus(conn_) == CONNECTION_OK; ++i) PQconsumeInput(conn_);
        if (PQstatus(conn_) != CONNECTION_OK) reset();
        result r = run_once(id, p);
        if (!r.ok() && PQstatus(conn_) != CONNECTION_OK) {
            const std::string first = error_of(r);
            reset();
            if (!retry_read) throw store_error("bookreviews: postgresql: connection lost during a write (" + first + ")");
            r = run_once(id, p);
        }
        return r;
    }

    /// Runs `sql` (no parameters, possibly several statements) and throws when it fails.
    void exec(const char* sql) {
        result r(PQexec(conn_, sql));
        if (!r.ok()) throw store_error("bookreviews: postgresql: " + error_of(r));
    }

    std::string error_of(const result& r) const {
        std::string message = trimmed(r.get() ? PQresultErrorMessage(r.get()) : "");
        return message.empty() ? trimmed(PQerrorMessage(conn_)) : message;
    }

private:
    void connect() {
        conn_ = PQconnectdb(url_.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = "bookreviews: postgresql: cannot connect: " + trimmed(PQerrorMessage(conn_));
            PQfinish(conn_);
            conn_ = nullptr;
            throw store_error(message);
        }
        PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);   // "already exists, skipping"
        prepared_.fill(false);
    }

    void reset() {
        PQfinish(conn_);
        conn_ = nullptr;
        connect();
    }

    result run_once(query_id id, const params& p) {
        if (!prepared_[id]) {
            result r(PQprepare(conn_, queries[id].name, queries[id].sql, 0, nullptr));
            if (!r.ok()) {
                if (PQstatus(conn_) != CONNECTION_OK) return r;
                throw store_error("bookreviews: postgresql: preparing " + std::string(queries[id].name) + ": " + error_of(r));
            }
            prepared_[id] = true;
        }
        return result(PQexecPrepared(conn_, queries[id].name, p.count, p.values.data(), nullptr, nullptr, 0));
    }

    std::string url_;
    PGconn* conn_ = nullptr;
    std::array<bool, q_count> prepared_{};
};

book read_book(const result& r, int row) {
    return book{r.int64(row, 0), std::string(r.text(row, 1)), std::string(r.text(row, 2)),
                static_cast<int>(r.int64(row, 3)), std::string(r.text(row, 4)), r.real(row, 5),
                r.int64(row, 6)};
}

/// The reviews in columns `first`.. of `r` (as br_reviews_for orders them) into `out`, its
/// previous rows replaced and their strings reused; rows whose review id is NULL (a LEFT JOIN
/// that found none) are skipped.
void read_reviews(const result& r, int first, std::vector<review>& out) {
    std::size_t n = 0;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        if (r.null(i, first)) continue;
        if (n == out.size()) out.emplace_back();
        review& row = out[n++];   // assigning a string_view keeps the string's buffer when it fits
        row.id = r.int64(i, first);
        row.book_id = r.int64(i, first + 1);
        row.username = r.text(i, first + 2);
        row.rating = static_cast<int>(r.int64(i, first + 3));
        row.text = r.text(i, first + 4);
        row.created_at = r.text(i, first + 5);
    }
    out.resize(n);
}

user read_user(const result& r, int row) {
    return user{r.int64(row, 0), std::string(r.text(row, 1)), std::string(r.text(row, 2))};
}

class postgresql_store final : public store {
public:
    explicit postgresql_store(const std::string& url)
        : connections_([url] { return std::make_unique<connection>(url); }) {
        set_up(connections_.get());
    }

    std::vector<book> books(std::string_view title_part, int limit, int offset) override {
        params p;
        p.add(contains_pattern(title_part));
        if (limit < 0) {
            p.null();
        } else {
            p.add(std::int64_t{limit});
        }
        p.add(std::int64_t{offset < 0 ? 0 : offset});
        auto r = read(q_books, p);
        std::vector<book> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_book(r, i));
        return out;
    }

    std::optional<book> find_book(std::int64_t id) override {
        auto r = read(q_find_book, params{}.add(id));
        if (r.rows() == 0) return std::nullopt;
        return read_book(r, 0);
    }

    std::vector<review> reviews_for(std::int64_t book_id) override {
        std::vector<review> out;
        reviews_into(book_id, out);
        return out;
    }

    void reviews_into(std::int64_t book_id, std::vector<review>& out) override {
        read_reviews(read(q_reviews_for, params{}.add(book_id)), 0, out);
    }

    std::optional<book> find_book_with_reviews(std::int64_t id, std::vector<review>& reviews) override {
        auto r = read(q_book_with_reviews, params{}.add(id));
        if (r.rows() == 0) return std::nullopt;   // no such book: `reviews` left as it was
        read_reviews(r, 7, reviews);
        return read_book(r, 0);
    }

    std::optional<user> find_user(std::string_view username) override {
        auto r = read(q_user_by_name, params{}.add(username));
        if (r.rows() == 0) return std::nullopt;
        return read_user(r, 0);
    }

    std::optional<user> find_user(std::int64_t id) override {
        auto r = read(q_user_by_id, params{}.add(id));
        if (r.rows() == 0) return std::nullopt;
        return read_user(r, 0);
    }

    std::optional<std::int64_t> create_user(std::string_view username, std::string_view password_hash) override {
        auto r = write(q_create_user, params{}.add(username).add(password_hash));
        if (r.rows() == 0) return std::nullopt;   // ON CONFLICT DO NOTHING: the name is taken
        return r.int64(0, 0);
    }

    std::int64_t add_review(std::int64_t book_id, std::int64_t user_id, int rating, std::string_view text) override {
        auto& c = connections_.get();
        auto r = c.run(q_add_review, params{}.add(book_id).add(user_id).add(std::int64_t{rating}).add(text), false);
        auto missing = [&](const std::string& why) {
            return store_error("bookreviews: no book " + std::to_string(book_id) + " or no user " +
                               std::to_string(user_id) + " (" + why + ")");
        };
        if (!r.ok()) {
            if (r.sqlstate() == "23503") throw missing(c.error_of(r));
            throw store_error("bookreviews: postgresql: " + c.error_of(r));
        }
        if (r.rows() == 0) throw missing("no such user");   // the SELECT found no user: nothing inserted
        return r.int64(0, 0);
    }

private:
    result read(query_id id, const params& p) { return checked(id, p, true); }
    result write(query_id id, const params& p) { return checked(id, p, false); }

    result checked(query_id id, const params& p, bool is_read) {
        auto& c = connections_.get();
        auto r = c.run(id, p, is_read);
        if (!r.ok()) throw store_error("bookreviews: postgresql: " + c.error_of(r));
        return r;
    }

    /// Schema and seed, once per database, under an advisory lock held to the end of the
    /// transaction: instances starting together wait for the first, then find it done.
    static void set_up(connection& c) {
        in_transaction(c, "BEGIN", [&] {
            c.exec(sql_set_up_lock);
            c.exec(sql_schema_marker);
            auto found = c.run(q_schema_version, params{}, false);
            if (!found.ok()) throw store_error("bookreviews: postgresql: " + c.error_of(found));
            const std::int64_t version = found.int64(0, 0);
            if (migrate(c, version, {sql_schema, sql_upgrade_1_to_2, sql_schema_2_common}, [&] { seed(c); }))
                c.exec(("INSERT INTO bookreviews_schema (version) VALUES (" + std::to_string(schema_version) + ")").c_str());
        });
    }

    static void seed(connection& c) {
        auto must = [&](result r) {
            if (!r.ok() || r.rows() == 0) throw store_error("bookreviews: postgresql: seeding: " + c.error_of(r));
            return r.int64(0, 0);
        };
        std::vector<std::int64_t> ids;
        for (const auto& b : seed_books) {
            ids.push_back(must(c.run(q_seed_book,
                                     params{}.add(b.title).add(b.author).add(std::int64_t{b.year}).add(b.description),
                                     false)));
        }
        const std::int64_t reader =
            must(c.run(q_create_user, params{}.add(seed_username).add(seed_password_hash), false));
        for (const auto& r : seed_reviews) {
            auto done = c.run(q_seed_review,
                              params{}.add(ids.at(r.book)).add(reader).add(std::int64_t{r.rating}).add(r.text).add(r.created_at),
                              false);
            if (!done.ok()) throw store_error("bookreviews: postgresql: seeding: " + c.error_of(done));
        }
    }

    per_thread<connection> connections_;
};

}  // namespace

std::unique_ptr<store> open_postgresql(const std::string& url) {
    return std::make_unique<postgresql_store>(url);
}

}  // namespace bookreviews::detail
