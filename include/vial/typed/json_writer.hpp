#ifndef VIAL_TYPED_JSON_WRITER_HPP
#define VIAL_TYPED_JSON_WRITER_HPP

/// @file
/// `vial::write_json`: serializes a value of a reflected type (or any supported type)
/// straight to JSON text, with no tree in between, byte-identical to `dump()` of the same
/// value as an `nlohmann::json`: compact, object keys sorted by name (nlohmann::json keeps
/// objects in a std::map), floats as nlohmann writes them, NaN and infinities as null,
/// control characters escaped as `\u001f`, other text (non-ASCII too) as it is.
///
/// @par Example
/// @code
/// std::string body = vial::to_json_string(todo);  // {"done":false,"id":1,"title":"milk"}
/// @endcode

#include <vial/typed/detail/json_cursor.hpp>
#include <vial/typed/detail/validate.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/reflect.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vial {

namespace detail {

/// Appends `s` as a JSON string, escaped as nlohmann's dump() escapes it.
inline void write_string(std::string& out, std::string_view s) {
    out += '"';
    const char* p = s.data();
    const char* end = p + s.size();
    const char* run = p;
    constexpr char hex[] = "0123456789abcdef";
    while (p != end) {
        p = plain_run(p, end);
        if (p == end) break;
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            // Checked, copied as it is.
            const std::size_t n = utf8_sequence(p, end);
            if (n == 0)
                throw invalid_utf8("vial: invalid UTF-8 byte at index " + std::to_string(p - s.data()) +
                                   " of a string being written as JSON");
            p += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++p;
            continue;
        }
        out.append(run, p);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
        }
        run = ++p;
    }
    out.append(run, end);
    out += '"';
}

template <class F>
void write_floating(std::string& out, F value) {
    const auto v = static_cast<double>(value);
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[64];
    char* e = ::nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, e);
}

template <class I>
void write_integer(std::string& out, I value) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

/// Member indices of T in the order nlohmann::json keeps keys: sorted by name.
template <class T>
constexpr auto sorted_members() noexcept {
    constexpr auto names = member_names_v<T>;
    std::array<std::size_t, names.size()> order{};
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    return order;
}

/// `"name":`, with a ',' before it unless it is the first member written.
template <class T, std::size_t I, bool First>
constexpr auto key_text() noexcept {
    constexpr std::string_view name = member_name<T, I>;
    std::array<char, name.size() + 4> out{};
    std::size_t at = 0;
    if constexpr (!First) out[at++] = ',';
    out[at++] = '"';
    for (char c : name) out[at++] = c;
    out[at++] = '"';
    out[at++] = ':';
    return out;
}
template <class T, std::size_t I, bool First>
inline constexpr auto key_text_v = key_text<T, I, First>();

template <class T>
void write_value(std::string& out, const T& v);

template <class T, std::size_t... J>
void write_struct(std::string& out, const T& v, std::index_sequence<J...>) {
    constexpr auto order = sorted_members<T>();
    out += '{';
    ((out.append(key_text_v<T, order[J], J == 0>.data(), key_text_v<T, order[J], J == 0>.size() - (J == 0 ? 1 : 0)),
      write_value(out, member<order[J]>(v))),
     ...);
    out += '}';
}

template <class T>
void write_value(std::string& out, const T& v) {
    constexpr type_kind k = kind_v<T>;
    if constexpr (k == type_kind::boolean) {
        out += v ? "true" : "false";
    } else if constexpr (k == type_kind::integer) {
        write_integer(out, v);
    } else if constexpr (k == type_kind::floating) {
        write_floating(out, v);
    } else if constexpr (k == type_kind::string) {
        write_string(out, v);
    } else if constexpr (k == type_kind::enumeration) {
        write_string(out, enum_to_string(v));
    } else if constexpr (k == type_kind::uuid) {
        out += '"';
        out += v.to_string();
        out += '"';
    } else if constexpr (k == type_kind::any) {
        out += v.dump();
    } else if constexpr (k == type_kind::optional) {
        if (v) write_value(out, *v);
        else out += "null";
    } else if constexpr (k == type_kind::vector) {
        out += '[';
        bool first = true;
        for (const auto& item : v) {
            if (!first) out += ',';
            first = false;
            write_value(out, item);
        }
        out += ']';
    } else if constexpr (k == type_kind::map) {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : v) {
            if (!first) out += ',';
            first = false;
            write_string(out, key);
            out += ':';
            write_value(out, item);
        }
        out += '}';
    } else if constexpr (k == type_kind::structure) {
        write_struct(out, v, std::make_index_sequence<member_count<T>>{});
    } else if constexpr (k == type_kind::file) {
        out += "null";  // a file is never written as JSON
    }
}

template <class T>
nlohmann::json to_tree(const T& v) {
    constexpr type_kind k = kind_v<T>;
    if constexpr (k == type_kind::enumeration) {
        return std::string(enum_to_string(v));
    } else if constexpr (k == type_kind::uuid) {
        return v.to_string();
    } else if constexpr (k == type_kind::floating) {
        return static_cast<double>(v);
    } else if constexpr (k == type_kind::optional) {
        return v ? to_tree(*v) : nlohmann::json(nullptr);
    } else if constexpr (k == type_kind::vector) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& item : v) a.push_back(to_tree(item));
        return a;
    } else if constexpr (k == type_kind::map) {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& [key, item] : v) o[key] = to_tree(item);
        return o;
    } else if constexpr (k == type_kind::file) {
        return nullptr;
    } else if constexpr (k == type_kind::structure) {
        nlohmann::json o = nlohmann::json::object();
        for_each_member<T>([&](auto i) {
            constexpr std::size_t I = decltype(i)::value;
            o[std::string(member_name<T, I>)] = to_tree(member<I>(v));
        });
        return o;
    } else {
        return nlohmann::json(v);
    }
}

}  // namespace detail

/// Appends the JSON of `value` to `out`, byte-identical to `nlohmann::json` of the same
/// value `.dump()` (object keys sorted by name).
/// @throws vial::invalid_utf8 for a string that is not UTF-8
template <class T>
void write_json(std::string& out, const T& value) {
    if constexpr (detail::type_ok<T>) detail::write_value(out, value);
}

/// @return the JSON of `value`; see `vial::write_json`.
template <class T>
std::string to_json_string(const T& value) {
    std::string out;
    write_json(out, value);
    return out;
}

/// @return `value` as an nlohmann::json tree, for code that wants one.
template <class T>
nlohmann::json to_nlohmann(const T& value) {
    if constexpr (detail::type_ok<T>) return detail::to_tree(value);
    else return nullptr;
}

}  // namespace vial

#endif  // VIAL_TYPED_JSON_WRITER_HPP
