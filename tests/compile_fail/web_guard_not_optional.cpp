// A guard that returns bool instead of std::optional of an early answer.
// EXPECT: vial: a guard must return std::optional<R>
#include <vial/vial.hpp>
#include <vial/web/guard.hpp>

#include <optional>
#include <string>

#ifdef VIAL_CONTROL
constexpr auto admin_only = vial::guard([](const vial::request& req) -> std::optional<vial::response> {
    if (req.header("X-Admin") == "1") return std::nullopt;
    return vial::response(403, "admins only");
});
#else
constexpr auto admin_only = vial::guard([](const vial::request& req) { return req.header("X-Admin") == "1"; });
#endif

constexpr auto app = vial::app(admin_only(vial::get<"/admin", "admin">([] { return std::string("admin"); })));

int main() {
    vial::test_client client(app);
    return client.get("/admin").status() == 403 ? 0 : 1;
}
