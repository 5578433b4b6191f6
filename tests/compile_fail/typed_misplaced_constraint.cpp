// A type-wide option (forbid_extra) given to one member instead of to the type.
// EXPECT: vial: constraint given twice or in the wrong place
#include <vial/typed/json_reader.hpp>

#include <string>

struct login {
    BOOST_HANA_DEFINE_STRUCT(login, (std::string, user), (std::string, password));
#ifdef VIAL_CONTROL
    static constexpr auto rules = vial::rules(vial::field<"user">(vial::min_length(1)), vial::forbid_extra);
#else
    static constexpr auto rules = vial::rules(vial::field<"user">(vial::min_length(1), vial::forbid_extra));
#endif
};

auto read_login(std::string_view body) { return vial::read_json<login>(body); }
