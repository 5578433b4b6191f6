#ifndef VIAL_ROUTE_RULE_HPP
#define VIAL_ROUTE_RULE_HPP

/// @file
/// Routes: `vial::get<"/user/<int:user_id>">(handler)`, `vial::route<"/x", vial::GET | vial::POST>(h)`.
/// Each is checked where it is written: the pattern's grammar, its converters, and the
/// handler's parameters against the route's parameters.

#include <vial/route/converter.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/doc.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/grammar.hpp>
#include <vial/route/handler.hpp>
#include <vial/route/method.hpp>
#include <vial/route/table.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace vial {

namespace detail {

template <fixed_string S, std::size_t Begin, std::size_t Size>
constexpr auto substr = [] {
    fixed_string<Size + 1> out{};
    for (std::size_t i = 0; i < Size; ++i) out.value_[i] = S.value_[Begin + i];
    return out;
}();

template <class T>
concept complete = requires { sizeof(T); };

/// A pattern parsed once, however many places ask (make_rule's checks, the rule itself).
template <fixed_string Pattern>
inline constexpr auto parsed_pattern = parse_route<segment_capacity(Pattern.view())>(Pattern.view());

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// The index of the first false in `ok`, or npos. With an array built by a pack expansion it
/// replaces a lambda (a closure type and three functions) per rule.
constexpr std::size_t first_false(const bool* ok, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (!ok[i]) return i;
    return npos;
}

/// The index of the segment that holds each of N parameters.
template <std::size_t N>
constexpr std::array<std::uint16_t, N + 1> param_segments_of(const segment* segments, std::size_t count) noexcept {
    std::array<std::uint16_t, N + 1> out{};
    std::size_t k = 0;
    for (std::size_t s = 0; s < count && k < N; ++s)
        if (segments[s].is_param) out[k++] = static_cast<std::uint16_t>(s);
    return out;
}

constexpr bool any_custom(const segment* segments, std::size_t count) noexcept {
    for (std::size_t s = 0; s < count; ++s)
        if (segments[s].is_param && segments[s].param.kind == converter_kind::custom) return true;
    return false;
}

template <class V>
inline constexpr bool stored_in_slot = std::is_trivially_copyable_v<V> && sizeof(V) <= 16 && alignof(V) <= 16;

/// Parses a custom converter's segment during matching.
template <fixed_string Name>
bool parse_custom(std::string_view text, param_value& out) {
    using V = typename converter<Name>::value_type;
    V value{};
    if (!converter<Name>::parse(text, value)) return false;
    if constexpr (stored_in_slot<V>) out.set(value);
    return true;
}

/// Handler parameter I, or void past the handler's parameters.
template <std::size_t I, class List, bool = (I < List::size)>
struct arg_or_void {
    using type = void;
};
template <std::size_t I, class List>
struct arg_or_void<I, List, true> {
    using type = std::remove_cvref_t<nth_t<I, List>>;
};

/// The range an int parameter must fit to bind to a handler parameter of type D.
template <class D, bool = is_integer_v<D>>
struct int_range {
    static constexpr bool checked = false;
    static constexpr std::int64_t lo = 0;
    static constexpr std::uint64_t hi = 0;
};
template <class D>
struct int_range<D, true> {
    static constexpr bool checked = true;
    static constexpr std::int64_t lo = static_cast<std::int64_t>(std::numeric_limits<D>::min());
    static constexpr std::uint64_t hi = static_cast<std::uint64_t>(std::numeric_limits<D>::max());
};

/// Range checks of a rule's int parameters against its handler's parameter types.
template <class Rule, std::size_t... I>
constexpr auto int_checks_of(std::index_sequence<I...>) noexcept {
    std::pair<std::array<int_check, sizeof...(I) + 1>, std::size_t> out{};
    (((Rule::template kind<I> == converter_kind::int_ && int_range<typename arg_or_void<I, typename Rule::args>::type>::checked)
          ? void(out.first[out.second++] = int_check{static_cast<std::uint16_t>(I),
                                                     int_range<typename arg_or_void<I, typename Rule::args>::type>::lo,
                                                     int_range<typename arg_or_void<I, typename Rule::args>::type>::hi})
          : void()),
     ...);
    return out;
}

/// The parse function of a rule's parameter I when it has a (known) custom converter.
template <class Rule, std::size_t I>
constexpr custom_parse_fn custom_parser_of() noexcept {
    // An unknown converter is reported by make_rule; taking no parser here keeps it one error.
    if constexpr (Rule::template kind<I> == converter_kind::custom && Rule::template custom_known<I>())
        return &parse_custom<Rule::template converter_name<I>>;
    else return nullptr;
}
template <class Rule, std::size_t... I>
constexpr auto custom_parsers_of(std::index_sequence<I...>) noexcept {
    if constexpr (!any_custom(Rule::parsed.segments.data(), Rule::parsed.count))
        return std::array<custom_parse_fn, sizeof...(I) + 1>{};
    else return std::array<custom_parse_fn, sizeof...(I) + 1>{custom_parser_of<Rule, I>()..., nullptr};
}



/// What calling a handler depends on: its type and its parameters' converters. Routes that
/// agree share one dispatch function (a rule with a custom converter is its own shape).
template <class Handler, converter_kind... Kinds>
struct call_shape {
    using handler_type = Handler;
    using traits = callable_traits<Handler>;
    using args = typename traits::args;
    static constexpr std::size_t param_count = sizeof...(Kinds);
    template <std::size_t I>
    static constexpr converter_kind kind = std::array<converter_kind, sizeof...(Kinds) + 1>{Kinds..., converter_kind::string}[I];
};

/// The call_shape of a rule (or of its rule_core): the core itself when a parameter has a
/// custom converter, whose parse function and value type only the core knows.
template <class Rule, class Params = std::make_index_sequence<Rule::param_count>>
struct shape_of;
template <class Rule, std::size_t... I>
struct shape_of<Rule, std::index_sequence<I...>> {
    using type = std::conditional_t<any_custom(Rule::parsed.segments.data(), Rule::parsed.count), typename Rule::core,
                                    call_shape<typename Rule::handler_type, Rule::template kind<I>...>>;
};

}  // namespace detail

namespace detail {

/// What a route's checks and dispatch need of its pattern and its handler's type: the parsed
/// pattern, each parameter's converter, custom parsers and int range checks. Every route with
/// the same pattern and handler type shares it (a service declares "/<int:id>" with a
/// `std::string(int)` handler in each of hundreds of blueprints), so these are made once for
/// all of them rather than once per route: per route, only its name and methods remain.
template <fixed_string Pattern, class Handler>
struct rule_core {
    using core = rule_core;
    static constexpr auto pattern = Pattern;
    using handler_type = Handler;
    using traits = callable_traits<Handler>;
    using args = typename traits::args;

    static constexpr const auto& parsed = parsed_pattern<Pattern>;
    static constexpr std::size_t param_count = parsed.param_count;

    /// The index of the segment that holds parameter I.
    static constexpr auto param_segments = param_segments_of<param_count>(parsed.segments.data(), parsed.count);

    template <std::size_t I>
    static constexpr const param_spec& param() noexcept {
        return parsed.segments[param_segments[I]].param;
    }

    /// The converter of parameter I (for detail::call_shape).
    template <std::size_t I>
    static constexpr converter_kind kind = param<I>().kind;

    template <std::size_t I>
    static constexpr auto converter_name = substr<pattern, param<I>().converter.begin, param<I>().converter.size>;

    template <std::size_t I>
    static constexpr bool custom_known() {
        if constexpr (param<I>().kind != converter_kind::custom) return true;
        else return complete<converter<converter_name<I>>>;
    }

    template <std::size_t I>
    static constexpr auto custom_value_type() {
        if constexpr (param<I>().kind == converter_kind::custom)
            return std::type_identity<typename converter<converter_name<I>>::value_type>{};
        else
            return std::type_identity<void>{};
    }
    template <std::size_t I>
    using custom_value_t = typename decltype(custom_value_type<I>())::type;

    /// Parse functions of custom converters, per parameter.
    static constexpr auto custom_parsers = custom_parsers_of<rule_core>(std::make_index_sequence<param_count>{});

    /// Range checks of int parameters against the handler's parameter types.
    static constexpr auto int_checks = int_checks_of<rule_core>(std::make_index_sequence<param_count>{});

    /// The description of a route with this pattern and handler type answering `Methods`.
    template <method_set Methods>
    static constexpr route_desc desc() noexcept {
        return {pattern.view(),
                Methods,
                parsed.segments.data(),
                static_cast<std::uint16_t>(parsed.count),
                static_cast<std::uint16_t>(param_count),
                custom_parsers.data(),
                int_checks.first.data(),
                static_cast<std::uint16_t>(int_checks.second)};
    }
};

}  // namespace detail

/// A route after its checks passed: pattern, endpoint name, methods and handler, as written
/// (a blueprint's prefix and name are applied by the app, not stored in the rule's type).
/// What depends only on its pattern and handler type is in its base, detail::rule_core.
/// @tparam Text the pattern and the endpoint name, packed (see detail::packed_text)
template <detail::packed_text Text, method_set Methods, class Handler>
struct rule : detail::rule_core<detail::unpack_first<Text>, Handler> {
    Handler handler_;  // first: with clang the app finds a rule's handler at the rule's own address (add_list_offsets)
    route_doc doc_{};  ///< for the OpenAPI document only (see doc())

    /// @return this route with its documentation (summary, description, tags, deprecated).
    /// @par Example
    /// @code
    /// vial::get<"/todos", list_todos>().doc({.summary = "List todos", .tags = {"todos"}})
    /// @endcode
    [[nodiscard]] constexpr rule doc(const route_doc& d) const {
        rule out = *this;
        out.doc_ = d;
        return out;
    }

    using core = detail::rule_core<detail::unpack_first<Text>, Handler>;
    static constexpr auto name = detail::unpack_second<Text>;
    static constexpr method_set methods = Methods;
};

/// What a route expression yields after reporting a compile error: ignored by app().
struct invalid_rule {};

namespace detail {

template <class Rule, std::size_t... I>
constexpr std::size_t first_unknown_converter(std::index_sequence<I...>) {
    const bool ok[] = {Rule::template custom_known<I>()..., true};
    return first_false(ok, sizeof...(I));
}

template <class Rule, std::size_t... I>
constexpr std::size_t first_mismatched_parameter(std::index_sequence<I...>) {
    const bool ok[] = {
        binds<Rule::template kind<I>, nth_t<I, typename Rule::args>, typename Rule::template custom_value_t<I>>()...,
        true};
    return first_false(ok, sizeof...(I));
}

/// Checks a route where the user wrote it; reports the first mistake only.
template <fixed_string Pattern, fixed_string Name, method_set Methods, class Handler>
constexpr auto make_rule(Handler handler) {
    using traits = callable_traits<Handler>;
    constexpr const auto& parsed = parsed_pattern<Pattern>;
    if constexpr (!traits::valid) {
        (void)diagnostic::report<diagnostic::handler_not_callable<Handler>>;
        return invalid_rule{};
    } else if constexpr (parsed.error == route_error::bad_converter_arguments) {
        (void)diagnostic::report<diagnostic::bad_converter_arguments<Pattern, parsed.error_at, parsed.argument>>;
        return invalid_rule{};
    } else if constexpr (!parsed.ok()) {
        (void)diagnostic::report<diagnostic::route_syntax_error<Pattern, parsed.error_at, parsed.error>>;
        return invalid_rule{};
    } else if constexpr (Name.size() != 0 && !is_identifier(Name.view())) {
        (void)diagnostic::report<diagnostic::invalid_endpoint_name<Name>>;
        return invalid_rule{};
    } else {
        // The checks are made on the core, which routes with the same pattern and handler share.
        using R = rule_core<Pattern, Handler>;
        constexpr std::size_t unknown = first_unknown_converter<R>(std::make_index_sequence<R::param_count>{});
        if constexpr (unknown != npos) {
            (void)diagnostic::report<diagnostic::unknown_converter<Pattern, R::template converter_name<unknown>>>;
            return invalid_rule{};
        } else if constexpr (traits::args::size < R::param_count) {
            (void)diagnostic::report<diagnostic::handler_arity_mismatch<Pattern, R::param_count, traits::args::size>>;
            return invalid_rule{};
        } else {
            constexpr std::size_t bad = first_mismatched_parameter<R>(std::make_index_sequence<R::param_count>{});
            if constexpr (bad != npos) {
                (void)diagnostic::report<diagnostic::handler_parameter_type_mismatch<Pattern, bad, nth_t<bad, typename R::args>>>;
                return invalid_rule{};
            } else {
                return rule<pack_text<Pattern.size(), Name.size()>(Pattern.value_, Name.value_), Methods, Handler>{{}, handler, {}};
            }
        }
    }
}

// Made by a function per name length rather than by to_fixed and a lambda (a class and a
// function per handler).
template <auto F>
inline constexpr auto function_name_string = fixed_from<function_name<F>().size()>(function_name<F>());

}  // namespace detail

/// A route answering the methods in `Methods`.
/// @tparam Pattern the route, e.g. "/user/<int:user_id>"
/// @tparam Methods e.g. `vial::GET | vial::POST`
/// @tparam Name the endpoint name for url_for; "" leaves the route unnamed
/// @par Example
/// @code
/// vial::route<"/login", vial::GET | vial::POST, "login">(login)
/// @endcode
template <fixed_string Pattern, method_set Methods, fixed_string Name = "", class Handler>
constexpr auto route(Handler handler) {
    return detail::make_rule<Pattern, Name, Methods>(handler);
}
/// A route whose handler is a template argument: its endpoint name is the function's name.
template <fixed_string Pattern, method_set Methods, auto Handler>
constexpr auto route() {
    return detail::make_rule<Pattern, detail::function_name_string<Handler>, Methods>(Handler);
}

#define VIAL_DETAIL_METHOD_ROUTE(fn, set)                                                          \
    template <fixed_string Pattern, fixed_string Name = "", class Handler>                         \
    constexpr auto fn(Handler handler) {                                                           \
        return detail::make_rule<Pattern, Name, set>(handler);                                     \
    }                                                                                              \
    template <fixed_string Pattern, auto Handler>                                                  \
    constexpr auto fn() {                                                                          \
        return detail::make_rule<Pattern, detail::function_name_string<Handler>, set>(Handler);    \
    }

/// `vial::get<"/path">(handler)`, `vial::get<"/path", "name">(handler)`, `vial::get<"/path", handler>()`.
VIAL_DETAIL_METHOD_ROUTE(get, GET)
VIAL_DETAIL_METHOD_ROUTE(post, POST)
VIAL_DETAIL_METHOD_ROUTE(put, PUT)
VIAL_DETAIL_METHOD_ROUTE(patch, PATCH)
VIAL_DETAIL_METHOD_ROUTE(del, DELETE)
VIAL_DETAIL_METHOD_ROUTE(head, HEAD)
VIAL_DETAIL_METHOD_ROUTE(options, OPTIONS)
#undef VIAL_DETAIL_METHOD_ROUTE

}  // namespace vial

#endif  // VIAL_ROUTE_RULE_HPP
