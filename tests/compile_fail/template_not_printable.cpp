// A list cannot be printed as such.
// EXPECT: vial: template book.html:1:4: cannot print this value.*reviews
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{{ reviews|length }}"},
#else
        {"book.html", "{{ reviews }}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
