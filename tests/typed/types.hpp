// Types shared by the typed-layer tests.
#ifndef VIAL_TESTS_TYPED_TYPES_HPP
#define VIAL_TESTS_TYPED_TYPES_HPP

#include <vial/typed.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shop {

enum class status { open, doing, done };

struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (double, price), (int, quantity));
    static constexpr auto rules = vial::rules(
        vial::field<"price">(vial::exclusive_minimum(0), vial::description("in euros")),
        vial::field<"quantity">(vial::minimum(1), vial::default_value(1)));
};

struct todo {
    BOOST_HANA_DEFINE_STRUCT(todo,
        (std::string, title),
        (int, priority),
        (status, state),
        (std::optional<std::string>, note),
        (std::vector<std::string>, tags),
        (std::vector<item>, items),
        (vial::uuid, owner),
        (std::uint8_t, level),
        (bool, done),
        (std::map<std::string, int>, counts));
    static constexpr auto rules = vial::rules(
        vial::field<"title">(vial::min_length(1), vial::max_length(20), vial::examples("buy milk")),
        vial::field<"priority">(vial::minimum(1), vial::maximum(5), vial::default_value(3)),
        vial::field<"state">(vial::default_value(status::open)),
        vial::field<"tags">(vial::max_length(3), vial::default_value()),
        vial::field<"counts">(vial::default_value()),
        vial::field<"level">(vial::one_of(1, 2, 4)),
        vial::forbid_extra,
        vial::schema_name("Todo"),
        vial::description("Something to do"));
};

}  // namespace shop

template <>
struct vial::enum_strings<shop::status> {
    static constexpr vial::enum_string<shop::status> values[] = {
        {shop::status::open, "open"}, {shop::status::doing, "doing"}, {shop::status::done, "done"}};
};

#endif
