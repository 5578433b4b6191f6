// upper takes text, not a number.
// EXPECT: vial: template book.html:1:10: filter does not take a value of this type.*upper
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{{ count|string|upper }}"},
#else
        {"book.html", "{{ count|upper }}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
