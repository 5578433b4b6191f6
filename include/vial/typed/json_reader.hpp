#ifndef VIAL_TYPED_JSON_READER_HPP
#define VIAL_TYPED_JSON_READER_HPP

/// @file
/// `vial::read_json<T>`: fills a value of a reflected type (or any supported type) straight
/// from JSON bytes, without building a tree, checking the rules of every member and
/// collecting every error at once.
///
/// @par Example
/// @code
/// auto r = vial::read_json<new_todo>(R"({"title": "", "priority": 9})");
/// if (r.malformed) { /* 400: r.malformed->to_json() */ }
/// else if (!r.errors.empty()) { /* 422: vial::validation_error(r.errors).to_json() */ }
/// else use(r.value);
/// @endcode

#include <vial/typed/detail/json_cursor.hpp>
#include <vial/typed/detail/validate.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/reflect.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace vial {

namespace detail {

struct json_reader {
    json_cursor c;
    error_sink sink;
    std::string scratch;

    /// The JSON of the bytes [b, e), valid JSON by the time it is asked for.
    static nlohmann::json input_of(const char* b, const char* e);
    /// Parses the value [b, e) (whose syntax the cursor checked) into `out`; false for a
    /// number beyond a double, which nlohmann refuses.
    static bool parse_value(const char* b, const char* e, nlohmann::json& out);
    /// Skips the value at the cursor and reports it with `report(input)`.
    template <class V>
    void wrong_type() {
        const char* b = c.pos();
        c.skip_value();
        type_error<V>(sink, input_of(b, c.pos()));
    }
};

template <class T>
void read_value(json_reader& r, T& out);

/// Roughly log10 of a scanned number's magnitude: digits before the point plus the exponent
/// (saturated). Only its sign is used: > 0 for a number too large for a double, <= 0 for one
/// too small.
long decimal_magnitude(const json_number& n) noexcept;

template <class I>
void read_integer(json_reader& r, I& out) {
    const char* b = r.c.pos();
    const char ch = r.c.peek();
    if (ch != '-' && !json_cursor::digit(ch)) return r.wrong_type<I>();
    const json_number n = r.c.number();
    if (n.integral) {
        const char* d = n.begin + (n.negative ? 1 : 0);
        std::uint64_t magnitude = 0;
        bool overflow = false;
        for (const char* q = d; q != n.end; ++q) {
            const auto digit = static_cast<std::uint64_t>(*q - '0');
            if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                overflow = true;
                break;
            }
            magnitude = magnitude * 10 + digit;
        }
        if (overflow || !integer_fits(n.negative, magnitude, out))
            integer_range_error<I>(r.sink, n.negative, json_reader::input_of(b, n.end));
        return;
    }
    double v = 0;
    const auto res = std::from_chars(n.begin, n.end, v);
    if (res.ec == std::errc{} && std::trunc(v) == v) {
        // A whole number written as a float (1.0, 1e2): pydantic takes it.
        if (v >= static_cast<double>(std::numeric_limits<I>::lowest()) &&
            v < 2.0 * static_cast<double>(std::numeric_limits<I>::max() / 2 + 1)) {
            out = static_cast<I>(v);
            return;
        }
        integer_range_error<I>(r.sink, v < 0, json_reader::input_of(b, n.end));
        return;
    }
    if (res.ec == std::errc::result_out_of_range) {
        // Beyond a double: 1e400 is out of the integer's range; 1e-400 is 0, as Python reads it.
        if (decimal_magnitude(n) > 0) {
            integer_range_error<I>(r.sink, n.negative, json_reader::input_of(b, n.end));
        } else {
            out = 0;
        }
        return;
    }
    r.sink.add("int_from_float", "Input should be a valid integer, got a number with a fractional part",
               json_reader::input_of(b, n.end));
}

template <class F>
void read_floating(json_reader& r, F& out) {
    const char* b = r.c.pos();
    const char ch = r.c.peek();
    if (ch != '-' && !json_cursor::digit(ch)) return r.wrong_type<F>();
    const json_number n = r.c.number();
    // "-0" is an integer, and an integer zero has no sign: 0.0, as nlohmann and Python read it
    // ("-0.0" and "-0e1" stay negative).
    const bool integer_zero = n.integral && n.negative && n.end - n.begin == 2 && n.begin[1] == '0';
    if constexpr (std::is_same_v<F, long double>) {
        const auto res = std::from_chars(n.begin, n.end, out);
        if (integer_zero) out = 0;
        if (res.ec == std::errc{}) return;
    } else {
        double v = 0;
        const auto res = std::from_chars(n.begin, n.end, v);
        if (integer_zero) v = 0;
        if (res.ec == std::errc{} && std::fabs(v) <= static_cast<double>(std::numeric_limits<F>::max())) {
            out = static_cast<F>(v);
            return;
        }
        if (res.ec == std::errc::result_out_of_range) {
            // Underflow reads as zero; overflow is not a finite number.
            long double big = 0;
            const auto r2 = std::from_chars(n.begin, n.end, big);
            if (r2.ec == std::errc{} && std::fabs(big) < 1) {
                out = F{};
                return;
            }
        }
    }
    r.sink.add("finite_number", "Input should be a finite number", json_reader::input_of(b, n.end));
}

template <class T>
void read_struct(json_reader& r, T& out);

template <class T>
void read_value(json_reader& r, T& out) {
    constexpr type_kind k = kind_v<T>;
    json_cursor& c = r.c;
    c.ws();
    if constexpr (k == type_kind::boolean) {
        if (c.peek() == 't') c.word("true", 4), out = true;
        else if (c.peek() == 'f') c.word("false", 5), out = false;
        else r.wrong_type<T>();
    } else if constexpr (k == type_kind::integer) {
        read_integer(r, out);
    } else if constexpr (k == type_kind::floating) {
        read_floating(r, out);
    } else if constexpr (k == type_kind::string) {
        if (c.peek() == '"') c.string(out);
        else r.wrong_type<T>();
    } else if constexpr (k == type_kind::enumeration) {
        const char* b = c.pos();
        if (c.peek() == '"') {
            const std::string_view s = c.key(r.scratch);
            if (enum_from_string(s, out)) return;
        } else {
            c.skip_value();
        }
        type_error<T>(r.sink, json_reader::input_of(b, c.pos()));
    } else if constexpr (k == type_kind::uuid) {
        const char* b = c.pos();
        if (c.peek() != '"') return r.wrong_type<T>();
        const std::string_view s = c.key(r.scratch);
        if (!T::parse(s, out))
            r.sink.add("uuid_parsing", "Input should be a valid UUID, invalid length or character",
                       json_reader::input_of(b, c.pos()));
    } else if constexpr (k == type_kind::any) {
        const char* b = c.pos();
        c.skip_value();
        // The syntax is checked: the only thing nlohmann can still refuse is a number beyond a
        // double (-1e100000), which is valid JSON that fits no value: a 422, not a 400.
        if (!json_reader::parse_value(b, c.pos(), out)) {
            out = nullptr;
            r.sink.add("finite_number", "Input should be a finite number", std::string(b, c.pos()));
        }
    } else if constexpr (k == type_kind::optional) {
        if (c.peek() == 'n') {
            c.word("null", 4);
            out.reset();
        } else {
            if (!out) out.emplace();
            read_value(r, *out);
        }
    } else if constexpr (k == type_kind::vector) {
        if (c.peek() != '[') return r.wrong_type<T>();
        c.enter();
        out.clear();
        c.ws();
        if (c.peek() == ']') {
            c.leave();
            return;
        }
        for (std::size_t i = 0;; ++i) {
            r.sink.push(i);
            read_value(r, out.emplace_back());
            r.sink.pop();
            if (!c.more_items()) break;
        }
        c.leave();
    } else if constexpr (k == type_kind::map) {
        if (c.peek() != '{') return r.wrong_type<T>();
        c.enter();
        out.clear();
        c.ws();
        if (c.peek() == '}') {
            c.leave();
            return;
        }
        std::string key;
        for (;;) {
            if (c.peek() != '"') c.fail(c.pos(), "expected a string key");
            c.string(key);
            c.ws();
            c.expect(':', "expected ':'");
            r.sink.push(std::string_view(key));
            read_value(r, out[key]);
            r.sink.pop();
            if (!c.more_members()) break;
        }
        c.leave();
    } else if constexpr (k == type_kind::structure) {
        if (c.peek() != '{') return r.wrong_type<T>();
        read_struct(r, out);
    } else if constexpr (k == type_kind::file) {
        const char* b = c.pos();
        c.skip_value();
        r.sink.add("value_error", "Value error, a file comes from a multipart form, not from JSON",
                   json_reader::input_of(b, c.pos()));
    }
}

/// Reads a member of type M at `p` (the sink's path is at the member) and, when it has rules
/// and was read without error, checks them. One instantiation per member *type*, shared by
/// every struct that has a member of that type.
template <class M>
void read_member_value(json_reader& r, void* p, const field_rules* rules) {
    M& m = *static_cast<M*>(p);
    if (rules != nullptr) {
        r.c.ws();
        const char* b = r.c.pos();
        const std::size_t before = r.sink.count();
        read_value(r, m);
        if (r.sink.count() == before)
            check_rules(r.sink, *rules, m, [&] { return json_reader::input_of(b, r.c.pos()); });
    } else {
        read_value(r, m);
    }
}

/// An absent member with a default_value takes it.
template <class M>
void absent_default(void* p, const field_rules* rules) {
    apply_default(*static_cast<M*>(p), rules->default_value);
}

/// An absent optional member is empty.
template <class M>
void absent_optional(void* p, const field_rules*) {
    static_cast<M*>(p)->reset();
}

template <class T, std::size_t I>
void* member_address(void* obj) {
    return &member<I>(*static_cast<T*>(obj));
}

/// How the reader fills one member of a struct: data, built once per struct.
struct member_reader {
    std::string_view name;
    void* (*address)(void* obj);
    void (*read)(json_reader& r, void* member, const field_rules* rules);
    /// When the member is absent: its default or an empty optional; nullptr: "missing".
    void (*absent)(void* member, const field_rules* rules);
    const field_rules* rules;
};

template <class T, std::size_t I>
constexpr member_reader make_member_reader() noexcept {
    using M = member_type<T, I>;
    void (*absent)(void*, const field_rules*) = nullptr;
    if constexpr (has_default<T, I>) absent = &absent_default<M>;
    else if constexpr (kind_v<M> == type_kind::optional) absent = &absent_optional<M>;
    return {member_name<T, I>, &member_address<T, I>, &read_member_value<M>, absent, member_rules<T, I>};
}

/// The members of T as the reader sees them (one constant table per struct).
template <class T>
inline constexpr auto member_readers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<member_reader, sizeof...(I)>{make_member_reader<T, I>()...};
}(std::make_index_sequence<member_count<T>>{});

/// Index of the member called `key`, or `count`.
std::size_t find_member(const member_reader* members, std::size_t count, std::string_view key) noexcept;

/// Fills absent members: defaults, empty optionals, or "missing".
void finish_struct(error_sink& sink, void* out, const member_reader* members, std::size_t count,
                          const bool* seen, const char* obj_begin, const char* obj_end);

/// Reads an object into a struct, member by member, through its table: not a template, so it
/// is compiled once whatever the number of structs.
void read_object(json_reader& r, void* out, const member_reader* members, std::size_t n, bool forbid_extra);

template <class T>
void read_struct(json_reader& r, T& out) {
    read_object(r, &out, member_readers<T>.data(), member_readers<T>.size(), rules_of<T>.forbid_extra);
}

}  // namespace detail

namespace detail {

template <class T>
void read_root(json_reader& r, void* out) {
    read_value(r, *static_cast<T*>(out));
}

/// The document around the value: whitespace, the end, syntax errors (not a template).
void read_document(std::string_view bytes, const loc& prefix, void* out, void (*read)(json_reader&, void*),
                          std::vector<error_detail>& errors, std::optional<malformed_json>& malformed);

}  // namespace detail

/// Reads `bytes` as JSON into a `T`: a reflected struct or any supported type
/// (`std::vector<todo>`, `int`, ...), without building a tree.
/// @param bytes the document (UTF-8)
/// @param prefix where errors are located ("body" by default): each error's `loc` starts with it
/// @return the value; `malformed` set when the bytes are not JSON (or nest deeper than
///         `vial::json_max_depth`), else every error of shape or rules in `errors`
template <class T>
read_result<T> read_json(std::string_view bytes, const loc& prefix = {"body"}) {
    read_result<T> result;
    if constexpr (detail::type_ok<T>)
        detail::read_document(bytes, prefix, &result.value, &detail::read_root<T>, result.errors, result.malformed);
    return result;
}

/// Reads `bytes` into a `T` or throws.
/// @throws vial::malformed_json when the bytes are not JSON
/// @throws vial::validation_error with every error when they do not fit `T`
template <class T>
T parse_json(std::string_view bytes, const loc& prefix = {"body"}) {
    return read_json<T>(bytes, prefix).get();
}

}  // namespace vial

#endif  // VIAL_TYPED_JSON_READER_HPP
