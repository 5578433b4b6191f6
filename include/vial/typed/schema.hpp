#ifndef VIAL_TYPED_SCHEMA_HPP
#define VIAL_TYPED_SCHEMA_HPP

/// @file
/// JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the types the typed layer reads
/// and writes: named structs and enums become components referenced with `$ref`, members
/// carry their rules (bounds, lengths, enum, default, description, examples).
///
/// The schemas are built at run time as nlohmann::json trees (once per document, not per
/// request), from a constant descriptor per type, by code compiled once; what is checked at compile time is the types, their rules and, with
/// `vial::unique_schema_names<Ts...>`, that no two types share a schema name.
///
/// @par Example
/// @code
/// vial::schema_registry reg;                       // refs "#/components/schemas/<name>"
/// nlohmann::json body = reg.schema_of<new_todo>(); // {"$ref": "#/components/schemas/NewTodo"}
/// doc["components"]["schemas"] = reg.schemas();
/// @endcode

#include <vial/typed/detail/descriptor.hpp>
#include <vial/typed/detail/validate.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/json_writer.hpp>
#include <vial/typed/reflect.hpp>
#include <vial/typed/rules.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vial {

namespace detail {

template <class... T>
struct schema_type_list {};

template <class T, class List>
struct list_has;
template <class T, class... S>
struct list_has<T, schema_type_list<S...>> : std::bool_constant<(std::is_same_v<T, S> || ...)> {};

template <class T>
struct member_types;
template <class T>
    requires(kind_v<T> == type_kind::structure)
struct member_types<T> {
    using type = decltype([]<std::size_t... I>(std::index_sequence<I...>) {
        return schema_type_list<member_type<T, I>...>{};
    }(std::make_index_sequence<member_count<T>>{}));
};

template <class Seen, class Todo>
struct closure;
template <class... S>
struct closure<schema_type_list<S...>, schema_type_list<>> {
    using type = schema_type_list<S...>;
};
template <class... S, class T, class... Rest>
struct closure<schema_type_list<S...>, schema_type_list<T, Rest...>> {
    static auto pick() {
        constexpr type_kind k = kind_v<T>;
        if constexpr (k == type_kind::vector || k == type_kind::optional || k == type_kind::map) {
            return typename closure<schema_type_list<S...>, schema_type_list<typename leaf<T>::type, Rest...>>::type{};
        } else if constexpr ((k == type_kind::structure || k == type_kind::enumeration) &&
                             !list_has<T, schema_type_list<S...>>::value) {
            if constexpr (k == type_kind::structure) {
                return []<class... M>(schema_type_list<M...>) {
                    return typename closure<schema_type_list<S..., T>, schema_type_list<M..., Rest...>>::type{};
                }(typename member_types<T>::type{});
            } else {
                return typename closure<schema_type_list<S..., T>, schema_type_list<Rest...>>::type{};
            }
        } else {
            return typename closure<schema_type_list<S...>, schema_type_list<Rest...>>::type{};
        }
    }
    using type = decltype(pick());
};

template <std::size_t I, class List>
struct type_at;
template <std::size_t I, class T, class... S>
struct type_at<I, schema_type_list<T, S...>> : type_at<I - 1, schema_type_list<S...>> {};
template <class T, class... S>
struct type_at<0, schema_type_list<T, S...>> {
    using type = T;
};

template <class... S>
constexpr std::pair<std::size_t, std::size_t> first_duplicate(schema_type_list<S...>) {
    constexpr std::array<std::string_view, sizeof...(S)> names{schema_name_v<S>...};
    for (std::size_t j = 0; j < names.size(); ++j)
        for (std::size_t i = 0; i < j; ++i)
            if (names[i] == names[j]) return {i, j};
    return {0, 0};
}

// True, or one compile error: the first mistake in a type, or the first two types sharing a
// name. After reporting it is true all the same, so that `static_assert(unique_schema_names<...>)`
// adds no second error to the one that says what is wrong.
template <class... Ts>
constexpr bool check_names() {
    if constexpr (!(type_ok<Ts> && ...)) {
        return true;
    } else {
        using all = typename closure<schema_type_list<>, schema_type_list<Ts...>>::type;
        constexpr auto dup = first_duplicate(all{});
        if constexpr (dup.second != 0) {
            (void)diagnostic::report_typed<diagnostic::duplicate_schema_name<
                              typename type_at<dup.first, all>::type, typename type_at<dup.second, all>::type>>;
            return true;
        } else {
            return true;
        }
    }
}

}  // namespace detail

/// True when no two of the named types reachable from `Ts` (structs and enums, nested ones
/// included) share a schema name; otherwise a compile error naming both types (one error: the
/// value is true all the same, so `static_assert(vial::unique_schema_names<A, B>)` adds none).
template <class... Ts>
inline constexpr bool unique_schema_names = detail::check_names<Ts...>();

/// The schemas of one document: `schema_of<T>()` gives a type's schema, adding the named
/// types it uses to `schemas()` (its components), referenced with `$ref`.
///
/// The schemas are built from the types' constant descriptors (`detail::type_desc_v<T>`) by
/// code that is not a template: describing twenty structs compiles that code once, not once
/// per struct and per use.
class schema_registry {
public:
    /// @param ref_prefix what a `$ref` starts with: "#/components/schemas/" for OpenAPI,
    ///        "#/$defs/" for a standalone JSON Schema
    explicit schema_registry(std::string ref_prefix = "#/components/schemas/") : prefix_(std::move(ref_prefix)) {}

    /// @return the schema of `T`: `{"$ref": ...}` for a reflected struct or an enum (added
    ///         to `schemas()`), inline for the others
    /// @throws std::logic_error when another type already took `T`'s schema name
    template <class T>
    nlohmann::json schema_of() {
        if constexpr (!detail::type_ok<T>) return nlohmann::json::object();
        else return schema_for(detail::type_desc_v<T>);
    }

    /// @return the schema of the type `d` describes; see `schema_of<T>()`
    nlohmann::json schema_for(const detail::type_desc& d);

    /// @return every named schema added so far, by name: the document's components/schemas
    [[nodiscard]] const nlohmann::json& schemas() const noexcept { return schemas_; }
    /// @return what `$ref`s start with
    [[nodiscard]] const std::string& ref_prefix() const noexcept { return prefix_; }

private:
    static nlohmann::json object_with(const char* key, const char* value);

    static nlohmann::json nullable(nlohmann::json value);

    nlohmann::json ref(const detail::type_desc& d) const;

    /// @return true the first time the type's name is taken, false when the type already has it
    bool claim(const detail::type_desc& d);

    /// Keywords of a member's rules that apply to its value `v` (inside an optional's anyOf).
    static void add_value_rules(nlohmann::json& s, const field_rules& r, const detail::type_desc& v);

    /// A literal of a member's rules (its default, an example) as the member's JSON.
    static nlohmann::json literal_value(const literal& v, const detail::member_desc& m, const detail::type_desc& value);

    nlohmann::json member_schema(const detail::member_desc& m);

    nlohmann::json describe_struct(const detail::type_desc& d);

    std::string prefix_;
    nlohmann::json schemas_ = nlohmann::json::object();
    std::map<std::string, const void*, std::less<>> owners_;
};

/// @return a standalone JSON Schema (2020-12) of `T`, its named types under `$defs`.
template <class T>
nlohmann::json json_schema() {
    schema_registry reg("#/$defs/");
    nlohmann::json root = reg.schema_of<T>();
    nlohmann::json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"}};
    for (auto& [k, v] : root.items()) out[k] = v;
    if (!reg.schemas().empty()) out["$defs"] = reg.schemas();
    return out;
}

}  // namespace vial

#endif  // VIAL_TYPED_SCHEMA_HPP
