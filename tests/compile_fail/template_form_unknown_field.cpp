// A template that shows the error of a field the form's struct does not have: the form's
// field_texts are checked as any struct's attributes, at the template's line and column.
// EXPECT: vial: template book.html:1:14: unknown attribute.*ratng
#include <vial/template.hpp>
#include <vial/typed.hpp>

#include <string>

struct review_input {
    BOOST_HANA_DEFINE_STRUCT(review_input, (int, rating), (std::string, text));
};

struct book_page {
    BOOST_HANA_DEFINE_STRUCT(book_page, (vial::field_texts<review_input>, form),
                             (vial::field_texts<review_input>, errors));
};

struct files {
    static constexpr vial::template_source sources[] = {
#ifdef VIAL_CONTROL
        {"book.html", "{% if errors.rating %}<span>{{ errors.rating }}</span>{% endif %}{{ form.rating }}"},
#else
        {"book.html", "{% if errors.ratng %}<span>{{ errors.rating }}</span>{% endif %}{{ form.rating }}"},
#endif
    };
};
constexpr vial::template_library<files> templates{};

std::string render(const book_page& p) { return vial::render_template<"book.html">(templates, p); }
