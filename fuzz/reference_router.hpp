// A plain reference matcher for the route fuzzers: no trie, no hashing, no word-at-a-time
// reads. It parses each rule's text itself, tries every route against the path one segment at
// a time, orders the routes that match by vial's documented precedence (docs/routes.md:
// literals, then int, float, uuid, any, custom, string, path; converter arguments after), and
// derives the status from that list: the first route that has the method (HEAD falls back to
// GET), else 405/OPTIONS with the methods of all of them, else a 308 when the path plus '/'
// names a route, else 404.
#ifndef VIAL_FUZZ_REFERENCE_ROUTER_HPP
#define VIAL_FUZZ_REFERENCE_ROUTER_HPP

#include <vial/route/method.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace reference {

enum class kind { literal, int_, float_, uuid, any, string, path };

struct spec {
    kind k = kind::literal;
    std::string literal;
    bool is_signed = false;
    bool has_min = false, has_max = false;
    std::int64_t min = 0, max = 0;
    unsigned fixed_digits = 0;
    std::size_t min_length = 1, max_length = 0;  // string; max 0: none
    std::vector<std::string> options;            // any
    bool signed_handler = false;                 // int: the handler takes int64_t (else uint64_t)
};

/// The length of `text` in characters as Python's bytes.decode("utf-8", "replace") counts them
/// (Werkzeug's reading of a path): each well-formed sequence of Unicode's table 3-7 is one
/// character, and so is each maximal ill-formed subpart (a lone continuation byte, a lead byte
/// followed by too few continuation bytes).
inline std::size_t replaced_length(std::string_view text) {
    struct row { unsigned char lead_lo, lead_hi, second_lo, second_hi; std::size_t size; };
    static constexpr row table[] = {
        {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
        {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
        {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4}};
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        ++chars;
        ++i;
        const row* r = nullptr;
        for (const row& candidate : table)
            if (lead >= candidate.lead_lo && lead <= candidate.lead_hi) r = &candidate;
        if (r == nullptr) continue;  // ASCII, or a byte no sequence starts with: one character
        for (std::size_t k = 1; k < r->size && i < text.size(); ++k, ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            const bool ok = k == 1 ? c >= r->second_lo && c <= r->second_hi : c >= 0x80 && c <= 0xBF;
            if (!ok) break;
        }
    }
    return chars;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

inline std::int64_t to_int(std::string_view s) {
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

/// "/users/<int(min=1):id>/x" -> [users, int(min=1), x]; "/" -> [""] ; "/a/" -> [a, ""].
inline std::vector<spec> parse_rule(std::string_view rule) {
    std::vector<spec> out;
    rule.remove_prefix(1);
    while (true) {
        const auto slash = rule.find('/');
        const auto piece = rule.substr(0, slash);
        spec s;
        if (piece.starts_with('<')) {
            auto inner = piece.substr(1, piece.size() - 2);
            const auto colon = inner.rfind(':');
            std::string_view conv = colon == std::string_view::npos ? "string" : inner.substr(0, colon);
            std::string_view args;
            if (const auto paren = conv.find('('); paren != std::string_view::npos) {
                args = conv.substr(paren + 1, conv.size() - paren - 2);
                conv = conv.substr(0, paren);
            }
            s.k = conv == "int" ? kind::int_ : conv == "float" ? kind::float_ : conv == "uuid" ? kind::uuid
                : conv == "any" ? kind::any : conv == "path" ? kind::path : kind::string;
            while (!args.empty()) {
                const auto comma = args.find(',');
                const auto arg = trim(args.substr(0, comma));
                args = comma == std::string_view::npos ? std::string_view{} : args.substr(comma + 1);
                const auto eq = arg.find('=');
                if (eq == std::string_view::npos) {
                    s.options.emplace_back(arg);
                    continue;
                }
                const auto key = arg.substr(0, eq);
                const auto value = arg.substr(eq + 1);
                if (key == "signed") s.is_signed = s.signed_handler = value == "True";
                else if (key == "min") s.has_min = true, s.min = to_int(value);
                else if (key == "max") s.has_max = true, s.max = to_int(value);
                else if (key == "fixed_digits") s.fixed_digits = static_cast<unsigned>(to_int(value));
                else if (key == "length") s.min_length = s.max_length = static_cast<std::size_t>(to_int(value));
                else if (key == "minlength") s.min_length = static_cast<std::size_t>(to_int(value));
                else if (key == "maxlength") s.max_length = static_cast<std::size_t>(to_int(value));
            }
        } else {
            s.literal = std::string(piece);
        }
        out.push_back(std::move(s));
        if (slash == std::string_view::npos) return out;
        rule.remove_prefix(slash + 1);
    }
}

inline int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// %XX decoded; anything else, bad escapes included, as written.
inline std::string decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

inline bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline bool converts(const spec& s, const std::string& text) {
    switch (s.k) {
    case kind::literal: return text == s.literal;
    case kind::int_: {
        std::string_view digits = text;
        const bool negative = s.is_signed && digits.starts_with('-');
        if (negative) digits.remove_prefix(1);
        if (!all_digits(digits)) return false;
        if (s.fixed_digits != 0 && digits.size() != s.fixed_digits) return false;
        unsigned __int128 mag = 0;
        for (char c : digits) {
            mag = mag * 10 + static_cast<unsigned>(c - '0');
            if (mag > std::numeric_limits<std::uint64_t>::max()) return false;
        }
        const __int128 value = negative ? -static_cast<__int128>(mag) : static_cast<__int128>(mag);
        if (value < std::numeric_limits<std::int64_t>::min()) return false;
        if (s.has_min && value < s.min) return false;
        if (s.has_max && value > s.max) return false;
        if (s.signed_handler && value > std::numeric_limits<std::int64_t>::max()) return false;  // the handler's type
        return true;
    }
    case kind::float_: {
        std::string_view t = text;
        if (s.is_signed && t.starts_with('-')) t.remove_prefix(1);
        const auto dot = t.find('.');
        if (dot == std::string_view::npos || !all_digits(t.substr(0, dot)) || !all_digits(t.substr(dot + 1)))
            return false;
        double d = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
        return r.ec == std::errc{} && r.ptr == text.data() + text.size();
    }
    case kind::uuid: {
        if (text.size() != 36) return false;
        for (std::size_t i = 0; i < 36; ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? text[i] != '-' : hex(text[i]) < 0) return false;
        }
        return true;
    }
    case kind::any: return std::find(s.options.begin(), s.options.end(), text) != s.options.end();
    case kind::string: {
        const std::size_t chars = replaced_length(text);
        return chars >= s.min_length && (s.max_length == 0 || chars <= s.max_length);
    }
    case kind::path: return false;  // handled by match_rule
    }
    return false;
}

struct param {
    std::string raw;
    std::string text;
};

/// The parameters when `path` (starting with '/', no query) matches `specs`.
inline std::optional<std::vector<param>> match_rule(const std::vector<spec>& specs, std::string_view path) {
    std::vector<std::string_view> segs;
    std::vector<std::size_t> starts;
    for (std::size_t pos = 1;;) {
        const auto slash = path.find('/', pos);
        starts.push_back(pos);
        segs.push_back(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    std::vector<param> params;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (i >= segs.size()) return std::nullopt;
        if (specs[i].k == kind::path) {
            const auto rest = path.substr(starts[i]);
            const auto text = decode(rest);
            if (rest.empty()) return std::nullopt;
            // Only the first character counts: a path never starts with '/', even encoded.
            if (decode(rest.substr(0, 3)).front() == '/') return std::nullopt;
            params.push_back({std::string(rest), text});
            return params;
        }
        const auto text = decode(segs[i]);
        if (!converts(specs[i], text)) return std::nullopt;
        if (specs[i].k != kind::literal) params.push_back({std::string(segs[i]), text});
    }
    if (segs.size() != specs.size()) return std::nullopt;
    return params;
}

inline int rank(kind k) { return static_cast<int>(k); }

template <class T>
int cmp(T a, T b) { return a < b ? -1 : (b < a ? 1 : 0); }

/// Precedence of two segments at the same place (negative: `a` is tried first).
inline int compare(const spec& a, const spec& b) {
    if (int c = cmp(rank(a.k), rank(b.k))) return c;
    switch (a.k) {
    case kind::literal: return a.literal.compare(b.literal);
    case kind::int_:
        if (int c = cmp(a.fixed_digits, b.fixed_digits)) return -c;  // fixed digits first
        [[fallthrough]];
    case kind::float_:
        if (int c = cmp(a.is_signed, b.is_signed)) return c;            // unsigned first
        if (int c = cmp(a.has_min, b.has_min)) return -c;               // bounded first
        if (int c = cmp(a.has_max, b.has_max)) return -c;
        if (int c = cmp(a.min, b.min)) return c;
        return cmp(a.max, b.max);
    case kind::string: {
        const auto amax = a.max_length == 0 ? SIZE_MAX : a.max_length;
        const auto bmax = b.max_length == 0 ? SIZE_MAX : b.max_length;
        if (int c = cmp(amax, bmax)) return c;  // shorter limits first
        return -cmp(a.min_length, b.min_length);
    }
    case kind::any:
        if (int c = cmp(a.options.size(), b.options.size())) return c;
        for (std::size_t i = 0; i < a.options.size(); ++i)
            if (int c = a.options[i].compare(b.options[i])) return c < 0 ? -1 : 1;
        return 0;
    default: return 0;
    }
}

inline int compare(const std::vector<spec>& a, const std::vector<spec>& b) {
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (int c = compare(a[i], b[i])) return c;
    return cmp(a.size(), b.size());
}

enum class status { found, not_found, method_not_allowed, options, redirect };

struct result {
    status st = status::not_found;
    int route = -1;
    bool head_as_get = false;
    vial::method_set allowed{};
    std::vector<param> params;
};

struct route {
    std::vector<spec> specs;
    vial::method_set methods;
};

inline result match(const std::vector<route>& routes, vial::method m, std::string_view target) {
    result r;
    const auto path = target.substr(0, std::min(target.find('?'), target.find('#')));
    if (target == "*") {
        if (m == vial::method::options) {
            r.st = status::options;
            r.allowed = vial::OPTIONS;
            for (const auto& rt : routes) r.allowed = r.allowed | rt.methods;
            if (r.allowed.contains(vial::method::get)) r.allowed = r.allowed | vial::method::head;
        }
        return r;
    }
    if (path.empty() || path.front() != '/') return r;
    struct candidate {
        int index;
        std::vector<param> params;
    };
    std::vector<candidate> matching;
    for (std::size_t i = 0; i < routes.size(); ++i)
        if (auto p = match_rule(routes[i].specs, path)) matching.push_back({static_cast<int>(i), std::move(*p)});
    std::stable_sort(matching.begin(), matching.end(), [&](const candidate& a, const candidate& b) {
        return compare(routes[a.index].specs, routes[b.index].specs) < 0;
    });
    // Routes of the same shape share a place in the order: the method decides among them.
    for (std::size_t g = 0; g < matching.size();) {
        std::size_t end = g + 1;
        while (end < matching.size() && compare(routes[matching[g].index].specs, routes[matching[end].index].specs) == 0)
            ++end;
        for (std::size_t i = g; i < end && m != vial::method::unknown; ++i)
            if (routes[matching[i].index].methods.contains(m)) {
                r.st = status::found;
                r.route = matching[i].index;
                r.params = matching[i].params;
                return r;
            }
        if (m == vial::method::head)
            for (std::size_t i = g; i < end; ++i)
                if (routes[matching[i].index].methods.contains(vial::method::get)) {
                    r.st = status::found;
                    r.route = matching[i].index;
                    r.head_as_get = true;
                    r.params = matching[i].params;
                    return r;
                }
        for (std::size_t i = g; i < end; ++i) {
            r.allowed = r.allowed | routes[matching[i].index].methods;
            if (routes[matching[i].index].methods.contains(vial::method::get)) r.allowed = r.allowed | vial::method::head;
        }
        g = end;
    }
    if (!r.allowed.empty()) {
        r.allowed = r.allowed | vial::method::options;
        r.st = m == vial::method::options ? status::options : status::method_not_allowed;
        return r;
    }
    // 308: a route that ends in '/' whose rule, without that last empty segment, matches.
    for (const auto& rt : routes) {
        if (rt.specs.size() < 2 || rt.specs.back().k != kind::literal || !rt.specs.back().literal.empty()) continue;
        const std::vector<spec> shorter(rt.specs.begin(), rt.specs.end() - 1);
        if (match_rule(shorter, path)) {
            r.st = status::redirect;
            return r;
        }
    }
    return r;
}

}  // namespace reference

#endif  // VIAL_FUZZ_REFERENCE_ROUTER_HPP
