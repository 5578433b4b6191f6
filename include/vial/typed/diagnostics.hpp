#ifndef VIAL_TYPED_DIAGNOSTICS_HPP
#define VIAL_TYPED_DIAGNOSTICS_HPP

/// @file
/// The compile errors of the typed layer, and the checks that report them. Every entry point
/// (reader, writer, schema) asks `vial::detail::type_ok<T>` first: the first mistake found in
/// `T` is reported once, with its message from here, and the entry point falls through to a
/// do-nothing path. docs/diagnostics.md lists every message.

#include <vial/route/fixed_string.hpp>
#include <vial/typed/reflect.hpp>
#include <vial/typed/rules.hpp>

#include <cstddef>
#include <limits>
#include <string_view>

namespace vial::diagnostic {

template <class...>
inline constexpr bool dependent_false = false;

template <class D>
inline constexpr bool report_typed = sizeof(D) != 0;

/// `T` is a struct vial cannot see into.
template <class T>
struct type_not_reflected {
    static_assert(dependent_false<T>,
                  "vial: this struct is not reflected: declare its members with BOOST_HANA_DEFINE_STRUCT(T, "
                  "(type, name), ...) inside it, or adapt an existing struct with BOOST_HANA_ADAPT_STRUCT(T, "
                  "member, ...) at global scope (include <vial/typed.hpp>)");
};

/// Member `Member` of `Struct` has type `Type`, which vial cannot read or write.
template <class Struct, fixed_string Member, class Type>
struct unsupported_member_type {
    static_assert(dependent_false<Type>,
                  "vial: member type cannot be read or written as JSON (member and type named in the "
                  "instantiation above); use bool, an integer or floating type, std::string, an enum with "
                  "vial::enum_strings, a reflected struct, std::vector, std::optional, "
                  "std::map<std::string, T>, nlohmann::json or vial::uuid");
};

/// A type used on its own (not as a member) that vial cannot read or write.
template <class Type>
struct unsupported_type {
    static_assert(dependent_false<Type>,
                  "vial: type cannot be read or written as JSON; use bool, an integer or floating type, "
                  "std::string, an enum with vial::enum_strings, a reflected struct, std::vector, "
                  "std::optional, std::map<std::string, T>, nlohmann::json or vial::uuid");
};

/// An enum used without its string mapping.
template <class Enum>
struct enum_without_strings {
    static_assert(dependent_false<Enum>,
                  "vial: enum has no string mapping: specialize vial::enum_strings<E> with "
                  "static constexpr vial::enum_string<E> values[] = {{E::a, \"a\"}, ...}");
};

/// `vial::field<"Rule">` names no member of `Struct`.
template <class Struct, fixed_string Rule>
struct rule_names_no_member {
    static_assert(dependent_false<Struct>,
                  "vial: vial::field<\"...\"> names a member the struct does not have (struct and name in the "
                  "instantiation above): check the spelling against the BOOST_HANA_DEFINE_STRUCT members");
};

/// A constraint given to member `Member` does not fit its type.
template <class Struct, fixed_string Member>
struct constraint_does_not_fit {
    static_assert(dependent_false<Struct>,
                  "vial: constraint does not fit the member's type: minimum/maximum/exclusive_* need a "
                  "number, min_length/max_length a string, vector or map, one_of and default_value values "
                  "of the member's type");
};

/// The bounds given to member `Member` contradict each other.
template <class Struct, fixed_string Member>
struct contradictory_bounds {
    static_assert(dependent_false<Struct>,
                  "vial: contradictory bounds: no value satisfies them (minimum above maximum, "
                  "min_length above max_length, or a default_value outside them)");
};

/// A constraint given twice, or in the wrong place.
template <class Struct, fixed_string Member>
struct misplaced_constraint {
    static_assert(dependent_false<Struct>,
                  "vial: constraint given twice or in the wrong place: forbid_extra, schema_name and "
                  "title belong in vial::rules(...), bounds and lengths in vial::field<\"m\">(...), each once");
};

/// Two different types share one schema name.
template <class First, class Second>
struct duplicate_schema_name {
    static_assert(dependent_false<First>,
                  "vial: two different types have the same schema name: give one of them "
                  "vial::schema_name(\"...\") in its rules");
};

}  // namespace vial::diagnostic

namespace vial::detail {

enum class problem : std::uint8_t {
    none, unsupported_member, unreflected_member, enum_member_without_strings, rule_without_member,
    does_not_fit, contradictory, misplaced
};

struct finding {
    problem what = problem::none;
    std::size_t index = 0;  ///< the member (or, for rule_without_member, the rule)
};

/// Strips vectors, optionals and maps: the type whose values are finally read.
template <class T>
struct leaf { using type = T; };
template <class T> requires(is_vector<T>::value || is_optional<T>::value)
struct leaf<T> { using type = typename leaf<typename T::value_type>::type; };
template <class T, class C, class A>
struct leaf<std::map<std::string, T, C, A>> { using type = typename leaf<T>::type; };

/// What the rules of a member may say about it.
struct member_info {
    type_kind kind{};  ///< after unwrapping an optional
    literal lowest{}, highest{};  ///< integers: the type's range
    const void* enum_tag = nullptr;
};

template <class M>
constexpr member_info info_of() noexcept {
    using V = typename unwrap_optional<M>::type;
    member_info m{kind_v<V>};
    if constexpr (kind_v<V> == type_kind::integer) {
        m.lowest = literal(std::numeric_limits<V>::lowest());
        m.highest = literal(std::numeric_limits<V>::max());
    }
    if constexpr (std::is_enum_v<V>) m.enum_tag = &type_tag<V>;
    return m;
}

constexpr bool literal_fits(const literal& v, const member_info& m) noexcept {
    switch (m.kind) {
    case type_kind::integer:
        return v.is_whole() && compare_numbers(v, m.lowest) >= 0 && compare_numbers(v, m.highest) <= 0;
    case type_kind::floating: return v.is_number();
    case type_kind::string: return v.type == literal::kind::string;
    case type_kind::boolean: return v.type == literal::kind::boolean;
    case type_kind::enumeration: return v.type == literal::kind::enumerator && v.enum_tag == m.enum_tag;
    case type_kind::uuid: return v.type == literal::kind::string;
    default: return false;
    }
}

constexpr bool is_number_kind(type_kind k) noexcept { return k == type_kind::integer || k == type_kind::floating; }
constexpr bool is_sized_kind(type_kind k) noexcept {
    return k == type_kind::string || k == type_kind::vector || k == type_kind::map;
}

/// Whether one field's rules fit the member; 0 fine, 1 does not fit, 2 contradictory.
/// (No pointers to the rules here: under -fsanitize=undefined, GCC cannot evaluate a
/// comparison of such an address with null in a constant expression.)
constexpr int judge_rules(const field_rules& f, const member_info& m) noexcept {
    const bool numeric = f.minimum.set() || f.maximum.set() || f.exclusive_minimum.set() || f.exclusive_maximum.set();
    auto not_a_number = [](const literal& b) { return b.set() && !b.is_number(); };
    if (numeric) {
        if (!is_number_kind(m.kind)) return 1;
        if (not_a_number(f.minimum) || not_a_number(f.maximum) || not_a_number(f.exclusive_minimum) ||
            not_a_number(f.exclusive_maximum))
            return 1;
    }
    if ((f.has_min_length || f.has_max_length) && !is_sized_kind(m.kind)) return 1;
    for (std::size_t i = 0; i < f.one_of_count; ++i)
        if (!literal_fits(f.one_of[i], m)) return 1;
    if (f.has_default && f.default_value.set() && !literal_fits(f.default_value, m)) return 1;
    // Contradictions.
    const bool lo = f.minimum.set();
    const bool hi = f.maximum.set();
    if (lo && hi && compare_numbers(f.minimum, f.maximum) > 0) return 2;
    if (f.exclusive_minimum.set() && hi && compare_numbers(f.exclusive_minimum, f.maximum) >= 0) return 2;
    if (f.exclusive_maximum.set() && lo && compare_numbers(f.minimum, f.exclusive_maximum) >= 0) return 2;
    if (f.exclusive_minimum.set() && f.exclusive_maximum.set() &&
        compare_numbers(f.exclusive_minimum, f.exclusive_maximum) >= 0)
        return 2;
    if (f.has_min_length && f.has_max_length && f.min_length > f.max_length) return 2;
    if (f.has_default && f.default_value.is_number()) {
        const literal& d = f.default_value;
        if ((lo && compare_numbers(d, f.minimum) < 0) || (hi && compare_numbers(d, f.maximum) > 0) ||
            (f.exclusive_minimum.set() && compare_numbers(d, f.exclusive_minimum) <= 0) ||
            (f.exclusive_maximum.set() && compare_numbers(d, f.exclusive_maximum) >= 0))
            return 2;
    }
    if (f.has_default && f.default_value.type == literal::kind::string) {
        const std::size_t n = utf8_length(f.default_value.s);
        if ((f.has_min_length && n < f.min_length) || (f.has_max_length && n > f.max_length)) return 2;
    }
    return 0;
}

template <class T>
constexpr finding find_problem() noexcept {
    constexpr std::size_t n = member_count<T>;
    finding out{};
    std::array<member_info, n + 1> infos{};
    for_each_member<T>([&](auto i) {
        using M = member_type<T, decltype(i)::value>;
        using L = typename leaf<M>::type;
        infos[decltype(i)::value] = info_of<M>();
        if (out.what != problem::none) return;
        constexpr type_kind k = kind_v<L>;
        if constexpr (k == type_kind::unreflected) out = {problem::unreflected_member, decltype(i)::value};
        else if constexpr (k == type_kind::unsupported) {
            if constexpr (std::is_enum_v<L>) out = {problem::enum_member_without_strings, decltype(i)::value};
            else out = {problem::unsupported_member, decltype(i)::value};
        }
    });
    if (out.what != problem::none) return out;
    constexpr auto& r = rules_of<T>;
    if (r.misplaced || r.repeated) return {problem::misplaced, 0};
    constexpr auto names = member_names_v<T>;
    for (std::size_t k = 0; k < r.fields.size(); ++k) {
        std::size_t at = n;
        for (std::size_t j = 0; j < n; ++j)
            if (names[j] == r.fields[k].name) at = j;
        if (at == n) return {problem::rule_without_member, k};
        if (r.fields[k].misplaced || r.fields[k].repeated) return {problem::misplaced, at};
        for (std::size_t k2 = 0; k2 < k; ++k2)
            if (r.fields[k2].name == r.fields[k].name) return {problem::misplaced, at};
        const int judged = judge_rules(r.fields[k], infos[at]);
        if (judged == 1) return {problem::does_not_fit, at};
        if (judged == 2) return {problem::contradictory, at};
    }
    return out;
}

template <class T, std::size_t R>
constexpr auto rule_name_fixed() noexcept {
    constexpr std::string_view name = rules_of<T>.fields[R].name;
    fixed_string<name.size() + 1> out{};
    for (std::size_t i = 0; i < name.size(); ++i) out.value_[i] = name[i];
    return out;
}

template <class T, std::size_t I>
inline constexpr auto member_fixed = hana_string_view<member_key<T, I>>::fixed;

template <class T>
constexpr bool check_struct() noexcept {
    constexpr finding f = find_problem<T>();
    using namespace vial::diagnostic;
    if constexpr (f.what == problem::none) {
        return true;
    } else {
        if constexpr (f.what == problem::unsupported_member)
            (void)report_typed<unsupported_member_type<T, member_fixed<T, f.index>, member_type<T, f.index>>>;
        else if constexpr (f.what == problem::unreflected_member)
            (void)report_typed<type_not_reflected<typename leaf<member_type<T, f.index>>::type>>;
        else if constexpr (f.what == problem::enum_member_without_strings)
            (void)report_typed<enum_without_strings<typename leaf<member_type<T, f.index>>::type>>;
        else if constexpr (f.what == problem::rule_without_member)
            (void)report_typed<rule_names_no_member<T, rule_name_fixed<T, f.index>()>>;
        else if constexpr (f.what == problem::does_not_fit)
            (void)report_typed<constraint_does_not_fit<T, member_fixed<T, f.index>>>;
        else if constexpr (f.what == problem::contradictory)
            (void)report_typed<contradictory_bounds<T, member_fixed<T, f.index>>>;
        else
            (void)report_typed<misplaced_constraint<T, fixed_string<1>{}>>;
        return false;
    }
}

template <class T>
constexpr bool check_type() noexcept {
    constexpr type_kind k = kind_v<T>;
    using namespace vial::diagnostic;
    if constexpr (k == type_kind::structure) {
        return check_struct<T>();
    } else if constexpr (k == type_kind::vector || k == type_kind::optional || k == type_kind::map) {
        return check_type<typename leaf<T>::type>();
    } else if constexpr (k == type_kind::unreflected) {
        (void)report_typed<type_not_reflected<T>>;
        return false;
    } else if constexpr (k == type_kind::unsupported) {
        if constexpr (std::is_enum_v<T>) (void)report_typed<enum_without_strings<T>>;
        else (void)report_typed<unsupported_type<T>>;
        return false;
    } else {
        return true;
    }
}

/// True when `T` can be read, written and described; otherwise reports the first mistake.
template <class T>
inline constexpr bool type_ok = check_type<T>();

}  // namespace vial::detail

#endif  // VIAL_TYPED_DIAGNOSTICS_HPP
