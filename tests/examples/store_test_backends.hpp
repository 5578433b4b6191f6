// The databases bookreviews_store_test runs its cases on: a fresh SQLite file per test, and,
// when VIAL_TEST_POSTGRES_URL is set (and libpq was found), a fresh PostgreSQL schema per test.
#pragma once

#include <chrono>
#include <cerrno>
#include <csignal>
#include <sstream>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sqlite3.h>

#ifdef BOOKREVIEWS_TEST_POSTGRESQL
#include <libpq-fe.h>
#endif

namespace store_test_backends {

/// A database that exists for one test: url() opens it, the destructor removes it.
class database {
public:
    virtual ~database() = default;
    const std::string& url() const { return url_; }
    /// Closes every server-side connection to the database (PostgreSQL: pg_terminate_backend,
    /// as a server restart would); false when the backend has no such thing.
    virtual bool drop_connections() { return false; }
    /// Runs `sql` (several statements) on the database, outside the store: to make a database
    /// as an older version of the app left it. Throws when it fails.
    virtual void run_sql(const std::string& sql) = 0;

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

    void run_sql(const std::string& sql) override {
        sqlite3* db = nullptr;
        std::string error;
        if (sqlite3_open(url_.c_str(), &db) != SQLITE_OK) {
            error = db ? sqlite3_errmsg(db) : "out of memory";
        } else {
            char* message = nullptr;
            if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
                error = message ? message : sqlite3_errmsg(db);
            }
            sqlite3_free(message);
        }
        sqlite3_close(db);
        if (!error.empty()) throw std::runtime_error(sql + ": " + error);
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

    bool drop_connections() override {
        const std::string others =
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'";
        const std::string pids = exec("SELECT string_agg(pid::text, ' ')" + others);
        exec("SELECT pg_terminate_backend(pid)" + others);
        // Terminating is asynchronous: wait until the server processes are gone (and so their
        // sockets closed; a server on this machine, as scripts/pg-cluster's, shows its pids).
        for (int i = 0; i < 200; ++i) {
            bool gone = exec("SELECT count(*)" + others) == "0";
            std::istringstream in(pids);
            for (long pid = 0; gone && in >> pid;) gone = ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
            if (gone) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("pg_terminate_backend: connections still there");
    }

    void run_sql(const std::string& sql) override { exec("SET search_path TO " + schema_ + ";\n" + sql); }

private:
    /// Runs `sql` on a connection of its own; the first value of the result ("" if none).
    std::string exec(const std::string& sql) {
        PGconn* c = PQconnectdb(base_.c_str());
        std::string error;
        std::string value;
        if (PQstatus(c) != CONNECTION_OK) {
            error = PQerrorMessage(c);
        } else {
            PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);   // "drop cascades to..."
            PGresult* r = PQexec(c, sql.c_str());
            if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) value = PQgetvalue(r, 0, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
                error = PQresultErrorMessage(r);
            }
            PQclear(r);
        }
        PQfinish(c);
        if (!error.empty()) throw std::runtime_error(sql + ": " + error);
        return value;
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
