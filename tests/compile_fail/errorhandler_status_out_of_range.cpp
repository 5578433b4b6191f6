// An error handler registered for a status that is not an error (200).
// EXPECT: vial: errorhandler<Code>: the status must be an error or redirect status
#include <vial/vial.hpp>

#include <string>

#ifdef VIAL_CONTROL
constexpr unsigned status = 404;
#else
constexpr unsigned status = 200;
#endif

constexpr auto app = vial::app(vial::errorhandler<status>([] { return std::string("oops"); }),
                               vial::get<"/", "index">([] { return std::string("index"); }));

int main() {
    vial::test_client client(app);
    return client.get("/").status() == 200 ? 0 : 1;
}
