#ifndef VIAL_TEMPLATE_SOURCE_HPP
#define VIAL_TEMPLATE_SOURCE_HPP

/// @file
/// Where templates come from: a library of named texts the compiler sees. CMake's
/// `vial_add_templates(target DIR)` generates one from a `templates/` folder; a string
/// literal makes a library of one (`vial::inline_template<"Hello {{ name }}">`).

#include <vial/route/fixed_string.hpp>

#include <cstddef>
#include <string_view>

namespace vial {

/// A template's name (its path under the templates folder, as `extends` and `include` name it)
/// and its text.
struct template_source {
    std::string_view name;
    std::string_view text;
};

/// A set of templates. `Data` is a type with `static constexpr vial::template_source
/// sources[]` (what vial_add_templates generates); the library is an empty object to pass
/// to vial::render_template.
template <class Data>
struct template_library {
    using data = Data;
    static constexpr std::size_t size = sizeof(Data::sources) / sizeof(Data::sources[0]);

    /// @return the index of template `name`, or size when there is none.
    static constexpr std::size_t find(std::string_view name) noexcept {
        for (std::size_t i = 0; i < size; ++i)
            if (Data::sources[i].name == name) return i;
        return size;
    }
};

namespace detail::tpl {
template <fixed_string Text>
struct inline_data {
    static constexpr template_source sources[] = {{"<inline>", Text.view()}};
};
}  // namespace detail::tpl

/// A library of one template written inline; its name is "<inline>".
/// @par Example
/// @code
/// struct greeting { std::string name; };   // BOOST_HANA_ADAPT_STRUCT(greeting, name);
/// std::string s = vial::render_template<"<inline>">(vial::inline_template<"Hi {{ name }}!">, greeting{"Ann"});
/// @endcode
template <fixed_string Text>
inline constexpr template_library<detail::tpl::inline_data<Text>> inline_template{};

}  // namespace vial

#endif  // VIAL_TEMPLATE_SOURCE_HPP
