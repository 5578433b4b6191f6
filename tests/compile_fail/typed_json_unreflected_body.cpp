// vial::json<T> of a struct that is not reflected with Boost.Hana.
// EXPECT: vial: this struct is not reflected
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

#ifdef VIAL_CONTROL
struct new_user {
    BOOST_HANA_DEFINE_STRUCT(new_user, (std::string, name), (int, age));
};
#else
struct new_user {
    std::string name;
    int age;
};
#endif

std::string add_user(vial::json<new_user> body) { return body->name; }

constexpr auto app = vial::app(vial::post<"/users", add_user>());

int main() {
    vial::test_client client(app);
    return client.post("/users", R"({"name": "ann", "age": 3})", "application/json").status() == 200 ? 0 : 1;
}
