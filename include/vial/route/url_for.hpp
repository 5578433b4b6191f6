#ifndef VIAL_ROUTE_URL_FOR_HPP
#define VIAL_ROUTE_URL_FOR_HPP

/// @file
/// `vial::url_for<"users.show_user">(app, 42)` builds "/users/user/42". The endpoint, the
/// number of arguments and their types are checked at compile time.

#include <vial/route/app.hpp>
#include <vial/route/converter.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/handler.hpp>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vial {

/// Thrown by url_for when a value is of the right type but the converter would not match it
/// (an int outside min/max, a string of the wrong length, a value not among any()'s options).
class build_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// `vial::query{"page", 2}` (query<void>) is an extra query argument for url_for; the
/// typed layer's `vial::query<T>` (<vial/typed/params.hpp>) is a handler parameter: one name.
template <class T = void>
struct query;

/// An extra query argument for url_for: `vial::query{"page", 2}` appends `?page=2`.
template <>
struct query<void> {
    std::string name;
    std::string value;

    template <class T>
    query(std::string_view n, const T& v) : name(n), value(format(v)) {}

private:
    template <class T>
    static std::string format(const T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            return v ? "true" : "false";
        } else if constexpr (std::is_arithmetic_v<T>) {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, v);
            return std::string(buf, r.ptr);
        } else {
            return std::string(std::string_view(v));
        }
    }
};
template <class V>
query(std::string_view, const V&) -> query<void>;

namespace detail {

template <class Arg>
inline constexpr bool is_text_v = std::is_convertible_v<const Arg&, std::string_view>;

template <converter_kind K, class Arg, class Custom>
constexpr bool url_arg_fits() {
    using D = std::remove_cvref_t<Arg>;
    if constexpr (K == converter_kind::int_) return is_integer_v<D>;
    else if constexpr (K == converter_kind::float_) return std::is_arithmetic_v<D> && !std::is_same_v<D, bool>;
    else if constexpr (K == converter_kind::uuid) return std::is_same_v<D, uuid>;
    else if constexpr (K == converter_kind::custom) return std::is_convertible_v<const D&, Custom>;
    else return is_text_v<D>;
}

inline void append_int(std::string& out, const param_spec& p, bool negative, std::uint64_t magnitude) {
    const bool below = negative ? (!p.is_signed || (p.has_min && -static_cast<long double>(magnitude) < p.int_min))
                                : (p.has_min && p.int_min > 0 && magnitude < static_cast<std::uint64_t>(p.int_min));
    const bool above = !negative && p.has_max && (p.int_max < 0 || magnitude > static_cast<std::uint64_t>(p.int_max));
    if (below || above) throw build_error("vial: url_for: value outside the int converter's range");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, magnitude);
    const auto digits = static_cast<std::size_t>(r.ptr - buf);
    if (p.fixed_digits != 0 && digits > p.fixed_digits)
        throw build_error("vial: url_for: value has more digits than fixed_digits");
    if (negative) out += '-';
    if (digits < p.fixed_digits) out.append(p.fixed_digits - digits, '0');
    out.append(buf, digits);
}

inline void append_float(std::string& out, const param_spec& p, double v) {
    if (!std::isfinite(v) || (v < 0 && !p.is_signed) || (p.has_min && v < p.float_min) || (p.has_max && v > p.float_max))
        throw build_error("vial: url_for: value outside the float converter's range");
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
    out += s;
    if (s.find('.') == std::string_view::npos) out += ".0";
}

/// One url_for argument as given, whatever its route's converter: an integer, a floating
/// value, text, a uuid or a query argument. Built from the arguments by (non-template or
/// tiny) constructors, so that a url_for call compiles to an array of these and one call.
struct url_arg {
    enum class type : std::uint8_t { integer, number, text, id, query };
    struct text_span {
        const char* data;
        std::size_t size;
    };
    type kind;
    bool negative = false;
    // One of these, by kind: small, so that a call's arguments are a few stores each.
    union {
        std::uint64_t magnitude;
        double number;
        text_span text;
        std::array<std::uint8_t, 16> id;
        const vial::query<>* query;
    };

    template <class T>
        requires(is_integer_v<T>)
    url_arg(T v) noexcept : kind(type::integer), magnitude(static_cast<std::uint64_t>(v)) {
        if constexpr (std::is_signed_v<T>) {
            negative = v < 0;
            if (negative) magnitude = 0 - magnitude;
        }
    }
    url_arg(double v) noexcept : kind(type::number), number(v) {}
    url_arg(float v) noexcept : kind(type::number), number(v) {}
    url_arg(long double v) noexcept : kind(type::number), number(static_cast<double>(v)) {}
    url_arg(std::string_view v) noexcept : kind(type::text), text{v.data(), v.size()} {}
    template <class T>
        requires(!std::is_arithmetic_v<T> && std::is_convertible_v<const T&, std::string_view>)
    url_arg(const T& v) noexcept : url_arg(std::string_view(v)) {}
    url_arg(const uuid& v) noexcept : kind(type::id), id(v.bytes) {}
    url_arg(const vial::query<>& q) noexcept : kind(type::query), query(&q) {}

    [[nodiscard]] std::string_view as_text() const noexcept {
        return kind == type::text ? std::string_view(text.data, text.size) : std::string_view{};
    }
    /// The value as a floating one (an integer given for a float converter).
    [[nodiscard]] double as_number() const noexcept {
        if (kind == type::number) return number;
        return negative ? -static_cast<double>(magnitude) : static_cast<double>(magnitude);
    }
};

/// Checks a value against its parameter's converter and appends it, percent-encoded.
inline void append_value(std::string& out, const param_spec& p, std::string_view pattern, const url_arg& v) {
    const std::string_view text = v.as_text();
    switch (p.kind) {
    case converter_kind::int_: append_int(out, p, v.negative, v.magnitude); return;
    case converter_kind::float_: append_float(out, p, v.as_number()); return;
    case converter_kind::uuid: out += uuid{v.id}.to_string(); return;
    case converter_kind::custom: percent_encode_to(out, text, false); return;
    case converter_kind::any: {
        bool known = false;
        for (std::size_t k = 0; k < p.any_count; ++k) known = known || p.any_options[k].in(pattern) == text;
        if (!known) throw build_error("vial: url_for: value is not one of the any() converter's options");
        break;
    }
    case converter_kind::string: {
        const std::size_t len = utf8_length(text);
        if (text.empty() || len < p.min_length || (p.max_length != 0 && len > p.max_length))
            throw build_error("vial: url_for: string length outside the converter's limits");
        break;
    }
    case converter_kind::path:
        if (text.empty()) throw build_error("vial: url_for: path value is empty");
        // "/files//abs" would match no route (a path segment is never empty).
        if (text.front() == '/') throw build_error("vial: url_for: path value starts with '/'");
        break;
    }
    percent_encode_to(out, text, p.kind == converter_kind::path);
}

/// Throws build_error when an int argument does not fit the handler's parameter type, which
/// the route checks when it matches (`/small/300` is a 404 for a `std::int8_t` parameter).
inline void check_int_args(const int_check* checks, std::size_t count, const url_arg* args) {
    for (std::size_t i = 0; i < count; ++i) {
        const int_check& c = checks[i];
        const url_arg& v = args[c.slot];
        if (v.kind != url_arg::type::integer) continue;
        const bool fits = v.negative ? c.lo < 0 && v.magnitude <= 0 - static_cast<std::uint64_t>(c.lo)
                                     : v.magnitude <= c.hi && (c.lo <= 0 || v.magnitude >= static_cast<std::uint64_t>(c.lo));
        if (!fits) throw build_error("vial: url_for: value does not fit the handler's parameter type");
    }
}

/// One piece of a route's URL: literal text of its pattern (slashes included), or a
/// parameter whose converter is url_specs[spec].
struct url_piece {
    static constexpr std::uint16_t literal = 0xffff;
    std::uint16_t begin = 0;
    std::uint16_t size = 0;
    std::uint16_t spec = literal;
    bool escape = false;  ///< a literal with bytes a URL does not keep as they are ("/café", "/a%b")
};

/// A parameter's converter, with the pattern its any() options point into (that of `route`,
/// the first route with this converter).
struct url_spec {
    param_spec param{};
    std::string_view pattern{};
    std::uint32_t route = 0;
};

/// A route's pieces, url_pieces[first, first + count), and what url_for checks of its
/// arguments: the number of parameters, the handler's int ranges, and whether a parameter has a
/// custom converter (whose value type and to_url only the rule's type knows).
struct url_route {
    std::string_view pattern{};
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::uint16_t params = 0;
    std::uint16_t check_count = 0;
    const int_check* checks = nullptr;
    bool custom = false;
};

/// Whether two parameters build URLs alike (the same converter, arguments and options).
constexpr bool same_url_spec(const url_spec& a, const url_spec& b) noexcept {
    const param_spec& p = a.param;
    const param_spec& q = b.param;
    if (p.kind != q.kind || p.is_signed != q.is_signed || p.has_min != q.has_min || p.has_max != q.has_max ||
        p.int_min != q.int_min || p.int_max != q.int_max || p.float_min != q.float_min || p.float_max != q.float_max ||
        p.fixed_digits != q.fixed_digits || p.min_length != q.min_length || p.max_length != q.max_length ||
        p.any_count != q.any_count)
        return false;
    for (std::size_t k = 0; k < p.any_count; ++k)
        if (p.any_options[k].in(a.pattern) != q.any_options[k].in(b.pattern)) return false;
    return true;
}

/// What url_for needs of every route of an app, small enough to keep in the program (the
/// app's route_desc segments are a few hundred bytes each, this is a few per piece).
template <std::size_t Pieces, std::size_t Specs, std::size_t Routes>
struct url_plan {
    std::array<url_piece, Pieces + 1> pieces{};
    std::array<url_spec, Specs + 1> specs{};
    std::array<url_route, Routes + 1> routes{};
};

/// A route as url_for checks a call and builds its URL: its pattern, pieces and int checks, as
/// offsets into the arrays of its url_table, its parameter count, and whether a parameter has a
/// custom converter (whose value type and to_url only the rule's type knows).
struct url_table_route {
    std::uint32_t pattern = 0;  ///< the route's pattern: chars[pattern, pattern + size)
    std::uint32_t size = 0;
    std::uint32_t first = 0;  ///< its pieces: pieces[first, first + count)
    std::uint32_t count = 0;
    std::uint32_t check = 0;  ///< the handler's int ranges: checks[check, check + check_count)
    std::uint16_t check_count = 0;
    std::uint16_t params = 0;
    bool custom = false;
};

/// A parameter's converter, with the pattern its any() options point into: chars[pattern,
/// pattern + size).
struct url_table_spec {
    param_spec param{};
    std::uint32_t pattern = 0;
    std::uint32_t size = 0;
};

/// What url_for reads at run time: a url_plan with copies of the route patterns and int checks
/// it points to, so that it holds no pointer to an app's own tables. A pointer to those would
/// be a reference, in the program's assembly, to a symbol named after the app's type (every
/// route, 180 KB at 3,000 routes), one per route; this table's symbol is named after the app
/// variable (see url_table_at).
template <std::size_t Chars, std::size_t Pieces, std::size_t Specs, std::size_t Routes, std::size_t Checks>
struct url_table {
    std::array<char, Chars + 1> chars{};
    std::array<url_piece, Pieces + 1> pieces{};
    std::array<url_table_spec, Specs + 1> specs{};
    std::array<url_table_route, Routes + 1> routes{};
    std::array<int_check, Checks + 1> checks{};
};

/// A url_table of any size, as the non-template parts of url_for take it.
struct url_table_view {
    const char* chars = nullptr;
    const url_piece* pieces = nullptr;
    const url_table_spec* specs = nullptr;
    const url_table_route* routes = nullptr;
    const int_check* checks = nullptr;
};

/// The view of a url_table.
template <class Table>
constexpr url_table_view view_of(const Table& t) noexcept {
    return {t.chars.data(), t.pieces.data(), t.specs.data(), t.routes.data(), t.checks.data()};
}

/// How many pieces and distinct specs the url_plan of some routes has.
struct url_plan_size {
    std::size_t pieces = 0;
    std::size_t specs = 0;
};

/// Lays out routes [begin, end) of an app into its url_plan, or (with no plan) only measures
/// them, going on from `n` (the pieces and distinct specs of the routes before `begin`).
/// `distinct` has room for one entry per parameter of all routes.
template <class Plan>
constexpr void lay_out_url_plan(const route_desc* routes, std::size_t begin, std::size_t end, url_plan_size& n,
                                url_spec* distinct, Plan* plan) {
    for (std::size_t r = begin; r < end; ++r) {
        const route_desc& d = routes[r];
        const std::size_t first = n.pieces;
        bool after_literal = false;
        bool custom = false;
        for (std::size_t s = 0; s < d.segment_count; ++s) {
            const segment& seg = d.segments[s];
            // The '/' before the segment, and the segment itself when it is literal: one run
            // of the pattern with the literal text before it.
            const std::size_t slash = seg.is_param ? d.pattern.rfind('/', seg.param.name.begin) : seg.literal.begin - 1u;
            const std::size_t end = seg.is_param ? slash + 1 : seg.literal.begin + seg.literal.size;
            if (!after_literal) {
                if (plan != nullptr) plan->pieces[n.pieces].begin = static_cast<std::uint16_t>(slash);
                ++n.pieces;
            }
            if (plan != nullptr) {
                url_piece& run = plan->pieces[n.pieces - 1];
                run.size = static_cast<std::uint16_t>(end - run.begin);
                for (std::size_t c = slash; c < end; ++c) run.escape = run.escape || !is_url_safe(d.pattern[c], true);
            }
            after_literal = true;
            if (seg.is_param) {
                custom = custom || seg.param.kind == converter_kind::custom;
                const url_spec spec{seg.param, d.pattern, static_cast<std::uint32_t>(r)};
                std::size_t k = 0;
                while (k < n.specs && !same_url_spec(distinct[k], spec)) ++k;
                if (k == n.specs) distinct[n.specs++] = spec;
                if (plan != nullptr) plan->pieces[n.pieces].spec = static_cast<std::uint16_t>(k);
                ++n.pieces;
                after_literal = false;
            }
        }
        if (plan != nullptr)
            plan->routes[r] = url_route{d.pattern,     static_cast<std::uint32_t>(first),
                                        static_cast<std::uint32_t>(n.pieces - first),
                                        d.param_count, d.check_count, d.checks, custom};
    }
    if (plan != nullptr)
        for (std::size_t k = 0; k < n.specs; ++k) plan->specs[k] = distinct[k];
}

/// How many routes one constant evaluation lays out. clang 14 stops an evaluation after
/// 1,048,576 steps (`-fconstexpr-steps`), which laying out about 2,300 routes exceeds (the
/// per-character escape check of every literal above all), so an app's plan is laid out over
/// several evaluations there, each a `static constexpr` going on from the previous one's state,
/// as the dispatch table is (detail::build_chunk_routes); g++'s limit is far above what 3,000
/// routes take, so it lays out the plan in one.
#if defined(__clang__)
inline constexpr std::size_t url_plan_chunk_routes = 256;
#else
inline constexpr std::size_t url_plan_chunk_routes = static_cast<std::size_t>(-1);
#endif

/// What laying out a url_plan carries from one chunk of routes to the next.
template <std::size_t Params, class Plan>
struct url_plan_state {
    url_plan_size n{};
    std::array<url_spec, Params + 1> distinct{};
    Plan plan{};
};

/// The state after routes [0, (K + 1) * url_plan_chunk_routes) of App: measured only when Plan
/// is url_plan<0, 0, 0>, laid out otherwise.
template <class App, std::size_t Params, class Plan, std::size_t K>
inline constexpr url_plan_state<Params, Plan> url_plan_stage = [] {
    constexpr std::size_t begin = K * url_plan_chunk_routes;
    constexpr std::size_t end =
        App::route_count - begin < url_plan_chunk_routes ? App::route_count : begin + url_plan_chunk_routes;
    url_plan_state<Params, Plan> state{};
    if constexpr (K != 0) state = url_plan_stage<App, Params, Plan, K - 1>;
    constexpr bool measure = std::is_same_v<Plan, url_plan<0, 0, 0>>;
    lay_out_url_plan(App::descs.data(), begin, end, state.n, state.distinct.data(), measure ? nullptr : &state.plan);
    return state;
}();

/// The url_plan of an app, made only when a url_for asks for it: once per app, however many
/// url_for calls there are.
template <class App>
struct url_plan_of {
    static constexpr std::size_t params = [] {
        std::size_t n = 0;
        for (const route_desc& d : App::descs) n += d.param_count;
        return n;
    }();
    static constexpr std::size_t last_chunk =
        App::route_count == 0 ? 0 : (App::route_count - 1) / url_plan_chunk_routes;
    static constexpr url_plan_size size = [] {
        if constexpr (last_chunk == 0) {
            url_plan_size n{};
            std::array<url_spec, params + 1> distinct{};
            lay_out_url_plan<url_plan<0, 0, 0>>(App::descs.data(), 0, App::route_count, n, distinct.data(), nullptr);
            return n;
        } else {
            return url_plan_stage<App, params, url_plan<0, 0, 0>, last_chunk>.n;
        }
    }();
    using plan_type = url_plan<size.pieces, size.specs, App::route_count>;
    static constexpr plan_type plan = [] {
        if constexpr (last_chunk == 0) {
            url_plan_size n{};
            std::array<url_spec, params + 1> distinct{};
            plan_type out{};
            lay_out_url_plan(App::descs.data(), 0, App::route_count, n, distinct.data(), &out);
            return out;
        } else {
            return url_plan_stage<App, params, plan_type, last_chunk>.plan;
        }
    }();
};

/// The characters and int checks routes [begin, end) of an app add to its url_table.
struct url_table_size {
    std::size_t chars = 0;
    std::size_t checks = 0;
};

/// Copies routes [begin, end) of an app into its url_table, or (with no table) only measures
/// them, going on from `n` (what the routes before `begin` hold).
template <class Plan, class Table>
constexpr void fill_url_table(const route_desc* routes, const Plan& plan, std::size_t begin, std::size_t end,
                              url_table_size& n, Table* table) {
    for (std::size_t r = begin; r < end; ++r) {
        const route_desc& d = routes[r];
        if (table != nullptr) {
            table->routes[r] = url_table_route{static_cast<std::uint32_t>(n.chars),
                                               static_cast<std::uint32_t>(d.pattern.size()),
                                               plan.routes[r].first,
                                               plan.routes[r].count,
                                               static_cast<std::uint32_t>(n.checks),
                                               d.check_count,
                                               plan.routes[r].params,
                                               plan.routes[r].custom};
            // Through plain pointers: each std::array or string_view operator[] would be one more
            // call for g++'s constant evaluator, per character of every pattern.
            const char* from = d.pattern.data();
            char* to = table->chars.data() + n.chars;
            for (std::size_t c = 0; c < d.pattern.size(); ++c) to[c] = from[c];
            int_check* checks = table->checks.data() + n.checks;
            for (std::size_t c = 0; c < d.check_count; ++c) checks[c] = d.checks[c];
        }
        n.chars += d.pattern.size();
        n.checks += d.check_count;
    }
}

/// What filling a url_table carries from one chunk of routes to the next.
template <class Table>
struct url_table_state {
    url_table_size n{};
    Table table{};
};

/// The state after routes [0, (K + 1) * url_plan_chunk_routes) of App (chunks as url_plan_stage):
/// measured only when Table is void, filled otherwise.
template <class App, class Table, std::size_t K>
inline constexpr auto url_table_stage = [] {
    constexpr std::size_t begin = K * url_plan_chunk_routes;
    constexpr std::size_t end =
        App::route_count - begin < url_plan_chunk_routes ? App::route_count : begin + url_plan_chunk_routes;
    using stored = std::conditional_t<std::is_void_v<Table>, url_table<0, 0, 0, 0, 0>, Table>;
    url_table_state<stored> state{};
    if constexpr (K != 0) state = url_table_stage<App, Table, K - 1>;
    fill_url_table(App::descs.data(), url_plan_of<App>::plan, begin, end, state.n,
                   std::is_void_v<Table> ? nullptr : &state.table);
    return state;
}();

/// The url_table of an app (see url_table): made from its url_plan once per app, when a
/// url_for asks for it.
template <class App>
struct url_table_of {
    using plan_of = url_plan_of<App>;
    static constexpr url_table_size size = [] {
        if constexpr (plan_of::last_chunk == 0) {
            url_table_size n{};
            fill_url_table<typename plan_of::plan_type, url_table<0, 0, 0, 0, 0>>(App::descs.data(), plan_of::plan, 0,
                                                                               App::route_count, n, nullptr);
            return n;
        } else {
            return url_table_stage<App, void, plan_of::last_chunk>.n;
        }
    }();
    using table_type = url_table<size.chars, plan_of::size.pieces, plan_of::size.specs, App::route_count, size.checks>;
    static constexpr table_type table = [] {
        table_type t{};
        if constexpr (plan_of::last_chunk == 0) {
            url_table_size n{};
            fill_url_table(App::descs.data(), plan_of::plan, 0, App::route_count, n, &t);
        } else {
            t = url_table_stage<App, table_type, plan_of::last_chunk>.table;
        }
        t.pieces = plan_of::plan.pieces;
        for (std::size_t k = 0; k < plan_of::size.specs; ++k) {
            const url_spec& spec = plan_of::plan.specs[k];
            t.specs[k] = url_table_spec{spec.param, t.routes[spec.route].pattern, t.routes[spec.route].size};
        }
        return t;
    }();
    /// The table as build_url reads it (the older url_for<"x">(app, ...), whose function is
    /// named after the app's type anyway).
    static constexpr url_table_view view = view_of(table);
};

/// The url_table of the app variable App, and its view: what a url_for<"x", app>(...) call
/// refers to at run time. Named after the variable (`url_table_at<app_routes::app>`), a few
/// bytes, where url_table_of<App>::table is named after the app's type: g++ hashes a symbol's
/// name each time its common-subexpression pass meets a reference to it, so a function with
/// thousands of url_for calls referring to the latter cost seconds.
template <const auto& App>
inline constexpr auto url_table_at = url_table_of<std::remove_cvref_t<decltype(App)>>::table;

template <const auto& App>
inline constexpr url_table_view url_view_at = view_of(url_table_at<App>);

/// Builds a route's URL from the arguments of url_for: one per parameter, in order, then the
/// query arguments. Not a template: every url_for of a program shares it.
inline std::string build_url(const url_table_view& t, const url_table_route& route, const url_arg* args,
                             std::size_t arg_count) {
    const std::string_view pattern(t.chars + route.pattern, route.size);
    std::string out;
    out.reserve(pattern.size() + 16);
    std::size_t next = 0;
    for (std::size_t k = 0; k < route.count; ++k) {
        const url_piece& piece = t.pieces[route.first + k];
        if (piece.spec == url_piece::literal) {
            // Encoded as Werkzeug builds a rule's text: "/café" gives "/caf%C3%A9".
            if (piece.escape) percent_encode_to(out, pattern.substr(piece.begin, piece.size), true);
            else out += pattern.substr(piece.begin, piece.size);
        } else {
            const url_table_spec& spec = t.specs[piece.spec];
            append_value(out, spec.param, std::string_view(t.chars + spec.pattern, spec.size), args[next++]);
        }
    }
    char sep = '?';
    for (; next < arg_count; ++next) {
        out += sep;
        sep = '&';
        query_encode_to(out, args[next].query->name);
        out += '=';
        query_encode_to(out, args[next].query->value);
    }
    return out;
}

/// build_url for route `route` of a table, after the int arguments are checked against the
/// handler's parameter types: what a url_for call compiles to, besides its arguments.
inline std::string build_url(const url_table_view& t, std::size_t route, const url_arg* args, std::size_t arg_count) {
    const url_table_route& r = t.routes[route];
    if (r.check_count != 0) check_int_args(t.checks + r.check, r.check_count, args);
    return build_url(t, r, args, arg_count);
}

/// The URL of route `route` from url_for's arguments (checked): one function per list of
/// argument types, shared by every call that passes the same types.
template <class... Args>
[[gnu::noinline]] std::string url_build_with(const url_table_view& table, std::size_t route, const Args&... args) {
    if constexpr (sizeof...(Args) == 0) {
        return build_url(table, route, nullptr, 0);
    } else {
        const url_arg all[] = {url_arg(args)...};
        return build_url(table, route, all, sizeof...(Args));
    }
}

template <class Arg>
inline constexpr bool is_query_v = std::is_same_v<std::remove_cvref_t<Arg>, query<>>;

/// What a url_for argument's type can stand for, as bits: one type test per type in a program,
/// however many calls pass it, so that a call is checked by a constexpr loop over these
/// instead of a template instantiated per parameter.
enum url_arg_fit : std::uint8_t {
    fits_int = 1,      ///< an integer (not bool, not a character)
    fits_float = 2,    ///< any arithmetic value but bool
    fits_uuid = 4,     ///< a vial::uuid
    fits_text = 8,     ///< converts to std::string_view
    is_query_arg = 16  ///< a vial::query{name, value}
};

template <class D>
inline constexpr std::uint8_t url_arg_fits_v =
    static_cast<std::uint8_t>((is_integer_v<D> ? fits_int : 0) |
                              (std::is_arithmetic_v<D> && !std::is_same_v<D, bool> ? fits_float : 0) |
                              (std::is_same_v<D, uuid> ? fits_uuid : 0) | (is_text_v<D> ? fits_text : 0) |
                              (std::is_same_v<D, query<>> ? is_query_arg : 0));

/// The url_arg_fits_v of each argument type of a call (and a 0 after them).
template <class... Args>
inline constexpr std::uint8_t url_args_fit[] = {url_arg_fits_v<std::remove_cvref_t<Args>>..., 0};

/// The outcome of checking a url_for call against its route (see check_url_call).
struct url_call_check {
    enum class status : std::uint8_t { ok, wrong_count, type_mismatch, custom } what = status::ok;
    std::size_t expected = 0;  ///< the route's parameter count
    std::size_t given = 0;     ///< the route arguments given, or npos when one follows a query argument
    std::size_t bad = 0;       ///< the first argument of the wrong type
};

/// Checks a url_for call's arguments, described by their url_arg_fits_v, against route `route`:
/// one value per parameter, each of a type its converter takes, then only query arguments.
/// A route with a custom converter is left to its rule's type (status::custom).
constexpr url_call_check check_url_call(const url_table_view& table, std::size_t route, const std::uint8_t* fits,
                                        std::size_t count) noexcept {
    const url_table_route& r = table.routes[route];
    url_call_check c{};
    c.expected = r.params;
    bool in_query = false;
    for (std::size_t i = 0; i < count; ++i) {
        if ((fits[i] & is_query_arg) != 0) in_query = true;
        else if (in_query) c.given = npos;
        else if (c.given != npos) ++c.given;
    }
    if (c.given != c.expected) {
        c.what = url_call_check::status::wrong_count;
        return c;
    }
    if (r.custom) {
        c.what = url_call_check::status::custom;
        return c;
    }
    std::size_t arg = 0;
    for (std::size_t k = 0; k < r.count; ++k) {
        const url_piece& piece = table.pieces[r.first + k];
        if (piece.spec == url_piece::literal) continue;
        std::uint8_t need = fits_text;
        switch (table.specs[piece.spec].param.kind) {
        case converter_kind::int_: need = fits_int; break;
        case converter_kind::float_: need = fits_float; break;
        case converter_kind::uuid: need = fits_uuid; break;
        default: break;
        }
        if ((fits[arg] & need) == 0) {
            c.what = url_call_check::status::type_mismatch;
            c.bad = arg;
            return c;
        }
        ++arg;
    }
    return c;
}

/// The first url_for argument whose type does not fit its parameter's converter, or npos.
template <class Rule, class Types, std::size_t... I>
constexpr std::size_t url_first_misfit(std::index_sequence<I...>) {
    const bool ok[] = {
        url_arg_fits<Rule::template kind<I>, nth_t<I, Types>, typename Rule::template custom_value_t<I>>()..., true};
    return first_false(ok, sizeof...(I));
}

/// A url_for argument for parameter I of Rule: custom converters format theirs with to_url.
template <class Rule, std::size_t I, class Arg>
decltype(auto) custom_formatted(const Arg& arg) {
    if constexpr (I < Rule::param_count && Rule::template kind<I> == converter_kind::custom) {
        using V = typename Rule::template custom_value_t<I>;
        return std::string(converter<Rule::template converter_name<I>>::to_url(static_cast<const V&>(arg)));
    } else {
        return (arg);
    }
}

/// url_for of a route with a custom converter: its rule's type knows the converter's value
/// type (what an argument must convert to) and its to_url. Other routes never come here.
template <fixed_string Endpoint, class Rule, class... Args>
[[gnu::noinline]] std::string url_for_custom(const url_table_view& table, std::size_t route, const Args&... args) {
    constexpr std::size_t P = Rule::param_count;
    if constexpr (constexpr std::size_t bad = url_first_misfit<Rule, type_list<Args...>>(std::make_index_sequence<P>{});
                  bad != npos) {
        (void)diagnostic::report<diagnostic::url_for_argument_type_mismatch<Endpoint, bad, nth_t<bad, type_list<Args...>>>>;
        return {};
    } else {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            // Holds the strings custom converters made, and references to the other arguments.
            const std::tuple<decltype(custom_formatted<Rule, I>(args))...> formatted{custom_formatted<Rule, I>(args)...};
            const url_arg all[] = {url_arg(std::get<I>(formatted))..., url_arg(std::string_view{})};
            return build_url(table, route, all, sizeof...(Args));
        }(std::index_sequence_for<Args...>{});
    }
}

/// Reports what check_url_call found wrong with a call (C.what is not ok): one error.
template <fixed_string Endpoint, url_call_check C, class... Args>
constexpr void report_url_call() {
    if constexpr (C.what == url_call_check::status::wrong_count)
        (void)diagnostic::report<diagnostic::url_for_wrong_argument_count<Endpoint, C.expected, C.given>>;
    else if constexpr (C.what == url_call_check::status::type_mismatch)
        (void)diagnostic::report<diagnostic::url_for_argument_type_mismatch<Endpoint, C.bad, nth_t<C.bad, type_list<Args...>>>>;
}

}  // namespace detail

/// Builds the URL of endpoint `Endpoint` with the route's parameters, in order, followed by
/// any number of `vial::query{name, value}` for the query string. Values are percent-encoded.
/// Prefer `url_for<"endpoint", app>(...)` below wherever the app is a variable with static
/// storage: this form's function is named after the app's type, which spells out every route.
/// @par Example
/// @code
/// std::string u = vial::url_for<"users.show_user">(app, 42, vial::query{"tab", "posts"});
/// // "/users/user/42?tab=posts"
/// @endcode
/// @throws build_error when a value would not match its converter (range, length, options)
template <fixed_string Endpoint, class App, class... Args>
[[gnu::always_inline]] inline std::string url_for(const App&, const Args&... args) {
    // The same body as the form below, written twice on purpose: a helper both call would be a
    // function templated on the app's type, whose name (every route) is what that form avoids.
    constexpr std::size_t index = App::find(Endpoint.view());
    if constexpr (index == App::route_count) {
        (void)diagnostic::report<diagnostic::url_for_unknown_endpoint<Endpoint>>;
        return {};
    } else {
        constexpr const detail::url_table_view& table = detail::url_table_of<App>::view;
        constexpr detail::url_call_check check =
            detail::check_url_call(table, index, detail::url_args_fit<Args...>, sizeof...(Args));
        if constexpr (check.what == detail::url_call_check::status::custom) {
            return detail::url_for_custom<Endpoint, typename App::template rule_type<index>>(table, index, args...);
        } else if constexpr (check.what != detail::url_call_check::status::ok) {
            detail::report_url_call<Endpoint, check, Args...>();
            return {};
        } else {
            return detail::url_build_with(table, index, args...);
        }
    }
}

/// @overload
/// The app as a template argument: `vial::url_for<"users.show_user", app>(42)`. The same URL
/// and the same checks, at a fraction of the compile cost: the function instantiated for the
/// call is named after the app *variable* (a few bytes), not after the app's type, which
/// spells out every route, and it is small: the endpoint is found and the arguments checked
/// by constexpr lookups in tables made once per app (detail::url_table_of), and the URL is
/// built by one non-template function from an array of the arguments. `App` must be a
/// variable with static storage duration (a namespace-scope `constexpr auto app = vial::app(...)`).
/// @par Example
/// @code
/// std::string u = vial::url_for<"users.show_user", app>(42);   // "/users/user/42"
/// @endcode
template <fixed_string Endpoint, const auto& App, class... Args>
[[gnu::always_inline]] inline std::string url_for(const Args&... args) {
    using app_type = std::remove_cvref_t<decltype(App)>;
    constexpr std::size_t index = app_type::find(Endpoint.view());
    if constexpr (index == app_type::route_count) {
        (void)diagnostic::report<diagnostic::url_for_unknown_endpoint<Endpoint>>;
        return {};
    } else {
        constexpr detail::url_call_check check = detail::check_url_call(
            detail::url_table_of<app_type>::view, index, detail::url_args_fit<Args...>, sizeof...(Args));
        if constexpr (check.what == detail::url_call_check::status::custom) {
            return detail::url_for_custom<Endpoint, typename app_type::template rule_type<index>>(detail::url_view_at<App>,
                                                                                                index, args...);
        } else if constexpr (check.what != detail::url_call_check::status::ok) {
            detail::report_url_call<Endpoint, check, Args...>();
            return {};
        } else {
            return detail::url_build_with(detail::url_view_at<App>, index, args...);
        }
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_URL_FOR_HPP
