#ifndef VIAL_ROUTE_GRAMMAR_HPP
#define VIAL_ROUTE_GRAMMAR_HPP

/// @file
/// The route grammar, parsed by ordinary constexpr functions that never throw: the same code
/// checks routes under `static_assert` at compile time and in tests at run time.
///
/// @code{.unparsed}
/// route      ::= "/" segment *( "/" segment )          ; the last segment may be empty: "/a/"
/// segment    ::= 1*literal-char | parameter
/// parameter  ::= "<" [ converter ":" ] name ">"
/// converter  ::= identifier [ "(" [ argument *( "," argument ) ] ")" ]
/// argument   ::= [ identifier "=" ] value
/// value      ::= integer | decimal | "True" | "False" | quoted-string | identifier
/// name       ::= ( ALPHA / "_" ) *( ALPHA / DIGIT / "_" )
/// literal-char ::= any byte but "/", "<", ">", "?", "#", SP and control characters
/// @endcode

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace vial {

/// What is wrong with a route, as found by parse_route().
enum class route_error : std::uint8_t {
    none,
    missing_leading_slash,
    empty_segment,
    unterminated_parameter,
    stray_closing_bracket,
    empty_parameter_name,
    invalid_parameter_name,
    unknown_converter,
    bad_converter_arguments,
    duplicate_parameter_name,
    path_not_last,
    parameter_not_whole_segment,
    invalid_character,
    too_many_any_options,
};

/// For route_error::bad_converter_arguments: what is wrong with the arguments.
enum class argument_error : std::uint8_t {
    none,
    malformed,               ///< no closing ')', an empty argument, a trailing ','
    unknown_argument,        ///< a name the converter does not take
    bad_value,               ///< a value of the wrong form (min=abc, signed=yes, an empty any() option)
    min_above_max,           ///< min > max
    negative_needs_signed,   ///< a negative min or max without signed=True
    bad_length,              ///< string: minlength 0, or maxlength below minlength
    no_options,              ///< any without options
    takes_none,              ///< arguments given to path, uuid or a custom converter
};

/// The built-in converters, plus `custom` for a user's `vial::converter<"name">`.
enum class converter_kind : std::uint8_t { int_, float_, uuid, any, custom, string, path };

/// A text span inside the route pattern.
struct span {
    std::uint16_t begin = 0;
    std::uint16_t size = 0;
    [[nodiscard]] constexpr std::string_view in(std::string_view text) const noexcept {
        return text.substr(begin, size);
    }
};

inline constexpr std::size_t max_any_options = 32;

/// A parameter as written in the route, with its converter's arguments.
struct param_spec {
    converter_kind kind = converter_kind::string;
    span name{};
    span converter{};        ///< the converter's name as written ("" for the default string)
    bool is_signed = false;  ///< int/float: `signed=True`
    bool has_min = false;
    bool has_max = false;
    std::int64_t int_min = 0;
    std::int64_t int_max = 0;
    double float_min = 0;
    double float_max = 0;
    std::uint16_t fixed_digits = 0;      ///< int: exact number of digits, 0 for any
    std::uint32_t min_length = 1;        ///< string: at least this many characters
    std::uint32_t max_length = 0;        ///< string: at most this many characters, 0 for no limit
    std::uint8_t any_count = 0;          ///< any: number of options
    std::array<span, max_any_options> any_options{};
};

/// One segment of a route: a literal, or a parameter spanning the whole segment.
struct segment {
    bool is_param = false;
    span literal{};
    param_spec param{};
};

/// What parse_route() found: the segments, or the first error and where it is.
template <std::size_t Capacity>
struct parsed_route {
    std::array<segment, Capacity> segments{};
    std::size_t count = 0;
    std::size_t param_count = 0;
    route_error error = route_error::none;
    std::size_t error_at = 0;  ///< offset of the error in the pattern
    argument_error argument = argument_error::none;  ///< for bad_converter_arguments: what is wrong

    [[nodiscard]] constexpr bool ok() const noexcept { return error == route_error::none; }
};

namespace detail {

constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ident_start(char c) noexcept { return is_alpha(c) || c == '_'; }
constexpr bool is_ident(char c) noexcept { return is_ident_start(c) || is_digit(c); }
constexpr bool is_identifier(std::string_view s) noexcept {
    if (s.empty() || !is_ident_start(s[0])) return false;
    for (char c : s)
        if (!is_ident(c)) return false;
    return true;
}
constexpr bool is_literal_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && c != '/' && c != '<' && c != '>' && c != '?' && c != '#';
}
/// `s.find(c, from)` as a plain loop. g++ 12 with -fsanitize=undefined cannot evaluate
/// std::string_view::find at compile time over a template argument's characters (a route
/// pattern): it compares the pointer char_traits::find returns with null, and that comparison
/// is not a constant expression there.
/// @return the offset of the first `c` at or after `from`, or npos
constexpr std::size_t find_char(std::string_view s, char c, std::size_t from = 0) noexcept {
    for (std::size_t i = from; i < s.size(); ++i)
        if (s[i] == c) return i;
    return std::string_view::npos;
}
constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

/// Parses an optionally signed decimal integer; false on anything else or overflow.
constexpr bool parse_int_literal(std::string_view s, std::int64_t& out) noexcept {
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; s.remove_prefix(1); }
    if (s.empty()) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!is_digit(c)) return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::uint64_t{1} << 63) / 10 || v * 10 + d > (std::uint64_t{1} << 63) - (neg ? 0 : 1))
            return false;
        v = v * 10 + d;
    }
    out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
}

/// Parses a decimal number ("1", "-2.5"); false on anything else.
constexpr bool parse_float_literal(std::string_view s, double& out) noexcept {
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; s.remove_prefix(1); }
    if (s.empty()) return false;
    double v = 0;
    double scale = 0;
    bool any_digit = false;
    for (char c : s) {
        if (c == '.' && scale == 0) { scale = 1; continue; }
        if (!is_digit(c)) return false;
        any_digit = true;
        if (scale == 0) v = v * 10 + (c - '0');
        else { scale /= 10; v += (c - '0') * scale; }
    }
    if (!any_digit) return false;
    out = neg ? -v : v;
    return true;
}

constexpr bool is_quoted(std::string_view s) noexcept {
    return s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front();
}

constexpr converter_kind builtin_kind(std::string_view name, bool& known) noexcept {
    known = true;
    if (name.empty() || name == "string" || name == "default") return converter_kind::string;
    if (name == "int") return converter_kind::int_;
    if (name == "float") return converter_kind::float_;
    if (name == "path") return converter_kind::path;
    if (name == "uuid") return converter_kind::uuid;
    if (name == "any") return converter_kind::any;
    known = false;
    return converter_kind::custom;
}

/// Applies one `key=value` (or positional) argument to `p`.
/// @param why set to what is wrong when the result is bad_converter_arguments
constexpr route_error apply_argument(param_spec& p, std::string_view key, std::string_view value,
                                     std::uint16_t value_begin, argument_error& why) noexcept {
    const auto bad = [&why](argument_error e) {
        why = e;
        return route_error::bad_converter_arguments;
    };
    switch (p.kind) {
    case converter_kind::any: {
        if (!key.empty()) return bad(argument_error::unknown_argument);
        if (p.any_count == max_any_options) return route_error::too_many_any_options;
        auto v = value;
        std::uint16_t b = value_begin;
        if (is_quoted(v)) { v = v.substr(1, v.size() - 2); ++b; }
        if (v.empty()) return bad(argument_error::bad_value);
        for (char c : v)
            if (!is_literal_char(c)) return bad(argument_error::bad_value);
        p.any_options[p.any_count++] = span{b, static_cast<std::uint16_t>(v.size())};
        return route_error::none;
    }
    case converter_kind::int_:
    case converter_kind::float_: {
        const bool is_int = p.kind == converter_kind::int_;
        if (key == "signed") {
            if (value == "True") p.is_signed = true;
            else if (value == "False") p.is_signed = false;
            else return bad(argument_error::bad_value);
            return route_error::none;
        }
        if (key == "fixed_digits" && is_int) {
            std::int64_t d = 0;
            if (!parse_int_literal(value, d) || d < 1 || d > 19) return bad(argument_error::bad_value);
            p.fixed_digits = static_cast<std::uint16_t>(d);
            return route_error::none;
        }
        if (key == "min" || key == "max") {
            const bool is_min = key == "min";
            if (is_int) {
                std::int64_t v = 0;
                if (!parse_int_literal(value, v)) return bad(argument_error::bad_value);
                (is_min ? p.int_min : p.int_max) = v;
            } else {
                double v = 0;
                if (!parse_float_literal(value, v)) return bad(argument_error::bad_value);
                (is_min ? p.float_min : p.float_max) = v;
            }
            (is_min ? p.has_min : p.has_max) = true;
            return route_error::none;
        }
        return bad(argument_error::unknown_argument);
    }
    case converter_kind::string: {
        if (key != "minlength" && key != "maxlength" && key != "length") return bad(argument_error::unknown_argument);
        std::int64_t v = 0;
        if (!parse_int_literal(value, v) || v < 0 || v > 0xffffffff) return bad(argument_error::bad_value);
        const auto n = static_cast<std::uint32_t>(v);
        if (key == "minlength") p.min_length = n;
        else if (key == "maxlength") p.max_length = n;
        else { p.min_length = n; p.max_length = n; }
        return route_error::none;
    }
    default:
        return bad(argument_error::takes_none);  // path, uuid and custom converters take no arguments
    }
}

/// Checks the arguments of a parameter as a whole once they are all read.
/// @return what is wrong with them, or argument_error::none
constexpr argument_error check_arguments(const param_spec& p) noexcept {
    switch (p.kind) {
    case converter_kind::any: return p.any_count > 0 ? argument_error::none : argument_error::no_options;
    case converter_kind::int_:
        if (p.has_min && p.has_max && p.int_min > p.int_max) return argument_error::min_above_max;
        if (!p.is_signed && ((p.has_min && p.int_min < 0) || (p.has_max && p.int_max < 0)))
            return argument_error::negative_needs_signed;
        return argument_error::none;
    case converter_kind::float_:
        if (p.has_min && p.has_max && p.float_min > p.float_max) return argument_error::min_above_max;
        if (!p.is_signed && ((p.has_min && p.float_min < 0) || (p.has_max && p.float_max < 0)))
            return argument_error::negative_needs_signed;
        return argument_error::none;
    case converter_kind::string:
        return p.min_length >= 1 && (p.max_length == 0 || p.max_length >= p.min_length) ? argument_error::none
                                                                                          : argument_error::bad_length;
    default: return argument_error::none;
    }
}
constexpr bool arguments_consistent(const param_spec& p) noexcept { return check_arguments(p) == argument_error::none; }

}  // namespace detail

/// @return an upper bound on the number of segments of `pattern` (its count of '/').
constexpr std::size_t segment_capacity(std::string_view pattern) noexcept {
    std::size_t n = 0;
    for (char c : pattern) n += c == '/';
    return n == 0 ? 1 : n;
}

/// Parses a route pattern such as `/user/<int(min=1):user_id>`.
/// @param pattern the route as written
/// @return the segments, or the first error and its offset. Never throws.
template <std::size_t Capacity>
constexpr parsed_route<Capacity> parse_route(std::string_view pattern) noexcept {
    parsed_route<Capacity> r{};
    auto fail = [&r](route_error e, std::size_t at, argument_error why = argument_error::none) {
        r.error = e;
        r.error_at = at;
        r.argument = why;
        return r;
    };
    if (pattern.empty() || pattern[0] != '/') return fail(route_error::missing_leading_slash, 0);
    std::size_t pos = 1;
    while (true) {
        // One segment: from pos to the next '/' outside of '<...>', or the end.
        const std::size_t begin = pos;
        std::size_t end = begin;
        while (end < pattern.size() && pattern[end] != '/') {
            if (pattern[end] == '<') {
                const auto close = detail::find_char(pattern, '>', end);
                if (close == std::string_view::npos) return fail(route_error::unterminated_parameter, end);
                end = close + 1;
            } else {
                ++end;
            }
        }
        const std::string_view text = pattern.substr(begin, end - begin);
        const bool last = end == pattern.size();
        if (text.empty() && !last) return fail(route_error::empty_segment, begin);
        if (r.count == Capacity) return fail(route_error::empty_segment, begin);  // unreachable
        if (r.count > 0 && r.segments[r.count - 1].is_param &&
            r.segments[r.count - 1].param.kind == converter_kind::path)
            return fail(route_error::path_not_last, begin);
        segment& seg = r.segments[r.count];
        const auto open = detail::find_char(text, '<');
        if (open == std::string_view::npos) {
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (text[i] == '>') return fail(route_error::stray_closing_bracket, begin + i);
                if (!detail::is_literal_char(text[i])) return fail(route_error::invalid_character, begin + i);
            }
            seg.literal = span{static_cast<std::uint16_t>(begin), static_cast<std::uint16_t>(text.size())};
        } else {
            const auto close = detail::find_char(text, '>', open);
            if (open != 0 || close != text.size() - 1) {
                const auto stray = detail::find_char(text, '>');
                if (stray < open) return fail(route_error::stray_closing_bracket, begin + stray);
                return fail(route_error::parameter_not_whole_segment, begin);
            }
            seg.is_param = true;
            param_spec& p = seg.param;
            const std::string_view inner = text.substr(1, text.size() - 2);
            const std::size_t inner_at = begin + 1;
            // The name follows the last ':' that is outside of the converter's parentheses.
            std::size_t colon = std::string_view::npos;
            int depth = 0;
            for (std::size_t i = 0; i < inner.size(); ++i) {
                if (inner[i] == '(') ++depth;
                else if (inner[i] == ')') --depth;
                else if (inner[i] == ':' && depth == 0) colon = i;
            }
            const std::string_view name = colon == std::string_view::npos ? inner : inner.substr(colon + 1);
            const std::size_t name_at = colon == std::string_view::npos ? inner_at : inner_at + colon + 1;
            if (name.empty()) return fail(route_error::empty_parameter_name, name_at);
            if (!detail::is_identifier(name)) return fail(route_error::invalid_parameter_name, name_at);
            p.name = span{static_cast<std::uint16_t>(name_at), static_cast<std::uint16_t>(name.size())};
            for (std::size_t s = 0; s < r.count; ++s) {
                const auto& other = r.segments[s];
                if (other.is_param && other.param.name.in(pattern) == name)
                    return fail(route_error::duplicate_parameter_name, name_at);
            }
            if (colon != std::string_view::npos) {
                const std::string_view conv = inner.substr(0, colon);
                const auto paren = detail::find_char(conv, '(');
                const std::string_view conv_name = conv.substr(0, paren);
                if (!detail::is_identifier(conv_name)) return fail(route_error::unknown_converter, inner_at);
                bool known = false;
                p.kind = detail::builtin_kind(conv_name, known);
                p.converter = span{static_cast<std::uint16_t>(inner_at), static_cast<std::uint16_t>(conv_name.size())};
                if (paren != std::string_view::npos) {
                    const std::size_t args_at = inner_at + paren + 1;
                    if (conv.back() != ')')
                        return fail(route_error::bad_converter_arguments, args_at, argument_error::malformed);
                    std::string_view args = conv.substr(paren + 1, conv.size() - paren - 2);
                    std::size_t arg_at = args_at;
                    if (detail::trim(args).empty()) {
                        if (p.kind == converter_kind::any)
                            return fail(route_error::bad_converter_arguments, arg_at, argument_error::no_options);
                        args = {};
                    }
                    while (!args.empty() || (p.kind == converter_kind::any && p.any_count == 0)) {
                        // Split at the next ',' outside of quotes.
                        std::size_t comma = 0;
                        char quote = 0;
                        for (; comma < args.size(); ++comma) {
                            const char c = args[comma];
                            if (quote != 0) { if (c == quote) quote = 0; }
                            else if (c == '"' || c == '\'') quote = c;
                            else if (c == ',') break;
                        }
                        const std::string_view raw = args.substr(0, comma);
                        const auto eq = detail::find_char(raw, '=');
                        std::string_view key{};
                        std::string_view value = raw;
                        if (eq != std::string_view::npos && !detail::is_quoted(detail::trim(raw))) {
                            key = detail::trim(raw.substr(0, eq));
                            value = raw.substr(eq + 1);
                        }
                        std::size_t lead = 0;
                        while (lead < value.size() && value[lead] == ' ') ++lead;
                        const auto value_at = static_cast<std::uint16_t>(
                            arg_at + static_cast<std::size_t>(value.data() - raw.data()) + lead);
                        value = detail::trim(value);
                        if (value.empty())
                            return fail(route_error::bad_converter_arguments, arg_at, argument_error::malformed);
                        argument_error why = argument_error::none;
                        const auto e = detail::apply_argument(p, key, value, value_at, why);
                        if (e != route_error::none) return fail(e, arg_at, why);
                        if (comma >= args.size()) break;
                        args.remove_prefix(comma + 1);
                        arg_at += comma + 1;
                        if (args.empty())
                            return fail(route_error::bad_converter_arguments, arg_at, argument_error::malformed);
                    }
                    if (const auto why = detail::check_arguments(p); why != argument_error::none)
                        return fail(route_error::bad_converter_arguments, args_at, why);
                } else if (p.kind == converter_kind::any) {
                    return fail(route_error::bad_converter_arguments, inner_at, argument_error::no_options);
                }
            }
            ++r.param_count;
        }
        ++r.count;
        if (last) break;
        pos = end + 1;
    }
    return r;
}

/// @return a short sentence describing `e`, for run-time use (tests, tooling).
constexpr std::string_view describe(route_error e) noexcept {
    switch (e) {
    case route_error::none: return "no error";
    case route_error::missing_leading_slash: return "route must start with '/'";
    case route_error::empty_segment: return "empty segment '//' in route";
    case route_error::unterminated_parameter: return "'<' without a closing '>' in route";
    case route_error::stray_closing_bracket: return "'>' without an opening '<' in route";
    case route_error::empty_parameter_name: return "parameter has no name";
    case route_error::invalid_parameter_name: return "parameter name is not an identifier";
    case route_error::unknown_converter: return "unknown converter";
    case route_error::bad_converter_arguments: return "bad converter arguments";
    case route_error::duplicate_parameter_name: return "parameter name used twice";
    case route_error::path_not_last: return "a path parameter must be the last segment";
    case route_error::parameter_not_whole_segment: return "a parameter must span a whole segment";
    case route_error::invalid_character: return "invalid character in route";
    case route_error::too_many_any_options: return "any() takes at most 32 options";
    }
    return "unknown error";
}

/// @return a short sentence describing what is wrong with a converter's arguments.
constexpr std::string_view describe(argument_error e) noexcept {
    switch (e) {
    case argument_error::none: return "no error";
    case argument_error::malformed: return "malformed converter arguments";
    case argument_error::unknown_argument: return "unknown converter argument";
    case argument_error::bad_value: return "bad converter argument value";
    case argument_error::min_above_max: return "min is greater than max";
    case argument_error::negative_needs_signed: return "a negative min or max needs signed=True";
    case argument_error::bad_length: return "string lengths out of order";
    case argument_error::no_options: return "any() needs at least one option";
    case argument_error::takes_none: return "this converter takes no arguments";
    }
    return "unknown error";
}

}  // namespace vial

#endif  // VIAL_ROUTE_GRAMMAR_HPP
