// vial::header<"X-Name", T> of a type a header's text cannot be read as (a struct).
// EXPECT: vial: a header or cookie value must be a scalar
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

struct point {
    BOOST_HANA_DEFINE_STRUCT(point, (int, x), (int, y));
};

#ifdef VIAL_CONTROL
std::string where(vial::header<"X-Point", std::string> p) { return *p; }
#else
std::string where(vial::header<"X-Point", point> p) { return std::to_string(p->x); }
#endif

constexpr auto app = vial::app(vial::get<"/where", where>());

int main() {
    vial::test_client client(app);
    return client.get("/where").status() == 200 ? 0 : 1;
}
