// A template that shows the error of a field the form's struct does not have: the form's
// field_texts are checked as any struct's attributes, at the template's line and column.
// EXPECT: vial: template signup.html:1:14: unknown attribute.*usrname
#include <vial/template.hpp>
#include <vial/typed.hpp>

#include <string>

struct signup_input {
    BOOST_HANA_DEFINE_STRUCT(signup_input, (std::string, username), (std::string, password));
};

struct signup_page {
    BOOST_HANA_DEFINE_STRUCT(signup_page, (vial::field_texts<signup_input>, form),
                             (vial::field_texts<signup_input>, errors));
};

struct files {
    static constexpr vial::template_source sources[] = {
#ifdef VIAL_CONTROL
        {"signup.html", "{% if errors.username %}<span>{{ errors.username }}</span>{% endif %}{{ form.username }}"},
#else
        {"signup.html", "{% if errors.usrname %}<span>{{ errors.username }}</span>{% endif %}{{ form.username }}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const signup_page& p) { return vial::render_template<"signup.html">(templates, p); }
