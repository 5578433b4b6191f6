// A plain struct read as JSON: vial cannot see its members without Hana.
// EXPECT: vial: this struct is not reflected: declare its members with BOOST_HANA_DEFINE_STRUCT
#include <vial/typed/json_reader.hpp>

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

auto read_user(std::string_view body) { return vial::read_json<new_user>(body); }
