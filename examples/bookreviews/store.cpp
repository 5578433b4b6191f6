// store::open: the backend is chosen by the URL's scheme.
#include "store_backends.hpp"

#include <string>

namespace bookreviews {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::unique_ptr<store> store::open(std::string_view url) {
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        return detail::open_postgresql(std::string(url));
    }
    std::string_view path = url;
    if (starts_with(path, "sqlite://")) {
        path.remove_prefix(9);
    } else if (starts_with(path, "sqlite:")) {
        path.remove_prefix(7);
    }
    if (path.empty()) throw store_error("bookreviews: no database file in '" + std::string(url) + "'");
    if (path == ":memory:") {
        // Every thread has its own connection, and so would have its own empty database.
        throw store_error("bookreviews: an in-memory SQLite database is not supported (each "
                          "thread would see its own); give a file");
    }
    if (path.find("://") != std::string_view::npos) {
        throw store_error("bookreviews: unknown database URL '" + std::string(url) +
                          "'; use postgresql://..., sqlite:PATH or a file path");
    }
    return detail::open_sqlite(std::string(path));
}

}  // namespace bookreviews

#ifndef BOOKREVIEWS_HAVE_POSTGRESQL
std::unique_ptr<bookreviews::store> bookreviews::detail::open_postgresql(const std::string&) {
    throw store_error("bookreviews: this build has no PostgreSQL support (libpq was not found when "
                      "it was configured: install libpq-dev and reconfigure)");
}
#endif
