// render_template names a template the library does not have.
// EXPECT: vial: render_template: no template of this name in the library
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<h1>\n  <p>{{ title }}</p>"},
#else
        {"book.html", "<h1>\n  <p>{{ title }}</p>"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

#ifdef VIAL_CONTROL
std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
#else
std::string render(const page& p) { return vial::render_template<"books.html">(templates, p, app); }
#endif
