// The tutorial's steps 1 and 2 (docs/tutorial.md): a route, vial::run, typed path parameters
// and url_for. Only <vial/vial.hpp>: no templates, no Hana.
//
//   ./tutorial_step1 --port 8080        then open http://127.0.0.1:8080/
//   ./tutorial_step1 --routes           the route table, as `flask routes`
#include <vial/vial.hpp>

#include <string>

namespace {

//! [step1]
std::string hello() { return "Hello, reader!"; }
//! [step1]

//! [step2]
std::string show_book(int book_id) { return "Book number " + std::to_string(book_id); }

std::string show_author(std::string_view name) { return "Books by " + std::string(name); }

std::string links();  // defined after the app, because it names it

constexpr auto app = vial::app(
    vial::get<"/", hello>(),
    vial::get<"/books/<int:book_id>", show_book>(),
    vial::get<"/authors/<name>", show_author>(),
    vial::get<"/links", links>());

std::string links() {
    return vial::url_for<"show_book", app>(42) + " " + vial::url_for<"show_author", app>("Jane Austen");
}
//! [step2]

}  // namespace

int main(int argc, char** argv) { return vial::run(app, argc, argv); }
