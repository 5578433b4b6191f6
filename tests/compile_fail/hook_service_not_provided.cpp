// A before_request hook asks for a service that the test client is not given.
// EXPECT: vial: nothing provides this handler parameter
#include <vial/vial.hpp>

#include <string>

struct audit_log {
    int requests = 0;
};

constexpr auto app = vial::app(vial::before_request([](audit_log& log) { ++log.requests; }),
                               vial::get<"/", "index">([] { return std::string("index"); }));

int main() {
#ifdef VIAL_CONTROL
    audit_log log;
    vial::test_client client(app, log);
#else
    vial::test_client client(app);
#endif
    return client.get("/").status() == 200 ? 0 : 1;
}
