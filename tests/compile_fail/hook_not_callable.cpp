// A hook that is not callable.
// EXPECT: vial: handler is not callable
#include <vial/vial.hpp>

#include <string>

#ifdef VIAL_CONTROL
constexpr auto hook = vial::before_request([] {});
#else
constexpr auto hook = vial::before_request(42);
#endif

constexpr auto app = vial::app(hook, vial::get<"/", "index">([] { return std::string("index"); }));

int main() {
    vial::test_client client(app);
    return client.get("/").status() == 200 ? 0 : 1;
}
