// A typed session over a struct that Hana does not reflect.
// EXPECT: vial: session<T>: T must be a Hana-reflected struct
#include <vial/vial.hpp>
#include <vial/web/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <string>

#ifdef VIAL_CONTROL
struct cart {
    BOOST_HANA_DEFINE_STRUCT(cart, (int, items));
};
#else
struct cart {
    int items = 0;
};
#endif

constexpr auto app = vial::web_app(vial::get<"/", "index">([](vial::session<cart>& c) {
    return std::to_string(c->items);
}));

int main() {
    vial::sessions sessions(vial::secret_keys{"compile-fail-key-0123456789"});
    vial::test_client client(app, sessions);
    return client.get("/").status() == 200 ? 0 : 1;
}
