// A rule for a member the struct does not have (a typo).
// EXPECT: vial: vial::field<.*> names a member the struct does not have
#include <vial/typed/json_reader.hpp>

#include <string>

struct new_todo {
    BOOST_HANA_DEFINE_STRUCT(new_todo, (std::string, title), (int, priority));
#ifdef VIAL_CONTROL
    static constexpr auto rules = vial::rules(vial::field<"title">(vial::min_length(1)));
#else
    static constexpr auto rules = vial::rules(vial::field<"titel">(vial::min_length(1)));
#endif
};

auto read_todo(std::string_view body) { return vial::read_json<new_todo>(body); }
