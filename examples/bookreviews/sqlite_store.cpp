// The SQLite backend of store.hpp: one connection per thread, each with its prepared
// statements cached, on a file in WAL mode (readers never wait for the writer).
#include "store_backends.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <unordered_map>

namespace bookreviews::detail {

namespace {

// Every statement the store runs. Each is prepared once per connection (the cache is keyed by
// the address of these constants) and run with bound parameters only.
//
// The average is rating_sum / review_count, the division AVG(rating) makes (as doubles).
#define BOOKREVIEWS_BOOK_COLUMNS                                                                   \
    "SELECT id, title, author, year, description,"                                                 \
    " CASE WHEN review_count > 0 THEN CAST(rating_sum AS REAL) / review_count ELSE 0.0 END,"       \
    " review_count FROM books "
constexpr const char* sql_books =
    BOOKREVIEWS_BOOK_COLUMNS
    "WHERE title LIKE ?1 ESCAPE '\\' ORDER BY lower(title), id LIMIT ?2 OFFSET ?3";
constexpr const char* sql_find_book = BOOKREVIEWS_BOOK_COLUMNS "WHERE id = ?1";
#undef BOOKREVIEWS_BOOK_COLUMNS
// One range of the index reviews_page, in its order: no sort, no table or user lookups.
// (book_id is the parameter: not read back.)
constexpr const char* sql_reviews_for =
    "SELECT id, username, rating, text, created_at FROM reviews"
    " WHERE book_id = ?1 ORDER BY created_at DESC, id DESC";
// A read transaction around a page's two queries (deferred: it locks nothing until the first
// read), prepared once like the rest.
constexpr const char* sql_begin = "BEGIN";
constexpr const char* sql_commit = "COMMIT";
constexpr const char* sql_rollback = "ROLLBACK";
constexpr const char* sql_user_by_name =
    "SELECT id, username, password_hash FROM users WHERE username = ?1";   // COLLATE NOCASE column
constexpr const char* sql_user_by_id =
    "SELECT id, username, password_hash FROM users WHERE id = ?1";
constexpr const char* sql_create_user =
    "INSERT INTO users (username, password_hash) VALUES (?1, ?2)";
// The username is copied from users in the same statement (no row when there is no such user).
constexpr const char* sql_add_review =
    "INSERT INTO reviews (book_id, user_id, username, rating, text)"
    " SELECT ?1, id, username, ?3, ?4 FROM users WHERE id = ?2";
constexpr const char* sql_seed_review =
    "INSERT INTO reviews (book_id, user_id, username, rating, text, created_at)"
    " SELECT ?1, id, username, ?3, ?4, ?5 FROM users WHERE id = ?2";

// What schema 2 adds to a database of either version: the page index and the triggers that keep
// books.review_count and books.rating_sum. The triggers run inside the statement that changes a
// review, so the counts commit or roll back with it, whoever writes (the app, an older
// binary, the sqlite3 shell): never lost, never counted twice.
constexpr const char* sql_schema_2_common = R"sql(
CREATE INDEX IF NOT EXISTS reviews_page ON reviews (book_id, created_at DESC, id DESC, username, rating, text);
CREATE TRIGGER IF NOT EXISTS reviews_count_insert AFTER INSERT ON reviews BEGIN
    UPDATE books SET review_count = review_count + 1, rating_sum = rating_sum + NEW.rating WHERE id = NEW.book_id;
END;
CREATE TRIGGER IF NOT EXISTS reviews_count_delete AFTER DELETE ON reviews BEGIN
    UPDATE books SET review_count = review_count - 1, rating_sum = rating_sum - OLD.rating WHERE id = OLD.book_id;
END;
CREATE TRIGGER IF NOT EXISTS reviews_count_update AFTER UPDATE OF book_id, rating ON reviews BEGIN
    UPDATE books SET review_count = review_count - 1, rating_sum = rating_sum - OLD.rating WHERE id = OLD.book_id;
    UPDATE books SET review_count = review_count + 1, rating_sum = rating_sum + NEW.rating WHERE id = NEW.book_id;
END;
)sql";

// created_at defaults are UTC text, so that both backends hand out the same shape.
constexpr const char* sql_schema = R"sql(
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE TABLE IF NOT EXISTS books (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    author       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    description  TEXT NOT NULL,
    review_count INTEGER NOT NULL DEFAULT 0,
    rating_sum   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reviews (
    id         INTEGER PRIMARY KEY,
    book_id    INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    username   TEXT NOT NULL,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
)sql";

// Version 1 to 2, in the transaction that holds the write lock: the new columns, filled from
// the rows that are there (usernames never change in this app, so a copy stays right), then
// the index and triggers of schema 2.
constexpr const char* sql_upgrade_1_to_2 = R"sql(
ALTER TABLE books ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE books ADD COLUMN rating_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN username TEXT NOT NULL DEFAULT '';
UPDATE reviews SET username = (SELECT u.username FROM users u WHERE u.id = reviews.user_id);
UPDATE books SET review_count = (SELECT COUNT(*) FROM reviews r WHERE r.book_id = books.id),
                 rating_sum = (SELECT COALESCE(SUM(r.rating), 0) FROM reviews r WHERE r.book_id = books.id);
DROP INDEX IF EXISTS reviews_by_book;
)sql";

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw store_error("bookreviews: sqlite: " + std::string(what) + ": " +
                      (db ? sqlite3_errmsg(db) : "out of memory"));
}

/// Column `i` of the current row as text. The column is looked up once (sqlite3_column_value)
/// and its text and length read from the value: sqlite3_column_text and sqlite3_column_bytes
/// would each look it up again, with the connection's checks around it (about 4% of a book
/// page's instructions). SQLite calls such a value unprotected, safe where the connection is
/// used by one thread at a time, as each of this store's is.
std::string_view column_text(sqlite3_stmt* s, int i) {
    sqlite3_value* v = sqlite3_column_value(s, i);
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view{};
}

/// A cached statement in use: bound, stepped, and reset when it goes out of scope.
class statement {
public:
    statement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }

    statement& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(s_, i, v), "bind");
        return *this;
    }
    statement& bind(int i, std::string_view v) {
        check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), "bind");
        return *this;
    }

    /// True while there is a row; false when done. Throws on error.
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        last_error_ = rc;
        fail(db_, sqlite3_sql(s_));
    }
    /// The extended result code of a failed step (e.g. SQLITE_CONSTRAINT_UNIQUE), or 0.
    int extended_error() const { return last_error_ ? sqlite3_extended_errcode(db_) : 0; }

    sqlite3_stmt* get() const { return s_; }

private:
    void check(int rc, std::string_view what) {
        if (rc != SQLITE_OK) fail(db_, what);
    }

    sqlite3* db_;
    sqlite3_stmt* s_;
    int last_error_ = 0;
};

/// One thread's connection with its prepared statements.
class connection {
public:
    /// How long a statement waits for a lock another connection holds.
    static constexpr std::chrono::milliseconds busy_timeout{5000};

    explicit connection(const std::string& path) {
        const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
        if (rc != SQLITE_OK) {
            std::string message = "bookreviews: sqlite: cannot open '" + path + "': " +
                                  (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
            sqlite3_close(db_);
            throw store_error(message);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
        exec("PRAGMA foreign_keys = ON");
        // With WAL, NORMAL loses no committed data when the process dies (only, at worst,
        // the last transactions on a power cut) and saves an fsync per commit.
        exec("PRAGMA synchronous = NORMAL");
    }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() {
        for (auto& [sql, s] : cache_) sqlite3_finalize(s);
        sqlite3_close(db_);
    }

    void exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : sqlite3_errmsg(db_);
            sqlite3_free(message);
            throw store_error("bookreviews: sqlite: " + text);
        }
    }

    /// exec, tried again while SQLite answers "database is locked" at once, for up to the busy
    /// timeout: it does so, without calling the busy handler, where waiting could deadlock,
    /// e.g. when several connections switch a new file to WAL together.
    void exec_when_free(const char* sql) {
        const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
        for (;;) {
            const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
            if (rc == SQLITE_OK) return;
            if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
                throw store_error("bookreviews: sqlite: " + std::string(sqlite3_errmsg(db_)));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    statement prepare(const char* sql) {
        auto it = cache_.find(sql);
        if (it == cache_.end()) {
            sqlite3_stmt* s = nullptr;
            if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
                fail(db_, sql);
            }
            it = cache_.emplace(sql, s).first;
        }
        return statement(db_, it->second);
    }

    /// Runs a statement without parameters or rows (BEGIN, COMMIT), prepared once.
    void run(const char* sql) {
        auto s = prepare(sql);
        s.step();
    }

    std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
    int changes() const { return sqlite3_changes(db_); }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

/// Column `i` of the current row into `out`, one copy from SQLite's buffer.
void assign(std::string& out, sqlite3_stmt* s, int i) {
    out.assign(column_text(s, i));
}

book read_book(sqlite3_stmt* s) {
    return book{sqlite3_column_int64(s, 0), std::string(column_text(s, 1)), std::string(column_text(s, 2)),
                sqlite3_column_int(s, 3),   std::string(column_text(s, 4)), sqlite3_column_double(s, 5),
                sqlite3_column_int64(s, 6)};
}

user read_user(sqlite3_stmt* s) {
    return user{sqlite3_column_int64(s, 0), std::string(column_text(s, 1)), std::string(column_text(s, 2))};
}

class sqlite_store final : public store {
public:
    explicit sqlite_store(const std::string& path)
        : connections_([path] { return std::make_unique<connection>(path); }) {
        set_up(conn());
    }

    std::vector<book> books(std::string_view title_part, int limit, int offset) override {
        auto s = conn().prepare(sql_books);
        s.bind(1, contains_pattern(title_part)).bind(2, limit < 0 ? -1 : limit).bind(3, offset < 0 ? 0 : offset);
        std::vector<book> out;
        while (s.step()) out.push_back(read_book(s.get()));
        return out;
    }

    std::optional<book> find_book(std::int64_t id) override {
        auto s = conn().prepare(sql_find_book);
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_book(s.get());
    }

    std::optional<book> find_book_with_reviews(std::int64_t id, std::vector<review>& reviews) override {
        auto& c = conn();
        c.run(sql_begin);
        try {
            auto found = find_book(id);
            if (found) reviews_into(id, reviews);
            c.run(sql_commit);
            return found;
        } catch (...) {
            try {
                c.run(sql_rollback);
            } catch (const store_error&) {
                // Nothing to roll back (the transaction ended with the error).
            }
            throw;
        }
    }

    std::vector<review> reviews_for(std::int64_t book_id) override {
        std::vector<review> out;
        // The previous list's length on this thread: a page of the same book grows no vector.
        thread_local std::size_t expected = 0;
        out.reserve(expected);
        reviews_into(book_id, out);
        expected = out.size();
        return out;
    }

    void reviews_into(std::int64_t book_id, std::vector<review>& out) override {
        auto s = conn().prepare(sql_reviews_for);
        s.bind(1, book_id);
        sqlite3_stmt* r = s.get();
        std::size_t n = 0;
        while (s.step()) {
            if (n == out.size()) out.emplace_back();
            review& row = out[n++];   // the columns read straight into its members (no temporaries)
            row.id = sqlite3_column_int64(r, 0);
            row.book_id = book_id;
            assign(row.username, r, 1);
            row.rating = sqlite3_column_int(r, 2);
            assign(row.text, r, 3);
            assign(row.created_at, r, 4);
        }
        out.resize(n);
    }

    std::optional<user> find_user(std::string_view username) override {
        auto s = conn().prepare(sql_user_by_name);
        s.bind(1, username);
        if (!s.step()) return std::nullopt;
        return read_user(s.get());
    }

    std::optional<user> find_user(std::int64_t id) override {
        auto s = conn().prepare(sql_user_by_id);
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_user(s.get());
    }

    std::optional<std::int64_t> create_user(std::string_view username, std::string_view password_hash) override {
        auto& c = conn();
        auto s = c.prepare(sql_create_user);
        s.bind(1, username).bind(2, password_hash);
        try {
            s.step();
        } catch (const store_error&) {
            if (s.extended_error() == SQLITE_CONSTRAINT_UNIQUE) return std::nullopt;
            throw;
        }
        return c.last_insert_id();
    }

    std::int64_t add_review(std::int64_t book_id, std::int64_t user_id, int rating, std::string_view text) override {
        auto& c = conn();
        auto s = c.prepare(sql_add_review);
        s.bind(1, book_id).bind(2, user_id).bind(3, rating).bind(4, text);
        auto missing = [&](const char* why) {
            return store_error("bookreviews: no book " + std::to_string(book_id) + " or no user " +
                               std::to_string(user_id) + " (" + why + ")");
        };
        try {
            s.step();
        } catch (const store_error& e) {
            if (s.extended_error() == SQLITE_CONSTRAINT_FOREIGNKEY) throw missing(e.what());
            throw;
        }
        // No row: the SELECT found no such user (the book's trigger and key did not run).
        if (c.changes() == 0) throw missing("no such user");
        return c.last_insert_id();
    }

private:
    /// This thread's connection, opened on first use.
    connection& conn() { return connections_.get(); }

    /// Schema and seed, once per file: BEGIN IMMEDIATE takes the write lock first, so
    /// processes starting together on one file wait (busy timeout) and the last ones find
    /// the work done.
    static void set_up(connection& c) {
        c.exec_when_free("PRAGMA journal_mode = WAL");
        in_transaction(c, "BEGIN IMMEDIATE", [&] {
            int version = 0;
            {
                auto s = c.prepare("PRAGMA user_version");
                if (s.step()) version = sqlite3_column_int(s.get(), 0);
            }
            if (migrate(c, version, {sql_schema, sql_upgrade_1_to_2, sql_schema_2_common}, [&] { seed(c); }))
                c.exec(("PRAGMA user_version = " + std::to_string(schema_version)).c_str());
        });
    }

    static void seed(connection& c) {
        std::vector<std::int64_t> ids;
        for (const auto& b : seed_books) {
            auto s = c.prepare("INSERT INTO books (title, author, year, description) VALUES (?1, ?2, ?3, ?4)");
            s.bind(1, b.title).bind(2, b.author).bind(3, b.year).bind(4, b.description);
            s.step();
            ids.push_back(c.last_insert_id());
        }
        {
            auto s = c.prepare(sql_create_user);
            s.bind(1, seed_username).bind(2, seed_password_hash);
            s.step();
        }
        const std::int64_t reader = c.last_insert_id();
        for (const auto& r : seed_reviews) {
            auto s = c.prepare(sql_seed_review);
            s.bind(1, ids.at(r.book)).bind(2, reader).bind(3, r.rating).bind(4, r.text).bind(5, r.created_at);
            s.step();
        }
    }

    per_thread<connection> connections_;
};

}  // namespace

std::unique_ptr<store> open_sqlite(const std::string& path) {
    // No memory statistics: SQLite would otherwise take a process-wide mutex around every
    // allocation to count it. Only possible before SQLite starts; if a program has already used
    // SQLite, the call fails and nothing changes.
    static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus_off;
    return std::make_unique<sqlite_store>(path);
}

}  // namespace bookreviews::detail
