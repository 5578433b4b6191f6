// A tag that is never closed.
// EXPECT: vial: template book.html:2:1: unclosed tag
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<p>\n{{ title }}</p>"},
#else
        {"book.html", "<p>\n{{ title </p>"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
