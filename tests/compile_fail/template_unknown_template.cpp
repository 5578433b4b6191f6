// extends names a template the library does not have.
// EXPECT: vial: template book.html:1:1: no template of this name.*layout.html
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% extends \"base.html\" %}{% block title %}x{% endblock %}"},
#else
        {"book.html", "{% extends \"layout.html\" %}{% block title %}x{% endblock %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
