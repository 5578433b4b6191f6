// An attribute the element type does not have.
// EXPECT: vial: template book.html:1:28: unknown attribute.*name
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% for r in reviews %}{{ r.author }}{% endfor %}"},
#else
        {"book.html", "{% for r in reviews %}{{ r.name }}{% endfor %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
