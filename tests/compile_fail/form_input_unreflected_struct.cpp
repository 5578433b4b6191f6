// A page's form read into a plain struct: vial cannot see its fields without Hana.
// EXPECT: vial: this struct is not reflected: declare its members with BOOST_HANA_DEFINE_STRUCT
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

#ifdef VIAL_CONTROL
struct review_input {
    BOOST_HANA_DEFINE_STRUCT(review_input, (int, rating), (std::string, text));
};
#else
struct review_input {
    int rating;
    std::string text;
};
#endif

vial::response post_review(vial::form_input<review_input> form) {
    if (!form) return vial::response(422, "again", "text/plain");
    return vial::response(200, form->text, "text/plain");
}

constexpr auto app = vial::app(vial::post<"/reviews", post_review>());

int status_of_a_post() { return static_cast<int>(vial::test_client(app).post("/reviews", "rating=1&text=x").status()); }
