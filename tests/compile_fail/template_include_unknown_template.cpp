// include names a template the library does not have.
// EXPECT: vial: template book.html:1:4: no template of this name.*nav.html
#include <vial/route.hpp>
#include <vial/template.hpp>

#include <boost/hana/define_struct.hpp>

#include <string>
#include <vector>

struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (int, id), (std::string, author), (int, rating));
};
struct page {
    BOOST_HANA_DEFINE_STRUCT(page, (std::string, title), (int, count), (std::vector<review>, reviews));
};

std::string show_review(int book_id, int review_id);
constexpr auto app = vial::app(vial::get<"/books/<int:book_id>/reviews/<int:review_id>", show_review>());

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<p>{% include \"base.html\" %}</p>"},
#else
        {"book.html", "<p>{% include \"nav.html\" %}</p>"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
