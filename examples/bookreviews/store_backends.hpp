// What the two backends of store.hpp share: the seed data, the LIKE escaping and the
// constructors store::open chooses between. Not seen by the web layer.
#pragma once

#include "store.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace bookreviews::detail {

/// Opens an SQLite file (created, migrated and seeded on first use).
std::unique_ptr<store> open_sqlite(const std::string& path);
/// Opens a PostgreSQL database by libpq connection URI; throws store_error when this build
/// has no libpq.
std::unique_ptr<store> open_postgresql(const std::string& url);

struct seed_book {
    std::string_view title;
    std::string_view author;
    int year;
    std::string_view description;
};

struct seed_review {
    std::size_t book;   // index into seed_books
    int rating;
    std::string_view text;
    std::string_view created_at;   // UTC, "YYYY-MM-DD HH:MM:SS"
};

/// The seed user who wrote the seed reviews. "!" is no hash vial::hash_password produces,
/// so no password signs in as `reader`.
inline constexpr std::string_view seed_username = "reader";
inline constexpr std::string_view seed_password_hash = "!";

inline constexpr std::array seed_books{
    seed_book{"Pride and Prejudice", "Jane Austen", 1813,
              "Elizabeth Bennet, the second of five sisters, meets the proud Mr Darcy: a comedy "
              "of manners about first impressions, money and marriage in Regency England."},
    seed_book{"Moby-Dick", "Herman Melville", 1851,
              "Ishmael signs on to the whaler Pequod, whose captain Ahab hunts the white whale "
              "that took his leg, at any cost to ship and crew."},
    seed_book{"Frankenstein", "Mary Shelley", 1818,
              "Victor Frankenstein gives life to a creature and abandons it; the creature, "
              "shunned by everyone it meets, turns on its maker."},
    seed_book{"Jane Eyre", "Charlotte Bront\xC3\xAB", 1847,
              "An orphan grows up unloved, becomes governess at Thornfield Hall and falls for "
              "its master, Mr Rochester, who keeps a secret in the attic."},
    seed_book{"Crime and Punishment", "Fyodor Dostoevsky", 1866,
              "Raskolnikov, a poor former student in St Petersburg, murders a pawnbroker to "
              "prove a theory and is undone by his own conscience."},
    seed_book{"Middlemarch", "George Eliot", 1871,
              "The lives of a provincial English town, above all Dorothea Brooke's and the "
              "young doctor Lydgate's, and the marriages that go wrong for both."},
    seed_book{"The Count of Monte Cristo", "Alexandre Dumas", 1844,
              "Edmond Dant\xC3\xA8s, betrayed and jailed for fourteen years in the Ch\xC3\xA2teau "
              "d'If, escapes with a hidden fortune and takes his revenge."},
    seed_book{"Don Quixote", "Miguel de Cervantes", 1605,
              "A country gentleman who has read too many romances of chivalry rides out as a "
              "knight errant, with Sancho Panza as his squire."},
};

inline constexpr std::array seed_reviews{
    seed_review{0, 5, "Sharp, funny and kind. I reread it every winter.", "2026-01-10 09:30:00"},
    seed_review{1, 4, "Long chapters on whales, but the last hundred pages fly.", "2026-01-12 18:05:00"},
    seed_review{2, 5, "Far stranger and sadder than any of the films.", "2026-01-20 21:15:00"},
    seed_review{3, 4, "Jane's voice carries the whole book.", "2026-02-02 08:45:00"},
    seed_review{4, 5, "Feverish. I could not put it down.", "2026-02-14 22:40:00"},
    seed_review{6, 3, "A great story, padded in the middle.", "2026-03-01 12:00:00"},
};

/// `%part%` for LIKE/ILIKE with `\` as escape: `%`, `_` and `\` in `part` match themselves.
inline std::string contains_pattern(std::string_view part) {
    std::string pattern = "%";
    pattern.reserve(part.size() + 2);
    for (char c : part) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    return pattern;
}

/// The schema both backends create, and upgrade older databases to. 2: each book keeps its
/// review_count and rating_sum (a trigger updates them in the transaction of every insert,
/// delete or update of a review), reviews carry their author's username, and an index ordered
/// as a book page reads them covers every column it reads.
inline constexpr int schema_version = 2;

/// A backend's SQL for each step towards schema_version.
struct schema_steps {
    const char* create;          ///< an empty database: the tables, at the newest version
    const char* upgrade_1_to_2;  ///< a version-1 database's tables, to version 2
    const char* common_2;        ///< what every version-2 database has (indexes, triggers)
};

/// Brings a database at `version` (0: empty) to schema_version through `c.exec`, seeding a new
/// one with `seed()`: the same steps on every backend. Returns whether the caller must record
/// the new version. Run it in the transaction that holds the backend's set-up lock.
template <class Connection, class Seed>
bool migrate(Connection& c, std::int64_t version, const schema_steps& sql, Seed&& seed) {
    if (version == 0) {
        c.exec(sql.create);
        c.exec(sql.common_2);
        seed();
    } else if (version == 1) {
        c.exec(sql.upgrade_1_to_2);
        c.exec(sql.common_2);
    }
    return version < schema_version;
}

/// Runs `body` between `begin` (e.g. "BEGIN") and COMMIT on `c`, whose exec(sql) throws
/// store_error; rolls back and rethrows when `body` throws.
template <class Connection, class Body>
void in_transaction(Connection& c, const char* begin, Body&& body) {
    c.exec(begin);
    try {
        body();
        c.exec("COMMIT");
    } catch (...) {
        try {
            c.exec("ROLLBACK");
        } catch (const store_error&) {
            // The connection is gone; so is the transaction.
        }
        throw;
    }
}

/// One `Connection` per thread, opened by `open` on the thread's first use and closed with
/// this object. A thread that ends leaves its connection to the next thread given its id.
template <class Connection>
class per_thread {
public:
    explicit per_thread(std::function<std::unique_ptr<Connection>()> open) : open_(std::move(open)) {}

    Connection& get() {
        const std::lock_guard lock(mutex_);
        auto& slot = connections_[std::this_thread::get_id()];
        if (!slot) slot = open_();
        return *slot;
    }

private:
    std::function<std::unique_ptr<Connection>()> open_;
    std::mutex mutex_;
    std::unordered_map<std::thread::id, std::unique_ptr<Connection>> connections_;
};

}  // namespace bookreviews::detail
