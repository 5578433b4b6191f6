// An enum member without its string mapping.
// EXPECT: vial: enum has no string mapping: specialize vial::enum_strings<E>
#include <vial/typed/json_reader.hpp>

#include <string>

enum class color { red, green };
#ifdef VIAL_CONTROL
template <>
struct vial::enum_strings<color> {
    static constexpr vial::enum_string<color> values[] = {{color::red, "red"}, {color::green, "green"}};
};
#endif

struct paint {
    BOOST_HANA_DEFINE_STRUCT(paint, (std::string, name), (color, hue));
};

auto read_paint(std::string_view body) { return vial::read_json<paint>(body); }
