// BookReviews' store built without libpq (as where find_package(PostgreSQL) finds nothing):
// SQLite works, and a postgresql:// URL is refused with a message that says what to install.
#include "store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

namespace {

TEST(store_without_postgresql, a_postgresql_url_says_what_is_missing) {
    for (const char* url : {"postgresql://vial@127.0.0.1/bookreviews", "postgres://localhost/db"}) {
        try {
            bookreviews::store::open(url);
            ADD_FAILURE() << url << " opened";
        } catch (const bookreviews::store_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("no PostgreSQL support"), std::string::npos) << what;
            EXPECT_NE(what.find("libpq-dev"), std::string::npos) << what;
        }
    }
}

TEST(store_without_postgresql, sqlite_still_works) {
    std::string path = ::testing::TempDir() + "bookreviews-without-pg-" + std::to_string(::getpid()) + ".db";
    {
        auto s = bookreviews::store::open(path);
        EXPECT_GE(s->books("", -1, 0).size(), 6u);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace
