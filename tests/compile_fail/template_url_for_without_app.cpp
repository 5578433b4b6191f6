// url_for in a template rendered without the app.
// EXPECT: vial: template book.html:1:13: url_for needs the app
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=2) }}\">"},
#else
        {"book.html", "<a href=\"{{ url_for(\"show_review\", book_id=1, review_id=2) }}\">"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

#ifdef VIAL_CONTROL
std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
#else
std::string render(const page& p) { return vial::render_template<"book.html">(templates, p); }
#endif
