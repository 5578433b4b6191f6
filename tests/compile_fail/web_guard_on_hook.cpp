// A guard applied to a hook rather than to a route or a blueprint.
// EXPECT: vial: a guard applies to a route
#include <vial/vial.hpp>
#include <vial/web/guard.hpp>

#include <optional>
#include <string>

constexpr auto deny = vial::guard([]() -> std::optional<vial::response> { return vial::response(403, "no"); });

#ifdef VIAL_CONTROL
constexpr auto app = vial::app(vial::before_request([] {}), deny(vial::get<"/", "index">([] { return std::string("x"); })));
#else
constexpr auto app = vial::app(deny(vial::before_request([] {})), vial::get<"/", "index">([] { return std::string("x"); }));
#endif

int main() {
    vial::test_client client(app);
    return client.get("/").status() == 403 ? 0 : 1;
}
