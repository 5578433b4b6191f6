// The tutorial's step 3 (docs/tutorial.md): pages from templates/ (vial_add_templates in
// CMakeLists.txt), a layout with blocks, a loop and url_for, all checked when this file compiles.
//
//   ./tutorial_step3 --port 8080        then open http://127.0.0.1:8080/
#include <vial/template.hpp>
#include <vial/vial.hpp>

#include <vial_templates/templates.hpp>  // generated from templates/ by vial_add_templates

#include <boost/hana/define_struct.hpp>

#include <string>
#include <vector>

namespace {

//! [context]
struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (int, id), (std::string, title), (std::string, author));
};

struct index_page {
    BOOST_HANA_DEFINE_STRUCT(index_page, (std::string, heading), (std::vector<book>, books));
};

struct book_page {
    BOOST_HANA_DEFINE_STRUCT(book_page, (book, item));
};
//! [context]

const std::vector<book> books = {{1, "Emma", "Jane Austen"}, {2, "Ulysses", "James Joyce"}, {3, "Beloved", "Toni Morrison"}};

vial::response index();
vial::response show_book(int book_id);

constexpr auto app = vial::app(
    vial::get<"/", index>(),
    vial::get<"/books/<int:book_id>", show_book>());

//! [render]
vial::response index() {
    const index_page page{"All books", books};
    return vial::html(vial::render_template<"index.html">(templates, page, app));
}

vial::response show_book(int book_id) {
    for (const book& b : books)
        if (b.id == book_id) return vial::html(vial::render_template<"book.html">(templates, book_page{b}, app));
    vial::abort(404);
}
//! [render]

}  // namespace

int main(int argc, char** argv) { return vial::run(app, argc, argv); }
