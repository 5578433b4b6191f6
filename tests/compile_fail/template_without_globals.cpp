// csrf_token() when the handler passed no globals.
// EXPECT: vial: template book.html:1:36: request, session, csrf_token and get_flashed_messages need vial::template_globals.*csrf_token
#include "template_context.hpp"

// What vial_add_templates generates from a templates/ folder.
struct files {
    static constexpr vial::template_source sources[] = {
        {"base.html", "<title>{% block title %}{% endblock %}</title>\n"},
#ifdef VIAL_CONTROL
        {"book.html", "<input name=\"csrf_token\" value=\"{{ title }}\">"},
#else
        {"book.html", "<input name=\"csrf_token\" value=\"{{ csrf_token() }}\">"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const page& p) { return vial::render_template<"book.html">(templates, p, app); }
