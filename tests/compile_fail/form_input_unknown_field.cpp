// A cross-field check that names a field the form's struct does not have.
// EXPECT: vial: form_input/field_texts: no member of the form's struct has this name
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

struct signup_input {
    BOOST_HANA_DEFINE_STRUCT(signup_input, (std::string, username), (std::string, password), (std::string, password2));
};

vial::response signup(vial::form_input<signup_input> form) {
    if (form.input().get<"password2">() != form.input().get<"password">())
#ifdef VIAL_CONTROL
        form.error<"password2">("The passwords differ.");
#else
        form.error<"pasword2">("The passwords differ.");
#endif
    return vial::response(form ? 200 : 422, form.errors().get<"password2">(), "text/plain");
}
