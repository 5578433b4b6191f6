#ifndef VIAL_TYPED_RULES_HPP
#define VIAL_TYPED_RULES_HPP

/// @file
/// Constraints declared with a reflected type: bounds, lengths, a fixed set of values,
/// defaults, descriptions and examples per member, and type-wide options (unknown fields
/// forbidden, the schema name). All of it is plain constexpr data, checked at compile time
/// against the members' types, enforced by the readers and written into the JSON Schema.
///
/// @par Example
/// @code
/// struct new_todo {
///     BOOST_HANA_DEFINE_STRUCT(new_todo, (std::string, title), (int, priority));
///     static constexpr auto rules = vial::rules(
///         vial::field<"title">(vial::min_length(1), vial::max_length(200)),
///         vial::field<"priority">(vial::minimum(1), vial::maximum(5), vial::default_value(3)),
///         vial::forbid_extra);
/// };
/// @endcode

#include <vial/route/fixed_string.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

namespace vial {

/// One entry of an enum's string mapping; see `vial::enum_strings`.
template <class E>
struct enum_string {
    E value;
    std::string_view name;
};

/// Specialize to read and write an enum as strings (the mapping is declared once):
/// @code
/// template <>
/// struct vial::enum_strings<status> {
///     static constexpr vial::enum_string<status> values[] = {
///         {status::open, "open"}, {status::done, "done"}};
/// };
/// @endcode
template <class E>
struct enum_strings;

namespace detail {

template <class T>
inline constexpr char type_tag = 0;

}  // namespace detail

/// A constant written in a constraint: a boolean, a whole number, a floating number, a
/// string or an enumerator. Plain data, so rules stay constexpr.
struct literal {
    enum class kind : std::uint8_t { none, boolean, signed_integer, unsigned_integer, floating, string, enumerator };
    kind type = kind::none;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
    std::string_view s{};
    const void* enum_tag = nullptr;  ///< &detail::type_tag<E> for an enumerator

    constexpr literal() = default;
    constexpr literal(bool v) noexcept : type(kind::boolean), b(v) {}
    template <std::integral I>
        requires(!std::same_as<I, bool> && !std::same_as<I, char>)
    constexpr literal(I v) noexcept {
        if constexpr (std::is_signed_v<I>) {
            type = kind::signed_integer;
            i = v;
        } else {
            type = kind::unsigned_integer;
            u = v;
        }
    }
    template <std::floating_point F>
    constexpr literal(F v) noexcept : type(kind::floating), d(static_cast<double>(v)) {}
    constexpr literal(const char* v) noexcept : type(kind::string), s(v) {}
    constexpr literal(std::string_view v) noexcept : type(kind::string), s(v) {}
    template <class E>
        requires std::is_enum_v<E>
    constexpr literal(E v) noexcept
        : type(kind::enumerator), i(static_cast<std::int64_t>(v)), enum_tag(&detail::type_tag<E>) {}

    [[nodiscard]] constexpr bool set() const noexcept { return type != kind::none; }
    [[nodiscard]] constexpr bool is_number() const noexcept {
        return type == kind::signed_integer || type == kind::unsigned_integer || type == kind::floating;
    }
    [[nodiscard]] constexpr bool is_whole() const noexcept {
        return type == kind::signed_integer || type == kind::unsigned_integer;
    }
    /// The value as a double (numbers only).
    [[nodiscard]] constexpr double as_double() const noexcept {
        return type == kind::signed_integer ? static_cast<double>(i)
               : type == kind::unsigned_integer ? static_cast<double>(u)
                                                : d;
    }
};

namespace detail {

/// -1, 0, 1 as a number compares to b, exactly for whole numbers of any sign.
constexpr int compare_numbers(const literal& a, const literal& b) noexcept {
    if (a.is_whole() && b.is_whole()) {
        if (a.type == literal::kind::signed_integer && a.i < 0) {
            if (b.type == literal::kind::signed_integer && b.i < 0) return a.i < b.i ? -1 : a.i > b.i;
            return -1;
        }
        if (b.type == literal::kind::signed_integer && b.i < 0) return 1;
        const std::uint64_t x = a.type == literal::kind::signed_integer ? static_cast<std::uint64_t>(a.i) : a.u;
        const std::uint64_t y = b.type == literal::kind::signed_integer ? static_cast<std::uint64_t>(b.i) : b.u;
        return x < y ? -1 : x > y;
    }
    const double x = a.as_double();
    const double y = b.as_double();
    return x < y ? -1 : x > y;
}

}  // namespace detail

/// What a constraint is; see the functions that make them (`vial::minimum`, ...).
enum class constraint_kind : std::uint8_t {
    minimum, maximum, exclusive_minimum, exclusive_maximum, min_length, max_length, one_of,
    default_value, description, examples, deprecated, forbid_extra, schema_name, title,
    message
};

inline constexpr std::size_t max_literals = 16;  ///< values of one_of / examples

/// One constraint or option, as written in `vial::field<"m">(...)` or `vial::rules(...)`.
struct constraint {
    constraint_kind kind{};
    literal value{};
    std::array<literal, max_literals> values{};
    std::size_t count = 0;
};

/// `minimum(v)`: the number is at least v (JSON Schema `minimum`, error greater_than_equal).
constexpr constraint minimum(literal v) noexcept { return {constraint_kind::minimum, v}; }
/// `maximum(v)`: the number is at most v (`maximum`, error less_than_equal).
constexpr constraint maximum(literal v) noexcept { return {constraint_kind::maximum, v}; }
/// `exclusive_minimum(v)`: the number is greater than v (`exclusiveMinimum`, error greater_than).
constexpr constraint exclusive_minimum(literal v) noexcept { return {constraint_kind::exclusive_minimum, v}; }
/// `exclusive_maximum(v)`: the number is less than v (`exclusiveMaximum`, error less_than).
constexpr constraint exclusive_maximum(literal v) noexcept { return {constraint_kind::exclusive_maximum, v}; }
/// `min_length(n)`: a string has at least n code points; a vector or map at least n items.
constexpr constraint min_length(std::size_t n) noexcept { return {constraint_kind::min_length, literal(n)}; }
/// `max_length(n)`: a string has at most n code points; a vector or map at most n items.
constexpr constraint max_length(std::size_t n) noexcept { return {constraint_kind::max_length, literal(n)}; }
/// `default_value(v)`: an absent field takes v (and is not required).
constexpr constraint default_value(literal v) noexcept { return {constraint_kind::default_value, v}; }
/// `default_value()`: an absent field keeps the member's value-initialized value ({} / 0 / "").
constexpr constraint default_value() noexcept { return {constraint_kind::default_value, literal{}}; }
/// `description(text)`: the schema's description, of a member or (in rules) of the type.
constexpr constraint description(std::string_view text) noexcept {
    return {constraint_kind::description, literal(text)};
}
/// `title(text)`: the schema's title of the type (default: its schema name).
constexpr constraint title(std::string_view text) noexcept { return {constraint_kind::title, literal(text)}; }
/// `schema_name("Name")`: the type's name in components/schemas (default: its C++ name).
constexpr constraint schema_name(std::string_view name) noexcept {
    return {constraint_kind::schema_name, literal(name)};
}
/// `message(text)`: what `vial::form_input<T>` shows beside the field when it is wrong, instead
/// of the reader's own messages (pydantic's "Input should be ..."), as WTForms' `message=`.
/// Typed 422 bodies (`vial::form<T>`, `vial::json<T>`, ...) keep pydantic's messages.
constexpr constraint message(std::string_view text) noexcept { return {constraint_kind::message, literal(text)}; }
/// Unknown fields are errors (extra_forbidden) instead of being ignored.
inline constexpr constraint forbid_extra{constraint_kind::forbid_extra};
/// The member is marked `deprecated` in the schema.
inline constexpr constraint deprecated{constraint_kind::deprecated};

/// `one_of(a, b, ...)`: the value is one of a fixed set (schema `enum`, error literal_error).
template <class... V>
    requires(sizeof...(V) >= 1 && sizeof...(V) <= max_literals)
constexpr constraint one_of(V... v) noexcept {
    constraint c{constraint_kind::one_of};
    c.values = {literal(v)...};
    c.count = sizeof...(V);
    return c;
}
/// `examples(a, ...)`: example values written into the schema.
template <class... V>
    requires(sizeof...(V) >= 1 && sizeof...(V) <= max_literals)
constexpr constraint examples(V... v) noexcept {
    constraint c{constraint_kind::examples};
    c.values = {literal(v)...};
    c.count = sizeof...(V);
    return c;
}

/// The rules of one member, made by `vial::field<"name">(constraints...)`.
struct field_rules {
    std::string_view name{};
    literal minimum{}, maximum{}, exclusive_minimum{}, exclusive_maximum{};
    bool has_min_length = false, has_max_length = false;
    std::size_t min_length = 0, max_length = 0;
    std::array<literal, max_literals> one_of{};
    std::size_t one_of_count = 0;
    bool has_default = false;
    literal default_value{};
    std::string_view description{};
    std::array<literal, max_literals> examples{};
    std::size_t examples_count = 0;
    bool deprecated = false;
    std::string_view message{};  ///< vial::message: form_input's text for this field's errors
    bool misplaced = false;  ///< a type-wide option (forbid_extra, schema_name, title) given to a field
    bool repeated = false;   ///< one constraint given twice

    constexpr void add(const constraint& c) noexcept {
        auto once = [this](bool already) { repeated = repeated || already; };
        switch (c.kind) {
        case constraint_kind::minimum: once(minimum.set()); minimum = c.value; break;
        case constraint_kind::maximum: once(maximum.set()); maximum = c.value; break;
        case constraint_kind::exclusive_minimum: once(exclusive_minimum.set()); exclusive_minimum = c.value; break;
        case constraint_kind::exclusive_maximum: once(exclusive_maximum.set()); exclusive_maximum = c.value; break;
        case constraint_kind::min_length: once(has_min_length); has_min_length = true; min_length = c.value.u; break;
        case constraint_kind::max_length: once(has_max_length); has_max_length = true; max_length = c.value.u; break;
        case constraint_kind::one_of: once(one_of_count != 0); one_of = c.values; one_of_count = c.count; break;
        case constraint_kind::default_value: once(has_default); has_default = true; default_value = c.value; break;
        case constraint_kind::description: once(!description.empty()); description = c.value.s; break;
        case constraint_kind::examples: once(examples_count != 0); examples = c.values; examples_count = c.count; break;
        case constraint_kind::deprecated: deprecated = true; break;
        case constraint_kind::message: once(!message.empty()); message = c.value.s; break;
        default: misplaced = true; break;
        }
    }
};

namespace detail {

template <fixed_string Name>
struct field_maker {
    template <class... C>
        requires(std::same_as<C, constraint> && ...)
    constexpr field_rules operator()(C... cs) const noexcept {
        field_rules f{};
        f.name = Name.view();
        (f.add(cs), ...);
        return f;
    }
};

}  // namespace detail

/// `vial::field<"member">(constraints...)`: the rules of one member of the type.
template <fixed_string Name>
inline constexpr detail::field_maker<Name> field{};

/// The rules of a type: its members' rules and type-wide options; see `vial::rules(...)`.
template <std::size_t N>
struct type_rules {
    std::array<field_rules, N> fields{};
    bool forbid_extra = false;
    std::string_view schema_name{};
    std::string_view title{};
    std::string_view description{};
    bool misplaced = false;  ///< a member-only constraint given to the type
    bool repeated = false;

    /// @return the index in `fields` of the rules of member `name`, or N when it has none.
    [[nodiscard]] constexpr std::size_t index_of(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < N; ++i)
            if (fields[i].name == name) return i;
        return N;
    }
    /// @return the rules of member `name`, or nullptr.
    [[nodiscard]] constexpr const field_rules* find(std::string_view name) const noexcept {
        const std::size_t i = index_of(name);
        return i < N ? &fields[i] : nullptr;
    }
};

namespace detail {

template <class A>
inline constexpr std::size_t is_field_rules = std::is_same_v<A, field_rules> ? 1 : 0;

}  // namespace detail

/// `vial::rules(vial::field<"m">(...), ..., vial::forbid_extra, vial::schema_name("N"))`: the
/// rules of a type, as its static member `rules` or a specialization of `vial::rules_of<T>`.
template <class... A>
    requires((std::same_as<A, field_rules> || std::same_as<A, constraint>) && ...)
constexpr auto rules(A... args) noexcept {
    type_rules<(detail::is_field_rules<A> + ... + 0)> out{};
    std::size_t at = 0;
    auto one = [&](const auto& a) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(a)>, field_rules>) {
            out.fields[at++] = a;
        } else {
            switch (a.kind) {
            case constraint_kind::forbid_extra: out.forbid_extra = true; break;
            case constraint_kind::schema_name:
                out.repeated = out.repeated || !out.schema_name.empty();
                out.schema_name = a.value.s;
                break;
            case constraint_kind::title: out.title = a.value.s; break;
            case constraint_kind::description: out.description = a.value.s; break;
            default: out.misplaced = true; break;
            }
        }
    };
    (one(args), ...);
    return out;
}

namespace detail {

template <class T>
concept has_rules_member = requires { T::rules; };

template <class T>
constexpr auto default_rules() noexcept {
    if constexpr (has_rules_member<T>) {
        return T::rules;
    } else {
        return type_rules<0>{};
    }
}

}  // namespace detail

/// The rules of `T`: its static member `rules` when it has one, else no rules. Specialize it
/// for a type you cannot change (one adapted with BOOST_HANA_ADAPT_STRUCT):
/// @code
/// template <> inline constexpr auto vial::rules_of<geo::point> =
///     vial::rules(vial::field<"x">(vial::minimum(-180), vial::maximum(180)));
/// @endcode
template <class T>
inline constexpr auto rules_of = detail::default_rules<T>();

}  // namespace vial

#endif  // VIAL_TYPED_RULES_HPP
