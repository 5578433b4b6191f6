#ifndef VIAL_TYPED_DETAIL_VALIDATE_HPP
#define VIAL_TYPED_DETAIL_VALIDATE_HPP

/// @file
/// What the JSON reader and the string-field reader share: the error list with the current
/// location, pydantic's messages, enum lookup, and the checks of a member's rules.

#include <vial/typed/errors.hpp>
#include <vial/typed/reflect.hpp>
#include <vial/typed/rules.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vial::detail {

/// One step of the location being read: a field name (a view that outlives the step) or an index.
struct path_step {
    std::string_view key;
    std::size_t index;
    bool is_index;
};

/// The errors found so far and where the reader is.
struct error_sink {
    const loc* prefix;
    std::vector<path_step> path;
    std::vector<error_detail>* errors;

    void push(std::string_view key) { path.push_back({key, 0, false}); }
    void push(std::size_t index) { path.push_back({{}, index, true}); }
    void pop() noexcept { path.pop_back(); }

    [[nodiscard]] loc where() const {
        loc l = *prefix;
        l.reserve(l.size() + path.size());
        for (const auto& s : path) {
            if (s.is_index) l.emplace_back(s.index);
            else l.emplace_back(std::string(s.key));
        }
        return l;
    }
    void add(std::string type, std::string msg, nlohmann::json input, nlohmann::json ctx = nullptr) {
        errors->push_back({std::move(type), where(), std::move(msg), std::move(input), std::move(ctx)});
    }
    [[nodiscard]] std::size_t count() const noexcept { return errors->size(); }
};

nlohmann::json literal_json(const literal& v);

/// 'text': the text between single quotes. Appended, not "'" + std::string(text) + "'": g++ 12
/// at -O2/-O3 warns (-Wrestrict, a false positive) on a literal + std::string&&.
inline std::string single_quoted(std::string_view text) {
    std::string s;
    s.reserve(text.size() + 2);
    s += '\'';
    s += text;
    s += '\'';
    return s;
}

/// Python's repr of a literal, as pydantic writes it in messages: 'text', 5, 0.5.
std::string literal_repr(const literal& v);

/// "'a', 'b' or 'c'", pydantic's list of expected values.
template <class Repr>
std::string expected_list(std::size_t n, Repr repr) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        if (i != 0) s += (i + 1 == n) ? " or " : ", ";
        s += repr(i);
    }
    return s;
}

template <class E>
constexpr std::size_t enum_count = std::size(enum_strings<E>::values);

template <class E>
bool enum_from_string(std::string_view s, E& out) noexcept {
    for (const auto& v : enum_strings<E>::values) {
        if (v.name == s) {
            out = v.value;
            return true;
        }
    }
    return false;
}

template <class E>
std::string_view enum_to_string(E e) noexcept {
    for (const auto& v : enum_strings<E>::values)
        if (v.value == e) return v.name;
    return {};
}

template <class E>
std::string enum_expected() {
    return expected_list(enum_count<E>, [](std::size_t i) { return single_quoted(enum_strings<E>::values[i].name); });
}

/// A number as literal, for comparisons with the rules' bounds.
template <class V>
literal as_literal(V v) noexcept {
    return literal(v);
}

/// pydantic's number in a message: 5, 0.5, 1e+20 -> as JSON.
std::string number_text(const literal& v);

/// Checks a number (as a literal) against the rules' bounds and one_of.
void check_number(error_sink& sink, const field_rules& r, const literal& x, const nlohmann::json& input);

void check_length(error_sink& sink, const field_rules& r, std::size_t n, const char* field_type,
                         const nlohmann::json& input);

void check_string(error_sink& sink, const field_rules& r, const std::string& s);

/// Applies the rules of a member to its value (read without error). `input` makes the
/// offending value's JSON on demand.
template <class M, class Input>
void check_rules(error_sink& sink, const field_rules& r, const M& v, Input&& input) {
    constexpr type_kind k = kind_v<M>;
    if constexpr (k == type_kind::optional) {
        if (v) check_rules(sink, r, *v, input);
    } else if constexpr (k == type_kind::integer || k == type_kind::floating) {
        const std::size_t before = sink.count();
        check_number(sink, r, as_literal(v), nullptr);
        for (std::size_t i = before; i < sink.count(); ++i) (*sink.errors)[i].input = input();
    } else if constexpr (k == type_kind::string) {
        check_string(sink, r, v);
    } else if constexpr (k == type_kind::vector) {
        if (r.has_min_length || r.has_max_length) {
            if ((r.has_min_length && v.size() < r.min_length) || (r.has_max_length && v.size() > r.max_length))
                check_length(sink, r, v.size(), "List", input());
        }
    } else if constexpr (k == type_kind::map) {
        if ((r.has_min_length && v.size() < r.min_length) || (r.has_max_length && v.size() > r.max_length))
            check_length(sink, r, v.size(), "Dictionary", input());
    } else if constexpr (k == type_kind::enumeration) {
        if (r.one_of_count != 0) {
            bool found = false;
            for (std::size_t i = 0; i < r.one_of_count; ++i) found = found || r.one_of[i].i == static_cast<std::int64_t>(v);
            if (!found) {
                const std::string e = expected_list(r.one_of_count, [&](std::size_t i) {
                    return single_quoted(enum_to_string(static_cast<M>(r.one_of[i].i)));
                });
                sink.add("literal_error", "Input should be " + e, input(), {{"expected", e}});
            }
        }
    }
}

/// Sets an absent member to its rules' default_value.
template <class M>
void apply_default(M& m, const literal& d) {
    using V = typename unwrap_optional<M>::type;
    if (!d.set()) {
        m = M{};
        return;
    }
    if constexpr (kind_v<V> == type_kind::boolean) m = d.b;
    else if constexpr (kind_v<V> == type_kind::integer || kind_v<V> == type_kind::floating) {
        if (d.type == literal::kind::signed_integer) m = static_cast<V>(d.i);
        else if (d.type == literal::kind::unsigned_integer) m = static_cast<V>(d.u);
        else m = static_cast<V>(d.d);
    } else if constexpr (kind_v<V> == type_kind::string) m = std::string(d.s);
    else if constexpr (kind_v<V> == type_kind::enumeration) m = static_cast<V>(d.i);
    else if constexpr (kind_v<V> == type_kind::uuid) {
        V u{};
        (void)V::parse(d.s, u);
        m = u;
    }
}

/// pydantic's messages for a value of the wrong type, but for enums (see type_error).
void type_error_of(error_sink& sink, type_kind k, nlohmann::json input);

// pydantic's messages for a value of the wrong type.
template <class V>
void type_error(error_sink& sink, nlohmann::json input) {
    constexpr type_kind k = kind_v<V>;
    if constexpr (k == type_kind::enumeration) {
        const std::string e = enum_expected<V>();
        sink.add("enum", "Input should be " + e, std::move(input), {{"expected", e}});
    } else {
        type_error_of(sink, k, std::move(input));
    }
}

/// Range of integer type I, checked against a whole number given as sign and magnitude.
template <class I>
bool integer_fits(bool negative, std::uint64_t magnitude, I& out) noexcept {
    if (negative) {
        if constexpr (std::is_unsigned_v<I>) {
            if (magnitude != 0) return false;
            out = 0;
            return true;
        } else {
            const auto lim = static_cast<std::uint64_t>(-(std::numeric_limits<I>::min() + 1)) + 1;
            if (magnitude > lim) return false;
            out = static_cast<I>(magnitude == lim ? std::numeric_limits<I>::min() : -static_cast<I>(magnitude));
            return true;
        }
    } else {
        if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<I>::max())) return false;
        out = static_cast<I>(magnitude);
        return true;
    }
}

/// The error for a whole number outside integer type I.
template <class I>
void integer_range_error(error_sink& sink, bool negative, nlohmann::json input) {
    if (negative) {
        const literal lo(std::numeric_limits<I>::lowest());
        sink.add("greater_than_equal", "Input should be greater than or equal to " + number_text(lo), std::move(input),
                 {{"ge", literal_json(lo)}});
    } else {
        const literal hi(std::numeric_limits<I>::max());
        sink.add("less_than_equal", "Input should be less than or equal to " + number_text(hi), std::move(input),
                 {{"le", literal_json(hi)}});
    }
}

}  // namespace vial::detail

#endif  // VIAL_TYPED_DETAIL_VALIDATE_HPP
