// The tutorial's final program (docs/tutorial.md): serves the app of bookshelf.hpp.
//
//   ./bookshelf --secret-key-file keys.txt --port 8080   (or VIAL_SECRET_KEY=... ./bookshelf)
//   from this folder (it serves ./static), then open http://127.0.0.1:8080/ and sign in as
//   ann / wonderland; the API's documentation is at /docs.
#include "bookshelf.hpp"

//! [main]
int main(int argc, char** argv) {
    // Refuses to start (exit status 2, the reason on standard error) without a secret key.
    auto sessions = vial::sessions::from_command_line(argc, argv);
    bookshelf::store db;
    bookshelf::user_store users;
    const vial::openapi::spec spec(bookshelf::app, {.title = "Bookshelf", .version = "1.0.0"});
    return vial::run(bookshelf::app, argc, argv, sessions, db, users, spec);
}
//! [main]
