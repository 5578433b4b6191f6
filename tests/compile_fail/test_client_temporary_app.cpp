// A test client over a temporary app, which it would keep a dangling reference to.
// EXPECT: vial: test_client keeps a reference to the app
#include <vial/vial.hpp>

#include <string>

std::string index_page() { return "index"; }

int main() {
#ifdef VIAL_CONTROL
    static constexpr auto app = vial::app(vial::get<"/", index_page>());
    vial::test_client client(app);
#else
    vial::test_client client(vial::app(vial::get<"/", index_page>()));
#endif
    return client.get("/").status() == 200 ? 0 : 1;
}
