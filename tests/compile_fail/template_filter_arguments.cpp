// truncate takes a length, killwords, end and leeway.
// EXPECT: vial: template book.html:1:10: wrong arguments for filter.*truncate
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "{{ title|truncate(10, end=\"..\") }}"},
#else
        {"book.html", "{{ title|truncate(10, ending=\"..\") }}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
