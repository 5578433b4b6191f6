#ifndef VIAL_TYPED_DETAIL_DESCRIPTOR_HPP
#define VIAL_TYPED_DETAIL_DESCRIPTOR_HPP

/// @file
/// One constant descriptor per type the typed layer meets: its kind, its schema name, its
/// element type, its members (name, descriptor, rules) and, for enums, the string mapping.
/// Built once per type at compile time as plain data (`type_desc_v<T>`), so that what only
/// needs to *describe* a type (JSON Schema, the OpenAPI document) is ordinary code compiled
/// once, walking the descriptors at run time, instead of a template instantiated per type and
/// per use. Recursive types are fine: a descriptor refers to others by address.

#include <vial/typed/json_writer.hpp>
#include <vial/typed/reflect.hpp>
#include <vial/typed/rules.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vial::detail {

struct type_desc;

/// A member of a reflected struct.
struct member_desc {
    std::string_view name;
    const type_desc* type = nullptr;
    const field_rules* rules = nullptr;  ///< nullptr: the member has no rules
    /// The member's value-initialized value as JSON: set only when its rules say
    /// `default_value()` without a value (the schema's `default` is then that value).
    nlohmann::json (*initial)() = nullptr;
};

/// One value of an enum's string mapping.
struct enum_entry {
    std::int64_t value;
    std::string_view name;
};

/// What the describing code needs to know about a type.
struct type_desc {
    type_kind kind{};
    std::string_view name{};          ///< structs and enums: the schema name
    const void* tag = nullptr;        ///< structs and enums: &type_tag<T>, the type's identity
    const type_desc* item = nullptr;  ///< vector, optional, map: the element's descriptor
    bool is_signed = false;           ///< integers
    std::uint8_t size = 0;            ///< integers and floats: sizeof
    literal lowest{}, highest{};      ///< integers: the type's range
    const enum_entry* enums = nullptr;
    std::size_t enum_count = 0;
    const member_desc* members = nullptr;
    std::size_t member_count = 0;
    std::string_view title{};        ///< structs: from the rules
    std::string_view description{};  ///< structs: from the rules
    bool forbid_extra = false;       ///< structs: from the rules
};

template <class T>
nlohmann::json initial_json() {
    return to_nlohmann(T{});
}

template <class T>
constexpr type_desc make_type_desc() noexcept;

/// The descriptor of T (one per type, constant).
template <class T>
inline constexpr type_desc type_desc_v = make_type_desc<T>();

template <class E>
inline constexpr auto enum_entries_v = [] {
    std::array<enum_entry, std::size(enum_strings<E>::values)> out{};
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = {static_cast<std::int64_t>(enum_strings<E>::values[i].value), enum_strings<E>::values[i].name};
    return out;
}();

template <class T, std::size_t I>
constexpr auto member_initial() noexcept {
    if constexpr (has_default<T, I>) {
        if constexpr (!rules_of<T>.fields[member_rule_index<T, I>].default_value.set())
            return &initial_json<member_type<T, I>>;
        else
            return static_cast<nlohmann::json (*)()>(nullptr);
    } else {
        return static_cast<nlohmann::json (*)()>(nullptr);
    }
}

template <class T>
inline constexpr auto member_descs_v = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<member_desc, sizeof...(I)>{
        member_desc{member_name<T, I>, &type_desc_v<member_type<T, I>>, member_rules<T, I>, member_initial<T, I>()}...};
}(std::make_index_sequence<member_count<T>>{});

template <class T>
constexpr type_desc make_type_desc() noexcept {
    type_desc d{};
    constexpr type_kind k = kind_v<T>;
    d.kind = k;
    if constexpr (k == type_kind::integer) {
        d.is_signed = std::is_signed_v<T>;
        d.size = sizeof(T);
        d.lowest = literal(std::numeric_limits<T>::lowest());
        d.highest = literal(std::numeric_limits<T>::max());
    } else if constexpr (k == type_kind::floating) {
        d.size = sizeof(T);
    } else if constexpr (k == type_kind::vector || k == type_kind::optional) {
        d.item = &type_desc_v<typename T::value_type>;
    } else if constexpr (k == type_kind::map) {
        d.item = &type_desc_v<typename T::mapped_type>;
    } else if constexpr (k == type_kind::enumeration) {
        d.name = schema_name_v<T>;
        d.tag = &type_tag<T>;
        d.enums = enum_entries_v<T>.data();
        d.enum_count = enum_entries_v<T>.size();
    } else if constexpr (k == type_kind::structure) {
        d.name = schema_name_v<T>;
        d.tag = &type_tag<T>;
        d.members = member_descs_v<T>.data();
        d.member_count = member_descs_v<T>.size();
        d.title = rules_of<T>.title;
        d.description = rules_of<T>.description;
        d.forbid_extra = rules_of<T>.forbid_extra;
    }
    return d;
}

/// The name of an enum's value, as enum_to_string gives it ("" when it has none).
inline std::string_view enum_name(const type_desc& d, std::int64_t value) noexcept {
    for (std::size_t i = 0; i < d.enum_count; ++i)
        if (d.enums[i].value == value) return d.enums[i].name;
    return {};
}

}  // namespace vial::detail

#endif  // VIAL_TYPED_DETAIL_DESCRIPTOR_HPP
