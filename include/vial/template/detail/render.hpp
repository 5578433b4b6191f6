#ifndef VIAL_TEMPLATE_DETAIL_RENDER_HPP
#define VIAL_TEMPLATE_DETAIL_RENDER_HPP

/// @file
/// Turns a parsed template into code: one function template per node and expression,
/// instantiated for the context type, checked as it is instantiated. What is known at
/// compile time (node kinds, names, literals, filter choices) is `if constexpr`; what runs
/// is appends to the output string and reads of the context.

#include <vial/route/app.hpp>
#include <vial/route/url_for.hpp>
#include <vial/template/detail/values.hpp>
#include <vial/template/diagnostics.hpp>
#include <vial/template/globals.hpp>
#include <vial/template/parse.hpp>
#include <vial/template/source.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial::detail::tpl {

// ---- templates and their environment ---------------------------------------------------

/// Template I of library Lib, parsed once per program.
template <class Lib, std::size_t I>
struct tmpl {
    using library = Lib;
    static constexpr std::string_view name = Lib::data::sources[I].name;
    static constexpr std::string_view text = Lib::data::sources[I].text;
    static constexpr template_sizes sizes = measure_template(text);
    static constexpr parsed_template<sizes> parsed = parse_template<sizes>(text);
};

/// A name as a template argument (names are at most 63 characters: the parser checks).
struct ident {
    char c[64]{};
    std::size_t n = 0;
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {c, n}; }
    constexpr bool operator==(const ident&) const = default;
};
constexpr ident make_ident(std::string_view s) noexcept {
    ident out{};
    for (std::size_t i = 0; i < s.size() && i < 63; ++i) out.c[i] = s[i];
    out.n = s.size() < 63 ? s.size() : 63;
    return out;
}
template <class T, std::uint32_t B, std::uint32_t N>
inline constexpr ident id_of = make_ident(T::text.substr(B, N));

template <class... T>
struct chain {};

/// What rendering knows besides the scope: the app (for url_for, or void), the templates
/// from the most derived to the base (for blocks), and the block being rendered (for super).
template <class App, class Chain, std::size_t Level = static_cast<std::size_t>(-1), ident Block = ident{}>
struct env {
    using app = App;
    using chain_type = Chain;
    static constexpr std::size_t level = Level;
    static constexpr ident block = Block;
};

struct no_globals {};

template <class Ctx, class G>
struct root_scope {
    const Ctx& ctx;
    const G& g;
};

template <ident Name, class V, class Parent>
struct local_scope {
    using parent_type = Parent;
    static constexpr ident name = Name;
    const V& value;
    const Parent& parent;
};

template <class S>
struct scope_traits : std::false_type {};
template <ident N, class V, class P>
struct scope_traits<local_scope<N, V, P>> : std::true_type {};

template <class Ctx, class G>
constexpr const Ctx& root_ctx(const root_scope<Ctx, G>& s) noexcept {
    return s.ctx;
}
template <class S>
constexpr decltype(auto) root_of(const S& s) noexcept {
    if constexpr (scope_traits<S>::value) return root_of(s.parent);
    else return (s);
}
template <class S>
using root_t = bare<decltype(root_of(std::declval<const S&>()))>;
template <class S>
struct root_types;
template <class Ctx, class G>
struct root_types<root_scope<Ctx, G>> {
    using ctx = Ctx;
    using globals = G;
};

template <class G>
inline constexpr bool has_globals_v = !std::is_same_v<G, no_globals>;

/// Where a name is bound: 0 nowhere, 1 a local, 2 the context, 3 request, 4 session.
template <ident N, class S>
constexpr int where() {
    if constexpr (scope_traits<S>::value) {
        if constexpr (S::name == N) return 1;
        else return where<N, typename S::parent_type>();
    } else {
        using Ctx = typename root_types<S>::ctx;
        if constexpr (is_struct_v<Ctx>) {
            if (member_index<Ctx>(N.view()) != static_cast<std::size_t>(-1)) return 2;
        }
        if (N.view() == "request") return 3;
        if (N.view() == "session") return 4;
        return 0;
    }
}

template <ident N, class S>
decltype(auto) get_name(const S& s) {
    if constexpr (scope_traits<S>::value) {
        if constexpr (S::name == N) return (s.value);
        else return get_name<N>(s.parent);
    } else {
        using Ctx = typename root_types<S>::ctx;
        if constexpr (where<N, S>() == 2) {
            return member<member_index<Ctx>(N.view())>(s.ctx);
        } else if constexpr (N.view() == "request") {
            return request_view{s.g.path, s.g.args};
        } else {
            using G = typename root_types<S>::globals;
            return session_view<typename G::session_type>{s.g.session};
        }
    }
}

// ---- errors -------------------------------------------------------------------------

template <template_error K, class T, std::uint32_t Pos, class Name = no_name>
invalid fail() {
    (void)report<report_error<K, T, Pos, Name>>;
    return {};
}
template <class T, std::uint32_t B, std::uint32_t N>
using name_at = source_text<T, B, N>;

template <class T, std::uint32_t X>
inline constexpr const expr_node& ex = T::parsed.exprs[X < T::sizes.exprs ? X : T::sizes.exprs];
template <class T, std::uint32_t I>
inline constexpr const node& nd = T::parsed.nodes[I < T::sizes.nodes ? I : T::sizes.nodes];

// ---- arguments of calls and filters ---------------------------------------------------

/// The expression of argument `name` (keyword) or at `position` (positional), or no_index.
template <class T, std::uint32_t X>
constexpr std::uint32_t arg_expr(std::string_view name, std::uint32_t position) {
    const expr_node& e = T::parsed.exprs[X];
    for (std::uint32_t k = 0; k < e.arg_count; ++k) {
        const arg_node& a = T::parsed.args[e.first_arg + k];
        if (a.name.size == 0 ? k == position : a.name.in(T::text) == name) return a.expr;
    }
    return no_index;
}

/// Whether the arguments fit parameters `names` (positional first, then keywords, each once).
template <class T, std::uint32_t X, std::size_t N>
constexpr bool args_fit(const std::string_view (&names)[N], std::size_t required = 0) {
    const expr_node& e = T::parsed.exprs[X];
    bool seen[N + 1]{};
    bool keywords = false;
    for (std::uint32_t k = 0; k < e.arg_count; ++k) {
        const arg_node& a = T::parsed.args[e.first_arg + k];
        if (a.name.size == 0) {
            if (keywords || k >= N) return false;
            seen[k] = true;
        } else {
            keywords = true;
            std::size_t i = 0;
            while (i < N && names[i] != a.name.in(T::text)) ++i;
            if (i == N || seen[i]) return false;
            seen[i] = true;
        }
    }
    for (std::size_t i = 0; i < required; ++i)
        if (!seen[i]) return false;
    return true;
}

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval(const S& s);
template <class E, class T, std::uint32_t X, class S>
void emit(std::string& out, const S& s, bool escape);
template <class E, class T, std::uint32_t B, std::uint32_t End, class S>
void render_range(std::string& out, const S& s);
template <class E, class T, std::uint32_t X, std::size_t Route, class S, std::size_t... K>
void emit_url_for_route(std::string& out, const S& s, bool escape, std::index_sequence<K...>);
template <class E, class T, std::uint32_t X, std::uint32_t M, std::uint32_t K, class Caller, class S>
void emit_macro(std::string& out, const Caller& caller, const S& s);
template <class E, class T, std::uint32_t X, std::uint32_t M, std::uint32_t K, class Caller, class S>
void emit_macro_bind(std::string& out, const Caller& caller, const S& s);

/// An argument's value, or `fallback` when it is not given. The fallback is returned as a value,
/// not as a reference to the caller's (often temporary) argument: `const auto& sep = arg_or(...)`
/// then keeps it alive (ASan found join's separator read after its scope).
template <class E, class T, std::uint32_t A, class S, class D>
decltype(auto) arg_or(const S& s, const D& fallback) {
    if constexpr (A == no_index) return D(fallback);
    else return eval<E, T, A, S>(s);
}

template <class M>
concept string_map = map_like<M> && is_string_v<typename bare<M>::key_type>;
template <class M>
concept number_map = map_like<M> && is_number_v<typename bare<M>::key_type>;
template <class M>
struct map_mapped {
    using type = void;
};
template <map_like M>
struct map_mapped<M> {
    using type = typename M::mapped_type;
};

template <class V>
inline constexpr bool is_invalid_v = std::is_same_v<bare<V>, invalid>;

// ---- url_for --------------------------------------------------------------------------

template <class App, std::size_t Route, std::size_t K>
struct route_param_name {
    static constexpr std::string_view value = [] {
        const route_desc& d = App::descs[Route];
        std::size_t seen = 0;
        for (std::size_t i = 0; i < d.segment_count; ++i)
            if (d.segments[i].is_param && seen++ == K) return d.segments[i].param.name.in(d.pattern);
        return std::string_view{};
    }();
};
template <class App, std::size_t Route, std::size_t K>
inline constexpr const param_spec& route_param = [] () -> const param_spec& {
    const route_desc& d = App::descs[Route];
    std::size_t seen = 0;
    for (std::size_t i = 0; i < d.segment_count; ++i)
        if (d.segments[i].is_param && seen++ == K) return d.segments[i].param;
    return d.segments[0].param;
}();

/// Whether keyword argument k of a url_for call names a route parameter.
template <class App, std::size_t Route>
constexpr bool is_route_param(std::string_view name) {
    const route_desc& d = App::descs[Route];
    for (std::size_t i = 0; i < d.segment_count; ++i)
        if (d.segments[i].is_param && d.segments[i].param.name.in(d.pattern) == name) return true;
    return false;
}

template <class V>
constexpr bool url_value_fits(converter_kind k) {
    using D = bare<V>;
    if (k == converter_kind::int_) return is_int_v<D>;
    if (k == converter_kind::float_) return is_number_v<D> && !is_bool_v<D>;
    if (k == converter_kind::uuid) return std::is_same_v<D, uuid>;
    if (k == converter_kind::custom) return false;
    return is_string_v<D>;
}

template <class V>
url_arg to_url_arg(const V& v) {
    if constexpr (is_string_v<V>) return url_arg(text_of(v));
    else return url_arg(v);
}

/// Appends the query value of an extra url_for argument.
template <class V>
void put_query_value(std::string& out, const V& v) {
    if constexpr (is_text_v<V>) {
        query_encode_to(out, text_of(v));
    } else {
        std::string tmp;
        print(tmp, v, false);
        query_encode_to(out, tmp);
    }
}

/// Appends `url_for(endpoint, ...)` to out: the route's URL with its parameters, then the
/// other keyword arguments as a query string, HTML-escaped when `escape`.
template <class E, class T, std::uint32_t X, class S>
void emit_url_for(std::string& out, const S& s, bool escape) {
    using App = typename E::app;
    constexpr expr_node e = ex<T, X>;
    if constexpr (std::is_void_v<App>) {
        (void)fail<template_error::url_for_without_app, T, ex<T, e.lhs>.pos>();
    } else if constexpr (e.arg_count == 0 || T::parsed.args[e.first_arg].name.size != 0 ||
                         ex<T, T::parsed.args[e.first_arg].expr>.kind != expr_kind::string) {
        (void)fail<template_error::bad_expression, T, e.pos>();
    } else {
        constexpr expr_node endpoint = ex<T, T::parsed.args[e.first_arg].expr>;
        constexpr std::size_t route = App::find(endpoint.text.in(T::text));
        if constexpr (route == App::route_count) {
            (void)fail<template_error::url_for_unknown_endpoint, T, endpoint.pos, name_at<T, (endpoint.text).begin, (endpoint.text).size>>();
        } else {
            constexpr std::size_t P = App::descs[route].param_count;
            emit_url_for_route<E, T, X, route>(out, s, escape, std::make_index_sequence<P>{});
        }
    }
}

template <class E, class T, std::uint32_t X, std::size_t Route, std::size_t K>
constexpr std::uint32_t url_param_expr() {
    constexpr expr_node e = ex<T, X>;
    for (std::uint32_t a = 1; a < e.arg_count; ++a) {
        const arg_node& arg = T::parsed.args[e.first_arg + a];
        if (arg.name.in(T::text) == route_param_name<typename E::app, Route, K>::value) return arg.expr;
    }
    return no_index;
}

template <class E, class T, std::uint32_t X, std::size_t Route, class S>
void emit_url_query(std::string& out, const S& s) {
    constexpr expr_node e = ex<T, X>;
    char sep = '?';
    [&]<std::uint32_t... A>(std::integer_sequence<std::uint32_t, A...>) {
        (
            [&] {
                constexpr arg_node arg = T::parsed.args[e.first_arg + 1 + A];
                if constexpr (!is_route_param<typename E::app, Route>(arg.name.in(T::text))) {
                    out += sep;
                    sep = '&';
                    query_encode_to(out, arg.name.in(T::text));
                    out += '=';
                    put_query_value(out, eval<E, T, arg.expr, S>(s));
                }
            }(),
            ...);
    }(std::make_integer_sequence<std::uint32_t, e.arg_count - 1>{});
}

/// Writes piece J of route Route's URL (literal text, or the value of a parameter) as
/// vial::url_for does; an int parameter without limits is written without append_value's checks.
template <class App, std::size_t Route, std::size_t J>
void put_url_piece(std::string& out, const url_arg* all) {
    constexpr const auto& plan = url_plan_of<App>::plan;
    constexpr const url_route& route = plan.routes[Route];
    constexpr const url_piece& piece = plan.pieces[route.first + J];
    if constexpr (piece.spec == url_piece::literal) {
        if constexpr (piece.escape) percent_encode_to(out, route.pattern.substr(piece.begin, piece.size), true);
        else out.append(route.pattern.data() + piece.begin, piece.size);
    } else {
        std::size_t arg = 0;  // the parameters before this piece (folded by the compiler)
        for (std::size_t k = 0; k < J; ++k) arg += plan.pieces[route.first + k].spec != url_piece::literal ? 1 : 0;
        constexpr const param_spec& spec = plan.specs[piece.spec].param;
        const url_arg& v = all[arg];
        if constexpr (spec.kind == converter_kind::int_ && !spec.has_min && !spec.has_max && spec.fixed_digits == 0) {
            if (v.negative) {
                if constexpr (!spec.is_signed) throw build_error("vial: url_for: value outside the int converter's range");
                out += '-';
            }
            put_int(out, v.magnitude);
        } else {
            append_value(out, spec, plan.specs[piece.spec].pattern, v);
        }
    }
}

template <class E, class T, std::uint32_t X, std::size_t Route, class S, std::size_t... K>
void emit_url_for_route(std::string& out, const S& s, bool escape, std::index_sequence<K...>) {
    using App = typename E::app;
    constexpr expr_node e = ex<T, X>;
    constexpr std::uint32_t exprs[] = {url_param_expr<E, T, X, Route, K>()..., 0};
    constexpr std::size_t missing = [&] {
        for (std::size_t k = 0; k < sizeof...(K); ++k)
            if (exprs[k] == no_index) return k;
        return sizeof...(K);
    }();
    // Positional arguments after the endpoint are not Flask's.
    constexpr bool positional = [] {
        for (std::uint32_t a = 1; a < ex<T, X>.arg_count; ++a)
            if (T::parsed.args[ex<T, X>.first_arg + a].name.size == 0) return true;
        return false;
    }();
    if constexpr (positional) {
        (void)fail<template_error::bad_expression, T, e.pos>();
    } else if constexpr (missing != sizeof...(K)) {
        (void)fail<template_error::url_for_missing_argument, T, ex<T, e.lhs>.pos, route_param_name<App, Route, missing>>();
    } else {
        constexpr bool fits[] = {
            (url_value_fits<decltype(eval<E, T, exprs[K], S>(s))>(route_param<App, Route, K>.kind) ||
             is_invalid_v<decltype(eval<E, T, exprs[K], S>(s))>)...,
            true};
        constexpr std::size_t misfit = [&] {
            for (std::size_t k = 0; k < sizeof...(K); ++k)
                if (!fits[k]) return k;
            return sizeof...(K);
        }();
        if constexpr (misfit != sizeof...(K)) {
            (void)fail<template_error::url_for_argument_type, T, ex<T, exprs[misfit]>.pos,
                       route_param_name<App, Route, misfit>>();
        } else {
            constexpr const auto& plan = url_plan_of<App>::plan;
            const std::size_t start = out.size();
            // The values live until the URL is written: a reference stays a reference, a value
            // computed by the expression is kept in the tuple (std::forward_as_tuple would leave
            // a reference to a temporary that dies at the end of this statement).
            const std::tuple<decltype(eval<E, T, exprs[K], S>(s))...> values(eval<E, T, exprs[K], S>(s)...);
            const url_arg all[] = {to_url_arg(std::get<K>(values))..., url_arg(std::string_view{})};
            // As vial::url_for: an int that does not fit the handler's parameter type is a build_error.
            if constexpr (plan.routes[Route].check_count != 0)
                check_int_args(plan.routes[Route].checks, plan.routes[Route].check_count, all);
            // The pieces are known when this compiles: each is written without a loop or a switch.
            [&]<std::size_t... J>(std::index_sequence<J...>) {
                (put_url_piece<App, Route, J>(out, all), ...);
            }(std::make_index_sequence<plan.routes[Route].count>{});
            emit_url_query<E, T, X, Route>(out, s);
            // Only the route's literal text, text parameters and query arguments can hold a
            // character HTML escaping replaces ('&' and '\'' are kept in URLs); numbers and
            // uuids cannot, so a URL built from those alone is never scanned.
            constexpr bool may_need_escape = [] {
                const url_route& route = plan.routes[Route];
                for (std::size_t k = 0; k < route.count; ++k) {
                    const url_piece& piece = plan.pieces[route.first + k];
                    if (piece.spec == url_piece::literal) {
                        for (std::size_t c = piece.begin; c < piece.begin + piece.size; ++c)
                            if (html_special[static_cast<unsigned char>(route.pattern[c])]) return true;
                    } else {
                        const converter_kind kind = plan.specs[piece.spec].param.kind;
                        if (kind != converter_kind::int_ && kind != converter_kind::float_ && kind != converter_kind::uuid)
                            return true;
                    }
                }
                return ex<T, X>.arg_count > 1 + sizeof...(K);
            }();
            if constexpr (may_need_escape) {
                if (escape && has_html_special(std::string_view(out).substr(start))) {
                    const std::string raw = out.substr(start);
                    out.resize(start);
                    escape_to(out, raw);
                }
            }
        }
    }
}

// ---- names, attributes, indexes -----------------------------------------------------------

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval_name(const S& s) {
    constexpr expr_node e = ex<T, X>;
    constexpr int w = where<id_of<T, e.text.begin, e.text.size>, S>();
    using G = typename root_types<root_t<S>>::globals;
    if constexpr (w == 0) {
        return fail<template_error::unknown_variable, T, e.pos, name_at<T, (e.text).begin, (e.text).size>>();
    } else if constexpr ((w == 3 || w == 4) && !has_globals_v<G>) {
        return fail<template_error::without_globals, T, e.pos, name_at<T, (e.text).begin, (e.text).size>>();
    } else if constexpr (w == 4) {
        if constexpr (std::is_void_v<typename G::session_type>)
            return fail<template_error::without_globals, T, e.pos, name_at<T, (e.text).begin, (e.text).size>>();
        else return get_name<id_of<T, e.text.begin, e.text.size>>(s);
    } else {
        return get_name<id_of<T, e.text.begin, e.text.size>>(s);
    }
}

/// `v.name` (or `v["name"]` with a literal) of value V: the member, or a nullable, or an error.
template <class T, std::uint32_t Pos, text_span Name, class V>
decltype(auto) attribute(V&& v) {
    using D = bare<V>;
    constexpr std::string_view name = Name.in(T::text);
    if constexpr (is_invalid_v<D>) {
        return invalid{};
    } else if constexpr (is_struct_v<D>) {
        constexpr std::size_t i = member_index<D>(name);
        if constexpr (i == static_cast<std::size_t>(-1)) {
            return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
        } else if constexpr (std::is_lvalue_reference_v<V>) {
            return member<i>(v);
        } else {
            return bare<decltype(member<i>(v))>(member<i>(v));
        }
    } else if constexpr (std::is_same_v<D, loop_state>) {
        if constexpr (name == "index") return v.index0 + 1;
        else if constexpr (name == "index0") return v.index0;
        else if constexpr (name == "first") return v.index0 == 0;
        else if constexpr (name == "last") return v.index0 + 1 == v.length;
        else if constexpr (name == "length") return v.length;
        else if constexpr (name == "revindex") return v.length - v.index0;
        else if constexpr (name == "revindex0") return v.length - v.index0 - 1;
        else return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
    } else if constexpr (std::is_same_v<D, request_view>) {
        if constexpr (name == "path") return v.path;
        else if constexpr (name == "args") {
            static const multi_dict empty;
            return (v.args != nullptr ? *v.args : empty);
        } else return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
    } else if constexpr (is_session_v<D>) {
        using Data = typename session_traits<D>::data;
        if constexpr (is_struct_v<Data>) {
            constexpr std::size_t i = member_index<Data>(name);
            if constexpr (i == static_cast<std::size_t>(-1)) {
                return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
            } else {
                using M = bare<decltype(member<i>(*v.data))>;
                return nullable<M>{v.data != nullptr ? &member<i>(*v.data) : nullptr};
            }
        } else {
            using M = typename Data::mapped_type;
            if (v.data == nullptr) return nullable<M>{};
            const auto it = v.data->find(typename Data::key_type(name));
            return nullable<M>{it == v.data->end() ? nullptr : &it->second};
        }
    } else if constexpr (is_multi_dict_v<D>) {
        return nullable<std::string>{v.find(name)};
    } else if constexpr (string_map<D>) {
        using M = typename D::mapped_type;
        const auto it = v.find(typename D::key_type(name));
        return nullable<M>{it == v.end() ? nullptr : &it->second};
    } else if constexpr (is_optional_v<D> || is_nullable_v<D>) {
        using Inner = std::conditional_t<is_optional_v<D>, typename optional_traits<D>::value_type,
                                         typename nullable_traits<D>::value_type>;
        if constexpr (!is_struct_v<Inner>) {
            return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
        } else {
            constexpr std::size_t i = member_index<Inner>(name);
            if constexpr (i == static_cast<std::size_t>(-1)) {
                return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
            } else {
                using M = bare<decltype(member<i>(std::declval<const Inner&>()))>;
                const Inner* p = nullptr;
                if constexpr (is_optional_v<D>) p = v.has_value() ? &*v : nullptr;
                else p = v.p;
                return nullable<M>{p != nullptr ? &member<i>(*p) : nullptr};
            }
        }
    } else {
        return fail<template_error::unknown_attribute, T, Pos, name_at<T, (Name).begin, (Name).size>>();
    }
}

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval_index(const S& s) {
    constexpr expr_node e = ex<T, X>;
    constexpr expr_node key = ex<T, e.rhs>;
    using V = decltype(eval<E, T, e.lhs, S>(s));
    using D = bare<V>;
    if constexpr (key.kind == expr_kind::string && (is_struct_v<D> || is_session_v<D>)) {
        return attribute<T, key.pos, key.text>(eval<E, T, e.lhs, S>(s));
    } else {
        using K = bare<decltype(eval<E, T, e.rhs, S>(s))>;
        if constexpr (is_invalid_v<D> || is_invalid_v<K>) {
            return invalid{};
        } else if constexpr (range_like<D> && is_int_v<K> && requires(const D& r) { r[0]; std::size(r); }) {
            static_assert(std::is_lvalue_reference_v<V>, "vial: template: index of a temporary list");
            const D& r = eval<E, T, e.lhs, S>(s);
            using M = bare<decltype(r[0])>;
            long long i = static_cast<long long>(eval<E, T, e.rhs, S>(s));
            const long long n = static_cast<long long>(std::size(r));
            if (i < 0) i += n;
            return nullable<M>{i >= 0 && i < n ? &r[static_cast<std::size_t>(i)] : nullptr};
        } else if constexpr (is_multi_dict_v<D> && is_text_v<K>) {
            const D& m = eval<E, T, e.lhs, S>(s);
            return nullable<std::string>{m.find(text_of(eval<E, T, e.rhs, S>(s)))};
        } else if constexpr (is_session_v<D> && is_text_v<K>) {
            using Data = typename session_traits<D>::data;
            static_assert(!is_struct_v<Data>, "vial: template: a typed session is indexed by a literal name");
            using M = typename Data::mapped_type;
            const D v = eval<E, T, e.lhs, S>(s);
            if (v.data == nullptr) return nullable<M>{};
            const auto it = v.data->find(typename Data::key_type(text_of(eval<E, T, e.rhs, S>(s))));
            return nullable<M>{it == v.data->end() ? nullptr : &it->second};
        } else if constexpr (((is_text_v<K> && string_map<D>) || (is_number_v<K> && number_map<D>))) {
            static_assert(std::is_lvalue_reference_v<V>, "vial: template: index of a temporary map");
            const D& m = eval<E, T, e.lhs, S>(s);
            using M = typename D::mapped_type;
            const auto& k = eval<E, T, e.rhs, S>(s);
            typename D::key_type key_value = [&] {
                if constexpr (is_text_v<K>) return typename D::key_type(text_of(k));
                else return static_cast<typename D::key_type>(k);
            }();
            const auto it = m.find(key_value);
            return nullable<M>{it == m.end() ? nullptr : &it->second};
        } else {
            return fail<template_error::not_indexable, T, e.pos>();
        }
    }
}

// ---- filters in eval mode ------------------------------------------------------------------

template <template_error K, class T, std::uint32_t X>
invalid bad_filter() {
    return fail<K, T, ex<T, X>.pos, name_at<T, ex<T, X>.text.begin, ex<T, X>.text.size>>();
}

template <class V>
constexpr bool is_sized_v = requires(const bare<V>& v) { std::size(v); };

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval_filter(const S& s) {
    constexpr expr_node e = ex<T, X>;
    constexpr std::string_view f = e.text.in(T::text);
    using V = decltype(eval<E, T, e.lhs, S>(s));
    using D = bare<V>;
    if constexpr (is_invalid_v<D>) {
        return invalid{};
    } else if constexpr (f == "length" || f == "count") {
        if constexpr (e.arg_count != 0) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (is_text_v<D>) return code_points(text_of(eval<E, T, e.lhs, S>(s)));
        else if constexpr (is_sized_v<D>) return static_cast<std::size_t>(std::size(eval<E, T, e.lhs, S>(s)));
        else if constexpr (range_like<D> || map_like<D>) {
            const auto& r = eval<E, T, e.lhs, S>(s);
            return static_cast<std::size_t>(std::distance(std::begin(r), std::end(r)));
        } else return bad_filter<template_error::filter_type, T, X>();
    } else if constexpr (f == "int") {
        if constexpr (e.arg_count != 0) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (is_text_v<D>) return parse_int(text_of(eval<E, T, e.lhs, S>(s)));
        else if constexpr (is_float_v<D>) {
            const double d = static_cast<double>(eval<E, T, e.lhs, S>(s));
            return std::isfinite(d) ? static_cast<long long>(d) : 0LL;
        } else if constexpr (is_number_v<D>) return static_cast<long long>(eval<E, T, e.lhs, S>(s));
        else return bad_filter<template_error::filter_type, T, X>();
    } else if constexpr (f == "round") {
        constexpr std::string_view names[] = {"precision", "method"};
        constexpr std::uint32_t pa = arg_expr<T, X>("precision", 0);
        constexpr std::uint32_t ma = arg_expr<T, X>("method", 1);
        if constexpr (!args_fit<T, X>(names)) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (ma != no_index && ex<T, ma>.kind != expr_kind::string) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (pa != no_index && !is_int_v<decltype(eval<E, T, pa, S>(s))>) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!is_number_v<D>) return bad_filter<template_error::filter_type, T, X>();
        else {
            constexpr std::string_view m = ma == no_index ? std::string_view("common") : ex<T, ma>.text.in(T::text);
            static_assert(m == "common" || m == "ceil" || m == "floor",
                          "vial: template: round's method is 'common', 'ceil' or 'floor'");
            const long long precision = [&] {
                if constexpr (pa == no_index) return 0LL;
                else return static_cast<long long>(eval<E, T, pa, S>(s));
            }();
            return round_to(static_cast<double>(eval<E, T, e.lhs, S>(s)), precision, m == "ceil" ? 1 : m == "floor" ? 2 : 0);
        }
    } else if constexpr (f == "safe") {
        if constexpr (e.arg_count != 0) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (is_safe_v<D>) return eval<E, T, e.lhs, S>(s);
        else if constexpr (is_string_v<D> && (std::is_lvalue_reference_v<V> || std::is_same_v<D, std::string_view>))
            return safe_view{text_of(eval<E, T, e.lhs, S>(s))};
        else if constexpr (printable<D>()) {
            safe_string out;
            print(out.s, eval<E, T, e.lhs, S>(s), false);
            return out;
        } else return bad_filter<template_error::filter_type, T, X>();
    } else if constexpr (f == "default" || f == "d") {
        constexpr std::string_view names[] = {"default_value", "boolean"};
        constexpr std::uint32_t da = arg_expr<T, X>("default_value", 0);
        constexpr std::uint32_t ba = arg_expr<T, X>("boolean", 1);
        if constexpr (!args_fit<T, X>(names)) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (ba != no_index && ex<T, ba>.kind != expr_kind::boolean) return bad_filter<template_error::filter_arguments, T, X>();
        else {
            using A = bare<decltype(arg_or<E, T, da, S>(s, std::string_view{}))>;
            using Inner = std::conditional_t<is_optional_v<D>, typename optional_traits<D>::value_type,
                                             std::conditional_t<is_nullable_v<D>, typename nullable_traits<D>::value_type, D>>;
            constexpr bool boolean = ba != no_index && ex<T, ba>.ival != 0;
            if constexpr (!is_optional_v<D> && !is_nullable_v<D> && !boolean) {
                return eval<E, T, e.lhs, S>(s);
            } else if constexpr (is_text_v<Inner> && is_text_v<A>) {
                const auto& v = eval<E, T, e.lhs, S>(s);
                const bool use = [&] {
                    if constexpr (boolean) return truthy(v);
                    else return defined(v);
                }();
                if (use) {
                    if constexpr (is_optional_v<D>) return std::string(text_of(*v));
                    else if constexpr (is_nullable_v<D>) return std::string(text_of(*v.p));
                    else return std::string(text_of(v));
                }
                return std::string(text_of(arg_or<E, T, da, S>(s, std::string_view{})));
            } else if constexpr (is_number_v<Inner> && is_number_v<A>) {
                using C = std::common_type_t<Inner, A>;
                const auto& v = eval<E, T, e.lhs, S>(s);
                if constexpr (is_optional_v<D>) {
                    if (boolean ? truthy(v) : v.has_value()) return static_cast<C>(*v);
                } else if constexpr (is_nullable_v<D>) {
                    if (boolean ? truthy(v) : v.p != nullptr) return static_cast<C>(*v.p);
                } else {
                    if (truthy(v)) return static_cast<C>(v);
                }
                return static_cast<C>(arg_or<E, T, da, S>(s, 0));
            } else {
                return bad_filter<template_error::filter_type, T, X>();
            }
        }
    } else if constexpr (f == "tojson") {
        if constexpr (e.arg_count != 0) return bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!jsonable<D>()) return bad_filter<template_error::filter_type, T, X>();
        else {
            safe_string out;
            put_json(out.s, eval<E, T, e.lhs, S>(s));
            return out;
        }
    } else {
        // The text filters: written straight into a string by emit_filter.
        std::string out;
        emit<E, T, X, S>(out, s, false);
        if constexpr (f == "escape" || f == "e") return safe_string{std::move(out)};
        else return out;
    }
}

// ---- filters in output mode: straight into the output ---------------------------------------

template <class E, class T, std::uint32_t X, class S>
void emit_filter(std::string& out, const S& s, bool escape) {
    constexpr expr_node e = ex<T, X>;
    constexpr std::string_view f = e.text.in(T::text);
    using V = decltype(eval<E, T, e.lhs, S>(s));
    using D = bare<V>;
    if constexpr (is_invalid_v<D>) {
    } else if constexpr (f == "upper" || f == "lower" || f == "title" || f == "capitalize" || f == "trim") {
        if constexpr (e.arg_count != 0) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!is_text_v<D>) bad_filter<template_error::filter_type, T, X>();
        else {
            const auto& v = eval<E, T, e.lhs, S>(s);
            const bool esc = escape && !is_safe_v<D>;
            if constexpr (f == "trim") put_text(out, trimmed(text_of(v)), esc);
            else
                put_cased<f == "upper" ? case_op::upper : f == "lower" ? case_op::lower : f == "title" ? case_op::title
                                                                                                    : case_op::capitalize>(
                    out, text_of(v), esc);
        }
    } else if constexpr (f == "escape" || f == "e") {
        if constexpr (e.arg_count != 0) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!printable<D>()) bad_filter<template_error::filter_type, T, X>();
        else print(out, eval<E, T, e.lhs, S>(s), true);
    } else if constexpr (f == "string") {
        if constexpr (e.arg_count != 0) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!printable<D>()) bad_filter<template_error::filter_type, T, X>();
        else print(out, eval<E, T, e.lhs, S>(s), escape);
    } else if constexpr (f == "truncate") {
        constexpr std::string_view names[] = {"length", "killwords", "end", "leeway"};
        constexpr std::uint32_t la = arg_expr<T, X>("length", 0);
        constexpr std::uint32_t ka = arg_expr<T, X>("killwords", 1);
        constexpr std::uint32_t ea = arg_expr<T, X>("end", 2);
        constexpr std::uint32_t wa = arg_expr<T, X>("leeway", 3);
        if constexpr (!args_fit<T, X>(names)) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!is_text_v<D>) bad_filter<template_error::filter_type, T, X>();
        else if constexpr ((la != no_index && !is_int_v<decltype(eval<E, T, la, S>(s))>) ||
                           (wa != no_index && !is_int_v<decltype(eval<E, T, wa, S>(s))>) ||
                           (ea != no_index && !is_text_v<decltype(eval<E, T, ea, S>(s))>))
            bad_filter<template_error::filter_arguments, T, X>();
        else {
            const auto& v = eval<E, T, e.lhs, S>(s);
            const auto length = static_cast<long long>(arg_or<E, T, la, S>(s, 255));
            const auto leeway = static_cast<long long>(arg_or<E, T, wa, S>(s, 5));
            const bool killwords = truthy(arg_or<E, T, ka, S>(s, false));
            put_truncated(out, text_of(v), length < 0 ? 0 : static_cast<std::size_t>(length), killwords,
                          text_of(arg_or<E, T, ea, S>(s, std::string_view("..."))),
                          leeway < 0 ? 0 : static_cast<std::size_t>(leeway), escape && !is_safe_v<D>);
        }
    } else if constexpr (f == "join") {
        constexpr std::string_view names[] = {"d", "attribute"};
        constexpr std::uint32_t da = arg_expr<T, X>("d", 0);
        if constexpr (!args_fit<T, X>(names) || arg_expr<T, X>("attribute", 1) != no_index) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (!range_like<D>) bad_filter<template_error::filter_type, T, X>();
        else if constexpr (!printable<decltype(*std::begin(std::declval<const D&>()))>()) bad_filter<template_error::filter_type, T, X>();
        else if constexpr (da != no_index && !is_text_v<decltype(eval<E, T, da, S>(s))>) bad_filter<template_error::filter_arguments, T, X>();
        else {
            const auto& r = eval<E, T, e.lhs, S>(s);
            const auto& sep = arg_or<E, T, da, S>(s, std::string_view{});
            bool first = true;
            for (const auto& x : r) {
                if (!first) print(out, sep, escape);
                first = false;
                print(out, x, escape);
            }
        }
    } else if constexpr (f == "urlencode") {
        if constexpr (e.arg_count != 0) bad_filter<template_error::filter_arguments, T, X>();
        else if constexpr (is_text_v<D>) {
            put_urlencoded(out, text_of(eval<E, T, e.lhs, S>(s)));
        } else if constexpr (is_number_v<D>) {
            print(out, eval<E, T, e.lhs, S>(s), false);
        } else if constexpr (string_map<D> && printable<typename map_mapped<D>::type>()) {
            bool first = true;
            for (const auto& [k, v] : eval<E, T, e.lhs, S>(s)) {
                if (!first) out += escape ? "&amp;" : "&";
                first = false;
                query_encode_to(out, text_of(k));
                out += '=';
                std::string tmp;
                print(tmp, v, false);
                query_encode_to(out, tmp);
            }
        } else bad_filter<template_error::filter_type, T, X>();
    } else {
        // length, int, round, default, safe, tojson: their value, printed.
        if constexpr (f == "default" || f == "d") {
            constexpr std::uint32_t da = arg_expr<T, X>("default_value", 0);
            constexpr std::uint32_t ba = arg_expr<T, X>("boolean", 1);
            constexpr bool boolean = ba != no_index && ex<T, ba>.ival != 0;
            if constexpr (is_optional_v<D> || is_nullable_v<D> || boolean) {
                // Without a common type: print the one that applies.
                const auto& v = eval<E, T, e.lhs, S>(s);
                bool use = false;
                if constexpr (boolean) use = truthy(v);
                else use = defined(v);
                if (use) print(out, v, escape);
                else print(out, arg_or<E, T, da, S>(s, std::string_view{}), escape);
            } else {
                print(out, eval<E, T, e.lhs, S>(s), escape);
            }
        } else if constexpr (!printable<decltype(eval_filter<E, T, X, S>(s))>()) {
            (void)fail<template_error::not_printable, T, e.pos, name_at<T, (e.text).begin, (e.text).size>>();
        } else {
            print(out, eval_filter<E, T, X, S>(s), escape);
        }
    }
}

// ---- calls ------------------------------------------------------------------------------------

/// The index of the macro named `name` in template T, or no_index.
template <class T>
constexpr std::uint32_t find_macro(std::string_view name) {
    for (std::uint32_t i = 0; i < T::parsed.node_count; ++i)
        if (T::parsed.nodes[i].kind == node_kind::macro && T::parsed.nodes[i].text.in(T::text) == name) return i;
    return no_index;
}

template <class E, class T, std::uint32_t X, class S>
void emit_call(std::string& out, const S& s, bool escape);

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval_call(const S& s) {
    constexpr expr_node e = ex<T, X>;
    constexpr expr_node callee = ex<T, e.lhs>;
    using G = typename root_types<root_t<S>>::globals;
    if constexpr (callee.kind == expr_kind::name && callee.text.in(T::text) == "csrf_token") {
        if constexpr (!has_globals_v<G>) return fail<template_error::without_globals, T, callee.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        else if constexpr (e.arg_count != 0) return fail<template_error::bad_expression, T, e.pos>();
        else return root_of(s).g.csrf_token;
    } else if constexpr (callee.kind == expr_kind::name && callee.text.in(T::text) == "get_flashed_messages") {
        constexpr std::string_view names[] = {"with_categories", "category_filter"};
        constexpr std::uint32_t wa = arg_expr<T, X>("with_categories", 0);
        if constexpr (!has_globals_v<G>) {
            return fail<template_error::without_globals, T, callee.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        } else if constexpr (!args_fit<T, X>(names) || arg_expr<T, X>("category_filter", 1) != no_index ||
                             (wa != no_index && ex<T, wa>.kind != expr_kind::boolean)) {
            return fail<template_error::bad_expression, T, e.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        } else if constexpr (wa != no_index && ex<T, wa>.ival != 0) {
            return root_of(s).g.flashes;
        } else {
            return messages_view{root_of(s).g.flashes};
        }
    } else if constexpr (callee.kind == expr_kind::attr &&
                         (callee.text.in(T::text) == "get" || callee.text.in(T::text) == "items")) {
        using V = decltype(eval<E, T, callee.lhs, S>(s));
        using D = bare<V>;
        if constexpr (is_invalid_v<D>) {
            return invalid{};
        } else if constexpr (callee.text.in(T::text) == "items") {
            if constexpr (!map_like<D> || e.arg_count != 0 || !std::is_lvalue_reference_v<V>)
                return fail<template_error::unknown_function, T, callee.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
            else return items_view<D>{&eval<E, T, callee.lhs, S>(s)};
        } else {
            // .get(key) and .get(key, default) on maps, request.args and string-map sessions.
            constexpr std::uint32_t ka = arg_expr<T, X>("", 0);
            constexpr std::uint32_t da = arg_expr<T, X>("", 1);
            if constexpr (e.arg_count < 1 || e.arg_count > 2 || ka == no_index ||
                          !(map_like<D> || is_multi_dict_v<D> || is_session_v<D>)) {
                return fail<template_error::unknown_function, T, callee.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
            } else {
                using K = bare<decltype(eval<E, T, ka, S>(s))>;
                const auto& k = eval<E, T, ka, S>(s);
                auto found = [&] {
                    if constexpr (is_multi_dict_v<D>) {
                        static_assert(is_text_v<K>, "vial: template: request.args.get takes a string");
                        return nullable<std::string>{eval<E, T, callee.lhs, S>(s).find(text_of(k))};
                    } else if constexpr (is_session_v<D>) {
                        using Data = typename session_traits<D>::data;
                        using M = typename Data::mapped_type;
                        const D v = eval<E, T, callee.lhs, S>(s);
                        if (v.data == nullptr) return nullable<M>{};
                        const auto it = v.data->find(typename Data::key_type(text_of(k)));
                        return nullable<M>{it == v.data->end() ? nullptr : &it->second};
                    } else {
                        const D& m = eval<E, T, callee.lhs, S>(s);
                        typename D::key_type key_value = [&] {
                            if constexpr (is_text_v<K>) return typename D::key_type(text_of(k));
                            else return static_cast<typename D::key_type>(k);
                        }();
                        const auto it = m.find(key_value);
                        return nullable<typename D::mapped_type>{it == m.end() ? nullptr : &it->second};
                    }
                }();
                if constexpr (da == no_index) {
                    return found;
                } else {
                    using M = typename nullable_traits<decltype(found)>::value_type;
                    using A = bare<decltype(eval<E, T, da, S>(s))>;
                    if constexpr (is_text_v<M> && is_text_v<A>) {
                        return found.p != nullptr ? std::string(text_of(*found.p)) : std::string(text_of(eval<E, T, da, S>(s)));
                    } else if constexpr (is_number_v<M> && is_number_v<A>) {
                        using C = std::common_type_t<M, A>;
                        return found.p != nullptr ? static_cast<C>(*found.p) : static_cast<C>(eval<E, T, da, S>(s));
                    } else {
                        return fail<template_error::not_comparable, T, e.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
                    }
                }
            }
        }
    } else {
        // url_for, super() and macros render text: into a string here.
        safe_string out;
        emit_call<E, T, X, S>(out.s, s, false);
        if constexpr (callee.kind == expr_kind::name && callee.text.in(T::text) == "url_for") return std::string(std::move(out.s));
        else return out;
    }
}

// ---- blocks and super --------------------------------------------------------------------

/// The block named `name` in template T (its node index), or no_index.
template <class T>
constexpr std::uint32_t find_block(std::string_view name) {
    for (std::uint32_t i = 0; i < T::parsed.node_count; ++i)
        if (T::parsed.nodes[i].kind == node_kind::block && T::parsed.nodes[i].text.in(T::text) == name) return i;
    return no_index;
}

template <std::size_t K, class C>
struct chain_at;
template <std::size_t K, class H, class... R>
struct chain_at<K, chain<H, R...>> : chain_at<K - 1, chain<R...>> {};
template <class H, class... R>
struct chain_at<0, chain<H, R...>> {
    using type = H;
};
template <class C>
struct chain_size;
template <class... T>
struct chain_size<chain<T...>> : std::integral_constant<std::size_t, sizeof...(T)> {};

/// The first template at or after position `from` of the chain that defines block `name`.
template <class C, ident Name>
constexpr std::size_t defining(std::size_t from) {
    return [&]<class... T>(chain<T...>*) {
        const bool defines[] = {find_block<T>(Name.view()) != no_index..., false};
        for (std::size_t k = from; k < sizeof...(T); ++k)
            if (defines[k]) return k;
        return sizeof...(T);
    }(static_cast<C*>(nullptr));
}

template <class E, std::size_t K, ident Name, class S>
void render_block_at(std::string& out, const S& s) {
    using C = typename E::chain_type;
    if constexpr (K < chain_size<C>::value) {
        using D = typename chain_at<K, C>::type;
        constexpr std::uint32_t b = find_block<D>(Name.view());
        render_range<env<typename E::app, C, K, Name>, D, b + 1, nd<D, b>.end>(out, s);
    }
}

template <class E, class T, std::uint32_t X, class S>
void emit_call(std::string& out, const S& s, bool escape) {
    constexpr expr_node e = ex<T, X>;
    constexpr expr_node callee = ex<T, e.lhs>;
    if constexpr (callee.kind == expr_kind::name && callee.text.in(T::text) == "url_for") {
        emit_url_for<E, T, X, S>(out, s, escape);
    } else if constexpr (callee.kind == expr_kind::name && callee.text.in(T::text) == "super") {
        if constexpr (E::level == static_cast<std::size_t>(-1) || e.arg_count != 0) {
            (void)fail<template_error::unknown_function, T, e.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        } else {
            constexpr std::size_t next = defining<typename E::chain_type, E::block>(E::level + 1);
            render_block_at<E, next, E::block>(out, s);
        }
    } else if constexpr (callee.kind == expr_kind::name && find_macro<T>(callee.text.in(T::text)) != no_index &&
                         where<id_of<T, (callee.text).begin, (callee.text).size>, S>() == 0) {
        constexpr std::uint32_t m = find_macro<T>(callee.text.in(T::text));
        emit_macro<E, T, X, m, 0>(out, s, s);
    } else if constexpr (callee.kind == expr_kind::name &&
                         (callee.text.in(T::text) == "csrf_token" || callee.text.in(T::text) == "get_flashed_messages")) {
        using R = decltype(eval_call<E, T, X, S>(s));
        if constexpr (!printable<R>()) (void)fail<template_error::not_printable, T, e.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        else print(out, eval_call<E, T, X, S>(s), escape);
    } else if constexpr (callee.kind == expr_kind::attr) {
        using R = decltype(eval_call<E, T, X, S>(s));
        if constexpr (!printable<R>()) (void)fail<template_error::not_printable, T, e.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
        else print(out, eval_call<E, T, X, S>(s), escape);
    } else if constexpr (callee.kind == expr_kind::name) {
        (void)fail<template_error::unknown_function, T, callee.pos, name_at<T, (callee.text).begin, (callee.text).size>>();
    } else {
        (void)fail<template_error::unknown_function, T, callee.pos>();
    }
}

// ---- macros: their body rendered at the call, each parameter a local --------------------------

/// Binds macro parameter K (and the ones after it), then renders the body. `Caller` is the
/// scope the arguments are evaluated in; S the scope being built.
template <class E, class T, std::uint32_t X, std::uint32_t M, std::uint32_t K, class Caller, class S>
void emit_macro(std::string& out, const Caller& caller, const S& s) {
    constexpr node m = nd<T, M>;
    constexpr expr_node call = ex<T, X>;
    if constexpr (K == 0) {
        // Check the call against the parameters once.
        constexpr bool ok = [] {
            constexpr const node& m = nd<T, M>;
            constexpr const expr_node& call = ex<T, X>;
            if (call.arg_count > m.arg_count) return false;
            for (std::uint32_t a = 0; a < call.arg_count; ++a) {
                const arg_node& arg = T::parsed.args[call.first_arg + a];
                if (arg.name.size == 0) continue;
                bool known = false;
                for (std::uint32_t p = 0; p < m.arg_count; ++p) {
                    const arg_node& param = T::parsed.args[m.first_arg + p];
                    const text_span pn = param.name.size != 0 ? param.name : T::parsed.exprs[param.expr].text;
                    known = known || pn.in(T::text) == arg.name.in(T::text);
                }
                if (!known) return false;
            }
            for (std::uint32_t p = 0; p < m.arg_count; ++p) {
                const arg_node& param = T::parsed.args[m.first_arg + p];
                if (param.name.size == 0 && T::parsed.exprs[param.expr].kind != expr_kind::name) return false;
            }
            return true;
        }();
        if constexpr (!ok) {
            (void)fail<template_error::macro_arguments, T, call.pos, name_at<T, (m.text).begin, (m.text).size>>();
            return;
        } else {
            emit_macro_bind<E, T, X, M, 0>(out, caller, s);
        }
    }
}

template <class E, class T, std::uint32_t X, std::uint32_t M, std::uint32_t K, class Caller, class S>
void emit_macro_bind(std::string& out, const Caller& caller, const S& s) {
    constexpr node m = nd<T, M>;
    if constexpr (K == m.arg_count) {
        render_range<E, T, M + 1, m.end>(out, s);
    } else {
        constexpr arg_node param = T::parsed.args[m.first_arg + K];
        constexpr text_span pn = param.name.size != 0 ? param.name : ex<T, param.expr>.text;
        // The argument: by keyword, else by position, else the parameter's default.
        constexpr std::uint32_t given = arg_expr<T, X>(pn.in(T::text), K);
        if constexpr (given != no_index) {
            const auto& v = eval<E, T, given, Caller>(caller);
            using V = bare<decltype(v)>;
            emit_macro_bind<E, T, X, M, K + 1>(out, caller, local_scope<id_of<T, pn.begin, pn.size>, V, S>{v, s});
        } else if constexpr (param.name.size != 0) {
            const auto& v = eval<E, T, param.expr, S>(s);
            using V = bare<decltype(v)>;
            emit_macro_bind<E, T, X, M, K + 1>(out, caller, local_scope<id_of<T, pn.begin, pn.size>, V, S>{v, s});
        } else {
            (void)fail<template_error::macro_arguments, T, ex<T, X>.pos, name_at<T, (pn).begin, (pn).size>>();
        }
    }
}

// ---- expressions ----------------------------------------------------------------------------

template <class E, class T, std::uint32_t X, class S>
decltype(auto) eval(const S& s) {
    constexpr expr_node e = ex<T, X>;
    if constexpr (e.kind == expr_kind::name) {
        return eval_name<E, T, X, S>(s);
    } else if constexpr (e.kind == expr_kind::string) {
        return e.text.in(T::text);
    } else if constexpr (e.kind == expr_kind::integer) {
        return static_cast<long long>(e.ival);
    } else if constexpr (e.kind == expr_kind::floating) {
        return e.fval;
    } else if constexpr (e.kind == expr_kind::boolean) {
        return e.ival != 0;
    } else if constexpr (e.kind == expr_kind::none) {
        return none_t{};
    } else if constexpr (e.kind == expr_kind::attr) {
        return attribute<T, e.pos, e.text>(eval<E, T, e.lhs, S>(s));
    } else if constexpr (e.kind == expr_kind::index) {
        return eval_index<E, T, X, S>(s);
    } else if constexpr (e.kind == expr_kind::call) {
        return eval_call<E, T, X, S>(s);
    } else if constexpr (e.kind == expr_kind::filter) {
        return eval_filter<E, T, X, S>(s);
    } else if constexpr (e.kind == expr_kind::not_) {
        return !truthy(eval<E, T, e.lhs, S>(s));
    } else if constexpr (e.kind == expr_kind::and_) {
        return truthy(eval<E, T, e.lhs, S>(s)) && truthy(eval<E, T, e.rhs, S>(s));
    } else if constexpr (e.kind == expr_kind::or_) {
        return truthy(eval<E, T, e.lhs, S>(s)) || truthy(eval<E, T, e.rhs, S>(s));
    } else {
        using A = bare<decltype(eval<E, T, e.lhs, S>(s))>;
        using B = bare<decltype(eval<E, T, e.rhs, S>(s))>;
        if constexpr (e.op == compare_op::in || e.op == compare_op::not_in) {
            const bool negate = e.op == compare_op::not_in;
            if constexpr (is_invalid_v<A> || is_invalid_v<B>) {
                return false;
            } else if constexpr (is_text_v<A> && is_text_v<B>) {
                return (text_of(eval<E, T, e.rhs, S>(s)).find(text_of(eval<E, T, e.lhs, S>(s))) != std::string_view::npos) != negate;
            } else if constexpr (((is_text_v<A> && string_map<B>) || (is_number_v<A> && number_map<B>))) {
                const B& m = eval<E, T, e.rhs, S>(s);
                const auto& k = eval<E, T, e.lhs, S>(s);
                if constexpr (is_text_v<A>) return (m.find(typename B::key_type(text_of(k))) != m.end()) != negate;
                else return (m.find(static_cast<typename B::key_type>(k)) != m.end()) != negate;
            } else if constexpr (range_like<B> && comparable<A, decltype(*std::begin(std::declval<const B&>()))>()) {
                const auto& r = eval<E, T, e.rhs, S>(s);
                const auto& k = eval<E, T, e.lhs, S>(s);
                for (const auto& x : r)
                    if (compare_values(k, x) == 0) return !negate;
                return static_cast<bool>(negate);
            } else {
                (void)fail<template_error::not_comparable, T, e.pos>();
                return false;
            }
        } else if constexpr (!comparable<A, B>()) {
            (void)fail<template_error::not_comparable, T, e.pos>();
            return false;
        } else {
            const int c = compare_values(eval<E, T, e.lhs, S>(s), eval<E, T, e.rhs, S>(s));
            if constexpr (e.op == compare_op::eq) return c == 0;
            else if constexpr (e.op == compare_op::ne) return c != 0;
            else if constexpr (e.op == compare_op::lt) return c == -1;
            else if constexpr (e.op == compare_op::le) return c == -1 || c == 0;
            else if constexpr (e.op == compare_op::gt) return c == 1;
            else return c == 1 || c == 0;
        }
    }
}

/// Writes an expression in an output tag: filters and calls write straight into the output.
template <class E, class T, std::uint32_t X, class S>
void emit(std::string& out, const S& s, bool escape) {
    constexpr expr_node e = ex<T, X>;
    if constexpr (e.kind == expr_kind::filter) {
        emit_filter<E, T, X, S>(out, s, escape);
    } else if constexpr (e.kind == expr_kind::call) {
        emit_call<E, T, X, S>(out, s, escape);
    } else if constexpr (e.kind == expr_kind::string) {
        // A literal: escaped at compile time would need storage; it is short.
        put_text(out, e.text.in(T::text), escape);
    } else {
        using V = decltype(eval<E, T, X, S>(s));
        if constexpr (!printable<V>()) {
            constexpr text_span name = e.kind == expr_kind::name || e.kind == expr_kind::attr ? e.text : text_span{};
            (void)fail<template_error::not_printable, T, e.pos, name_at<T, (name).begin, (name).size>>();
        } else {
            print(out, eval<E, T, X, S>(s), escape);
        }
    }
}

// ---- statements -----------------------------------------------------------------------------

/// The siblings of [B, End): their node indices, compound statements skipped over.
template <class T, std::uint32_t B, std::uint32_t End>
inline constexpr std::uint32_t sibling_count = [] {
    std::uint32_t n = 0;
    for (std::uint32_t i = B; i < End; ++n) {
        const node& x = T::parsed.nodes[i];
        const bool compound = x.kind == node_kind::if_ || x.kind == node_kind::for_ || x.kind == node_kind::block ||
                              x.kind == node_kind::macro;
        i = compound ? x.end + 1 : i + 1;
    }
    return n;
}();
template <class T, std::uint32_t B, std::uint32_t End>
inline constexpr auto siblings = [] {
    std::array<std::uint32_t, sibling_count<T, B, End> + 1> out{};
    std::uint32_t n = 0;
    for (std::uint32_t i = B; i < End; ++n) {
        out[n] = i;
        const node& x = T::parsed.nodes[i];
        const bool compound = x.kind == node_kind::if_ || x.kind == node_kind::for_ || x.kind == node_kind::block ||
                              x.kind == node_kind::macro;
        i = compound ? x.end + 1 : i + 1;
    }
    out[n] = End;
    return out;
}();
/// The position (among the siblings, from `from`) of the first set statement, or the count.
template <class T, std::uint32_t B, std::uint32_t End>
constexpr std::uint32_t next_set(std::uint32_t from) {
    for (std::uint32_t k = from; k < sibling_count<T, B, End>; ++k)
        if (T::parsed.nodes[siblings<T, B, End>[k]].kind == node_kind::set) return k;
    return sibling_count<T, B, End>;
}

template <class E, class T, std::uint32_t I, class S>
void render_node(std::string& out, const S& s);

/// Renders siblings [From, To) of [B, End): each a call, with no recursion per node.
template <class E, class T, std::uint32_t B, std::uint32_t End, std::uint32_t From, std::uint32_t To, class S>
void render_siblings(std::string& out, const S& s) {
    [&]<std::uint32_t... K>(std::integer_sequence<std::uint32_t, K...>) {
        (render_node<E, T, siblings<T, B, End>[From + K], S>(out, s), ...);
    }(std::make_integer_sequence<std::uint32_t, To - From>{});
}

/// Renders siblings from position From: up to the next set, then the rest in a scope that
/// has the set's variable.
template <class E, class T, std::uint32_t B, std::uint32_t End, std::uint32_t From, class S>
void render_from(std::string& out, const S& s) {
    constexpr std::uint32_t set = next_set<T, B, End>(From);
    render_siblings<E, T, B, End, From, set, S>(out, s);
    if constexpr (set < sibling_count<T, B, End>) {
        constexpr node n = nd<T, siblings<T, B, End>[set]>;
        const auto& v = eval<E, T, n.expr, S>(s);
        using V = bare<decltype(v)>;
        render_from<E, T, B, End, set + 1>(out, local_scope<id_of<T, (n.target).begin, (n.target).size>, V, S>{v, s});
    }
}

template <class E, class T, std::uint32_t B, std::uint32_t End, class S>
void render_range(std::string& out, const S& s) {
    if constexpr (B < End) render_from<E, T, B, End, 0, S>(out, s);
}

template <class E, class T, std::uint32_t I, class S>
void render_branch(std::string& out, const S& s) {
    constexpr node n = nd<T, I>;
    if constexpr (n.kind == node_kind::else_) {
        render_range<E, T, I + 1, n.end>(out, s);
    } else if constexpr (n.kind == node_kind::if_ || n.kind == node_kind::elif) {
        if (truthy(eval<E, T, n.expr, S>(s))) render_range<E, T, I + 1, n.next>(out, s);
        else render_branch<E, T, n.next>(out, s);
    }
}

template <class Elem>
constexpr bool pair_like() {
    using D = bare<Elem>;
    return std::is_same_v<D, flashed_message> || requires(const D& p) { p.first; p.second; };
}
template <std::size_t K, class P>
decltype(auto) pair_part(const P& p) {
    if constexpr (std::is_same_v<P, flashed_message>) {
        if constexpr (K == 0) return (p.category);
        else return (p.message);
    } else {
        if constexpr (K == 0) return (p.first);
        else return (p.second);
    }
}

template <class E, class T, std::uint32_t I, class S>
void render_for(std::string& out, const S& s) {
    constexpr node n = nd<T, I>;
    using R = decltype(eval<E, T, n.expr, S>(s));
    using D = bare<R>;
    if constexpr (is_invalid_v<D>) {
    } else if constexpr (!range_like<D> && !map_like<D>) {
        (void)fail<template_error::not_iterable, T, ex<T, n.expr>.pos, name_at<T, (ex<T, n.expr>.text).begin, (ex<T, n.expr>.text).size>>();
    } else {
        const auto& r = eval<E, T, n.expr, S>(s);
        loop_state loop{0, 0};
        if constexpr (is_sized_v<D>) loop.length = static_cast<std::size_t>(std::size(r));
        else loop.length = static_cast<std::size_t>(std::distance(std::begin(r), std::end(r)));
        using LS = local_scope<make_ident("loop"), loop_state, S>;
        const LS with_loop{loop, s};
        for (const auto& x : r) {
            // Maps iterate their keys, as Python dicts do; .items() gives the pairs.
            const auto& item = [&]() -> const auto& {
                if constexpr (map_like<D>) return x.first;
                else return x;
            }();
            using X = bare<decltype(item)>;
            if constexpr (n.target2.size == 0) {
                render_range<E, T, I + 1, n.next>(out, local_scope<id_of<T, (n.target).begin, (n.target).size>, X, LS>{item, with_loop});
            } else if constexpr (!pair_like<X>()) {
                (void)fail<template_error::not_iterable, T, n.pos, name_at<T, (n.target2).begin, (n.target2).size>>();
                break;
            } else {
                using A = bare<decltype(pair_part<0>(item))>;
                using B = bare<decltype(pair_part<1>(item))>;
                using L1 = local_scope<id_of<T, (n.target).begin, (n.target).size>, A, LS>;
                const L1 first{pair_part<0>(item), with_loop};
                render_range<E, T, I + 1, n.next>(out, local_scope<id_of<T, (n.target2).begin, (n.target2).size>, B, L1>{pair_part<1>(item), first});
            }
            ++loop.index0;
        }
        if constexpr (nd<T, n.next>.kind == node_kind::else_) {
            if (loop.length == 0) render_range<E, T, n.next + 1, n.end>(out, s);
        }
    }
}

template <class E, class Lib, std::size_t Index, class S>
void render_whole(std::string& out, const S& s);

template <class E, class T, std::uint32_t I, class S>
void render_node(std::string& out, const S& s) {
    constexpr node n = nd<T, I>;
    if constexpr (n.kind == node_kind::text) {
        out.append(T::text.data() + n.text.begin, n.text.size);
    } else if constexpr (n.kind == node_kind::output) {
        emit<E, T, n.expr, S>(out, s, true);
    } else if constexpr (n.kind == node_kind::if_) {
        render_branch<E, T, I>(out, s);
    } else if constexpr (n.kind == node_kind::for_) {
        render_for<E, T, I>(out, s);
    } else if constexpr (n.kind == node_kind::block) {
        render_block_at<E, defining<typename E::chain_type, id_of<T, n.text.begin, n.text.size>>(0),
                        id_of<T, n.text.begin, n.text.size>>(out, s);
    } else if constexpr (n.kind == node_kind::include) {
        using Lib = typename T::library;
        constexpr std::size_t k = Lib::find(n.text.in(T::text));
        if constexpr (k == Lib::size) (void)fail<template_error::unknown_template, T, n.pos, name_at<T, (n.text).begin, (n.text).size>>();
        else render_whole<env<typename E::app, chain<>>, Lib, k>(out, s);
    }
    // set is handled by render_from; macro definitions, extends and ends render nothing.
}

/// Renders template Index of Lib as a page: through its base templates when it extends one.
template <class E, class Lib, std::size_t Index, class S>
void render_whole(std::string& out, const S& s) {
    using T = tmpl<Lib, Index>;
    if constexpr (T::parsed.error != parse_error::none) {
        constexpr std::uint32_t pos = T::parsed.error_pos;
        (void)fail<static_cast<template_error>(static_cast<int>(T::parsed.error) - 1), T, pos,
                   name_at<T, (T::parsed.error_name).begin, (T::parsed.error_name).size>>();
    } else {
        using C = typename E::chain_type;
        using Next = decltype([]<class... D>(chain<D...>*) { return chain<D..., T>{}; }(static_cast<C*>(nullptr)));
        if constexpr (T::parsed.extends != no_index) {
            constexpr node x = nd<T, T::parsed.extends>;
            constexpr std::size_t base = Lib::find(x.text.in(T::text));
            if constexpr (base == Lib::size)
                (void)fail<template_error::unknown_template, T, x.pos, name_at<T, (x.text).begin, (x.text).size>>();
            else if constexpr (chain_size<C>::value > 16)
                (void)fail<template_error::too_deep, T, x.pos, name_at<T, (x.text).begin, (x.text).size>>();
            else render_whole<env<typename E::app, Next>, Lib, base>(out, s);
        } else {
            render_range<env<typename E::app, Next>, T, 0, T::parsed.node_count>(out, s);
        }
    }
}

}  // namespace vial::detail::tpl

#endif  // VIAL_TEMPLATE_DETAIL_RENDER_HPP
