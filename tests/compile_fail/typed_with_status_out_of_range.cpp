// vial::with_status<Code, T> with a number that is not an HTTP status.
// EXPECT: vial: with_status<Code, T> needs an HTTP status, 100 to 599
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

struct note {
    BOOST_HANA_DEFINE_STRUCT(note, (std::string, text));
};

#ifdef VIAL_CONTROL
vial::with_status<202, note> queue() { return {{"queued"}}; }
#else
vial::with_status<2020, note> queue() { return {{"queued"}}; }
#endif

constexpr auto app = vial::app(vial::post<"/queue", queue>());

int main() {
    vial::test_client client(app);
    return client.post("/queue").status() == 202 ? 0 : 1;
}
