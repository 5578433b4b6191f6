// A handler returns a type vial cannot turn into a response.
// EXPECT: vial: handler returns a type vial cannot send
#include <vial/vial.hpp>

#include <string>

struct point {
    int x = 0;
    int y = 0;
};

#ifdef VIAL_CONTROL
std::string origin() { return "0,0"; }
#else
point origin() { return {}; }
#endif

constexpr auto app = vial::app(vial::get<"/origin", origin>());

int main() {
    vial::test_client client(app);
    return client.get("/origin").status() == 200 ? 0 : 1;
}
