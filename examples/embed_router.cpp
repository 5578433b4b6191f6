// The router core embedded in a program with its own loop: no Beast, no Asio, no JSON.
// It reads requests as lines "METHOD /target" from standard input (or uses a built-in list
// when none are given) and prints what a server would answer.
//
//   $ printf 'GET /books/42\nDELETE /books/42\n' | ./embed_router
#include <vial/route.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct library {
    std::vector<std::string> titles{"Dune", "Emma", "Ulysses"};
};

std::string list_books(library& lib) { return std::to_string(lib.titles.size()) + " books"; }

std::string show_book(int book_id, library& lib) {
    if (book_id < 0 || static_cast<std::size_t>(book_id) >= lib.titles.size()) return "no such book";
    return "book " + std::to_string(book_id) + ": " + lib.titles[static_cast<std::size_t>(book_id)];
}

std::string search(std::string_view query) { return "searching for '" + std::string(query) + "'"; }

constexpr auto books = vial::blueprint<"books", "/books">(
    vial::get<"/", list_books>(),
    vial::get<"/<int:book_id>", show_book>(),
    vial::get<"/search/<q>", "search">(search));

constexpr auto app = vial::app(vial::get<"/", "index">([] { return std::string("try /books/"); }), books);

void answer(std::string_view method, std::string_view target, library& lib) {
    const auto m = app.match(method, target);
    std::cout << method << ' ' << target << " -> ";
    switch (m.status()) {
    case vial::match_status::found:
        std::cout << "200 [" << m.endpoint() << "] "
                  << app.dispatch(m, [](const std::string& body) { return body; }, lib) << '\n';
        break;
    case vial::match_status::redirect:
        std::cout << "308 Location: " << m.redirect_location() << '\n';
        break;
    case vial::match_status::method_not_allowed:
    case vial::match_status::options: {
        char allow[64];
        std::cout << (m.status() == vial::match_status::options ? "200" : "405")
                  << " Allow: " << std::string_view(allow, vial::format_allow(m.allowed(), allow)) << '\n';
        break;
    }
    case vial::match_status::not_found:
        std::cout << "404\n";
        break;
    }
}

}  // namespace

int main() {
    std::cout << "Routes:\n";
    for (const auto& r : decltype(app)::routes()) std::cout << "  " << r.endpoint << "  " << r.rule << '\n';
    std::cout << "url_for<\"books.show_book\", app>(1) = " << vial::url_for<"books.show_book", app>(1) << "\n\n";

    library lib;
    std::vector<std::pair<std::string, std::string>> requests;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string method;
        std::string target;
        if (in >> method >> target) requests.emplace_back(method, target);
    }
    if (requests.empty())
        requests = {{"GET", "/books/1"}, {"GET", "/books"}, {"GET", "/books/search/red%20hat"},
                    {"DELETE", "/books/1"}, {"GET", "/books/99999999999"}};
    for (const auto& [method, target] : requests) answer(method, target, lib);
}
