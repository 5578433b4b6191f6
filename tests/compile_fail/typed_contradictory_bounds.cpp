// A minimum above the maximum: no value could ever pass.
// EXPECT: vial: contradictory bounds: no value satisfies them
#include <vial/typed/json_reader.hpp>

#include <string>

struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (std::string, text), (int, stars));
#ifdef VIAL_CONTROL
    static constexpr auto rules = vial::rules(vial::field<"stars">(vial::minimum(1), vial::maximum(5)));
#else
    static constexpr auto rules = vial::rules(vial::field<"stars">(vial::minimum(5), vial::maximum(1)));
#endif
};

auto read_review(std::string_view body) { return vial::read_json<review>(body); }
