// A member whose type vial cannot read or write as JSON (a std::set).
// EXPECT: vial: member type cannot be read or written as JSON
#include <vial/typed/json_reader.hpp>

#include <set>
#include <string>
#include <vector>

struct article {
#ifdef VIAL_CONTROL
    BOOST_HANA_DEFINE_STRUCT(article, (std::string, title), (std::vector<std::string>, tags));
#else
    BOOST_HANA_DEFINE_STRUCT(article, (std::string, title), (std::set<std::string>, tags));
#endif
};

auto read_article(std::string_view body) { return vial::read_json<article>(body); }
