// An error handler for a status asks for an exception type it is not given.
// EXPECT: vial: nothing provides this exception parameter
#include <vial/vial.hpp>

#include <stdexcept>
#include <string>

#ifdef VIAL_CONTROL
constexpr auto not_found = vial::errorhandler<404>([](const vial::http_error& e) { return "gone: " + e.reason(); });
#else
constexpr auto not_found = vial::errorhandler<404>([](const std::out_of_range& e) { return std::string(e.what()); });
#endif

constexpr auto app = vial::app(not_found, vial::get<"/", "index">([] { return std::string("index"); }));

int main() {
    vial::test_client client(app);
    return client.get("/nowhere").status() == 404 ? 0 : 1;
}
