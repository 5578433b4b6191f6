// Text compared with a number.
// EXPECT: vial: template book.html:1:13: cannot compare
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% if count > 3 %}x{% endif %}"},
#else
        {"book.html", "{% if title > 3 %}x{% endif %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
