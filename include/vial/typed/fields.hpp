#ifndef VIAL_TYPED_FIELDS_HPP
#define VIAL_TYPED_FIELDS_HPP

/// @file
/// `vial::read_fields<T>`: fills a reflected struct from string key/value pairs (a query
/// string, form fields, headers, cookies), with the same rules and errors as the JSON reader;
/// `vial::read_values<T>` reads one named value (a header, a cookie).
///
/// Repeated keys fill vectors (a scalar takes the last value); absent keys leave optionals
/// empty, take the rules' default, or are `missing`. Booleans read as pydantic reads them:
/// true/false, 1/0, yes/no, on/off, t/f, y/n, in any case.
///
/// @par Example
/// @code
/// // GET /todos?tag=a&tag=b&limit=10
/// auto r = vial::read_fields<todo_filter>(req.args(), {"query"});
/// @endcode

#include <vial/typed/detail/validate.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/reflect.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace vial {

/// How `read_fields` matches member names to keys.
struct fields_options {
    bool case_insensitive = false;      ///< headers: "X-Token" matches member x_token's key
    bool underscore_to_hyphen = false;  ///< headers: member user_agent reads key "user-agent"
};

namespace diagnostic {

/// A member of a query/form/header/cookie struct that is not a scalar.
template <class Struct, fixed_string Member, class Type>
struct field_not_scalar {
    static_assert(dependent_false<Type>,
                  "vial: query, form, header and cookie members must be scalars (bool, numbers, std::string, "
                  "enums, vial::uuid), std::optional or std::vector of them: nested structs and maps need a "
                  "JSON body");
};

}  // namespace diagnostic

namespace detail {

template <class V>
constexpr bool text_scalar = kind_v<V> == type_kind::boolean || kind_v<V> == type_kind::integer ||
                             kind_v<V> == type_kind::floating || kind_v<V> == type_kind::string ||
                             kind_v<V> == type_kind::enumeration || kind_v<V> == type_kind::uuid;

template <class M>
constexpr bool text_member() {
    if constexpr (is_optional<M>::value || is_vector<M>::value)
        return text_scalar<typename M::value_type> || kind_v<typename M::value_type> == type_kind::file;
    else if constexpr (kind_v<M> == type_kind::file) return true;
    else return text_scalar<M>;
}

template <class T>
constexpr bool fields_ok() {
    if constexpr (!type_ok<T>) {
        return false;
    } else {
        constexpr std::size_t bad = [] {
            std::size_t at = member_count<T>;
            for_each_member<T>([&](auto i) {
                if (at == member_count<T> && !text_member<member_type<T, decltype(i)::value>>()) at = decltype(i)::value;
            });
            return at;
        }();
        if constexpr (bad != member_count<T>) {
            (void)diagnostic::report_typed<
                          diagnostic::field_not_scalar<T, member_fixed<T, bad>, member_type<T, bad>>>;
            return false;
        } else {
            return true;
        }
    }
}

template <class M>
inline constexpr type_kind leaf_kind = kind_v<typename leaf<M>::type>;

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

/// Reads one scalar from text; reports an error to `sink` and returns false when it does not parse.
template <class V>
bool read_text(error_sink& sink, std::string_view s, V& out) {
    constexpr type_kind k = kind_v<V>;
    if constexpr (k == type_kind::string) {
        out.assign(s);
        return true;
    } else if constexpr (k == type_kind::boolean) {
        for (std::string_view t : {"true", "1", "yes", "on", "t", "y"})
            if (iequals(s, t)) return out = true, true;
        for (std::string_view f : {"false", "0", "no", "off", "f", "n"})
            if (iequals(s, f)) return out = false, true;
        sink.add("bool_parsing", "Input should be a valid boolean, unable to interpret input", std::string(s));
        return false;
    } else if constexpr (k == type_kind::integer) {
        std::string_view d = s;
        bool negative = false;
        if (!d.empty() && (d[0] == '-' || d[0] == '+')) {
            negative = d[0] == '-';
            d.remove_prefix(1);
        }
        std::uint64_t magnitude = 0;
        const auto r = std::from_chars(d.data(), d.data() + d.size(), magnitude);
        if (d.empty() || r.ptr != d.data() + d.size() || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range)) {
            sink.add("int_parsing", "Input should be a valid integer, unable to parse string as an integer", std::string(s));
            return false;
        }
        if (r.ec == std::errc::result_out_of_range || !integer_fits(negative, magnitude, out)) {
            integer_range_error<V>(sink, negative, std::string(s));
            return false;
        }
        return true;
    } else if constexpr (k == type_kind::floating) {
        double v = 0;
        const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || r.ptr != s.data() + s.size() || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range)) {
            sink.add("float_parsing", "Input should be a valid number, unable to parse string as a number", std::string(s));
            return false;
        }
        // A float takes what rounds to a finite float: up to halfway between its largest value and
        // the next power of two (3.4028235e38, how FLT_MAX is written back, is read again).
        constexpr double largest =
            std::is_same_v<V, float> ? 0x1.ffffffp+127 : static_cast<double>(std::numeric_limits<V>::max());
        if (r.ec != std::errc{} || !std::isfinite(v) || std::fabs(v) > largest ||
            (std::is_same_v<V, float> && std::fabs(v) == largest)) {
            sink.add("finite_number", "Input should be a finite number", std::string(s));
            return false;
        }
        out = static_cast<V>(v);
        return true;
    } else if constexpr (k == type_kind::enumeration) {
        if (enum_from_string(s, out)) return true;
        const std::string e = enum_expected<V>();
        sink.add("enum", "Input should be " + e, std::string(s), {{"expected", e}});
        return false;
    } else if constexpr (k == type_kind::uuid) {
        if (V::parse(s, out)) return true;
        sink.add("uuid_parsing", "Input should be a valid UUID, invalid length or character", std::string(s));
        return false;
    } else {
        return false;
    }
}

/// Reads member type M from the values sent under its name (in order); the sink's path is at
/// the member. Absent values are the caller's.
template <class M>
bool read_texts(error_sink& sink, std::span<const std::string_view> values, M& out) {
    if constexpr (is_vector<M>::value) {
        out.clear();
        bool ok = true;
        for (std::size_t i = 0; i < values.size(); ++i) {
            sink.push(i);
            ok = read_text(sink, values[i], out.emplace_back()) && ok;
            sink.pop();
        }
        return ok;
    } else if constexpr (is_optional<M>::value) {
        out.emplace();
        return read_text(sink, values.back(), *out);
    } else {
        return read_text(sink, values.back(), out);
    }
}

/// JSON of the values, for errors about the whole member: a string, or a list of them.
template <class M>
nlohmann::json texts_input(std::span<const std::string_view> values) {
    if constexpr (is_vector<M>::value) {
        nlohmann::json a = nlohmann::json::array();
        for (auto v : values) a.push_back(std::string(v));
        return a;
    } else {
        return std::string(values.back());
    }
}

template <class M>
void read_named(error_sink& sink, std::span<const std::string_view> values, M& out, const field_rules* rules) {
    if (values.empty()) {
        if (rules != nullptr && rules->has_default) apply_default(out, rules->default_value);
        else if constexpr (is_optional<M>::value) out.reset();
        else sink.add("missing", "Field required", nullptr);
        return;
    }
    const std::size_t before = sink.count();
    read_texts(sink, values, out);
    if (rules != nullptr && sink.count() == before) check_rules(sink, *rules, out, [&] { return texts_input<M>(values); });
}

template <class T>
constexpr auto field_keys(bool hyphens) {
    std::array<std::array<char, 64>, member_count<T>> out{};
    for (std::size_t i = 0; i < member_count<T>; ++i) {
        const std::string_view n = member_names_v<T>[i];
        for (std::size_t j = 0; j < n.size() && j < 63; ++j) out[i][j] = (hyphens && n[j] == '_') ? '-' : n[j];
    }
    return out;
}

}  // namespace detail

/// Fills a `T` from string key/value pairs; members of type vial::uploaded_file (or optional or
/// vector of it) are left alone, for vial::form<T> to fill from the files.
/// @param pairs a range of pairs whose `.first` (key) and `.second` (value, already decoded)
///        convert to std::string_view: a vial::multi_dict, a vector of pairs, ...
/// @param prefix where errors are located: {"query"}, {"header"}, {"cookie"}, {"body"} for forms
/// @param options how keys match member names
/// @return the value, or every error in `errors` (`malformed` is never set)
template <class T, class Range>
read_result<T> read_fields(const Range& pairs, const loc& prefix, fields_options options = {}) {
    read_result<T> result;
    if constexpr (detail::fields_ok<T>()) {
        detail::error_sink sink{&prefix, {}, &result.errors};
        std::vector<std::string_view> values;
        constexpr std::size_t n = detail::member_count<T>;
        static constexpr auto plain = detail::field_keys<T>(false);
        static constexpr auto hyphened = detail::field_keys<T>(true);
        auto key_of = [&](std::size_t i) {
            const auto& k = options.underscore_to_hyphen ? hyphened[i] : plain[i];
            return std::string_view(k.data(), detail::member_names_v<T>[i].size());
        };
        auto matches = [&](std::string_view key, std::size_t i) {
            return options.case_insensitive ? detail::iequals(key, key_of(i)) : key == key_of(i);
        };
        detail::for_each_member<T>([&](auto i) {
            constexpr std::size_t I = decltype(i)::value;
            // Files (vial::uploaded_file, optional or vector of them) are filled by vial::form<T>.
            if constexpr (detail::leaf_kind<detail::member_type<T, I>> == detail::type_kind::file) return;
            values.clear();
            for (const auto& p : pairs) {
                const std::string_view key(p.first);
                if (matches(key, I)) values.emplace_back(p.second);
            }
            sink.push(key_of(I));
            detail::read_named(sink, values, detail::member<I>(result.value), detail::member_rules<T, I>);
            sink.pop();
        });
        if constexpr (rules_of<T>.forbid_extra) {
            for (const auto& p : pairs) {
                const std::string_view key(p.first);
                bool known = false;
                for (std::size_t i = 0; i < n && !known; ++i) known = matches(key, i);
                if (known) continue;
                sink.push(key);
                sink.add("extra_forbidden", "Extra inputs are not permitted", std::string(std::string_view(p.second)));
                sink.pop();
            }
        }
    }
    return result;
}

/// Reads one named value (a header, a cookie) as `T`: a scalar, `std::optional` of one
/// (absent: empty) or `std::vector` of them (every value sent under the name).
/// @param values every value sent under the name, in order (0, 1 or more)
/// @param where the error location, e.g. {"header", "x-token"}
template <class T>
read_result<T> read_values(std::span<const std::string_view> values, const loc& where) {
    read_result<T> result;
    static_assert(detail::text_member<T>(),
                  "vial: a header or cookie value must be a scalar (bool, numbers, std::string, enums, "
                  "vial::uuid), std::optional or std::vector of one");
    if constexpr (detail::text_member<T>()) {
        detail::error_sink sink{&where, {}, &result.errors};
        detail::read_named(sink, values, result.value, nullptr);
    }
    return result;
}

}  // namespace vial

#endif  // VIAL_TYPED_FIELDS_HPP
