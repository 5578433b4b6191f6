// url_for without one of the route's parameters.
// EXPECT: vial: template book.html:1:35: url_for: missing argument.*review_id
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% for r in reviews %}<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=r.id) }}\">{% endfor %}"},
#else
        {"book.html", "{% for r in reviews %}<a href=\"{{ url_for(\"show_review\", book_id=1, rid=r.id) }}\">{% endfor %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
