// min_length given to an int member: lengths are for strings, vectors and maps.
// EXPECT: vial: constraint does not fit the member's type
#include <vial/typed/json_reader.hpp>

#include <string>

struct new_book {
    BOOST_HANA_DEFINE_STRUCT(new_book, (std::string, title), (int, pages));
#ifdef VIAL_CONTROL
    static constexpr auto rules = vial::rules(vial::field<"pages">(vial::minimum(1)));
#else
    static constexpr auto rules = vial::rules(vial::field<"pages">(vial::min_length(1)));
#endif
};

auto read_book(std::string_view body) { return vial::read_json<new_book>(body); }
