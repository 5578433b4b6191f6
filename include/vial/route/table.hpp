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
/// backtracking when a deeper segment fails. The path is read in words, not bytes: its end
/// and its slashes are found once per request (sixteen bytes at a time with SSE2, eight
/// otherwise), and literals are hashed and compared eight bytes at a time.

#include <vial/route/converter.hpp>
#include <vial/route/grammar.hpp>
#include <vial/route/method.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    std::uint16_t last_target = 0;  ///< the target of the last edge: the walk goes on there without loading it
    bool has_literals = false;      ///< some child is a literal: worth a hash probe
};

struct param_edge {
    converter_kind kind = converter_kind::string;
    bool plain_int = false;  ///< an int without fixed_digits, min or max
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

/// A literal child in the hash table: compared by its first eight bytes and (parent, size)
/// in one slot of 16 bytes; longer literals continue in literal_words.
struct static_slot {
    std::uint64_t head = 0;   ///< bytes 0-7 of the literal, zero-padded (see literal_word)
    std::uint32_t key = 0;    ///< parent | size << 16
    std::uint16_t child = 0;  ///< 0: an empty slot (the root is nobody's child)
    std::uint16_t rest = 0;   ///< index in literal_words of bytes 8.. when size > 8
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
    const std::uint64_t* literal_words;
    std::uint32_t static_mask;
    std::uint32_t static_shift;
    const char* pool;
    const pool_span* any_options;
    const terminal* terminals;
    const route_checks* checks;
    const int_check* int_checks;
    std::uint16_t max_literal;
};

// The slot of a literal segment in the hash table: a hash of its size and bytes, taken eight
// at a time as words (literal_word) so that the matcher hashes and compares a segment with a
// few loads, into which the parent node's index is mixed last, without a multiply. The
// matcher hashes a segment's bytes while it is still finding the parent, and the chain of
// dependent steps from one node to the next stays short.

/// Bytes `at`.. `at + 7` of `s` as a word, the first in the lowest byte, zeros past the end.
constexpr std::uint64_t literal_word(std::string_view s, std::size_t at) noexcept {
    std::uint64_t w = 0;
    for (std::size_t i = std::min<std::size_t>(s.size() - at, 8); i-- > 0;)
        w = (w << 8) | static_cast<unsigned char>(s[at + i]);
    return w;
}

/// The number of words a literal of `size` bytes is hashed as (one for the empty literal).
constexpr std::size_t literal_chunks(std::size_t size) noexcept { return size == 0 ? 1 : (size + 7) / 8; }

constexpr std::uint64_t literal_seed(std::size_t size) noexcept { return static_cast<std::uint64_t>(size) << 48; }

constexpr std::uint64_t literal_mix(std::uint64_t h, std::uint64_t word) noexcept {
    const std::uint64_t x = h ^ word;
    return (x ^ (x >> 32)) * 0xFF51AFD7ED558CCDULL;  // the fold lets every input bit reach the top bits
}

/// The hash: the high half of the last product (its low bits do not depend on the high bits
/// of the words, so slots are picked by the hash's top bits, see table_sizes::hash_shift).
constexpr std::uint32_t literal_bucket(std::uint64_t h) noexcept { return static_cast<std::uint32_t>(h >> 32); }

/// The hash of literal `s`, as the table builder computes it.
constexpr std::uint32_t literal_hash(std::string_view s) noexcept {
    std::uint64_t h = literal_seed(s.size());
    for (std::size_t c = 0; c < literal_chunks(s.size()); ++c) h = literal_mix(h, literal_word(s, 8 * c));
    return literal_bucket(h);
}

/// The first slot to probe for a literal of hash `bucket` under node `parent`: the hash's top
/// bits with the parent's index mixed in (times an odd number, so that the children of
/// consecutive nodes spread out instead of filling a run of slots).
constexpr std::uint32_t literal_slot(std::uint32_t bucket, std::uint16_t parent, std::uint32_t shift,
                                     std::uint32_t mask) noexcept {
    return ((bucket >> shift) ^ (static_cast<std::uint32_t>(parent) * 9U)) & mask;
}

/// The `n` bytes at `p` (1 <= n <= 8) as a word like literal_word's. Reads only inside
/// [lo, hi), which must hold [p, p + n): past the segment when the range allows (the bytes
/// are masked off), else the eight bytes that end with it, shifted down.
inline std::uint64_t load_bytes(const char* p, std::size_t n, const char* lo, const char* hi) noexcept {
    if (hi - p >= 8) return load_word(p) & (~std::uint64_t{0} >> (8 * (8 - n)));
    if (p + n - lo >= 8) return load_word(p + n - 8) >> (8 * (8 - n));
    std::uint64_t w = 0;
    for (std::size_t i = n; i-- > 0;) w = (w << 8) | static_cast<unsigned char>(p[i]);
    return w;
}

/// Word `c` of the `n` bytes at `p`, as literal_word(text, 8 * c); reads as load_bytes.
inline std::uint64_t segment_word(const char* p, std::size_t n, std::size_t c, const char* lo,
                                  const char* hi) noexcept {
    const std::size_t at = 8 * c;
    return at >= n ? 0 : load_bytes(p + at, std::min<std::size_t>(n - at, 8), lo, hi);
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

/// Upper bounds on the table's sizes, so the builder can work in fixed arrays.
struct table_sizes {
    std::size_t routes = 0;
    std::size_t nodes = 1;
    std::size_t statics = 0;
    std::size_t literal_words = 0;
    std::size_t edges = 0;
    std::size_t pool = 0;
    std::size_t any_options = 0;
    std::size_t int_checks = 0;
    std::size_t hash_slots = 2;
    std::size_t hash_shift = 31;  ///< a hash's slot is hash >> hash_shift: its top log2(hash_slots) bits
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
                s.literal_words += literal_chunks(seg.literal.size) - 1;
            }
        }
    }
    while (s.hash_slots < 2 * s.statics) {
        s.hash_slots *= 2;
        --s.hash_shift;
    }
    return s;
}

/// The dispatch table of one app, built at compile time.
template <table_sizes S>
struct table {
    std::array<node, S.nodes> nodes{};
    std::array<param_edge, S.edges + 1> edges{};
    std::array<static_slot, S.hash_slots> statics{};
    std::array<std::uint64_t, S.literal_words + 1> literal_words{};
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
        return {nodes.data(), edges.data(), statics.data(), literal_words.data(),
                static_cast<std::uint32_t>(S.hash_slots - 1), static_cast<std::uint32_t>(S.hash_shift),
                pool.data(), any_options.data(), terminals.data(), checks.data(), int_checks.data(),
                max_literal};
    }
};

/// The dispatch table being built: the table so far and what the builder keeps per node.
/// Routes are added in declaration order, in one pass or in several steps (add_routes on
/// consecutive ranges), each step of which may be a constant evaluation of its own (see
/// build_chunk_routes); finish() then lays out the parameter edges.
///
/// Each segment finds its node's existing child (a literal through the hash table being
/// filled, a parameter in the node's short list of parameter children, kept in precedence
/// order) or makes a new one. Linear in the number of segments: a sort of the routes by shape
/// cost GCC's constexpr evaluator about 27,000 operations per route at 300 routes, and
/// exceeded its limit (-fconstexpr-ops-limit, 33,554,432) before 1,000.
template <table_sizes S>
struct table_builder {
    static_assert(S.nodes <= 0xFFFF && S.literal_words <= 0xFFFF,
                  "vial: too many routes for one app (nodes and literal words are 16-bit indices)");
    /// Per node but the root: the segment that leads to it (by its route and index, not by a
    /// pointer, so that a step evaluated on its own can continue the previous one's state),
    /// and for a parameter the next parameter child of the same parent.
    struct made_node {
        std::uint16_t route = 0;
        std::uint16_t seg = 0;
        std::uint16_t param_index = 0;
        std::uint16_t next_param = 0;  ///< 0: the last
    };

    table<S> t{};
    std::array<made_node, S.nodes> made{};
    std::array<std::uint16_t, S.nodes> first_param{};  ///< per node: its first parameter child, 0 for none
    std::size_t node_count = 1;
    std::size_t terminal_count = 0;
    std::size_t checks_used = 0;
    std::size_t words_used = 0;

    /// Adds routes [begin, end) of `routes` (all of whose earlier routes were added before).
    // Routes and segments by index: g++ 12 with -fsanitize=undefined cannot compare a
    // pointer into the routes with nullptr at compile time.
    constexpr void add_routes(const route_desc* routes, std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r) add_route(routes, r);
    }

    constexpr void add_route(const route_desc* routes, std::size_t r) {
        const route_desc& rd = routes[r];
        t.checks[r] = route_checks{static_cast<std::uint16_t>(checks_used), rd.check_count};
        for (std::size_t k = 0; k < rd.check_count; ++k) t.int_checks[checks_used++] = rd.checks[k];

        std::uint16_t at = 0;
        std::size_t param_index = 0;
        for (std::size_t d = 0; d < rd.segment_count; ++d) {
            const segment& seg = rd.segments[d];
            std::uint16_t child = 0;
            if (!seg.is_param) {
                const auto text = seg.literal.in(rd.pattern);
                const std::uint32_t key = at | static_cast<std::uint32_t>(text.size()) << 16;
                // literal_hash(text), with the first word kept: a literal of up to eight bytes
                // is equal to a slot's when its key and head are (as the matcher compares it),
                // which spares clang 14's constexpr step budget a string comparison per segment.
                const std::uint64_t head = literal_word(text, 0);
                std::uint64_t h = literal_mix(literal_seed(text.size()), head);
                for (std::size_t c = 1; c < literal_chunks(text.size()); ++c) h = literal_mix(h, literal_word(text, 8 * c));
                std::size_t slot = literal_slot(literal_bucket(h), at, S.hash_shift, S.hash_slots - 1);
                for (; t.statics[slot].child != 0; slot = (slot + 1) & (S.hash_slots - 1)) {
                    const static_slot& s = t.statics[slot];
                    if (s.key != key || s.head != head) continue;
                    if (text.size() <= 8) {
                        child = s.child;
                        break;
                    }
                    const made_node& m = made[s.child];
                    if (routes[m.route].segments[m.seg].literal.in(routes[m.route].pattern) == text) {
                        child = s.child;
                        break;
                    }
                }
                if (child == 0) {
                    child = static_cast<std::uint16_t>(node_count++);
                    made[child] = made_node{static_cast<std::uint16_t>(r), static_cast<std::uint16_t>(d), 0, 0};
                    t.statics[slot] = static_slot{head, key, child, static_cast<std::uint16_t>(words_used)};
                    for (std::size_t c = 1; c < literal_chunks(text.size()); ++c)
                        t.literal_words[words_used++] = literal_word(text, 8 * c);
                    if (text.size() > t.max_literal) t.max_literal = static_cast<std::uint16_t>(text.size());
                    t.nodes[at].has_literals = true;
                }
            } else {
                // The parameter children of a node, in precedence order: find this shape or
                // the place where it belongs.
                std::uint16_t prev = 0;
                std::uint16_t next = first_param[at];
                int c = 1;
                while (next != 0) {
                    const made_node& m = made[next];
                    c = compare_segments(routes[m.route].segments[m.seg], routes[m.route].pattern, seg, rd.pattern);
                    if (c >= 0) break;
                    prev = next;
                    next = m.next_param;
                }
                if (next != 0 && c == 0) {
                    child = next;
                } else {
                    child = static_cast<std::uint16_t>(node_count++);
                    made[child] = made_node{static_cast<std::uint16_t>(r), static_cast<std::uint16_t>(d),
                                            static_cast<std::uint16_t>(param_index), next};
                    if (prev == 0) first_param[at] = child;
                    else made[prev].next_param = child;
                }
                ++param_index;
            }
            at = child;
        }
        node& end = t.nodes[at];
        if (end.terminal < 0) end.terminal = static_cast<std::int16_t>(terminal_count++);
        terminal& term = t.terminals[static_cast<std::size_t>(end.terminal)];
        for (std::size_t m = 0; m < method_count; ++m) {
            if (!rd.methods.contains(static_cast<method>(m))) continue;
            if (term.route[m] >= 0) {
                // Two routes of the same shape share a method: the first pair is reported.
                if (t.duplicate_first < 0) {
                    t.duplicate_first = term.route[m];
                    t.duplicate_second = static_cast<int>(r);
                }
                continue;
            }
            term.route[m] = static_cast<std::int16_t>(r);
        }
    }

    /// The table, with the parameter edges grouped by parent, each group in precedence order.
    constexpr table<S> finish(const route_desc* routes) const {
        table<S> out = t;
        std::size_t edge_count = 0;
        std::size_t pool_used = 0;
        std::size_t options_used = 0;
        for (std::size_t n = 0; n < node_count; ++n) {
            out.nodes[n].first_edge = static_cast<std::uint16_t>(edge_count);
            for (std::uint16_t child = first_param[n]; child != 0; child = made[child].next_param) {
                const made_node& m = made[child];
                const route_desc& rd = routes[m.route];
                const param_spec& p = rd.segments[m.seg].param;
                param_edge& pe = out.edges[edge_count++];
                pe.kind = p.kind;
                pe.plain_int = p.kind == converter_kind::int_ && p.fixed_digits == 0 && !p.has_min && !p.has_max;
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
                pe.target = child;
                pe.custom = rd.custom[m.param_index];
                pe.any_first = static_cast<std::uint16_t>(options_used);
                pe.any_count = p.any_count;
                for (std::size_t k = 0; k < p.any_count; ++k) {
                    const auto text = p.any_options[k].in(rd.pattern);
                    out.any_options[options_used++] =
                        pool_span{static_cast<std::uint32_t>(pool_used), static_cast<std::uint16_t>(text.size())};
                    for (char ch : text) out.pool[pool_used++] = ch;
                }
                out.nodes[n].last_target = child;
            }
            out.nodes[n].edge_count = static_cast<std::uint16_t>(edge_count - out.nodes[n].first_edge);
        }
        return out;
    }
};

/// Builds the table in one constant evaluation (see table_builder).
template <table_sizes S, std::size_t R>
constexpr table<S> build_table(const std::array<route_desc, R>& routes) {
    table_builder<S> b{};
    b.add_routes(routes.data(), 0, R);
    return b.finish(routes.data());
}

/// How many routes one constant evaluation of the table builder takes on. clang counts the
/// steps of each constant evaluation (`-fconstexpr-steps`, 1,048,576 by default, which one
/// evaluation building the table of about 1,200 routes exceeds), so an app's table is built
/// over several evaluations there, each a `static constexpr` continuing the previous one's
/// state; g++'s limit (`-fconstexpr-ops-limit`, 33,554,432 operations) is far above what
/// 3,000 routes take, and each evaluation's state is a constant g++ keeps, so it builds the
/// table in one.
#if defined(__clang__)
inline constexpr std::size_t build_chunk_routes = 256;
#else
inline constexpr std::size_t build_chunk_routes = static_cast<std::size_t>(-1);
#endif

/// The table builder after the routes of chunks 0..K of `Chunk` routes each (`Routes` points to
/// an app's route descriptions, S.routes of them).
template <table_sizes S, const auto* Routes, std::size_t Chunk, std::size_t K>
inline constexpr table_builder<S> table_stage = [] {
    constexpr std::size_t begin = K * Chunk;
    constexpr std::size_t end = S.routes - begin < Chunk ? S.routes : begin + Chunk;
    if constexpr (K == 0) {
        table_builder<S> b{};
        b.add_routes(Routes->data(), begin, end);
        return b;
    } else {
        table_builder<S> b = table_stage<S, Routes, Chunk, K - 1>;
        b.add_routes(Routes->data(), begin, end);
        return b;
    }
}();

/// The table of the routes at `Routes`, built in chunks of `Chunk` routes, each chunk one
/// constant evaluation: the same table as build_table's.
template <table_sizes S, const auto* Routes, std::size_t Chunk = build_chunk_routes>
constexpr table<S> build_table_in_chunks() {
    static_assert(Chunk > 0);
    if constexpr (S.routes <= Chunk) {
        return build_table<S>(*Routes);
    } else {
        return table_stage<S, Routes, Chunk, (S.routes - 1) / Chunk>.finish(Routes->data());
    }
}

// Scans of the whole path, done once per request: where the path ends (the first '?' or
// '#') and where its first 64 bytes hold a '/'. Eight bytes at a time in a word anywhere;
// sixteen at a time with SSE2 (from eight bytes on). The word versions are always compiled,
// and tested against the SSE2 ones.

/// The index of the first '?' or '#' in the `n` bytes at `p`, or `n`; eight bytes at a time.
inline std::size_t query_start_words(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
    if (n >= 8) {
        for (; i + 8 <= n; i += 8) {
            const std::uint64_t w = load_word(p + i);
            if (const std::uint64_t m = bytes_equal(w, '?') | bytes_equal(w, '#')) return i + first_byte(m);
        }
        if (i == n) return n;
        // The last eight bytes: those before i are known to be neither '?' nor '#'.
        const std::uint64_t w = load_word(p + n - 8);
        const std::uint64_t m = bytes_equal(w, '?') | bytes_equal(w, '#');
        return m != 0 ? n - 8 + first_byte(m) : n;
    }
    while (i < n && p[i] != '?' && p[i] != '#') ++i;
    return i;
}

/// Bit i set when byte i of the `n` (at most 64) bytes at `p` is a '/'; `percent` when any
/// of them is a '%'. Eight bytes at a time.
inline std::uint64_t slash_bits_words(const char* p, std::size_t n, bool& percent) noexcept {
    std::uint64_t slashes = 0;
    std::uint64_t percents = 0;
    if (n >= 8) {
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            const std::uint64_t w = load_word(p + i);
            slashes |= byte_bits(bytes_equal_exact(w, '/')) << i;
            percents |= bytes_equal(w, '%');
        }
        if (i < n) {  // the last eight bytes, some of them again
            const std::uint64_t w = load_word(p + n - 8);
            slashes |= byte_bits(bytes_equal_exact(w, '/')) << (n - 8);
            percents |= bytes_equal(w, '%');
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            slashes |= static_cast<std::uint64_t>(p[i] == '/') << i;
            percents |= p[i] == '%';
        }
    }
    percent = percents != 0;
    return slashes;
}

#if defined(__SSE2__)
/// The first and the last eight of the `n` (8 to 16) bytes at `p` in one vector.
inline __m128i load_ends(const char* p, std::size_t n) noexcept {
    return _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8)));
}

/// query_start_words, sixteen bytes at a time; `n` is at least 8.
inline std::size_t query_start_sse2(const char* p, std::size_t n) noexcept {
    const __m128i question = _mm_set1_epi8('?');
    const __m128i hash = _mm_set1_epi8('#');
    auto stops = [&](const char* at) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, question), _mm_cmpeq_epi8(v, hash))));
    };
    if (n < 16) {  // bytes 0-7, then n-8 to n-1: a mark in the second half is past any in the first
        const __m128i v = load_ends(p, n);
        const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, question), _mm_cmpeq_epi8(v, hash))));
        if ((m & 0xFF) != 0) return static_cast<std::size_t>(std::countr_zero(m));
        return m != 0 ? n - 16 + static_cast<std::size_t>(std::countr_zero(m)) : n;
    }
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16)
        if (const unsigned m = stops(p + i)) return i + static_cast<std::size_t>(std::countr_zero(m));
    if (i == n) return n;
    const unsigned m = stops(p + n - 16);  // the last sixteen, those before i known clean
    return m != 0 ? n - 16 + static_cast<std::size_t>(std::countr_zero(m)) : n;
}

/// slash_bits_words, sixteen bytes at a time; `n` is 8 to 64.
inline std::uint64_t slash_bits_sse2(const char* p, std::size_t n, bool& percent) noexcept {
    const __m128i slash = _mm_set1_epi8('/');
    const __m128i pct = _mm_set1_epi8('%');
    if (n < 16) {
        const __m128i v = load_ends(p, n);
        const auto m = static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, slash))));
        percent = _mm_movemask_epi8(_mm_cmpeq_epi8(v, pct)) != 0;
        return (m & 0xFF) | (m >> 8) << (n - 8);
    }
    std::uint64_t slashes = 0;
    __m128i percents = _mm_setzero_si128();
    auto add = [&](std::size_t at) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
        slashes |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, slash)))) << at;
        percents = _mm_or_si128(percents, _mm_cmpeq_epi8(v, pct));
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) add(i);
    if (i < n) add(n - 16);  // the last sixteen, some of them again
    percent = _mm_movemask_epi8(percents) != 0;
    return slashes;
}
#endif

/// query_start_words, or its SSE2 version where that is available and the text long enough.
inline std::size_t query_start(const char* p, std::size_t n) noexcept {
#if defined(__SSE2__)
    if (n >= 8) return query_start_sse2(p, n);
#endif
    return query_start_words(p, n);
}

/// slash_bits_words, or its SSE2 version where that is available and the text long enough.
inline std::uint64_t slash_bits(const char* p, std::size_t n, bool& percent) noexcept {
#if defined(__SSE2__)
    if (n >= 8) return slash_bits_sse2(p, n, percent);
#endif
    return slash_bits_words(p, n, percent);
}

/// The length of the path part of a request target: up to the first '?' or '#'.
/// (`find_first_of("?#")` calls memchr once per character.)
constexpr std::size_t path_length(std::string_view target) noexcept {
    if (!std::is_constant_evaluated()) return query_start(target.data(), target.size());
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
        : t_(t), method_(m), data_(path.data()), size_(path.size()), out_(out) {}

    std::int16_t found = -1;
    bool head_as_get = false;
    bool redirect = false;
    method_set allowed{};

    /// Matches from the root; the path must start with '/'.
    bool run() {
        index_path();
        return walk(0, 1, 0);
    }

private:
    /// Where the path's first 64 bytes hold a '/' (bit i for byte i), and whether the path
    /// holds a '%' anywhere: found once (see slash_bits), so that splitting a segment is a
    /// shift and a count of trailing zeros, however often the walk comes back to it.
    void index_path() noexcept {
        const std::size_t covered = size_ < 64 ? size_ : 64;
        slashes_ = slash_bits(data_, covered, escapes_);
        if (!escapes_ && size_ > covered)
            escapes_ = std::string_view(data_ + covered, size_ - covered).find('%') != std::string_view::npos;
    }

    /// The index of the '/' that ends the segment starting at `pos`, or the path's size.
    std::size_t segment_end(std::size_t pos) const noexcept {
        std::size_t i = pos;
        if (pos < 64) {
            if (const std::uint64_t later = slashes_ >> pos) return pos + static_cast<std::size_t>(std::countr_zero(later));
            if (size_ <= 64) return size_;
            i = 64;
        }
        // Past the first 64 bytes: eight at a time, the last eight shifted down for the rest.
        for (; i + 8 <= size_; i += 8)
            if (const std::uint64_t slash = bytes_equal(load_word(data_ + i), '/')) return i + first_byte(slash);
        if (i == size_) return size_;
        const std::uint64_t slash = bytes_equal(load_word(data_ + size_ - 8) >> (8 * (i + 8 - size_)), '/');
        return slash != 0 ? i + first_byte(slash) : size_;
    }

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
        if (allowed.empty() && !redirect && nd.has_literals) {
            const std::uint16_t slash = find_static(n, nullptr, 0, nullptr, nullptr);
            redirect = slash != 0 && t_.nodes[slash].terminal >= 0;
        }
        return false;
    }

    /// The literal child of `parent` spelled as the `n` bytes at `p` (readable range [lo, hi)),
    /// or 0. Most literals are one word, compared in the slot; longer ones go to find_long.
    std::uint16_t find_static(std::uint16_t parent, const char* p, std::size_t n, const char* lo,
                              const char* hi) const noexcept {
        if (n > 8) return find_long(parent, p, n, lo, hi);
        const std::uint64_t head = n == 0 ? 0 : load_bytes(p, n, lo, hi);
        const std::uint32_t key = parent | static_cast<std::uint32_t>(n) << 16;
        const std::uint64_t h = literal_mix(literal_seed(n), head);
        for (std::uint32_t slot = literal_slot(literal_bucket(h), parent, t_.static_shift, t_.static_mask);;
             slot = (slot + 1) & t_.static_mask) {
            const static_slot& s = t_.statics[slot];
            if (s.child == 0) return 0;
            if (s.head == head && s.key == key) return s.child;
        }
    }

    /// find_static for a literal of more than eight bytes; out of line, to keep the common case small.
    [[gnu::noinline]] std::uint16_t find_long(std::uint16_t parent, const char* p, std::size_t n, const char* lo,
                                              const char* hi) const noexcept {
        const std::uint64_t head = segment_word(p, n, 0, lo, hi);
        const std::uint32_t key = parent | static_cast<std::uint32_t>(n) << 16;
        std::uint64_t h = literal_mix(literal_seed(n), head);
        const std::size_t chunks = literal_chunks(n);
        for (std::size_t c = 1; c < chunks; ++c) h = literal_mix(h, segment_word(p, n, c, lo, hi));
        for (std::uint32_t slot = literal_slot(literal_bucket(h), parent, t_.static_shift, t_.static_mask);;
             slot = (slot + 1) & t_.static_mask) {
            const static_slot& s = t_.statics[slot];
            if (s.child == 0) return 0;
            if (s.head != head || s.key != key) continue;
            std::size_t c = 1;
            while (c < chunks && t_.literal_words[s.rest + c - 1] == segment_word(p, n, c, lo, hi)) ++c;
            if (c == chunks) return s.child;
        }
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
            // Characters are at most the bytes, and at least one in a non-empty segment (a
            // byte that starts no character counts as one, as Werkzeug's replacement
            // character does): count them only when those bounds do not decide.
            if (text.size() < e.min_length || text.empty()) return false;
            if ((e.max_length == 0 || text.size() <= e.max_length) && e.min_length <= 1) return true;
            const std::size_t len = utf8_length(text);
            return len >= e.min_length && (e.max_length == 0 || len <= e.max_length);
        }
        case converter_kind::path:
            return !text.empty() && text.front() != '/';
        }
        return false;
    }

    /// Matches the path from `pos` on below node `n` (`pos` past the path's size: no segment
    /// is left); `param` is the next parameter's slot.
    /// Each segment is split once, and a literal child is tried before the parameter edges in
    /// precedence order. Where nothing is left to try after a child, the walk goes on in this
    /// frame instead of recursing: only real alternatives cost a call.
    bool walk(std::uint16_t n, std::size_t pos, std::size_t param) {
        for (;;) {
            if (pos > size_) return at_end(n);  // past the last segment
            const std::size_t end = segment_end(pos);
            const std::size_t next = end + 1;
            const std::size_t len = end - pos;
            if (escapes_ && std::string_view(data_ + pos, len).find('%') != std::string_view::npos)
                return walk_encoded(n, pos, end, next, param);
            const node& nd = t_.nodes[n];
            if (nd.has_literals && len <= t_.max_literal) {
                const std::uint16_t child = find_static(n, data_ + pos, len, data_, data_ + size_);
                if (child != 0) {
                    if (nd.edge_count == 0) {
                        n = child;
                        pos = next;
                        continue;
                    }
                    if (walk(child, next, param)) return true;
                }
            }
            if (nd.edge_count == 0) return false;
            const std::string_view raw(data_ + pos, len);
            const std::uint16_t last = nd.first_edge + nd.edge_count - 1;
            for (std::uint16_t i = nd.first_edge; i < last; ++i)
                if (try_edge(t_.edges[i], pos, raw, raw, false, next, param)) return true;
            const param_edge& e = t_.edges[last];
            if (e.kind == converter_kind::path) return try_edge(e, pos, raw, raw, false, next, param);
            if (!take(e, raw, raw, false, out_[param])) return false;
            n = nd.last_target;
            pos = next;
            ++param;
        }
    }

    /// walk() for a segment with a '%': literals and converters see it decoded.
    bool walk_encoded(std::uint16_t n, std::size_t pos, std::size_t end, std::size_t next, std::size_t param) {
        const std::string_view raw(data_ + pos, end - pos);
        const decoded_segment dec(raw, true);
        const std::string_view text = dec.view_;
        const node& nd = t_.nodes[n];
        if (nd.has_literals && text.size() <= t_.max_literal) {
            const std::uint16_t child =
                find_static(n, text.data(), text.size(), text.data(), text.data() + text.size());
            if (child != 0 && walk(child, next, param)) return true;
        }
        for (std::uint16_t i = 0; i < nd.edge_count; ++i)
            if (try_edge(t_.edges[nd.first_edge + i], pos, raw, text, true, next, param)) return true;
        return false;
    }

    /// Converts a segment for a (non-path) edge into `v`.
    bool take(const param_edge& e, std::string_view raw, std::string_view text, bool encoded, param_value& v) const {
        v.negative = false;
        if (!(e.plain_int && !encoded ? convert_int(e, text, v) : convert(e, text, v))) return false;
        v.raw = raw;
        v.encoded = encoded;
        return true;
    }

    /// convert() for a plain int segment as it lies in the path: up to eight digits at once.
    bool convert_int(const param_edge& e, std::string_view text, param_value& v) const {
        const std::size_t n = text.size();
        if (n - 1 >= 8 || text[0] == '-') return convert(e, text, v);  // n == 0 wraps
        std::uint64_t value = 0;
        if (!digits_word(load_bytes(text.data(), n, data_, data_ + size_), n, value)) return false;
        v.set(value);
        return true;
    }

    bool try_edge(const param_edge& e, std::size_t pos, std::string_view raw, std::string_view text, bool encoded,
                  std::size_t next, std::size_t param) {
        if (e.kind != converter_kind::path)
            return take(e, raw, text, encoded, out_[param]) && walk(e.target, next, param + 1);
        // The rest of the path; only its first character (decoded) and its '%' matter.
        if (pos >= size_) return false;
        const std::string_view rest(data_ + pos, size_ - pos);
        char first = rest[0];
        if (first == '%' && rest.size() > 2) {
            const int hi = uuid::hex(rest[1]);
            const int lo = uuid::hex(rest[2]);
            if (hi >= 0 && lo >= 0) first = static_cast<char>(hi * 16 + lo);
        }
        if (first == '/') return false;
        param_value& v = out_[param];
        v.negative = false;
        v.raw = rest;
        v.encoded = rest.find('%') != std::string_view::npos;
        return walk(e.target, size_ + 1, param + 1);
    }

    const table_view& t_;
    method method_;
    const char* data_;
    std::size_t size_;
    param_value* out_;
    std::uint64_t slashes_ = 0;  ///< bit i: byte i of the path is a '/' (i < 64)
    bool escapes_ = false;       ///< the path holds a '%'
};

}  // namespace detail
}  // namespace vial

#endif  // VIAL_ROUTE_TABLE_HPP
