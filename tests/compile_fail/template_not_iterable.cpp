// for needs a range.
// EXPECT: vial: template book.html:1:13: for over a value that is not a range.*count
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{% for r in reviews %}{% endfor %}"},
#else
        {"book.html", "{% for r in count %}{% endfor %}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
