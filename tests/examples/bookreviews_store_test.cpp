// BookReviews' store (examples/bookreviews/store.hpp): every member, on each backend this run
// can reach. SQLite always (a file in a fresh temporary directory per test); PostgreSQL when
// VIAL_TEST_POSTGRES_URL names a database (each test in a schema of its own, dropped after).
#include "store.hpp"
#include "store_test_backends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using bookreviews::store;
using bookreviews::store_error;

class store_test : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = store_test_backends::make(GetParam());
        if (!db_) GTEST_SKIP() << GetParam() << ": not available in this run";
    }
    std::unique_ptr<store> open() { return store::open(db_->url()); }
    const std::string& url() const { return db_->url(); }

    std::unique_ptr<store_test_backends::database> db_;
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const bookreviews::book& by_title(const std::vector<bookreviews::book>& books, std::string_view title) {
    auto it = std::find_if(books.begin(), books.end(), [&](const auto& b) { return b.title == title; });
    if (it == books.end()) throw std::runtime_error("no book " + std::string(title));
    return *it;
}

TEST_P(store_test, first_open_creates_and_seeds_books_by_title) {
    auto s = open();
    auto books = s->books("", 100, 0);
    ASSERT_GE(books.size(), 6u);
    for (std::size_t i = 1; i < books.size(); ++i) {
        EXPECT_LE(lower(books[i - 1].title), lower(books[i].title)) << "sorted by title";
    }
    std::set<std::int64_t> ids;
    for (const auto& b : books) {
        ids.insert(b.id);
        EXPECT_FALSE(b.title.empty());
        EXPECT_FALSE(b.author.empty());
        EXPECT_FALSE(b.description.empty());
        EXPECT_GT(b.year, 1500);
    }
    EXPECT_EQ(ids.size(), books.size());

    const auto& pride = by_title(books, "Pride and Prejudice");
    EXPECT_EQ(pride.author, "Jane Austen");
    EXPECT_EQ(pride.year, 1813);
    EXPECT_EQ(pride.review_count, 1);
    EXPECT_DOUBLE_EQ(pride.average_rating, 5.0);
    const auto& middlemarch = by_title(books, "Middlemarch");
    EXPECT_EQ(middlemarch.review_count, 0);
    EXPECT_DOUBLE_EQ(middlemarch.average_rating, 0.0);
}

TEST_P(store_test, seed_user_reader_wrote_the_seed_reviews_and_has_no_usable_password) {
    auto s = open();
    auto reader = s->find_user("reader");
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->username, "reader");
    EXPECT_EQ(reader->password_hash, "!");
    auto same = s->find_user(reader->id);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->username, "reader");

    int seed_reviews = 0;
    for (const auto& b : s->books("", -1, 0)) {
        auto reviews = s->reviews_for(b.id);
        EXPECT_EQ(static_cast<std::int64_t>(reviews.size()), b.review_count);
        for (const auto& r : reviews) {
            EXPECT_EQ(r.username, "reader");
            EXPECT_EQ(r.book_id, b.id);
            ++seed_reviews;
        }
    }
    EXPECT_GE(seed_reviews, 3);
}

TEST_P(store_test, search_is_a_case_insensitive_substring_of_the_title) {
    auto s = open();
    auto found = s->books("PRIDE", 10, 0);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].title, "Pride and Prejudice");
    EXPECT_EQ(s->books("and", 10, 0).size(), 2u);   // Pride and Prejudice, Crime and Punishment
    EXPECT_EQ(s->books("jane eyre", 10, 0).size(), 1u);
    EXPECT_TRUE(s->books("no such title", 10, 0).empty());
}

TEST_P(store_test, search_takes_percent_underscore_and_backslash_literally) {
    auto s = open();
    EXPECT_TRUE(s->books("%", 100, 0).empty());
    EXPECT_TRUE(s->books("_", 100, 0).empty());
    EXPECT_TRUE(s->books("jane_eyre", 100, 0).empty());   // '_' unescaped would match the space
    EXPECT_TRUE(s->books("pride%prejudice", 100, 0).empty());
    EXPECT_TRUE(s->books("\\", 100, 0).empty());
    EXPECT_TRUE(s->books("'; DROP TABLE books; --", 100, 0).empty());
    EXPECT_GE(s->books("", 100, 0).size(), 6u);
}

TEST_P(store_test, limit_and_offset_page_through_the_list) {
    auto s = open();
    auto all = s->books("", -1, 0);
    ASSERT_GE(all.size(), 6u);
    auto first = s->books("", 2, 0);
    auto second = s->books("", 2, 2);
    ASSERT_EQ(first.size(), 2u);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(first[0].id, all[0].id);
    EXPECT_EQ(first[1].id, all[1].id);
    EXPECT_EQ(second[0].id, all[2].id);
    EXPECT_TRUE(s->books("", 0, 0).empty());
    EXPECT_TRUE(s->books("", 10, static_cast<int>(all.size())).empty());
}

TEST_P(store_test, find_book_by_id) {
    auto s = open();
    auto all = s->books("", -1, 0);
    auto b = s->find_book(all[0].id);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->title, all[0].title);
    EXPECT_EQ(b->review_count, all[0].review_count);
    EXPECT_FALSE(s->find_book(987654321));
    EXPECT_TRUE(s->reviews_for(987654321).empty());
}

TEST_P(store_test, usernames_are_unique_ignoring_case) {
    auto s = open();
    auto alice = s->create_user("alice", "hash-a");
    ASSERT_TRUE(alice);
    EXPECT_FALSE(s->create_user("alice", "hash-b"));
    EXPECT_FALSE(s->create_user("ALICE", "hash-b"));
    EXPECT_FALSE(s->create_user("Reader", "hash-b"));
    auto bob = s->create_user("Bob_2", "hash-c");
    ASSERT_TRUE(bob);
    EXPECT_NE(*alice, *bob);

    auto found = s->find_user("Alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, *alice);
    EXPECT_EQ(found->username, "alice");
    EXPECT_EQ(found->password_hash, "hash-a");
    auto by_id = s->find_user(*bob);
    ASSERT_TRUE(by_id);
    EXPECT_EQ(by_id->username, "Bob_2");
    EXPECT_FALSE(s->find_user("carol"));
    EXPECT_FALSE(s->find_user(std::int64_t{987654321}));
    EXPECT_FALSE(s->find_user("%"));
}

TEST_P(store_test, reviews_are_listed_newest_first_and_move_the_average) {
    auto s = open();
    const auto middlemarch = by_title(s->books("middlemarch", 1, 0), "Middlemarch");
    auto user = s->create_user("dorothea", "h");
    ASSERT_TRUE(user);
    const std::string tricky = "It's \"great\"; -- DROP TABLE reviews; <b>&amp;</b> \xC3\xA9t\xC3\xA9 \xE2\x9C\x93";
    auto first = s->add_review(middlemarch.id, *user, 4, "Slow, then wonderful.");
    auto second = s->add_review(middlemarch.id, *user, 1, tricky);
    EXPECT_NE(first, second);

    auto reviews = s->reviews_for(middlemarch.id);
    ASSERT_EQ(reviews.size(), 2u);
    EXPECT_EQ(reviews[0].id, second);
    EXPECT_EQ(reviews[0].text, tricky);
    EXPECT_EQ(reviews[0].rating, 1);
    EXPECT_EQ(reviews[0].username, "dorothea");
    EXPECT_EQ(reviews[0].book_id, middlemarch.id);
    EXPECT_EQ(reviews[1].id, first);
    EXPECT_EQ(reviews[1].text, "Slow, then wonderful.");
    const std::regex utc(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})");
    EXPECT_TRUE(std::regex_match(reviews[0].created_at, utc)) << reviews[0].created_at;

    auto after = s->find_book(middlemarch.id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->review_count, 2);
    EXPECT_DOUBLE_EQ(after->average_rating, 2.5);
    EXPECT_DOUBLE_EQ(by_title(s->books("", -1, 0), "Middlemarch").average_rating, 2.5);
}

TEST_P(store_test, reviews_into_replaces_the_rows_of_a_reused_list) {
    auto s = open();
    const auto pride = by_title(s->books("pride", 1, 0), "Pride and Prejudice");
    const auto middlemarch = by_title(s->books("middlemarch", 1, 0), "Middlemarch");
    auto user = s->create_user("reuser", "h");
    ASSERT_TRUE(user);
    for (int i = 0; i < 3; ++i) s->add_review(pride.id, *user, 1 + i, "review " + std::to_string(i) + std::string(40, 'x'));
    auto same = [](const std::vector<bookreviews::review>& a, const std::vector<bookreviews::review>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].id != b[i].id || a[i].book_id != b[i].book_id || a[i].username != b[i].username ||
                a[i].rating != b[i].rating || a[i].text != b[i].text || a[i].created_at != b[i].created_at)
                return false;
        }
        return true;
    };
    std::vector<bookreviews::review> list;
    s->reviews_into(pride.id, list);
    EXPECT_EQ(list.size(), 4u);
    EXPECT_TRUE(same(list, s->reviews_for(pride.id)));
    s->reviews_into(middlemarch.id, list);   // fewer rows: none
    EXPECT_TRUE(list.empty());
    s->add_review(middlemarch.id, *user, 5, "short");
    s->reviews_into(pride.id, list);
    s->reviews_into(middlemarch.id, list);   // a long list reused for a short one
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(same(list, s->reviews_for(middlemarch.id)));
    EXPECT_EQ(list[0].text, "short");
    EXPECT_EQ(list[0].book_id, middlemarch.id);
}

TEST_P(store_test, find_book_with_reviews_reads_both_and_nothing_for_a_missing_book) {
    auto s = open();
    const auto pride = by_title(s->books("pride", 1, 0), "Pride and Prejudice");
    auto user = s->create_user("together", "h");
    ASSERT_TRUE(user);
    s->add_review(pride.id, *user, 3, "read with its book");
    std::vector<bookreviews::review> list;
    auto found = s->find_book_with_reviews(pride.id, list);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->title, "Pride and Prejudice");
    EXPECT_EQ(found->review_count, 2);
    EXPECT_DOUBLE_EQ(found->average_rating, 4.0);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].text, "read with its book");
    EXPECT_EQ(list[0].username, "together");
    EXPECT_FALSE(s->find_book_with_reviews(987654321, list));
    // The store goes on working (the read transaction ended), writes included.
    EXPECT_GT(s->add_review(pride.id, *user, 5, "after"), 0);
    found = s->find_book_with_reviews(pride.id, list);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->review_count, 3);
    EXPECT_EQ(list.size(), 3u);
}

TEST_P(store_test, add_review_to_a_missing_book_or_with_a_bad_rating_throws) {
    auto s = open();
    auto user = s->create_user("victor", "h");
    ASSERT_TRUE(user);
    EXPECT_THROW(s->add_review(987654321, *user, 3, "no such book"), store_error);
    const auto book = s->books("", 1, 0).at(0);
    EXPECT_THROW(s->add_review(book.id, 987654321, 3, "no such user"), store_error);
    EXPECT_THROW(s->add_review(book.id, *user, 0, "rating 0"), store_error);
    EXPECT_THROW(s->add_review(book.id, *user, 6, "rating 6"), store_error);
    // Nothing of the above was stored, and the store still works.
    EXPECT_EQ(s->reviews_for(book.id).size(), static_cast<std::size_t>(book.review_count));
    EXPECT_GT(s->add_review(book.id, *user, 5, "fine"), 0);
}

TEST_P(store_test, counts_and_average_follow_each_review_at_once) {
    auto s = open();
    const auto pride = by_title(s->books("pride", 1, 0), "Pride and Prejudice");
    ASSERT_EQ(pride.review_count, 1);   // the seed's 5
    auto user = s->create_user("lizzy", "h");
    ASSERT_TRUE(user);
    s->add_review(pride.id, *user, 2, "Too many balls.");
    auto after = s->find_book(pride.id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->review_count, 2);
    EXPECT_DOUBLE_EQ(after->average_rating, 3.5);
    s->add_review(pride.id, *user, 4, "Better the second time.");
    after = s->find_book(pride.id);
    EXPECT_EQ(after->review_count, 3);
    EXPECT_DOUBLE_EQ(after->average_rating, 11.0 / 3.0);
    const auto listed = by_title(s->books("", -1, 0), "Pride and Prejudice");
    EXPECT_EQ(listed.review_count, 3);
    EXPECT_DOUBLE_EQ(listed.average_rating, 11.0 / 3.0);
    EXPECT_EQ(s->reviews_for(pride.id).size(), 3u);
    // Other books are untouched, and a store opened later reads the same figures.
    EXPECT_EQ(by_title(open()->books("middlemarch", 1, 0), "Middlemarch").review_count, 0);
    EXPECT_EQ(open()->find_book(pride.id)->review_count, 3);
}

TEST_P(store_test, a_failed_add_review_changes_no_count) {
    auto s = open();
    const auto book = by_title(s->books("moby", 1, 0), "Moby-Dick");
    auto user = s->create_user("ishmael", "h");
    ASSERT_TRUE(user);
    EXPECT_THROW(s->add_review(book.id, *user, 0, "rating 0"), store_error);
    EXPECT_THROW(s->add_review(book.id, *user, 6, "rating 6"), store_error);
    EXPECT_THROW(s->add_review(book.id, 987654321, 3, "no such user"), store_error);
    EXPECT_THROW(s->add_review(987654321, *user, 3, "no such book"), store_error);
    for (const auto& b : {*s->find_book(book.id), by_title(s->books("", -1, 0), "Moby-Dick")}) {
        EXPECT_EQ(b.review_count, book.review_count);
        EXPECT_DOUBLE_EQ(b.average_rating, book.average_rating);
    }
    EXPECT_EQ(s->reviews_for(book.id).size(), static_cast<std::size_t>(book.review_count));
}

/// A database as version 1 of the store made it (its schema, no counts in books), with two
/// books: one with three reviews by two users, one with none.
std::string version_1_database(const std::string& backend) {
    if (backend == "sqlite") {
        return R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')));
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT NOT NULL,
    year INTEGER NOT NULL, description TEXT NOT NULL);
CREATE TABLE reviews (id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5), text TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')));
CREATE INDEX reviews_by_book ON reviews (book_id, created_at);
INSERT INTO users (id, username, password_hash) VALUES (1, 'Old_Timer', '!'), (2, 'second', '!');
INSERT INTO books (id, title, author, year, description) VALUES
    (1, 'Old Book', 'A. Author', 1900, 'Kept from version 1.'), (2, 'Unread', 'B. Author', 1901, 'No reviews.');
INSERT INTO reviews (book_id, user_id, rating, text, created_at) VALUES
    (1, 1, 5, 'first', '2026-01-01 10:00:00'), (1, 2, 2, 'second', '2026-01-02 10:00:00'),
    (1, 1, 4, 'third', '2026-01-03 10:00:00');
PRAGMA user_version = 1;
)sql";
    }
    // The tables of version 1 (shared with tests/deploy/bookreviews_scaleout.py), then its rows.
    std::ifstream file(BOOKREVIEWS_SCHEMA_1_POSTGRESQL);
    std::stringstream tables;
    tables << file.rdbuf();
    if (!file || tables.str().empty()) throw std::runtime_error("cannot read " BOOKREVIEWS_SCHEMA_1_POSTGRESQL);
    return tables.str() + R"sql(
INSERT INTO users (username, password_hash) VALUES ('Old_Timer', '!'), ('second', '!');
INSERT INTO books (title, author, year, description) VALUES
    ('Old Book', 'A. Author', 1900, 'Kept from version 1.'), ('Unread', 'B. Author', 1901, 'No reviews.');
INSERT INTO reviews (book_id, user_id, rating, text, created_at) VALUES
    (1, 1, 5, 'first', '2026-01-01 10:00:00+00'), (1, 2, 2, 'second', '2026-01-02 10:00:00+00'),
    (1, 1, 4, 'third', '2026-01-03 10:00:00+00');
INSERT INTO bookreviews_schema (version) VALUES (1);
)sql";
}

TEST_P(store_test, a_version_1_database_is_upgraded_on_open_with_its_counts) {
    db_->run_sql(version_1_database(GetParam()));
    auto s = open();
    auto books = s->books("", -1, 0);
    ASSERT_EQ(books.size(), 2u) << "not seeded again";
    const auto old_book = by_title(books, "Old Book");
    EXPECT_EQ(old_book.review_count, 3);
    EXPECT_DOUBLE_EQ(old_book.average_rating, 11.0 / 3.0);
    EXPECT_EQ(by_title(books, "Unread").review_count, 0);
    EXPECT_DOUBLE_EQ(by_title(books, "Unread").average_rating, 0.0);
    auto found = s->find_book(old_book.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->review_count, 3);

    auto reviews = s->reviews_for(old_book.id);
    ASSERT_EQ(reviews.size(), 3u);
    EXPECT_EQ(reviews[0].text, "third");
    EXPECT_EQ(reviews[0].username, "Old_Timer");
    EXPECT_EQ(reviews[1].username, "second");
    EXPECT_EQ(reviews[1].created_at, "2026-01-02 10:00:00");
    EXPECT_EQ(reviews[2].text, "first");

    // The upgraded database counts new reviews, and opening it again changes nothing.
    s->add_review(old_book.id, s->find_user("second")->id, 1, "after the upgrade");
    EXPECT_EQ(s->find_book(old_book.id)->review_count, 4);
    auto again = open();
    EXPECT_EQ(again->find_book(old_book.id)->review_count, 4);
    EXPECT_DOUBLE_EQ(again->find_book(old_book.id)->average_rating, 3.0);
    EXPECT_EQ(again->reviews_for(old_book.id).at(0).username, "second");
    EXPECT_EQ(again->books("", -1, 0).size(), 2u);
}

TEST_P(store_test, data_survives_reopening_and_the_seed_is_not_repeated) {
    std::int64_t user_id = 0;
    std::int64_t review_id = 0;
    std::int64_t book_id = 0;
    std::size_t book_count = 0;
    {
        auto s = open();
        auto books = s->books("", -1, 0);
        book_count = books.size();
        book_id = books.back().id;
        user_id = s->create_user("persistent", "h").value();
        review_id = s->add_review(book_id, user_id, 3, "still here");
    }
    auto s = open();
    EXPECT_EQ(s->books("", -1, 0).size(), book_count);
    ASSERT_TRUE(s->find_user("persistent"));
    EXPECT_EQ(s->find_user("persistent")->id, user_id);
    auto reviews = s->reviews_for(book_id);
    ASSERT_FALSE(reviews.empty());
    EXPECT_EQ(reviews[0].id, review_id);
    EXPECT_EQ(reviews[0].text, "still here");
    ASSERT_TRUE(s->find_user("reader"));
}

TEST_P(store_test, several_stores_opened_at_once_seed_once) {
    // As several processes starting together on one database do.
    std::vector<std::unique_ptr<store>> stores(4);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (auto& s : stores) {
        threads.emplace_back([&] {
            try {
                s = open();
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(failures, 0);
    const auto count = stores[0]->books("", -1, 0).size();
    for (auto& s : stores) EXPECT_EQ(s->books("", -1, 0).size(), count);
    EXPECT_GE(count, 6u);
    std::set<std::string> titles;
    for (const auto& b : stores[0]->books("", -1, 0)) titles.insert(b.title);
    EXPECT_EQ(titles.size(), count) << "each seed book once";
}

TEST_P(store_test, many_threads_read_and_write_at_once) {
    auto s = open();
    const auto book = by_title(s->books("frankenstein", 1, 0), "Frankenstein");
    const auto before = book.review_count;
    constexpr int threads_count = 8;
    constexpr int per_thread = 15;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < threads_count; ++t) {
        threads.emplace_back([&, t] {
            try {
                const auto id = s->create_user("writer" + std::to_string(t), "h").value();
                for (int i = 0; i < per_thread; ++i) {
                    s->add_review(book.id, id, 1 + (i % 5), "review " + std::to_string(i));
                    if (s->books("frank", 5, 0).size() != 1) ++failures;
                    if (!s->find_user("WRITER" + std::to_string(t))) ++failures;
                    if (s->reviews_for(book.id).empty()) ++failures;
                }
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures, 0);
    auto after = s->find_book(book.id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->review_count, before + threads_count * per_thread);
    auto reviews = s->reviews_for(book.id);
    std::set<std::int64_t> ids;
    for (const auto& r : reviews) ids.insert(r.id);
    EXPECT_EQ(ids.size(), reviews.size()) << "every review once";
}

TEST_P(store_test, two_writers_on_one_book_while_its_page_is_read_agree_on_every_count) {
    // Two writers add reviews to one book at once (on PostgreSQL each on its own connection:
    // the count trigger's updates of the book's row queue, none is lost or counted twice)
    // while a reader reads the book's page over and over: each read is one snapshot, so the
    // count and average it shows are those of the reviews it lists.
    auto s = open();
    const auto book = by_title(s->books("jane eyre", 1, 0), "Jane Eyre");
    constexpr int per_writer = 40;
    std::atomic<int> writers_done{0};
    std::atomic<int> failures{0};
    auto writer = [&](const std::string& name, int rating) {
        try {
            const auto id = s->create_user(name, "h").value();
            for (int i = 0; i < per_writer; ++i) s->add_review(book.id, id, rating, name + " " + std::to_string(i));
        } catch (const std::exception& e) {
            ++failures;
            ADD_FAILURE() << e.what();
        }
        ++writers_done;
    };
    int reads = 0;
    int disagreements = 0;
    std::thread reader([&] {
        std::vector<bookreviews::review> list;
        while (writers_done < 2 || reads < 3) {
            auto found = s->find_book_with_reviews(book.id, list);
            if (!found) {
                ++failures;
                break;
            }
            std::int64_t sum = 0;
            for (const auto& r : list) sum += r.rating;
            const auto n = static_cast<std::int64_t>(list.size());
            if (found->review_count != n || (n > 0 && found->average_rating != static_cast<double>(sum) / n)) {
                ++disagreements;
            }
            ++reads;
        }
    });
    std::thread first(writer, "first_writer", 1);
    std::thread second(writer, "second_writer", 5);
    first.join();
    second.join();
    reader.join();
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(disagreements, 0) << "of " << reads << " reads";

    std::vector<bookreviews::review> list;
    auto after = s->find_book_with_reviews(book.id, list);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->review_count, book.review_count + 2 * per_writer);
    EXPECT_EQ(list.size(), static_cast<std::size_t>(after->review_count));
    EXPECT_DOUBLE_EQ(after->average_rating,
                     (book.average_rating * static_cast<double>(book.review_count) + per_writer * (1 + 5)) /
                         static_cast<double>(after->review_count));
    EXPECT_EQ(open()->find_book(book.id)->review_count, after->review_count) << "as another store reads it";
    std::set<std::int64_t> ids;
    for (const auto& r : list) ids.insert(r.id);
    EXPECT_EQ(ids.size(), list.size()) << "every review once";
}

TEST_P(store_test, a_connection_the_server_dropped_is_replaced) {
    auto s = open();
    auto user = s->create_user("phoenix", "h");
    ASSERT_TRUE(user);
    const auto book = s->books("", 1, 0).at(0);
    if (!db_->drop_connections()) GTEST_SKIP() << "no server connections to drop";
    // A read reconnects and runs again; so does a write whose connection was seen closed
    // before it was sent.
    EXPECT_EQ(s->books("", -1, 0).size(), s->books("", -1, 0).size());
    ASSERT_TRUE(db_->drop_connections());
    auto id = s->add_review(book.id, *user, 4, "after a reconnect");
    auto reviews = s->reviews_for(book.id);
    ASSERT_FALSE(reviews.empty());
    EXPECT_EQ(reviews[0].id, id);
    EXPECT_EQ(std::count_if(reviews.begin(), reviews.end(), [](const auto& r) { return r.text == "after a reconnect"; }), 1)
        << "stored once";
}

INSTANTIATE_TEST_SUITE_P(backends, store_test, ::testing::ValuesIn(store_test_backends::names()),
                         [](const auto& info) { return info.param; });

TEST(store_open, rejects_what_it_cannot_open) {
    EXPECT_THROW(store::open(""), store_error);
    EXPECT_THROW(store::open("sqlite:"), store_error);
    EXPECT_THROW(store::open(":memory:"), store_error);
    EXPECT_THROW(store::open("mysql://localhost/db"), store_error);
    EXPECT_THROW(store::open("/nonexistent-directory/for/sure/books.db"), store_error);
    try {
        store::open("/nonexistent-directory/for/sure/books.db");
    } catch (const store_error& e) {
        EXPECT_NE(std::string(e.what()).find("unable to open"), std::string::npos) << e.what();
    }
}

#ifdef BOOKREVIEWS_TEST_POSTGRESQL
TEST(store_open, an_unreachable_postgresql_server_is_a_store_error_that_says_so) {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    for (const char* url : {"postgresql://vial@127.0.0.1:1/bookreviews?connect_timeout=5",
                            "postgres://vial@127.0.0.1:1/bookreviews?connect_timeout=5"}) {
        try {
            store::open(url);
            ADD_FAILURE() << url << " opened";
        } catch (const store_error& e) {
            EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
        }
    }
}
#endif

TEST(store_open, sqlite_urls_name_a_file) {
    auto db = store_test_backends::make("sqlite");
    ASSERT_TRUE(db);
    const std::string path = db->url();
    auto created = store::open("sqlite:" + path);
    created->create_user("via_url", "h");
    EXPECT_TRUE(store::open("sqlite://" + path)->find_user("via_url"));
    EXPECT_TRUE(store::open(path)->find_user("via_url"));
}

}  // namespace
