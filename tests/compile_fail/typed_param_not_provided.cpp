// With the typed layer included, a parameter that nothing provides is still reported as such.
// EXPECT: vial: nothing provides this handler parameter
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <string>

struct filter {
    BOOST_HANA_DEFINE_STRUCT(filter, (int, limit));
};
struct database {
    std::string name = "db";
};

std::string list(vial::query<filter> f, database& db) { return std::to_string(f->limit) + db.name; }

constexpr auto app = vial::app(vial::get<"/list", list>());

int main() {
    database db;
#ifdef VIAL_CONTROL
    vial::test_client client(app, db);
#else
    (void)db;
    vial::test_client client(app);
#endif
    return client.get("/list?limit=1").status() == 200 ? 0 : 1;
}
