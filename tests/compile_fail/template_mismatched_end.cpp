// endfor closing an if.
// EXPECT: vial: template book.html:1:36: mismatched end tag.*endfor
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
        {"book.html", "{% for r in reviews %}{% if r.id %}{% endif %}{% endfor %}"},
#else
        {"book.html", "{% for r in reviews %}{% if r.id %}{% endfor %}{% endif %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
