#ifndef VIAL_TYPED_REFLECT_HPP
#define VIAL_TYPED_REFLECT_HPP

/// @file
/// What vial knows about a type from Boost.Hana: whether it is a reflected struct, its
/// members' names and types, the kind of each member type, its schema name, and the compile
/// time checks of its rules (each misuse one `vial:` error; see docs/diagnostics.md).

#include <vial/http/multipart.hpp>
#include <vial/route/converter.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/typed/rules.hpp>

#include <boost/hana/accessors.hpp>
#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/define_struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/tuple.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace vial {

/// True for a struct reflected with BOOST_HANA_DEFINE_STRUCT or BOOST_HANA_ADAPT_STRUCT.
template <class T>
concept reflected = std::is_class_v<T> && boost::hana::Struct<T>::value;

namespace detail {

/// How vial reads, writes and describes a type.
enum class type_kind : std::uint8_t {
    boolean, integer, floating, string, enumeration, structure, vector, optional, map, any, uuid,
    file,  ///< vial::uploaded_file: filled from multipart files by vial::form<T>, not from JSON or text
    unsupported, unreflected
};

template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type { using item = T; };
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type { using item = T; };
template <class T> struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type { using item = T; };

template <class E>
concept has_enum_strings = requires { enum_strings<E>::values; };

template <class T>
constexpr type_kind kind_of() noexcept {
    if constexpr (std::is_same_v<T, bool>) return type_kind::boolean;
    else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> &&
                       !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>)
        return type_kind::integer;
    else if constexpr (std::is_floating_point_v<T>) return type_kind::floating;
    else if constexpr (std::is_same_v<T, std::string>) return type_kind::string;
    else if constexpr (std::is_enum_v<T>) return has_enum_strings<T> ? type_kind::enumeration : type_kind::unsupported;
    else if constexpr (std::is_same_v<T, uuid>) return type_kind::uuid;
    else if constexpr (std::is_same_v<T, nlohmann::json>) return type_kind::any;
    else if constexpr (std::is_same_v<T, uploaded_file>) return type_kind::file;
    else if constexpr (is_vector<T>::value) return type_kind::vector;
    else if constexpr (is_optional<T>::value) return type_kind::optional;
    else if constexpr (is_string_map<T>::value) return type_kind::map;
    else if constexpr (reflected<T>) return type_kind::structure;
    else if constexpr (std::is_class_v<T> && std::is_aggregate_v<T>) return type_kind::unreflected;
    else return type_kind::unsupported;
}

template <class T>
inline constexpr type_kind kind_v = kind_of<T>();

/// The type a constraint applies to: the value inside an optional.
template <class T>
struct unwrap_optional { using type = T; };
template <class T>
struct unwrap_optional<std::optional<T>> { using type = T; };

template <class T>
using accessors_t = decltype(boost::hana::accessors<T>());

/// A Hana accessor that is a plain member pointer (what BOOST_HANA_DEFINE_STRUCT and
/// BOOST_HANA_ADAPT_STRUCT make): the member is read through the pointer itself.
template <class A>
struct direct_member : std::false_type {};
template <class Ptr, Ptr P>
struct direct_member<boost::hana::struct_detail::member_ptr<Ptr, P>> : std::true_type {
    static constexpr Ptr ptr = P;
};

/// What Hana says about T's members, taken apart once per type: their count, keys and
/// accessors (not a Hana tuple built and indexed at every member access).
template <class T, class Accessors = accessors_t<T>>
struct reflection {
    // Any other Hana Struct (hand-written accessors): through Hana, at each use.
    static constexpr std::size_t count = decltype(boost::hana::length(boost::hana::accessors<T>()))::value;
    template <std::size_t I>
    using key = std::remove_cvref_t<decltype(boost::hana::first(boost::hana::at_c<I>(boost::hana::accessors<T>())))>;
    template <std::size_t I, class U>
    static constexpr decltype(auto) get(U& obj) {
        return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<T>()))(obj);
    }
};
template <class T, class... K, class... A>
    requires(std::is_default_constructible_v<A> && ...)
struct reflection<T, boost::hana::tuple<boost::hana::pair<K, A>...>> {
    static constexpr std::size_t count = sizeof...(K);
    template <std::size_t I>
    using key = std::tuple_element_t<I, std::tuple<K...>>;
    template <std::size_t I, class U>
    static constexpr decltype(auto) get(U& obj) {
        using accessor = std::tuple_element_t<I, std::tuple<A...>>;
        if constexpr (direct_member<accessor>::value) return (obj.*direct_member<accessor>::ptr);
        else return accessor{}(obj);
    }
};

template <class T>
inline constexpr std::size_t member_count = reflection<T>::count;

/// The member `I` of `obj` (a reference).
template <std::size_t I, class T>
constexpr decltype(auto) member(T& obj) {
    return reflection<std::remove_const_t<T>>::template get<I>(obj);
}

template <class T, std::size_t I>
using member_type = std::remove_cvref_t<decltype(member<I>(std::declval<T&>()))>;

template <class T, std::size_t I>
using member_key = typename reflection<T>::template key<I>;

template <class S>
struct hana_string_view;
template <char... C>
struct hana_string_view<boost::hana::string<C...>> {
    static constexpr char text[] = {C..., '\0'};
    static constexpr std::string_view value{text, sizeof...(C)};
    static constexpr fixed_string<sizeof...(C) + 1> fixed{text};
};

template <class T, std::size_t I>
inline constexpr std::string_view member_name = hana_string_view<member_key<T, I>>::value;

template <class T>
constexpr auto member_names() noexcept {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::string_view, sizeof...(I)>{member_name<T, I>...};
    }(std::make_index_sequence<member_count<T>>{});
}

template <class T>
inline constexpr auto member_names_v = member_names<T>();

/// Calls f(std::integral_constant<std::size_t, I>{}) for each member index.
template <class T, class F>
constexpr void for_each_member(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<member_count<T>>{});
}

/// Where the rules of member I of T are in rules_of<T>.fields (its size when it has none).
template <class T, std::size_t I>
inline constexpr std::size_t member_rule_index = rules_of<T>.index_of(member_name<T, I>);
/// Whether member I of T has rules. Compile-time code asks this, not `member_rules != nullptr`:
/// under -fsanitize=undefined GCC cannot compare that address with null in a constant expression.
template <class T, std::size_t I>
inline constexpr bool has_member_rules = member_rule_index<T, I> < rules_of<T>.fields.size();
/// Whether member I of T has a default_value.
template <class T, std::size_t I>
inline constexpr bool has_default = [] {
    if constexpr (has_member_rules<T, I>) return rules_of<T>.fields[member_rule_index<T, I>].has_default;
    else return false;
}();
/// The rules of member I of T, or nullptr (for run-time code).
template <class T, std::size_t I>
inline constexpr const field_rules* member_rules = [] {
    if constexpr (has_member_rules<T, I>) return &rules_of<T>.fields[member_rule_index<T, I>];
    else return static_cast<const field_rules*>(nullptr);
}();

// ---- type names ---------------------------------------------------------------------

template <class T>
constexpr std::string_view raw_type_name() noexcept {
    return __PRETTY_FUNCTION__;
}

/// The type's name as the compiler spells it, without namespaces: "todo" for app::todo.
template <class T>
constexpr std::string_view short_type_name() noexcept {
    std::string_view p = raw_type_name<T>();
    const std::size_t start = p.find("T = ") + 4;
    std::size_t end = start;
    int depth = 0;
    for (; end < p.size(); ++end) {
        const char c = p[end];
        if (c == '<' || c == '(') ++depth;
        if (c == '>' || c == ')') --depth;
        if (depth == 0 && (c == ';' || c == ']')) break;
    }
    std::string_view full = p.substr(start, end - start);
    // The last component outside template arguments.
    std::size_t last = 0;
    depth = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
        const char c = full[i];
        if (c == '<' || c == '(') ++depth;
        if (c == '>' || c == ')') --depth;
        if (depth == 0 && c == ':' && i + 1 < full.size() && full[i + 1] == ':') last = i + 2;
    }
    return full.substr(last);
}

template <class T>
constexpr auto schema_name_storage() noexcept {
    constexpr std::string_view given = rules_of<T>.schema_name;
    constexpr std::string_view base = given.empty() ? short_type_name<T>() : given;
    std::array<char, base.size() + 1> out{};
    for (std::size_t i = 0; i < base.size(); ++i) {
        const char c = base[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '.' || c == '-';
        out[i] = ok ? c : '_';
    }
    return out;
}

template <class T>
inline constexpr auto schema_name_array = schema_name_storage<T>();

}  // namespace detail

/// The name of `T` in components/schemas: `vial::schema_name("...")` from its rules, else its
/// C++ name without namespaces (characters outside [A-Za-z0-9._-] become '_').
template <class T>
inline constexpr std::string_view schema_name_v{detail::schema_name_array<T>.data(),
                                                detail::schema_name_array<T>.size() - 1};

}  // namespace vial

#endif  // VIAL_TYPED_REFLECT_HPP
