// endfor closing an if.
// EXPECT: vial: template book.html:1:36: mismatched end tag.*endfor
#include "template_context.hpp"

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
