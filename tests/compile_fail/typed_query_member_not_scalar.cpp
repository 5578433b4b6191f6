// A query struct with a nested struct member: query strings hold scalars only.
// EXPECT: vial: query, form, header and cookie members must be scalars
#include <vial/typed/fields.hpp>

#include <string>
#include <utility>
#include <vector>

struct range {
    BOOST_HANA_DEFINE_STRUCT(range, (int, low), (int, high));
};

struct search {
#ifdef VIAL_CONTROL
    BOOST_HANA_DEFINE_STRUCT(search, (std::string, q), (int, low), (int, high));
#else
    BOOST_HANA_DEFINE_STRUCT(search, (std::string, q), (range, price));
#endif
};

auto read_search(const std::vector<std::pair<std::string, std::string>>& args) {
    return vial::read_fields<search>(args, {"query"});
}
