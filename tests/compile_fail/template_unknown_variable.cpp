// A variable that is not a member of the context (a typo).
// EXPECT: vial: template book.html:2:9: unknown variable.*titel
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<h1>\n  <p>{{ title }}</p>"},
#else
        {"book.html", "<h1>\n  <p>{{ titel }}</p>"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
