// The databases bookreviews_store_test runs its cases on: a fresh SQLite file per test, and,
// when VIAL_TEST_POSTGRES_URL is set (and libpq was found), a fresh PostgreSQL schema per test.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef BOOKREVIEWS_TEST_POSTGRESQL
#include <libpq-fe.h>
#endif

namespace store_test_backends {

/// A database that exists for one test: url() opens it, the destructor removes it.
class database {
public:
    virtual ~database() = default;
    const std::string& url() const { return url_; }

protected:
    std::string url_;
};

class sqlite_file final : public database {
public:
    sqlite_file() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/bookreviews-store-XXXXXX";
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        url_ = dir_ + "/books.db";
    }
    ~sqlite_file() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

private:
    std::string dir_;
};

#ifdef BOOKREVIEWS_TEST_POSTGRESQL
/// A schema of its own in the database VIAL_TEST_POSTGRES_URL names; the store's URL sets
/// search_path to it (libpq's `options`), so its tables land there and are dropped after.
class postgres_schema final : public database {
public:
    explicit postgres_schema(const std::string& base) : base_(base) {
        std::random_device random;
        schema_ = "store_test_" + std::to_string(random()) + std::to_string(random() % 1000);
        exec("CREATE SCHEMA " + schema_);
        url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    ~postgres_schema() override {
        try {
            exec("DROP SCHEMA " + schema_ + " CASCADE");
        } catch (const std::exception&) {
        }
    }

private:
    void exec(const std::string& sql) {
        PGconn* c = PQconnectdb(base_.c_str());
        std::string error;
        if (PQstatus(c) != CONNECTION_OK) {
            error = PQerrorMessage(c);
        } else {
            PGresult* r = PQexec(c, sql.c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
            PQclear(r);
        }
        PQfinish(c);
        if (!error.empty()) throw std::runtime_error(sql + ": " + error);
    }

    std::string base_;
    std::string schema_;
};
#endif

inline const char* postgres_url() {
    const char* url = std::getenv("VIAL_TEST_POSTGRES_URL");
    return url && *url ? url : nullptr;
}

/// "sqlite", and "postgresql" (which skips when this run has no database for it).
inline std::vector<std::string> names() { return {"sqlite", "postgresql"}; }

/// The database for one test, or null when `name` is not available in this run.
inline std::unique_ptr<database> make(const std::string& name) {
    if (name == "sqlite") return std::make_unique<sqlite_file>();
#ifdef BOOKREVIEWS_TEST_POSTGRESQL
    if (name == "postgresql" && postgres_url()) return std::make_unique<postgres_schema>(postgres_url());
#endif
    return nullptr;
}

}  // namespace store_test_backends
