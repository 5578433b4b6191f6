#ifndef VIAL_WEB_DETAIL_STRUCT_JSON_HPP
#define VIAL_WEB_DETAIL_STRUCT_JSON_HPP

/// @file
/// A typed session's fields to and from JSON, for Hana-reflected structs
/// (BOOST_HANA_DEFINE_STRUCT / BOOST_HANA_ADAPT_STRUCT): strings, bool, integers, floating
/// point, std::optional, std::vector and nested reflected structs.
///
/// Why not the typed layer's reader and writer (<vial/typed/json_reader.hpp>, json_writer.hpp),
/// looked at on 2026-12-07: (1) a session is one nlohmann object shared with the string-map
/// view, flashes and the CSRF token, and a typed session writes back only the fields that
/// changed; the typed reader reads text and reports a member without a default as "missing",
/// so a session holding some of T's fields would read back as empty, where this bridge keeps
/// the default of each absent field; (2) bridging means a dump and a parse per request; (3)
/// the two typed headers add about 0.5 s CPU and 47 MB to every file that includes
/// <vial/web/session.hpp> (g++ 12 -O2 -fsyntax-only: 3.5 s / 373 MB against 3.0 s / 325 MB,
/// load 15). Revisit if the typed reader gets a "missing means default" mode and a tree input.

#include <boost/hana/accessors.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/concept/struct.hpp>

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace vial::detail::web {

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};

template <class T>
constexpr bool storable() {
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_arithmetic_v<T>) return true;
    else if constexpr (is_std_optional<T>::value || is_std_vector<T>::value) return storable<typename T::value_type>();
    else return boost::hana::Struct<T>::value;
}

template <class T>
nlohmann::json to_json(const T& value) {
    if constexpr (is_std_optional<T>::value) {
        return value ? to_json(*value) : nlohmann::json(nullptr);
    } else if constexpr (is_std_vector<T>::value) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : value) out.push_back(to_json(v));
        return out;
    } else if constexpr (boost::hana::Struct<T>::value) {
        nlohmann::json out = nlohmann::json::object();
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
            out[boost::hana::to<const char*>(boost::hana::first(pair))] = to_json(boost::hana::second(pair)(value));
        });
        return out;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
        return nlohmann::json(value);
    } else {
        return nlohmann::json();  // not storable: session<T> has reported it
    }
}

/// Whether `a` and `b` hold the same values, so that to_json would write them alike (false
/// when in doubt: a caller then compares their JSON).
template <class T>
bool same_value(const T& a, const T& b) {
    if constexpr (is_std_optional<T>::value) {
        return a.has_value() == b.has_value() && (!a || same_value(*a, *b));
    } else if constexpr (is_std_vector<T>::value) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_value<typename T::value_type>(a[i], b[i])) return false;
        return true;
    } else if constexpr (boost::hana::Struct<T>::value) {
        bool same = true;
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
            same = same && same_value(boost::hana::second(pair)(a), boost::hana::second(pair)(b));
        });
        return same;
    } else if constexpr (std::is_same_v<T, std::string> || std::is_integral_v<T>) {
        return a == b;
    } else {
        return false;  // floating point (NaN), and what is not storable
    }
}

/// @return false when `j` does not hold a T (`out` is then partly written)
template <class T>
bool from_json(const nlohmann::json& j, T& out) {
    if constexpr (std::is_same_v<T, std::string>) {
        if (!j.is_string()) return false;
        out = j.get<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!j.is_boolean()) return false;
        out = j.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        if (j.is_number_unsigned()) {
            const auto v = j.get<std::uint64_t>();
            if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return false;
            out = static_cast<T>(v);
        } else if (j.is_number_integer()) {
            const auto v = j.get<std::int64_t>();
            if constexpr (std::is_unsigned_v<T>) {
                if (v < 0 || static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
                    return false;
            } else {
                if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
                    v > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
                    return false;
            }
            out = static_cast<T>(v);
        } else {
            return false;
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!j.is_number()) return false;
        out = j.get<T>();
    } else if constexpr (is_std_optional<T>::value) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        typename T::value_type v{};
        if (!from_json(j, v)) return false;
        out = std::move(v);
    } else if constexpr (is_std_vector<T>::value) {
        if (!j.is_array()) return false;
        out.clear();
        for (const auto& e : j) {
            typename T::value_type v{};
            if (!from_json(e, v)) return false;
            out.push_back(std::move(v));
        }
    } else if constexpr (!boost::hana::Struct<T>::value) {
        return false;  // not storable: session<T> has reported it
    } else {
        if (!j.is_object()) return false;
        bool ok = true;
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
            const auto it = j.find(boost::hana::to<const char*>(boost::hana::first(pair)));
            if (ok && it != j.end()) ok = from_json(*it, boost::hana::second(pair)(out));
        });
        return ok;
    }
    return true;
}

}  // namespace vial::detail::web

#endif  // VIAL_WEB_DETAIL_STRUCT_JSON_HPP
