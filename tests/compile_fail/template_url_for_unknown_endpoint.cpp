// url_for to an endpoint the app does not have.
// EXPECT: vial: template book.html:1:21: url_for: unknown endpoint.*show_reviews
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=2) }}\">"},
#else
        {"book.html", "<a href=\"{{ url_for(\"show_reviews\", book_id=1, review_id=2) }}\">"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
