// BookReviews: browse books, read and post reviews, sign up and in; a typed JSON API beside the
// pages, with its OpenAPI document and /docs. See docs/bookreviews.md.
//
//   ./bookreviews --secret-key-file keys.txt --port 8080 [--database bookreviews.db]
//   ./bookreviews --database postgresql://user@host/db ...   (PostgreSQL instead of SQLite)
//   ./bookreviews --openapi                                    (prints the API's document)
#include "app.hpp"

#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace {

/// Takes `--name VALUE` (or `--name=VALUE`) out of argv, as vial::sessions does with its flags,
/// so that vial::run sees only its own. The last one given wins.
std::optional<std::string> take_flag(int& argc, char** argv, std::string_view name) {
    std::optional<std::string> value;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == name && i + 1 < argc) {
            value = argv[++i];
        } else if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=') {
            value = std::string(arg.substr(name.size() + 1));
        } else {
            argv[out++] = argv[i];
        }
    }
    argv[out] = nullptr;
    argc = out;
    return value;
}

bool given(int argc, char** argv, std::string_view flag) {
    for (int i = 1; i < argc; ++i)
        if (argv[i] == flag) return true;
    return false;
}

/// The store of a run that serves nothing (--help, --routes, --openapi): no database is opened
/// or created for those.
struct no_store final : bookreviews::store {
    [[noreturn]] static void fail() { throw bookreviews::store_error("no database is open"); }
    std::vector<bookreviews::book> books(std::string_view, int, int) override { fail(); }
    std::optional<bookreviews::book> find_book(std::int64_t) override { fail(); }
    std::vector<bookreviews::review> reviews_for(std::int64_t) override { fail(); }
    std::optional<bookreviews::user> find_user(std::string_view) override { fail(); }
    std::optional<bookreviews::user> find_user(std::int64_t) override { fail(); }
    std::optional<std::int64_t> create_user(std::string_view, std::string_view) override { fail(); }
    std::int64_t add_review(std::int64_t, std::int64_t, int, std::string_view) override { fail(); }
};

}  // namespace

//! [main]
int main(int argc, char** argv) {
    const std::string database = take_flag(argc, argv, "--database").value_or("bookreviews.db");
    // Refuses to start (exit status 2, the reason on standard error) without a secret key.
    auto sessions = vial::sessions::from_command_line(argc, argv);
    const vial::openapi::spec spec(bookreviews::app, {.title = "BookReviews API",
                                                      .version = "1.0.0",
                                                      .description = "The books and reviews of vial's BookReviews example."});
    const bool serves = !given(argc, argv, "--help") && !given(argc, argv, "-h") && !given(argc, argv, "--routes") &&
                        !given(argc, argv, "--openapi");
    no_store offline;
    std::unique_ptr<bookreviews::store> db;
    if (serves) {
        try {
            db = bookreviews::store::open(database);  // created and seeded on first use
        } catch (const bookreviews::store_error& e) {
            std::cerr << "bookreviews: cannot open the database " << database << ": " << e.what() << '\n';
            return 1;
        }
    }
    bookreviews::store& store = serves ? *db : offline;
    const int status = vial::run(bookreviews::app, argc, argv, sessions, store, spec);
    if (given(argc, argv, "--help") || given(argc, argv, "-h"))
        std::cout << "\nBookReviews:\n"
                     "  --database URL          an SQLite file (default bookreviews.db) or a postgresql:// URL\n"
                     "  --secret-key-file PATH  the keys that sign session cookies, newest first (or VIAL_SECRET_KEY)\n";
    return status;
}
//! [main]
