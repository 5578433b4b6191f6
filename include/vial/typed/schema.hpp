#ifndef VIAL_TYPED_SCHEMA_HPP
#define VIAL_TYPED_SCHEMA_HPP

/// @file
/// JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the types the typed layer reads
/// and writes: named structs and enums become components referenced with `$ref`, members
/// carry their rules (bounds, lengths, enum, default, description, examples).
///
/// The schemas are built at run time as nlohmann::json trees (once per document, not per
/// request); what is checked at compile time is the types, their rules and, with
/// `vial::unique_schema_names<Ts...>`, that no two types share a schema name.
///
/// @par Example
/// @code
/// vial::schema_registry reg;                       // refs "#/components/schemas/<name>"
/// nlohmann::json body = reg.schema_of<new_todo>(); // {"$ref": "#/components/schemas/NewTodo"}
/// doc["components"]["schemas"] = reg.schemas();
/// @endcode

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
        if constexpr (!detail::type_ok<T>) {
            return nlohmann::json::object();
        } else {
            constexpr detail::type_kind k = detail::kind_v<T>;
            using detail::type_kind;
            if constexpr (k == type_kind::boolean) {
                return {{"type", "boolean"}};
            } else if constexpr (k == type_kind::integer) {
                nlohmann::json s = {{"type", "integer"}};
                // int32/int64 say their range with "format"; other widths with bounds.
                if constexpr (sizeof(T) < 4 || (std::is_unsigned_v<T> && sizeof(T) == 4)) {
                    s["minimum"] = std::numeric_limits<T>::lowest();
                    s["maximum"] = std::numeric_limits<T>::max();
                } else if constexpr (std::is_unsigned_v<T>) {
                    s["minimum"] = 0;
                }
                if constexpr (std::is_signed_v<T> && sizeof(T) == 4) s["format"] = "int32";
                if constexpr (std::is_signed_v<T> && sizeof(T) == 8) s["format"] = "int64";
                return s;
            } else if constexpr (k == type_kind::floating) {
                return {{"type", "number"}, {"format", std::is_same_v<T, float> ? "float" : "double"}};
            } else if constexpr (k == type_kind::string) {
                return {{"type", "string"}};
            } else if constexpr (k == type_kind::uuid) {
                return {{"type", "string"}, {"format", "uuid"}};
            } else if constexpr (k == type_kind::file) {
                return {{"type", "string"}, {"format", "binary"}};
            } else if constexpr (k == type_kind::any) {
                return nlohmann::json::object();
            } else if constexpr (k == type_kind::optional) {
                return {{"anyOf", {schema_of<typename T::value_type>(), {{"type", "null"}}}}};
            } else if constexpr (k == type_kind::vector) {
                return {{"type", "array"}, {"items", schema_of<typename T::value_type>()}};
            } else if constexpr (k == type_kind::map) {
                return {{"type", "object"}, {"additionalProperties", schema_of<typename T::mapped_type>()}};
            } else if constexpr (k == type_kind::enumeration) {
                if (claim<T>()) {
                    nlohmann::json values = nlohmann::json::array();
                    for (const auto& v : enum_strings<T>::values) values.push_back(std::string(v.name));
                    schemas_[std::string(schema_name_v<T>)] = {
                        {"type", "string"}, {"enum", std::move(values)}, {"title", std::string(schema_name_v<T>)}};
                }
                return ref<T>();
            } else if constexpr (k == type_kind::structure) {
                if (claim<T>()) {
                    const std::string name(schema_name_v<T>);
                    schemas_[name] = nlohmann::json::object();  // present while members refer back to it
                    schemas_[name] = describe_struct<T>();
                }
                return ref<T>();
            }
        }
    }

    /// @return every named schema added so far, by name: the document's components/schemas
    [[nodiscard]] const nlohmann::json& schemas() const noexcept { return schemas_; }
    /// @return what `$ref`s start with
    [[nodiscard]] const std::string& ref_prefix() const noexcept { return prefix_; }

private:
    template <class T>
    nlohmann::json ref() const {
        return {{"$ref", prefix_ + std::string(schema_name_v<T>)}};
    }

    /// @return true the first time T's name is taken, false when T already has it
    template <class T>
    bool claim() {
        const std::string name(schema_name_v<T>);
        const auto [it, added] = owners_.emplace(name, &detail::type_tag<T>);
        if (!added && it->second != &detail::type_tag<T>)
            throw std::logic_error("vial: two different types have the schema name \"" + name +
                                   "\": give one of them vial::schema_name(\"...\") in its rules");
        return added;
    }

    /// Keywords of a member's rules that apply to its value (inside an optional's anyOf).
    template <class V>
    static void add_value_rules(nlohmann::json& s, const field_rules& r) {
        // A rule tighter than the integer type's own range replaces it; a looser one does not.
        if (r.minimum.set() && (!s.contains("minimum") || s["minimum"].get<double>() < r.minimum.as_double()))
            s["minimum"] = detail::literal_json(r.minimum);
        if (r.maximum.set() && (!s.contains("maximum") || s["maximum"].get<double>() > r.maximum.as_double()))
            s["maximum"] = detail::literal_json(r.maximum);
        if (r.exclusive_minimum.set()) s["exclusiveMinimum"] = detail::literal_json(r.exclusive_minimum);
        if (r.exclusive_maximum.set()) s["exclusiveMaximum"] = detail::literal_json(r.exclusive_maximum);
        constexpr detail::type_kind k = detail::kind_v<V>;
        const char* lo = k == detail::type_kind::string ? "minLength" : k == detail::type_kind::vector ? "minItems" : "minProperties";
        const char* hi = k == detail::type_kind::string ? "maxLength" : k == detail::type_kind::vector ? "maxItems" : "maxProperties";
        if (r.has_min_length) s[lo] = r.min_length;
        if (r.has_max_length) s[hi] = r.max_length;
        if (r.one_of_count != 0) {
            nlohmann::json e = nlohmann::json::array();
            for (std::size_t i = 0; i < r.one_of_count; ++i) {
                if constexpr (k == detail::type_kind::enumeration)
                    e.push_back(std::string(detail::enum_to_string(static_cast<V>(r.one_of[i].i))));
                else
                    e.push_back(detail::literal_json(r.one_of[i]));
            }
            if constexpr (k == detail::type_kind::enumeration) {
                s = {{"type", "string"}, {"enum", std::move(e)}};
            } else {
                s["enum"] = std::move(e);
            }
        }
    }

    template <class M>
    nlohmann::json literal_value(const literal& v) {
        using V = typename detail::unwrap_optional<M>::type;
        if (!v.set()) return to_nlohmann(M{});
        if constexpr (detail::kind_v<V> == detail::type_kind::enumeration)
            return std::string(detail::enum_to_string(static_cast<V>(v.i)));
        else
            return detail::literal_json(v);
    }

    template <class M>
    nlohmann::json member_schema(const field_rules* r) {
        if (r == nullptr) return schema_of<M>();
        using V = typename detail::unwrap_optional<M>::type;
        nlohmann::json value = schema_of<V>();
        add_value_rules<V>(value, *r);
        nlohmann::json s = detail::is_optional<M>::value
                               ? nlohmann::json{{"anyOf", {std::move(value), {{"type", "null"}}}}}
                               : std::move(value);
        if (!r->description.empty()) s["description"] = std::string(r->description);
        if (r->has_default) s["default"] = literal_value<M>(r->default_value);
        if (r->examples_count != 0) {
            nlohmann::json e = nlohmann::json::array();
            for (std::size_t i = 0; i < r->examples_count; ++i) e.push_back(literal_value<M>(r->examples[i]));
            s["examples"] = std::move(e);
        }
        if (r->deprecated) s["deprecated"] = true;
        return s;
    }

    template <class T>
    nlohmann::json describe_struct() {
        constexpr auto& rules = rules_of<T>;
        nlohmann::json s = {{"type", "object"}};
        s["title"] = std::string(rules.title.empty() ? schema_name_v<T> : rules.title);
        if (!rules.description.empty()) s["description"] = std::string(rules.description);
        nlohmann::json properties = nlohmann::json::object();
        nlohmann::json required = nlohmann::json::array();
        detail::for_each_member<T>([&](auto i) {
            constexpr std::size_t I = decltype(i)::value;
            using M = detail::member_type<T, I>;
            const field_rules* r = detail::member_rules<T, I>;
            const std::string name(detail::member_name<T, I>);
            properties[name] = member_schema<M>(r);
            const bool has_default = r != nullptr && r->has_default;
            if (!has_default && !detail::is_optional<M>::value) required.push_back(name);
        });
        s["properties"] = std::move(properties);
        if (!required.empty()) s["required"] = std::move(required);
        if (rules.forbid_extra) s["additionalProperties"] = false;
        return s;
    }

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
