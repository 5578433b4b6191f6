// A handler returns nlohmann::json in a file that includes <vial/vial.hpp> (which only declares
// nlohmann::json) and nlohmann's header, but not <vial/json.hpp>, which writes JSON results.
// EXPECT: vial: handler returns nlohmann::json: #include <vial/json.hpp> in this file
#include <vial/vial.hpp>

#include <nlohmann/json.hpp>

#ifdef VIAL_CONTROL
#include <vial/json.hpp>
#endif

nlohmann::json origin() { return {{"x", 0}, {"y", 0}}; }

constexpr auto app = vial::app(vial::get<"/origin", origin>());

int main() {
    vial::test_client client(app);
    return client.get("/origin").status() == 200 ? 0 : 1;
}
