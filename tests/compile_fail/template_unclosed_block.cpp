// An if without its endif.
// EXPECT: vial: template book.html:1:4: unclosed block
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<p>{% if count %}x{% endif %}</p>"},
#else
        {"book.html", "<p>{% if count %}x</p>"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
