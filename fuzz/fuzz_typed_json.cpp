// The typed JSON reader (vial::read_json<T>, what vial::json<T> parameters read), differential
// against nlohmann::json. Every input is read by both, as three types: a struct with a member
// of every kind (bool, integers of several widths, double, float, string, enum, uuid, nested
// struct with forbid_extra, vector, optional, map, nlohmann::json, defaults and constraints),
// a std::vector of structs, and an nlohmann::json value.
//
// Properties, for every input:
// 1. Malformed agrees: nlohmann rejects the bytes <=> vial says malformed (a 400), except the
//    differences docs/typed-apis.md documents, encoded here:
//    - nesting deeper than vial::json_max_depth (64) is malformed for vial, fine for nlohmann;
//    - a UTF-8 byte order mark is skipped by nlohmann, malformed for vial;
//    - a NUL byte outside a string ends the input for nlohmann's lexer ("1\0x" is 1), is
//      malformed for vial;
//    - a number beyond a double's range (1e400) is an error for nlohmann ("number overflow"),
//      valid JSON for vial (a 422 where it lands in a member, nothing where it is skipped):
//      such inputs are not compared further.
// 2. Shape agrees: when both accept the bytes, vial reads them without validation errors <=>
//    a reference reader written here on nlohmann's tree (the rules of docs/typed-apis.md:
//    integers range-checked and 2.0 taken as 2, defaults, optionals, constraints...) does.
//    Documented exception: when a key repeats, the last value wins, but vial still reports
//    the errors of the earlier values; with repeated keys only "vial ok => reference ok" is
//    required.
// 3. Value agrees: when both read the value, vial::to_json_string(vial's value) is
//    byte-for-byte nlohmann's dump() of the JSON the reference makes of nlohmann's tree.
#include <vial/typed.hpp>

#include <boost/hana/accessors.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

enum class colour { red, green, blue };

struct inner {
    BOOST_HANA_DEFINE_STRUCT(inner, (std::string, name), (double, price), (std::optional<int>, qty));
    static constexpr auto rules = vial::rules(vial::field<"price">(vial::exclusive_minimum(0)), vial::forbid_extra);
};

struct everything {
    BOOST_HANA_DEFINE_STRUCT(everything,
        (bool, flag),
        (int, count),
        (std::uint8_t, small),
        (std::int64_t, big),
        (std::uint64_t, ubig),
        (double, real),
        (float, single),
        (std::string, text),
        (colour, hue),
        (vial::uuid, id),
        (inner, child),
        (std::vector<int>, numbers),
        (std::vector<inner>, children),
        (std::optional<std::string>, note),
        (std::map<std::string, double>, prices),
        (nlohmann::json, extra));
    static constexpr auto rules = vial::rules(
        vial::field<"flag">(vial::default_value()),
        vial::field<"count">(vial::minimum(-5), vial::maximum(1000), vial::default_value(7)),
        vial::field<"small">(vial::default_value()),
        vial::field<"big">(vial::default_value()),
        vial::field<"ubig">(vial::default_value()),
        vial::field<"real">(vial::default_value()),
        vial::field<"single">(vial::default_value()),
        vial::field<"text">(vial::min_length(1), vial::max_length(8), vial::default_value("x")),
        vial::field<"id">(vial::default_value()),
        vial::field<"child">(vial::default_value()),
        vial::field<"numbers">(vial::max_length(4), vial::default_value()),
        vial::field<"children">(vial::default_value()),
        vial::field<"prices">(vial::default_value()),
        vial::field<"extra">(vial::default_value()));
};

}  // namespace fuzz

template <>
struct vial::enum_strings<fuzz::colour> {
    static constexpr vial::enum_string<fuzz::colour> values[] = {
        {fuzz::colour::red, "red"}, {fuzz::colour::green, "green"}, {fuzz::colour::blue, "blue"}};
};

namespace {

namespace hana = boost::hana;
using json = nlohmann::json;
using expected = std::optional<json>;  // the JSON the value writes as, or nullopt: not valid

template <class T>
struct tag {};

// ---- The reference: what a value of each type is, read from nlohmann's tree ----

template <class T>
expected ref(const json& j, tag<std::optional<T>>);
template <class T>
expected ref(const json& j, tag<std::vector<T>>);
template <class T>
expected ref(const json& j, tag<std::map<std::string, T>>);
template <class T>
    requires hana::Struct<T>::value
expected ref(const json& j, tag<T>);

expected ref(const json& j, tag<bool>) { return j.is_boolean() ? expected(j) : std::nullopt; }

template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
expected ref(const json& j, tag<I>) {
    using lim = std::numeric_limits<I>;
    if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(lim::max())) return std::nullopt;
        return json(static_cast<I>(u));
    }
    if (j.is_number_integer()) {
        const auto s = j.get<std::int64_t>();
        if (s < 0 && !lim::is_signed) return std::nullopt;
        if (s < static_cast<std::int64_t>(lim::lowest()) || (lim::is_signed && s > static_cast<std::int64_t>(lim::max())))
            return std::nullopt;
        return json(static_cast<I>(s));
    }
    if (j.is_number_float()) {  // 2.0 and 1e2 are whole numbers: taken, as pydantic takes them
        const double v = j.get<double>();
        if (std::trunc(v) != v) return std::nullopt;
        const long double w = v;
        if (w < static_cast<long double>(lim::lowest()) || w > static_cast<long double>(lim::max())) return std::nullopt;
        return json(static_cast<I>(v));
    }
    return std::nullopt;
}

expected ref(const json& j, tag<double>) { return j.is_number() ? expected(json(j.get<double>())) : std::nullopt; }

expected ref(const json& j, tag<float>) {
    if (!j.is_number()) return std::nullopt;
    const double d = j.get<double>();
    if (std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max())) return std::nullopt;
    return json(static_cast<float>(d));
}

expected ref(const json& j, tag<std::string>) { return j.is_string() ? expected(j) : std::nullopt; }

expected ref(const json& j, tag<fuzz::colour>) {
    if (!j.is_string()) return std::nullopt;
    const auto& s = j.get_ref<const std::string&>();
    return (s == "red" || s == "green" || s == "blue") ? expected(j) : std::nullopt;
}

expected ref(const json& j, tag<vial::uuid>) {
    if (!j.is_string()) return std::nullopt;
    std::string s = j.get<std::string>();
    if (s.size() != 36) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char& c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return std::nullopt;
        } else if (c >= 'A' && c <= 'F') {
            c = static_cast<char>(c - 'A' + 'a');
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return std::nullopt;
        }
    }
    return json(s);
}

expected ref(const json& j, tag<json>) { return j; }

template <class T>
expected ref(const json& j, tag<std::optional<T>>) {
    if (j.is_null()) return json(nullptr);
    return ref(j, tag<T>{});
}

template <class T>
expected ref(const json& j, tag<std::vector<T>>) {
    if (!j.is_array()) return std::nullopt;
    json out = json::array();
    for (const auto& item : j) {
        auto v = ref(item, tag<T>{});
        if (!v) return std::nullopt;
        out.push_back(std::move(*v));
    }
    return out;
}

template <class T>
expected ref(const json& j, tag<std::map<std::string, T>>) {
    if (!j.is_object()) return std::nullopt;
    json out = json::object();
    for (const auto& [k, item] : j.items()) {
        auto v = ref(item, tag<T>{});
        if (!v) return std::nullopt;
        out[k] = std::move(*v);
    }
    return out;
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// The members' defaults and constraints, as the structs above declare them (written again
// here, by hand, as the reference's own spec).
expected absent(tag<fuzz::inner>, std::string_view) { return std::nullopt; }
expected absent(tag<fuzz::everything>, std::string_view name) {
    static const std::map<std::string, json, std::less<>> defaults = {
        {"flag", false}, {"count", 7}, {"small", 0}, {"big", 0}, {"ubig", 0}, {"real", 0.0}, {"single", 0.0},
        {"text", "x"}, {"id", "00000000-0000-0000-0000-000000000000"},
        {"child", {{"name", ""}, {"price", 0.0}, {"qty", nullptr}}}, {"numbers", json::array()},
        {"children", json::array()}, {"prices", json::object()}, {"extra", nullptr}};
    const auto it = defaults.find(name);
    if (it == defaults.end()) return std::nullopt;
    return it->second;
}
bool constraints_hold(tag<fuzz::inner>, const json& in, const json& out) {
    for (const auto& [k, v] : in.items())
        if (k != "name" && k != "price" && k != "qty") return false;  // forbid_extra
    return !in.contains("price") || out["price"].get<double>() > 0;
}
bool constraints_hold(tag<fuzz::everything>, const json& in, const json& out) {
    if (in.contains("count")) {
        const auto c = out["count"].get<std::int64_t>();
        if (c < -5 || c > 1000) return false;
    }
    if (in.contains("text")) {
        const auto n = code_points(out["text"].get<std::string>());
        if (n < 1 || n > 8) return false;
    }
    return !in.contains("numbers") || out["numbers"].size() <= 4;
}

template <class T>
    requires hana::Struct<T>::value
expected ref(const json& j, tag<T>) {
    if (!j.is_object()) return std::nullopt;
    json out = json::object();
    bool ok = true;
    hana::for_each(hana::accessors<T>(), [&](auto pair) {
        using M = std::remove_cvref_t<decltype(hana::second(pair)(std::declval<T&>()))>;
        const std::string name = hana::to<const char*>(hana::first(pair));
        expected v;
        if (const auto it = j.find(name); it != j.end()) v = ref(*it, tag<M>{});
        else if constexpr (vial::detail::is_optional<M>::value) v = json(nullptr);
        else v = absent(tag<T>{}, name);
        if (!v) ok = false;
        else out[name] = std::move(*v);
    });
    if (!ok || !constraints_hold(tag<T>{}, j, out)) return std::nullopt;
    return out;
}

// ---- Helpers ----

std::size_t depth(const json& j) {
    std::size_t d = 0;
    if (j.is_structured())
        for (const auto& item : j) d = std::max(d, depth(item));
    return j.is_structured() ? d + 1 : 0;
}

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& a = {}, const std::string& b = {}) {
    std::fprintf(stderr, "typed_json: %s\n  input: %.*s\n  vial:      %s\n  reference: %s\n", what,
                 static_cast<int>(input.size()), input.data(), a.c_str(), b.c_str());
    std::abort();
}

template <class T>
void check(std::string_view input, const json& tree, bool repeated_keys, bool too_deep) {
    const auto r = vial::read_json<T>(input);
    if (r.malformed) {
        if (!too_deep) fail("vial says malformed, nlohmann accepts", input, r.malformed->what());
        return;
    }
    if (too_deep) fail("nesting deeper than 64 accepted", input);
    const expected want = ref(tree, tag<T>{});
    if (r.ok() && !want) fail("vial reads a value the reference refuses", input, vial::to_json_string(r.value));
    if (!r.ok() && want && !repeated_keys)
        fail("vial refuses a value the reference reads", input,
             vial::detail::dump_replacing_invalid_utf8(vial::validation_error(r.errors).to_json()), want->dump());
    if (r.ok()) {
        const std::string ours = vial::to_json_string(r.value);
        const std::string theirs = want->dump();
        if (ours != theirs) fail("written value differs", input, ours, theirs);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // nlohmann's verdict, noting repeated keys in any object on the way.
    std::vector<std::set<std::string>> open_objects;
    bool repeated_keys = false;
    const json::parser_callback_t note_keys = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) open_objects.emplace_back();
        else if (event == json::parse_event_t::object_end) open_objects.pop_back();
        else if (event == json::parse_event_t::key && !open_objects.back().insert(parsed.get<std::string>()).second)
            repeated_keys = true;
        return true;
    };
    json tree;
    bool accepted = true;
    try {
        tree = json::parse(input.begin(), input.end(), note_keys);
    } catch (const json::parse_error&) {
        accepted = false;
    } catch (const json::out_of_range& e) {
        if (e.id == 406) return 0;  // a number beyond a double: valid JSON to vial (documented)
        throw;
    }

    const bool bom = input.starts_with("\xEF\xBB\xBF");
    // nlohmann's lexer takes a NUL byte outside a string as the end of the input (and refuses
    // one inside, as a control character): "1\0x" is 1 to it. RFC 8259 has no such rule.
    const bool nul = input.find('\0') != std::string_view::npos;
    if (!accepted || bom || nul) {
        // Malformed for vial too, whatever type it reads.
        if (!vial::read_json<fuzz::everything>(input).malformed) fail("nlohmann refuses, vial accepts (struct)", input);
        if (!vial::read_json<std::vector<fuzz::inner>>(input).malformed) fail("nlohmann refuses, vial accepts (vector)", input);
        if (!vial::read_json<json>(input).malformed) fail("nlohmann refuses, vial accepts (json)", input);
        return 0;
    }
    const bool too_deep = depth(tree) > static_cast<std::size_t>(vial::json_max_depth);
    check<fuzz::everything>(input, tree, repeated_keys, too_deep);
    check<std::vector<fuzz::inner>>(input, tree, repeated_keys, too_deep);
    check<json>(input, tree, repeated_keys, too_deep);
    return 0;
}
