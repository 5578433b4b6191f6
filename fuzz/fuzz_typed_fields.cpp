// The typed key/value reader (vial::read_fields<T>, what vial::query<T> and vial::form<T>
// read): any query string or form body, parsed by vial::parse_query, read into a struct with
// a member of every scalar kind (bool, integers, double, float, string, enum, uuid, optional,
// vectors from repeated keys, defaults and constraints).
//
// Properties:
// 1. Never malformed, never a crash; errors only.
// 2. Differential against a reference written here from docs/typed-apis.md: the value read
//    is ok <=> every member's text parses by the reference's rules (integers: optional sign
//    and decimal digits within the type's range; booleans: pydantic's words in any case;
//    enums and uuids by their text; constraints), except floating text, where the reference
//    only says "plain decimal text in range => ok" (the reader also takes what
//    std::from_chars takes, e.g. "inf" as an error, ".5").
// 3. Round trip: an ok value, written back as a query string (vial::urlencode) and read
//    again, is the same value (compared as vial::to_json_string of both).
#include <vial/http/url.hpp>
#include <vial/typed.hpp>

#include "reference_router.hpp"  // reference::replaced_length: characters as Python counts them

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fuzz {

enum class size { small, medium, large };

struct filter {
    BOOST_HANA_DEFINE_STRUCT(filter,
        (bool, flag),
        (int, limit),
        (std::uint16_t, page),
        (std::int64_t, since),
        (double, ratio),
        (float, weight),
        (std::string, q),
        (size, sz),
        (vial::uuid, id),
        (std::optional<std::int8_t>, tiny),
        (std::optional<bool>, maybe),
        (std::vector<std::string>, tag),
        (std::vector<unsigned>, n));
    static constexpr auto rules = vial::rules(
        vial::field<"flag">(vial::default_value(false)),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(10)),
        vial::field<"page">(vial::default_value(1)),
        vial::field<"since">(vial::default_value()),
        vial::field<"ratio">(vial::minimum(-1), vial::maximum(1), vial::default_value(0.5)),
        vial::field<"weight">(vial::default_value()),
        vial::field<"q">(vial::max_length(5), vial::default_value("")),
        vial::field<"sz">(vial::default_value(size::medium)),
        vial::field<"id">(vial::default_value()),
        vial::field<"tag">(vial::max_length(3), vial::default_value()),
        vial::field<"n">(vial::default_value()));
};

}  // namespace fuzz

template <>
struct vial::enum_strings<fuzz::size> {
    static constexpr vial::enum_string<fuzz::size> values[] = {
        {fuzz::size::small, "small"}, {fuzz::size::medium, "medium"}, {fuzz::size::large, "large"}};
};

namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string_view> values_of(const pairs& ps, std::string_view key) {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : ps)
        if (k == key) out.push_back(v);
    return out;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ref_bool(std::string_view s) {
    std::string l;
    for (char c : s) l += lower(c);
    for (const char* w : {"true", "1", "yes", "on", "t", "y", "false", "0", "no", "off", "f", "n"})
        if (l == w) return true;
    return false;
}

template <class I>
bool ref_int(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return false;
    unsigned __int128 v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
        if (v > (unsigned __int128)1 << 70) v = (unsigned __int128)1 << 70;  // saturate
    }
    if (negative) return v <= static_cast<unsigned __int128>(-static_cast<__int128>(std::numeric_limits<I>::lowest()));
    return v <= static_cast<unsigned __int128>(std::numeric_limits<I>::max());
}

/// Plain decimal text: -?digits(.digits)?([eE][+-]?digits)?
bool plain_decimal(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t b = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > b;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == s.size() && s.size() < 40;
}

/// nullopt: the reference does not say; else whether the text must read.
template <class F>
std::optional<bool> ref_float(std::string_view s, double lo, double hi) {
    if (!plain_decimal(s)) return std::nullopt;
    const double v = std::strtod(std::string(s).c_str(), nullptr);
    if (!std::isfinite(v) || std::fabs(v) > static_cast<double>(std::numeric_limits<F>::max())) return std::nullopt;
    if (v == 0 && s.find_first_of("123456789") != std::string_view::npos) return std::nullopt;  // underflow
    return v >= lo && v <= hi;
}

bool ref_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

/// The reference's verdict on the whole struct: nullopt when it cannot say (floats).
std::optional<bool> reference_verdict(const pairs& ps) {
    bool ok = true;
    bool sure = true;
    auto last = [&](std::string_view key) -> std::optional<std::string_view> {
        const auto vs = values_of(ps, key);
        if (vs.empty()) return std::nullopt;
        return vs.back();
    };
    if (auto s = last("flag")) ok &= ref_bool(*s);
    if (auto s = last("limit")) {
        if (!ref_int<int>(*s)) ok = false;
        else {
            const long long v = std::strtoll(std::string(*s).c_str(), nullptr, 10);
            ok &= v >= 1 && v <= 100;
        }
    }
    if (auto s = last("page")) ok &= ref_int<std::uint16_t>(*s);
    if (auto s = last("since")) ok &= ref_int<std::int64_t>(*s);
    if (auto s = last("ratio")) {
        const auto r = ref_float<double>(*s, -1, 1);
        if (r) ok &= *r;
        else sure = false;
    }
    if (auto s = last("weight")) {
        const auto r = ref_float<float>(*s, -HUGE_VAL, HUGE_VAL);
        if (r) ok &= *r;
        else sure = false;
    }
    // Text that is not UTF-8 counts as Python's bytes.decode("utf-8", "replace") counts it,
    // as FastAPI gets it.
    if (auto s = last("q")) ok &= reference::replaced_length(*s) <= 5;
    if (auto s = last("sz")) ok &= *s == "small" || *s == "medium" || *s == "large";
    if (auto s = last("id")) ok &= ref_uuid(*s);
    if (auto s = last("tiny")) ok &= ref_int<std::int8_t>(*s);
    if (auto s = last("maybe")) ok &= ref_bool(*s);
    ok &= values_of(ps, "tag").size() <= 3;
    for (auto s : values_of(ps, "n")) ok &= ref_int<unsigned>(s);
    if (!sure && ok) return std::nullopt;
    return ok;
}

template <class F>
std::string float_text(F v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

pairs write_back(const fuzz::filter& f) {
    pairs out;
    out.emplace_back("flag", f.flag ? "true" : "false");
    out.emplace_back("limit", std::to_string(f.limit));
    out.emplace_back("page", std::to_string(f.page));
    out.emplace_back("since", std::to_string(f.since));
    out.emplace_back("ratio", float_text(f.ratio));
    out.emplace_back("weight", float_text(f.weight));
    out.emplace_back("q", f.q);
    out.emplace_back("sz", f.sz == fuzz::size::small ? "small" : f.sz == fuzz::size::medium ? "medium" : "large");
    out.emplace_back("id", f.id.to_string());
    if (f.tiny) out.emplace_back("tiny", std::to_string(*f.tiny));
    if (f.maybe) out.emplace_back("maybe", *f.maybe ? "yes" : "no");
    for (const auto& t : f.tag) out.emplace_back("tag", t);
    for (const auto n : f.n) out.emplace_back("n", std::to_string(n));
    return out;
}

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail = {}) {
    std::fprintf(stderr, "typed_fields: %s\n  input: %.*s\n  %s\n", what, static_cast<int>(input.size()), input.data(),
                 detail.c_str());
    std::abort();
}

std::string errors_of(const vial::read_result<fuzz::filter>& r) {
    return vial::detail::dump_replacing_invalid_utf8(vial::validation_error(r.errors).to_json());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    pairs ps;
    for (const auto& [k, v] : vial::parse_query(input)) ps.emplace_back(std::string(k), std::string(v));

    const auto r = vial::read_fields<fuzz::filter>(ps, {"query"});
    if (r.malformed) fail("read_fields said malformed", input);
    const auto want = reference_verdict(ps);
    if (want && *want != r.ok())
        fail(r.ok() ? "read, the reference refuses" : "refused, the reference reads", input, r.ok() ? "" : errors_of(r));
    if (!r.ok()) return 0;

    // Round trip. A string written back may hold invalid UTF-8: compare the members, not JSON.
    const pairs back = write_back(r.value);
    vial::multi_dict back_dict;
    for (const auto& [k, v] : back) back_dict.add(k, v);
    const std::string query = vial::urlencode(back_dict);
    pairs again;
    for (const auto& [k, v] : vial::parse_query(query)) again.emplace_back(std::string(k), std::string(v));
    const auto r2 = vial::read_fields<fuzz::filter>(again, {"query"});
    if (!r2.ok()) fail("written back, it does not read", input, query + "\n  " + errors_of(r2));
    const auto& a = r.value;
    const auto& b = r2.value;
    const bool same = a.flag == b.flag && a.limit == b.limit && a.page == b.page && a.since == b.since &&
                      a.ratio == b.ratio && a.weight == b.weight && a.q == b.q && a.sz == b.sz && a.id == b.id &&
                      a.tiny == b.tiny && a.maybe == b.maybe && a.tag == b.tag && a.n == b.n;
    if (!same) fail("written back, it reads differently", input, query);
    return 0;
}
