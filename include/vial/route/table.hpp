#ifndef VIAL_ROUTE_TABLE_HPP
#define VIAL_ROUTE_TABLE_HPP

/// @file
/// The dispatch table: a trie over path segments, built by constexpr code from the app's
/// routes and stored as flat arrays, and the matcher that walks it. The matcher is ordinary
/// (non-template) code over a table_view, so it is compiled once whatever the app.
///
/// Matching cost grows with the path, not with the number of routes: a literal segment is
/// found by one hash probe keyed on (parent node, segment bytes); typed segments are tried
/// in precedence order static > int > float > uuid > any > custom > string > path, with
/// backtracking when a deeper segment fails.

#include <vial/route/converter.hpp>
#include <vial/route/grammar.hpp>
#include <vial/route/method.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace vial {

/// The outcome of matching a request against the table.
enum class match_status : std::uint8_t {
    found,               ///< a route answers this method and path
    not_found,           ///< 404
    method_not_allowed,  ///< 405: the path exists for other methods (see allowed())
    options,             ///< OPTIONS on a path without an OPTIONS route: answer with Allow
    redirect,            ///< 308 to the same path with a trailing slash (see redirect_location())
};

namespace detail {

using custom_parse_fn = bool (*)(std::string_view decoded, param_value& out);

/// A check run when a route is reached: an int parameter must fit the handler's type.
struct int_check {
    std::uint16_t slot = 0;
    std::int64_t lo = 0;
    std::uint64_t hi = 0;
};

/// What the table builder needs to know of one route.
struct route_desc {
    std::string_view pattern{};
    method_set methods{};
    const segment* segments = nullptr;
    std::uint16_t segment_count = 0;
    std::uint16_t param_count = 0;
    const custom_parse_fn* custom = nullptr;  ///< per parameter, nullptr unless custom
    const int_check* checks = nullptr;
    std::uint16_t check_count = 0;
};

struct node {
    std::uint16_t first_edge = 0;
    std::uint16_t edge_count = 0;
    std::int16_t terminal = -1;
    bool has_literals = false;  ///< some child is a literal: worth a hash probe
};

struct param_edge {
    converter_kind kind = converter_kind::string;
    bool is_signed = false;
    bool has_min = false;
    bool has_max = false;
    std::uint16_t fixed_digits = 0;
    std::uint8_t any_count = 0;
    std::uint16_t any_first = 0;
    std::uint16_t target = 0;
    std::uint32_t min_length = 1;
    std::uint32_t max_length = 0;
    std::int64_t int_min = 0;
    std::int64_t int_max = 0;
    double float_min = 0;
    double float_max = 0;
    custom_parse_fn custom = nullptr;
};

struct static_slot {
    std::uint32_t hash = 0;
    std::int32_t child = -1;  ///< -1: empty slot
    std::uint16_t parent = 0;
    std::uint16_t size = 0;
    std::uint32_t offset = 0;  ///< of the literal in the pool
};

struct terminal {
    std::array<std::int16_t, method_count> route{-1, -1, -1, -1, -1, -1, -1};
};

struct pool_span {
    std::uint32_t offset = 0;
    std::uint16_t size = 0;
};

struct route_checks {
    std::uint16_t first = 0;
    std::uint16_t count = 0;
};

/// The table as the matcher sees it: pointers into one app's constexpr arrays.
struct table_view {
    const node* nodes;
    const param_edge* edges;
    const static_slot* statics;
    std::uint32_t static_mask;
    const char* pool;
    const pool_span* any_options;
    const terminal* terminals;
    const route_checks* checks;
    const int_check* int_checks;
    std::uint16_t max_literal;
};

/// FNV-1a over the segment, seeded with the parent node.
constexpr std::uint32_t segment_hash(std::uint16_t parent, std::string_view s) noexcept {
    std::uint32_t h = 2166136261U ^ (static_cast<std::uint32_t>(parent) * 16777619U);
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619U;
    }
    return h;
}

/// Orders segments as the matcher tries them: literals (by bytes) first, then parameters by
/// converter precedence and arguments. Parameter names do not count: `/u/<int:a>` and
/// `/u/<int:b>` have the same shape.
constexpr int compare_segments(const segment& a, std::string_view pa, const segment& b, std::string_view pb) noexcept {
    if (a.is_param != b.is_param) return a.is_param ? 1 : -1;
    if (!a.is_param) {
        const auto x = a.literal.in(pa);
        const auto y = b.literal.in(pb);
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    const param_spec& p = a.param;
    const param_spec& q = b.param;
    auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (int c = cmp(static_cast<int>(p.kind), static_cast<int>(q.kind))) return c;
    switch (p.kind) {
    case converter_kind::int_:
        if (int c = cmp(p.fixed_digits, q.fixed_digits)) return -c;  // fixed digits first
        [[fallthrough]];
    case converter_kind::float_:
        if (int c = cmp(p.is_signed, q.is_signed)) return c;
        if (int c = cmp(p.has_min, q.has_min)) return -c;
        if (int c = cmp(p.has_max, q.has_max)) return -c;
        if (p.kind == converter_kind::int_) {
            if (int c = cmp(p.int_min, q.int_min)) return c;
            return cmp(p.int_max, q.int_max);
        }
        if (int c = cmp(p.float_min, q.float_min)) return c;
        return cmp(p.float_max, q.float_max);
    case converter_kind::string:
        if (int c = cmp(p.max_length == 0 ? 0xffffffffU : p.max_length, q.max_length == 0 ? 0xffffffffU : q.max_length))
            return c;  // shorter limits first
        return cmp(p.min_length, q.min_length) * -1;
    case converter_kind::any: {
        if (int c = cmp(p.any_count, q.any_count)) return c;
        for (std::size_t i = 0; i < p.any_count; ++i)
            if (int c = cmp(p.any_options[i].in(pa), q.any_options[i].in(pb))) return c;
        return 0;
    }
    case converter_kind::custom:
        return cmp(p.converter.in(pa), q.converter.in(pb));
    default: return 0;
    }
}

constexpr int compare_routes(const route_desc& a, const route_desc& b) noexcept {
    const std::size_t n = std::min(a.segment_count, b.segment_count);
    for (std::size_t i = 0; i < n; ++i)
        if (int c = compare_segments(a.segments[i], a.pattern, b.segments[i], b.pattern)) return c;
    return a.segment_count < b.segment_count ? -1 : (a.segment_count > b.segment_count ? 1 : 0);
}

/// Upper bounds on the table's sizes, so the builder can work in fixed arrays.
struct table_sizes {
    std::size_t routes = 0;
    std::size_t nodes = 1;
    std::size_t statics = 0;
    std::size_t edges = 0;
    std::size_t pool = 0;
    std::size_t any_options = 0;
    std::size_t int_checks = 0;
    std::size_t hash_slots = 1;
};

template <std::size_t R>
constexpr table_sizes measure(const std::array<route_desc, R>& routes) noexcept {
    table_sizes s{};
    s.routes = R;
    for (const auto& r : routes) {
        s.nodes += r.segment_count;
        s.int_checks += r.check_count;
        for (std::size_t i = 0; i < r.segment_count; ++i) {
            const auto& seg = r.segments[i];
            if (seg.is_param) {
                ++s.edges;
                s.any_options += seg.param.any_count;
                for (std::size_t k = 0; k < seg.param.any_count; ++k) s.pool += seg.param.any_options[k].size;
            } else {
                ++s.statics;
                s.pool += seg.literal.size;
            }
        }
    }
    while (s.hash_slots < 2 * s.statics) s.hash_slots *= 2;
    return s;
}

/// The dispatch table of one app, built at compile time.
template <table_sizes S>
struct table {
    std::array<node, S.nodes> nodes{};
    std::array<param_edge, S.edges + 1> edges{};
    std::array<static_slot, S.hash_slots> statics{};
    std::array<char, S.pool + 1> pool{};
    std::array<pool_span, S.any_options + 1> any_options{};
    std::array<terminal, S.routes + 1> terminals{};
    std::array<route_checks, S.routes + 1> checks{};
    std::array<int_check, S.int_checks + 1> int_checks{};
    std::uint16_t max_literal = 0;
    /// Set when two routes have the same shape and share a method: their indices.
    int duplicate_first = -1;
    int duplicate_second = -1;

    [[nodiscard]] constexpr table_view view() const noexcept {
        return {nodes.data(), edges.data(), statics.data(), static_cast<std::uint32_t>(S.hash_slots - 1),
                pool.data(), any_options.data(), terminals.data(), checks.data(), int_checks.data(),
                max_literal};
    }
};

template <table_sizes S, std::size_t R>
constexpr table<S> build_table(const std::array<route_desc, R>& routes) {
    table<S> t{};
    std::array<std::uint16_t, R + 1> order{};
    for (std::size_t i = 0; i < R; ++i) order[i] = static_cast<std::uint16_t>(i);
    std::sort(order.begin(), order.begin() + R, [&](std::uint16_t a, std::uint16_t b) {
        const int c = compare_routes(routes[a], routes[b]);
        return c != 0 ? c < 0 : a < b;
    });

    // Edges in creation order; grouped by parent afterwards.
    struct raw_edge {
        std::uint16_t parent;
        std::uint16_t child;
        const segment* seg;
        std::string_view pattern;
        custom_parse_fn custom;
    };
    std::array<raw_edge, S.nodes> made{};
    std::size_t made_count = 0;
    std::size_t node_count = 1;
    std::size_t terminal_count = 0;
    std::size_t pool_used = 0;
    std::size_t checks_used = 0;

    for (std::size_t r = 0; r < R; ++r) {
        t.checks[r] = route_checks{static_cast<std::uint16_t>(checks_used), routes[r].check_count};
        for (std::size_t k = 0; k < routes[r].check_count; ++k) t.int_checks[checks_used++] = routes[r].checks[k];
    }

    std::array<std::uint16_t, S.nodes + 1> path{};  // node at each depth for the previous route
    const route_desc* prev = nullptr;
    for (std::size_t oi = 0; oi < R; ++oi) {
        const route_desc& rd = routes[order[oi]];
        std::size_t common = 0;
        if (prev != nullptr) {
            const std::size_t n = std::min(prev->segment_count, rd.segment_count);
            while (common < n &&
                   compare_segments(prev->segments[common], prev->pattern, rd.segments[common], rd.pattern) == 0)
                ++common;
        }
        path[0] = 0;
        std::size_t param_index = 0;
        for (std::size_t d = 0; d < rd.segment_count; ++d) {
            const segment& seg = rd.segments[d];
            if (d >= common) {
                const auto child = static_cast<std::uint16_t>(node_count++);
                made[made_count++] = raw_edge{path[d], child, &seg, rd.pattern,
                                              seg.is_param ? rd.custom[param_index] : nullptr};
                path[d + 1] = child;
            }
            param_index += seg.is_param;
        }
        node& end = t.nodes[path[rd.segment_count]];
        if (end.terminal < 0) end.terminal = static_cast<std::int16_t>(terminal_count++);
        terminal& term = t.terminals[static_cast<std::size_t>(end.terminal)];
        for (std::size_t m = 0; m < method_count; ++m) {
            if (!rd.methods.contains(static_cast<method>(m))) continue;
            if (term.route[m] >= 0 && t.duplicate_first < 0) {
                t.duplicate_first = term.route[m];
                t.duplicate_second = order[oi];
            }
            term.route[m] = static_cast<std::int16_t>(order[oi]);
        }
        prev = &rd;
    }

    // Parameters become edges grouped by parent, each group in creation (= precedence) order:
    // a counting sort, linear in the number of edges (a scan of every edge per node exceeded
    // GCC's constexpr operation limit at 300 routes).
    std::array<std::uint16_t, S.nodes + 1> next_edge{};  // per node: its parameter count, then its next free edge
    for (std::size_t e = 0; e < made_count; ++e)
        if (made[e].seg->is_param) ++next_edge[made[e].parent];
    std::size_t edge_count = 0;
    for (std::size_t n = 0; n < node_count; ++n) {
        t.nodes[n].first_edge = static_cast<std::uint16_t>(edge_count);
        t.nodes[n].edge_count = next_edge[n];
        next_edge[n] = static_cast<std::uint16_t>(edge_count);
        edge_count += t.nodes[n].edge_count;
    }
    std::size_t options_used = 0;
    for (std::size_t e = 0; e < made_count; ++e) {
        const raw_edge& me = made[e];
        if (!me.seg->is_param) continue;
        const param_spec& p = me.seg->param;
        param_edge& pe = t.edges[next_edge[me.parent]++];
        pe.kind = p.kind;
        pe.is_signed = p.is_signed;
        pe.has_min = p.has_min;
        pe.has_max = p.has_max;
        pe.fixed_digits = p.fixed_digits;
        pe.int_min = p.int_min;
        pe.int_max = p.int_max;
        pe.float_min = p.float_min;
        pe.float_max = p.float_max;
        pe.min_length = p.min_length;
        pe.max_length = p.max_length;
        pe.target = me.child;
        pe.custom = me.custom;
        pe.any_first = static_cast<std::uint16_t>(options_used);
        pe.any_count = p.any_count;
        for (std::size_t k = 0; k < p.any_count; ++k) {
            const auto text = p.any_options[k].in(me.pattern);
            t.any_options[options_used++] =
                pool_span{static_cast<std::uint32_t>(pool_used), static_cast<std::uint16_t>(text.size())};
            for (char c : text) t.pool[pool_used++] = c;
        }
    }
    // Literals go to the hash table.
    for (std::size_t e = 0; e < made_count; ++e) {
        const raw_edge& me = made[e];
        if (me.seg->is_param) continue;
        const auto text = me.seg->literal.in(me.pattern);
        if (text.size() > t.max_literal) t.max_literal = static_cast<std::uint16_t>(text.size());
        const auto offset = static_cast<std::uint32_t>(pool_used);
        for (char c : text) t.pool[pool_used++] = c;
        const std::uint32_t h = segment_hash(me.parent, text);
        std::size_t slot = h & (S.hash_slots - 1);
        while (t.statics[slot].child >= 0) slot = (slot + 1) & (S.hash_slots - 1);
        t.statics[slot] = static_slot{h, me.child, me.parent, static_cast<std::uint16_t>(text.size()), offset};
        t.nodes[me.parent].has_literals = true;
    }
    return t;
}

/// The length of the path part of a request target: up to the first '?' or '#'. A plain
/// loop, for the matcher's hot path: `find_first_of("?#")` calls memchr once per character.
constexpr std::size_t path_length(std::string_view target) noexcept {
    std::size_t i = 0;
    while (i < target.size() && target[i] != '?' && target[i] != '#') ++i;
    return i;
}

/// Percent-decodes a segment into a small buffer, or a string when it is long.
struct decoded_segment {
    char buf_[128];
    std::string heap_;
    std::string_view view_;

    decoded_segment(std::string_view raw, bool encoded) {
        if (!encoded) { view_ = raw; return; }
        const std::size_t n = percent_decode_into(raw, buf_, sizeof buf_);
        if (n <= sizeof buf_) { view_ = {buf_, n}; return; }
        heap_ = percent_decode(raw);
        view_ = heap_;
    }
};

/// Walks the trie for one request. Ordinary code, compiled once for every app.
class matcher {
public:
    matcher(const table_view& t, method m, std::string_view path, param_value* out) noexcept
        : t_(t), method_(m), path_(path), out_(out) {}

    std::int16_t found = -1;
    bool head_as_get = false;
    bool redirect = false;
    method_set allowed{};

    /// Matches from the root; the path must start with '/'.
    bool run() { return walk(0, 1, 0); }

private:
    static constexpr std::size_t end_of_path = static_cast<std::size_t>(-1);

    bool accepts(std::int16_t route) const noexcept {
        const route_checks& rc = t_.checks[route];
        for (std::size_t i = 0; i < rc.count; ++i) {
            const int_check& c = t_.int_checks[rc.first + i];
            const param_value& v = out_[c.slot];
            if (v.negative) {
                if (c.lo >= 0 || v.get<std::int64_t>() < c.lo) return false;
            } else {
                const auto u = v.get<std::uint64_t>();
                if ((c.lo > 0 && u < static_cast<std::uint64_t>(c.lo)) || u > c.hi) return false;
            }
        }
        return true;
    }

    bool at_end(std::uint16_t n) {
        const node& nd = t_.nodes[n];
        if (nd.terminal >= 0) {
            const terminal& term = t_.terminals[nd.terminal];
            const auto m = static_cast<std::size_t>(method_);
            if (method_ != method::unknown && term.route[m] >= 0 && accepts(term.route[m])) {
                found = term.route[m];
                return true;
            }
            const auto get = static_cast<std::size_t>(method::get);
            if (method_ == method::head && term.route[get] >= 0 && accepts(term.route[get])) {
                found = term.route[get];
                head_as_get = true;
                return true;
            }
            for (std::size_t i = 0; i < method_count; ++i) {
                if (term.route[i] >= 0 && accepts(term.route[i])) {
                    allowed = allowed | static_cast<method>(i);
                    if (i == get) allowed = allowed | method::head;
                }
            }
        }
        if (allowed.empty() && !redirect && t_.nodes[n].has_literals) {
            const std::int32_t slash = find_static(n, std::string_view{});
            redirect = slash >= 0 && t_.nodes[slash].terminal >= 0;
        }
        return false;
    }

    std::int32_t find_static(std::uint16_t parent, std::string_view text) const noexcept {
        const std::uint32_t h = segment_hash(parent, text);
        for (std::uint32_t slot = h & t_.static_mask;; slot = (slot + 1) & t_.static_mask) {
            const static_slot& s = t_.statics[slot];
            if (s.child < 0) return -1;
            if (s.hash == h && s.parent == parent && s.size == text.size() && same_bytes(t_.pool + s.offset, text))
                return s.child;
        }
    }

    /// Literals are short: a loop beats a call to memcmp.
    static bool same_bytes(const char* a, std::string_view b) noexcept {
        for (std::size_t i = 0; i < b.size(); ++i)
            if (a[i] != b[i]) return false;
        return true;
    }

    bool convert(const param_edge& e, std::string_view text, param_value& v) const {
        switch (e.kind) {
        case converter_kind::int_: {
            bool negative = false;
            std::uint64_t mag = 0;
            if (!parse_int_segment(text, e.is_signed, e.fixed_digits, negative, mag)) return false;
            v.negative = negative;
            if (negative) {
                if (mag > (std::uint64_t{1} << 63)) return false;
                const auto value = static_cast<std::int64_t>(0 - mag);
                if ((e.has_min && value < e.int_min) || (e.has_max && value > e.int_max)) return false;
                v.set(value);
            } else {
                if (e.has_min && e.int_min > 0 && mag < static_cast<std::uint64_t>(e.int_min)) return false;
                if (e.has_max && (e.int_max < 0 || mag > static_cast<std::uint64_t>(e.int_max))) return false;
                v.set(mag);
            }
            return true;
        }
        case converter_kind::float_: {
            double d = 0;
            if (!parse_float_segment(text, e.is_signed, d)) return false;
            if ((e.has_min && d < e.float_min) || (e.has_max && d > e.float_max)) return false;
            v.set(d);
            return true;
        }
        case converter_kind::uuid: {
            uuid id;
            if (!uuid::parse(text, id)) return false;
            v.set(id);
            return true;
        }
        case converter_kind::any:
            for (std::uint8_t i = 0; i < e.any_count; ++i) {
                const pool_span& o = t_.any_options[e.any_first + i];
                if (std::string_view{t_.pool + o.offset, o.size} == text) {
                    v.set(static_cast<std::uint64_t>(i));
                    return true;
                }
            }
            return false;
        case converter_kind::custom:
            return e.custom(text, v);
        case converter_kind::string: {
            const std::size_t len = utf8_length(text);
            return len >= e.min_length && (e.max_length == 0 || len <= e.max_length);
        }
        case converter_kind::path:
            return !text.empty() && text.front() != '/';
        }
        return false;
    }

    bool walk(std::uint16_t n, std::size_t pos, std::size_t param) {
        if (pos == end_of_path) return at_end(n);
        // One pass finds the segment's end and any escape: segments are short, and two
        // memchr calls per segment cost more than the scan.
        const char* const data = path_.data();
        std::size_t end = pos;
        bool encoded = false;
        for (; end < path_.size() && data[end] != '/'; ++end) encoded |= data[end] == '%';
        const std::string_view raw(data + pos, end - pos);
        const std::size_t next = end == path_.size() ? end_of_path : end + 1;
        const node& nd = t_.nodes[n];
        if (!encoded) {
            if (nd.has_literals && raw.size() <= t_.max_literal) {
                const std::int32_t child = find_static(n, raw);
                if (child >= 0 && walk(static_cast<std::uint16_t>(child), next, param)) return true;
            }
            for (std::uint16_t i = 0; i < nd.edge_count; ++i)
                if (try_edge(t_.edges[nd.first_edge + i], pos, raw, raw, false, next, param)) return true;
            return false;
        }
        const decoded_segment dec(raw, true);
        if (nd.has_literals && dec.view_.size() <= t_.max_literal) {
            const std::int32_t child = find_static(n, dec.view_);
            if (child >= 0 && walk(static_cast<std::uint16_t>(child), next, param)) return true;
        }
        for (std::uint16_t i = 0; i < nd.edge_count; ++i)
            if (try_edge(t_.edges[nd.first_edge + i], pos, raw, dec.view_, true, next, param)) return true;
        return false;
    }

    bool try_edge(const param_edge& e, std::size_t pos, std::string_view raw, std::string_view text,
                  bool encoded, std::size_t next, std::size_t param) {
        param_value& v = out_[param];
        if (e.kind == converter_kind::path) {
            const std::string_view rest = path_.substr(pos);
            const bool rest_encoded = rest.find('%') != std::string_view::npos;
            if (rest.empty()) return false;
            const decoded_segment all(rest, rest_encoded);
            v.negative = false;
            if (!convert(e, all.view_, v)) return false;
            v.raw = rest;
            v.encoded = rest_encoded;
            return walk(e.target, end_of_path, param + 1);
        }
        v.negative = false;
        if (!convert(e, text, v)) return false;
        v.raw = raw;
        v.encoded = encoded;
        return walk(e.target, next, param + 1);
    }

    const table_view& t_;
    method method_;
    std::string_view path_;
    param_value* out_;
};

}  // namespace detail
}  // namespace vial

#endif  // VIAL_ROUTE_TABLE_HPP
