// A handler asks for a service that the test client (or vial::run) is not given.
// EXPECT: vial: nothing provides this handler parameter
#include <vial/vial.hpp>

#include <string>

struct database {
    std::string name = "users";
};
std::string show_user(int user_id, database& db) { return db.name + std::to_string(user_id); }

constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>());

int main() {
#ifdef VIAL_CONTROL
    database db;
    vial::test_client client(app, db);
#else
    vial::test_client client(app);
#endif
    return client.get("/user/1").status() == 200 ? 0 : 1;
}
