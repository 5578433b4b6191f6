// url_for with text where the route takes an int.
// EXPECT: vial: template book.html:1:81: url_for: argument type does not match.*review_id
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% for r in reviews %}<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=r.id) }}\">{% endfor %}"},
#else
        {"book.html", "{% for r in reviews %}<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=r.author) }}\">{% endfor %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
