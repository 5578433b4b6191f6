// Two different types with one schema name ("item") in one API.
// EXPECT: vial: two different types have the same schema name
#include <vial/typed/schema.hpp>

#include <string>

namespace shop {
struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (double, price));
};
}  // namespace shop

namespace stock {
struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, sku), (int, count));
#ifdef VIAL_CONTROL
    static constexpr auto rules = vial::rules(vial::schema_name("StockItem"));
#endif
};
}  // namespace stock

static_assert(vial::unique_schema_names<shop::item, stock::item>);
