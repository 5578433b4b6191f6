// A form struct with a nested struct member: form fields hold scalars only (form<T>'s rule).
// EXPECT: vial: query, form, header and cookie members must be scalars
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

struct address {
    BOOST_HANA_DEFINE_STRUCT(address, (std::string, street), (std::string, city));
};

struct order_input {
#ifdef VIAL_CONTROL
    BOOST_HANA_DEFINE_STRUCT(order_input, (std::string, name), (std::string, street), (std::string, city));
#else
    BOOST_HANA_DEFINE_STRUCT(order_input, (std::string, name), (address, ship_to));
#endif
};

vial::response place(vial::form_input<order_input> form) {
    return vial::response(form ? 200 : 422, form->name, "text/plain");
}

constexpr auto app = vial::app(vial::post<"/orders", place>());

int status_of_a_post() { return static_cast<int>(vial::test_client(app).post("/orders", "name=x").status()); }
