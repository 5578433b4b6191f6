#ifndef VIAL_ROUTE_APP_HPP
#define VIAL_ROUTE_APP_HPP

/// @file
/// The app: all routes and blueprints in one constexpr expression, its dispatch table built
/// at compile time, and the embeddable match / dispatch API.
/// @par Example
/// @code
/// constexpr auto app = vial::app(vial::get<"/user/<int:id>", "user">(show_user));
/// auto m = app.match(vial::method::get, "/user/42?x=1");
/// if (m.status() == vial::match_status::found)
///     app.dispatch(m, [](const auto& result) { /* send result */ });
/// @endcode

#include <vial/route/blueprint.hpp>
#include <vial/route/converter.hpp>
#include <vial/route/diagnostics.hpp>
#include <vial/route/handler.hpp>
#include <vial/route/method.hpp>
#include <vial/route/rule.hpp>
#include <vial/route/table.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

namespace detail {

/// A piece of an app's text.
struct text_ref {
    std::uint32_t begin = 0;
    std::uint32_t size = 0;
};

}  // namespace detail

/// What a void handler's result is passed to dispatch()'s visitor as.
struct void_result {};

/// The result of matching one request: the route and its parsed parameters, or why not.
template <std::size_t MaxParams>
class match_result {
public:
    [[nodiscard]] match_status status() const noexcept { return status_; }
    [[nodiscard]] bool found() const noexcept { return status_ == match_status::found; }
    /// @return the index of the matched route in the app (valid when found()).
    [[nodiscard]] std::size_t route() const noexcept { return static_cast<std::size_t>(route_); }
    /// @return the endpoint name ("users.show_user"), "" for an unnamed route.
    [[nodiscard]] std::string_view endpoint() const noexcept { return found() ? piece(endpoints_[route_]) : std::string_view{}; }
    /// @return the route's pattern ("/users/user/<int:user_id>").
    [[nodiscard]] std::string_view rule() const noexcept { return found() ? piece(rules_[route_]) : std::string_view{}; }
    /// @return for 405 and OPTIONS: the methods the path answers (with HEAD wherever GET, and OPTIONS).
    [[nodiscard]] method_set allowed() const noexcept { return allowed_; }
    /// @return true when a HEAD request matched a GET route (send headers only).
    [[nodiscard]] bool head_as_get() const noexcept { return head_as_get_; }
    /// @return the request target as given, and its path part.
    [[nodiscard]] std::string_view target() const noexcept { return target_; }
    [[nodiscard]] std::string_view path() const noexcept { return path_; }
    /// @return for redirect: the path with a trailing '/', and the query string kept.
    [[nodiscard]] std::string redirect_location() const {
        std::string out(path_);
        out += '/';
        out += target_.substr(path_.size());
        return out;
    }
    /// @return parameter `i` (in route order) as matched.
    [[nodiscard]] const param_value& param(std::size_t i) const noexcept { return params_[i]; }
    [[nodiscard]] const param_value* params() const noexcept { return params_.data(); }
    [[nodiscard]] param_value* params() noexcept { return params_.data(); }

private:
    template <class, class>
    friend class app_def;

    [[nodiscard]] std::string_view piece(detail::text_ref r) const noexcept { return {text_ + r.begin, r.size}; }

    match_status status_ = match_status::not_found;
    std::int16_t route_ = -1;
    bool head_as_get_ = false;
    method_set allowed_{};
    std::string_view target_{};
    std::string_view path_{};
    // The app's text and where each route's name and pattern lie in it: offsets, not arrays of
    // string_views, because each string_view in an emitted array is a relocation against the
    // text's symbol, whose mangled name spells out the whole app (177 KB at 3,000 routes): the
    // assembly g++ wrote for the 3,000-route app's match() was 1.07 GB.
    const char* text_ = nullptr;
    const detail::text_ref* endpoints_ = nullptr;
    const detail::text_ref* rules_ = nullptr;
    std::array<param_value, MaxParams> params_;
};

/// A route's description for listings (`--routes`, OpenAPI).
struct route_info {
    std::string_view endpoint;
    std::string_view rule;
    method_set methods;
    std::string_view blueprint;
};

namespace detail {

template <class T>
struct value_arg {
    T value;
    T&& get() { return std::move(value); }
};

/// A string parameter: the segment itself when it has no escapes, else its decoded copy.
struct text_arg {
    std::string_view raw;
    std::string decoded;
    bool encoded;
    [[nodiscard]] std::string_view get() const noexcept { return encoded ? std::string_view{decoded} : raw; }
};

template <class Shape, std::size_t I>
auto route_argument(const param_value& v) {
    using Arg = nth_t<I, typename Shape::args>;
    using D = std::remove_cvref_t<Arg>;
    constexpr converter_kind kind = Shape::template kind<I>;
    if constexpr (kind == converter_kind::int_) {
        return value_arg<D>{v.negative ? static_cast<D>(v.get<std::int64_t>()) : static_cast<D>(v.get<std::uint64_t>())};
    } else if constexpr (kind == converter_kind::float_) {
        return value_arg<D>{static_cast<D>(v.get<double>())};
    } else if constexpr (kind == converter_kind::uuid) {
        return value_arg<uuid>{v.get<uuid>()};
    } else if constexpr (kind == converter_kind::custom) {
        using V = typename Shape::template custom_value_t<I>;
        if constexpr (stored_in_slot<V>) {
            return value_arg<V>{v.get<V>()};
        } else {
            V value{};
            converter<Shape::template converter_name<I>>::parse(v.text(), value);
            return value_arg<V>{std::move(value)};
        }
    } else if constexpr (std::is_same_v<D, std::string>) {
        return value_arg<std::string>{v.text()};
    } else {
        return text_arg{v.raw, v.encoded ? v.text() : std::string{}, v.encoded};
    }
}

template <class Arg, class Extra>
constexpr bool provides() {
    using D = std::remove_cvref_t<Arg>;
    using E = std::remove_cvref_t<Extra>;
    return std::is_base_of_v<D, E> || std::is_same_v<D, E> ||
           requires(E& e) { e.provide(std::type_identity<D>{}); };
}

/// Whether any of the extras provides a parameter of type Arg.
template <class Arg, class... Extras>
inline constexpr bool provided_by = (provides<Arg, Extras>() || ...);

/// The value of a handler parameter that is not a route parameter: the first extra that is
/// (or derives from) its type, or that can provide it.
template <class Arg, class E0, class... Es>
decltype(auto) provide(E0& e0, Es&... es) {
    using D = std::remove_cvref_t<Arg>;
    using E = std::remove_cvref_t<E0>;
    if constexpr (std::is_base_of_v<D, E> || std::is_same_v<D, E>) {
        return (e0);
    } else if constexpr (requires { e0.provide(std::type_identity<D>{}); }) {
        return e0.provide(std::type_identity<D>{});
    } else {
        return provide<Arg>(es...);
    }
}

template <class Arg, class... Extras>
constexpr bool provided() {
    return (provides<Arg, Extras>() || ...);
}

template <class Shape, class... Extras, std::size_t... J>
constexpr std::size_t first_unprovided(std::index_sequence<J...>) {
    const bool ok[] = {provided<nth_t<Shape::param_count + J, typename Shape::args>, Extras...>()..., true};
    const std::size_t bad = first_false(ok, sizeof...(J));
    return bad == npos ? npos : Shape::param_count + bad;
}

/// What `visit` returns for a handler's result.
template <class Shape, class Visitor>
using visit_result_t = decltype(std::declval<Visitor&>()(std::declval<std::conditional_t<
    std::is_void_v<typename Shape::traits::result>, void_result, typename Shape::traits::result>>()));

/// Calls a handler with its route parameters and what the extras provide, and hands the
/// result to `visit`.
/// @tparam Shape the rule's call_shape: routes with the same handler type and converters share it
template <class Shape, class Visitor, class... Extras>
decltype(auto) call_rule(const typename Shape::handler_type& handler, const param_value* params, Visitor& visit,
                         Extras&... extras) {
    using args = typename Shape::args;
    constexpr std::size_t P = Shape::param_count;
    constexpr std::size_t bad = first_unprovided<Shape, Extras...>(std::make_index_sequence<args::size - P>{});
    if constexpr (bad != npos) {
        (void)diagnostic::report<diagnostic::cannot_provide_parameter<bad, nth_t<bad, args>>>;
        // The do-nothing path: the type dispatch() expects, so the mistake gives one error.
        return []() -> visit_result_t<Shape, Visitor> { std::terminate(); }();
    } else {
        return [&]<std::size_t... I, std::size_t... J>(std::index_sequence<I...>, std::index_sequence<J...>) -> decltype(auto) {
            std::tuple<decltype(route_argument<Shape, I>(params[I]))...> values{route_argument<Shape, I>(params[I])...};
            if constexpr (std::is_void_v<typename Shape::traits::result>) {
                handler(std::get<I>(values).get()..., provide<nth_t<P + J, args>>(extras...)...);
                return visit(void_result{});
            } else {
                return visit(handler(std::get<I>(values).get()..., provide<nth_t<P + J, args>>(extras...)...));
            }
        }(std::make_index_sequence<P>{}, std::make_index_sequence<args::size - P>{});
    }
}

/// call_rule behind a function pointer of one type for every route.
template <class Shape, class R, class Visitor, class... Extras>
R call_erased(const void* handler, const param_value* params, Visitor& visit, Extras&... extras) {
    return call_rule<Shape>(*static_cast<const typename Shape::handler_type*>(handler), params, visit, extras...);
}

}  // namespace detail

namespace detail {

/// A blueprint as the app sees it: its parent (0 is the app itself), its own name and prefix.
struct scope_rec {
    std::uint16_t parent = 0;
    std::string_view name{};
    std::string_view prefix{};
};

/// A route as declared (its own pattern and name), the blueprint it sits in, and (with g++,
/// see VIAL_DETAIL_CONSTANT_OFFSETS) where its rule lies from the start of the app's tree.
struct leaf_rec {
    route_desc desc{};
    std::string_view name{};
    std::uint16_t scope = 0;
    std::uint32_t at = 0;
};

/// Every route and blueprint of an app, in declaration order (blueprints before their routes).
template <std::size_t Routes, std::size_t Scopes>
struct tree_index {
    std::array<leaf_rec, Routes + 1> leaves{};
    std::array<scope_rec, Scopes> scopes{};
    std::size_t leaf_count = 0;
    std::size_t scope_count = 1;
};

// Where a member lies in a class, as a constant: g++'s __builtin_offsetof takes a member of a
// base class by its qualified name (`list_slot<3, R>::value_`), which is what a flat_list's
// element is, and answers for classes that are not standard-layout as the Itanium ABI lays
// them out (it warns that the standard leaves that to the compiler, hence the pragma). With
// it, the app knows where each handler lies at compile time and dispatch() needs no code per
// blueprint to find it: that code (one function per blueprint list, run once to measure the
// offsets) cost g++ about 4 s of the 3,000-route app's compile. clang's __builtin_offsetof
// takes no qualified name, so with clang the offsets are still measured at run time.
#if defined(__GNUC__) && !defined(__clang__)
#define VIAL_DETAIL_CONSTANT_OFFSETS 1
#define VIAL_DETAIL_OFFSET_OF(type, ...) static_cast<std::uint32_t>(__builtin_offsetof(type, __VA_ARGS__))
#else
#define VIAL_DETAIL_CONSTANT_OFFSETS 0
#define VIAL_DETAIL_OFFSET_OF(type, ...) std::uint32_t{0}
#endif

template <class Item, class Index>
constexpr void index_item(Index& ix, std::uint16_t scope, std::uint32_t at);

#if VIAL_DETAIL_CONSTANT_OFFSETS
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif
/// Records the routes and blueprints of a list that lies `at` bytes into the app's tree.
template <std::size_t... I, class... T, class Index>
constexpr void index_tree(const flat_list_base<std::index_sequence<I...>, T...>*, Index& ix, std::uint16_t scope,
                          std::uint32_t at) {
    (void)ix;
    (void)scope;
    (void)at;
    // A pack expansion in a braced list, not a fold: clang 14 nests a fold of more than 256
    // items too deep (a blueprint of 300 blueprints).
    [[maybe_unused]] const int expanded[] = {
        0, (index_item<T>(ix, scope, at + VIAL_DETAIL_OFFSET_OF(flat_list<T...>, list_slot<I, T>::value_)), 0)...};
}

template <class Item, class Index>
constexpr void index_item(Index& ix, std::uint16_t scope, std::uint32_t at) {
    if constexpr (is_rule_v<Item>) {
        ix.leaves[ix.leaf_count++] = leaf_rec{Item::core::template desc<Item::methods>(), Item::name.view(), scope,
                                              at + VIAL_DETAIL_OFFSET_OF(Item, handler_)};
    } else if constexpr (is_blueprint_v<Item>) {
        const auto me = static_cast<std::uint16_t>(ix.scope_count++);
        ix.scopes[me] = scope_rec{scope, Item::name.view(), Item::prefix.view()};
        index_tree(static_cast<const decltype(Item::tree_)*>(nullptr), ix, me, at + VIAL_DETAIL_OFFSET_OF(Item, tree_));
    }
}
#if VIAL_DETAIL_CONSTANT_OFFSETS
#pragma GCC diagnostic pop
#endif

/// The full names, prefixes and patterns of an app's blueprints and routes, in one buffer.
template <std::size_t Chars, std::size_t Routes, std::size_t Scopes>
struct app_text {
    std::array<char, Chars + 1> chars{};
    std::array<text_ref, Scopes> scope_name{};
    std::array<text_ref, Scopes> scope_prefix{};
    std::array<text_ref, Routes + 1> pattern{};
    std::array<text_ref, Routes + 1> endpoint{};
};

/// Writes an app's text, or (with no buffer) only counts it: "api.users" for blueprint
/// users in api, "/api/users/<int:id>" and "api.users.show" for its route.
template <class Index>
constexpr std::size_t write_text(const Index& ix, char* chars, text_ref* scope_name, text_ref* scope_prefix,
                                 text_ref* pattern, text_ref* endpoint) {
    std::uint32_t at = 0;
    auto put = [&](std::string_view s) {
        if (chars != nullptr)
            for (char c : s) chars[at++] = c;
        else at += static_cast<std::uint32_t>(s.size());
    };
    auto ref_of = [&](std::uint32_t begin) { return text_ref{begin, at - begin}; };
    auto copy = [&](text_ref r) {
        if (chars != nullptr)
            for (std::uint32_t k = 0; k < r.size; ++k) chars[at++] = chars[r.begin + k];
        else at += r.size;
    };
    // Scope 0 is the app: no name, no prefix. A blueprint's parent comes before it.
    std::array<text_ref, std::tuple_size_v<decltype(ix.scopes)>> names{};
    std::array<text_ref, std::tuple_size_v<decltype(ix.scopes)>> prefixes{};
    for (std::size_t s = 1; s < ix.scope_count; ++s) {
        const scope_rec& sc = ix.scopes[s];
        std::uint32_t begin = at;
        if (sc.parent != 0) {
            copy(names[sc.parent]);
            put(".");
        }
        put(sc.name);
        names[s] = ref_of(begin);
        begin = at;
        copy(prefixes[sc.parent]);
        put(sc.prefix);
        prefixes[s] = ref_of(begin);
    }
    for (std::size_t i = 0; i < ix.leaf_count; ++i) {
        const leaf_rec& leaf = ix.leaves[i];
        std::uint32_t begin = at;
        copy(prefixes[leaf.scope]);
        put(leaf.desc.pattern);
        if (pattern != nullptr) pattern[i] = ref_of(begin);
        begin = at;
        if (!leaf.name.empty()) {
            if (leaf.scope != 0) {
                copy(names[leaf.scope]);
                put(".");
            }
            put(leaf.name);
        }
        if (endpoint != nullptr) endpoint[i] = ref_of(begin);
    }
    if (scope_name != nullptr)
        for (std::size_t s = 0; s < ix.scope_count; ++s) {
            scope_name[s] = names[s];
            scope_prefix[s] = prefixes[s];
        }
    return at;
}

template <std::size_t Chars, std::size_t Routes, std::size_t Scopes, class Index>
constexpr auto lay_out_text(const Index& ix) {
    app_text<Chars, Routes, Scopes> t{};
    write_text(ix, t.chars.data(), t.scope_name.data(), t.scope_prefix.data(), t.pattern.data(), t.endpoint.data());
    return t;
}

/// Sets `out` (a default segment) to a route's segment `s` moved `by` characters to the right
/// in its pattern: in place, and for a literal without copying its (empty) param_spec.
constexpr void put_shifted(segment& out, const segment& s, std::uint16_t by) noexcept {
    if (!s.is_param) {
        out.literal = span{static_cast<std::uint16_t>(s.literal.begin + by), s.literal.size};
        return;
    }
    out.is_param = true;
    out.param = s.param;
    out.param.name.begin = static_cast<std::uint16_t>(s.param.name.begin + by);
    out.param.converter.begin = static_cast<std::uint16_t>(s.param.converter.begin + by);
    for (std::size_t k = 0; k < s.param.any_count; ++k)
        out.param.any_options[k].begin = static_cast<std::uint16_t>(s.param.any_options[k].begin + by);
}

/// The number of segments of a static prefix ("/api/v1" has 2).
constexpr std::size_t prefix_segments(std::string_view prefix) noexcept {
    std::size_t n = 0;
    for (char c : prefix) n += c == '/';
    return n;
}

/// The segments of every route with its blueprints' prefixes, in one array.
template <std::size_t Total, std::size_t Routes>
struct app_segments {
    std::array<segment, Total + 1> all{};
    std::array<std::uint32_t, Routes + 1> first{};
};

template <std::size_t Total, std::size_t Routes, class Index>
constexpr auto lay_out_segments(const Index& ix, const std::string_view* prefixes) {
    app_segments<Total, Routes> out{};
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < ix.leaf_count; ++i) {
        out.first[i] = n;
        const std::string_view prefix = prefixes[i];
        // A prefix is static ("/api/v1"): one literal segment per '/'.
        for (std::size_t at = 0; at < prefix.size();) {
            const std::size_t begin = at + 1;
            std::size_t end = begin;
            while (end < prefix.size() && prefix[end] != '/') ++end;
            out.all[n++].literal = span{static_cast<std::uint16_t>(begin), static_cast<std::uint16_t>(end - begin)};
            at = end;
        }
        const route_desc& d = ix.leaves[i].desc;
        for (std::size_t s = 0; s < d.segment_count; ++s)
            put_shifted(out.all[n++], d.segments[s], static_cast<std::uint16_t>(prefix.size()));
    }
    out.first[ix.leaf_count] = n;
    return out;
}

/// Where each item's routes start among a list's routes (prefix sums; one more at the end).
template <class List>
inline constexpr std::array<std::size_t, 1> child_starts{};
template <class... T>
inline constexpr std::array<std::size_t, sizeof...(T) + 1> child_starts<flat_list<T...>> = [] {
    const std::size_t counts[] = {rule_count_v<T>..., 0};
    std::array<std::size_t, sizeof...(T) + 1> out{};
    for (std::size_t c = 0; c < sizeof...(T); ++c) out[c + 1] = out[c] + counts[c];
    return out;
}();

/// The item that holds route `i` of a list: the last whose routes start at or before i (an
/// item without routes, such as a hook, starts where the next one does, so is never last).
constexpr std::size_t child_holding(const std::size_t* starts, std::size_t items, std::size_t i) noexcept {
    std::size_t lo = 0;
    std::size_t hi = items;
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (starts[mid] <= i) lo = mid;
        else hi = mid;
    }
    return lo;
}

/// Route I of a list of items (nested blueprints flattened): its rule type. Plain constexpr
/// functions do the counting, so nothing here is named after the (large) list per route.
template <std::size_t I, class Item>
struct leaf_of {
    using type = Item;
};
template <std::size_t I, class... T>
struct leaf_of<I, flat_list<T...>> {
    // No static data member: each would be a symbol named after the list, once per route.
    using type = typename leaf_of<
        I - child_starts<flat_list<T...>>[child_holding(child_starts<flat_list<T...>>.data(), sizeof...(T), I)],
        list_at_t<child_holding(child_starts<flat_list<T...>>.data(), sizeof...(T), I), flat_list<T...>>>::type;
};
template <std::size_t I, fixed_string N, fixed_string P, class T, class H>
struct leaf_of<I, blueprint_def<N, P, T, H>> : leaf_of<I, T> {};

/// The call table of dispatch(): one entry per route, in order, each templated on its rule.
template <class Fn, class R, class Visitor, class... Extras>
struct call_table {
    template <class... T>
    static constexpr void add(const flat_list<T...>*, Fn* out, std::size_t& n) {
        (void)out;
        (void)n;
        [[maybe_unused]] const int expanded[] = {0, (add_item<T>(out, n), 0)...};
    }
    template <class Item>
    static constexpr void add_item(Fn* out, std::size_t& n) {
        if constexpr (is_rule_v<Item>) out[n++] = &call_erased<typename shape_of<typename Item::core>::type, R, Visitor, Extras...>;
        else if constexpr (is_blueprint_v<Item>) add(static_cast<const decltype(Item::tree_)*>(nullptr), out, n);
    }
};

/// The named routes of an app by a hash of their endpoint name (open addressing, at most half
/// full): a slot holds the route's index + 1, 0 when empty. Built in one pass and searched with
/// one probe: sorting the names instead cost clang 14 more constexpr steps than its default
/// limit at 3,000 routes, and each endpoint lookup a binary search of string comparisons.
template <std::size_t Slots>
struct name_table {
    std::array<std::uint32_t, Slots> slots{};
    int duplicate = -1;  ///< a name declared twice: its first route, else -1
};

/// The slot count for `named` names: a power of two, at least twice as many.
constexpr std::size_t name_slots_for(std::size_t named) noexcept {
    std::size_t n = 2;
    while (n < 2 * named) n *= 2;
    return n;
}

template <std::size_t Slots>
constexpr std::size_t first_name_slot(std::string_view name) noexcept {
    return literal_hash(name) & (Slots - 1);
}

template <std::size_t Slots, std::size_t N>
constexpr name_table<Slots> index_names(const std::array<std::string_view, N>& endpoints, std::size_t count) noexcept {
    name_table<Slots> t{};
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = endpoints[i];
        if (name.empty()) continue;
        std::size_t s = first_name_slot<Slots>(name);
        while (t.slots[s] != 0 && endpoints[t.slots[s] - 1] != name) s = (s + 1) & (Slots - 1);
        if (t.slots[s] == 0) t.slots[s] = static_cast<std::uint32_t>(i + 1);
        else if (t.duplicate < 0) t.duplicate = static_cast<int>(t.slots[s] - 1);
    }
    return t;
}

#if !VIAL_DETAIL_CONSTANT_OFFSETS
/// Where each route's handler lies in an app object, from its start, in route order (clang;
/// g++ knows it at compile time, see VIAL_DETAIL_CONSTANT_OFFSETS).
/// One function per list (the app's and each blueprint's), none per route: a rule's handler is
/// its first member (see rule), so its offset is its slot's, and only a blueprint needs code of
/// its own (its list's function, through a pointer). A function per route cost g++ about 2 s at
/// 3,000 routes (each a node of its call graph, optimized before it is inlined).
using offsets_fn = void (*)(const void* item, const char* base, std::ptrdiff_t* out, std::size_t& n);

template <class... T>
void add_list_offsets(const flat_list<T...>& list, const char* base, std::ptrdiff_t* out, std::size_t& n);

template <class Blueprint>
void add_blueprint_offsets(const void* item, const char* base, std::ptrdiff_t* out, std::size_t& n) {
    add_list_offsets(static_cast<const Blueprint*>(item)->tree_, base, out, n);
}

/// For an item of a list: 1 a rule, 2 a blueprint, 0 anything else (a hook).
template <class Item>
inline constexpr unsigned char offsets_kind = is_rule_v<Item> ? 1 : is_blueprint_v<Item> ? 2 : 0;
template <class Item>
inline constexpr offsets_fn nested_offsets = nullptr;
template <fixed_string N, fixed_string P, class T, class H>
inline constexpr offsets_fn nested_offsets<blueprint_def<N, P, T, H>> = &add_blueprint_offsets<blueprint_def<N, P, T, H>>;

template <class... T>
void add_list_offsets(const flat_list<T...>& list, const char* base, std::ptrdiff_t* out, std::size_t& n) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        const void* const items[] = {&static_cast<const list_slot<I, T>&>(list).value_..., nullptr};
        constexpr unsigned char kinds[] = {offsets_kind<T>..., 0};
        constexpr offsets_fn nested[] = {nested_offsets<T>..., nullptr};
        for (std::size_t i = 0; i < sizeof...(T); ++i) {
            if (kinds[i] == 1) out[n++] = static_cast<const char*>(items[i]) - base;
            else if (kinds[i] == 2) nested[i](items[i], base, out, n);
        }
    }(std::index_sequence_for<T...>{});
}
#endif

/// Where each route's handler lies from the start of the app's tree (g++).
template <std::size_t Routes, std::size_t Scopes>
constexpr std::array<std::uint32_t, Routes + 1> route_positions(const tree_index<Routes, Scopes>& ix) noexcept {
    std::array<std::uint32_t, Routes + 1> out{};
    for (std::size_t i = 0; i < Routes; ++i) out[i] = ix.leaves[i].at;
    return out;
}

/// The routes and blueprints of a tree of items, in declaration order.
template <std::size_t Routes, std::size_t Scopes, class Tree>
constexpr tree_index<Routes, Scopes> make_index(const Tree* tree) {
    tree_index<Routes, Scopes> ix{};
    index_tree(tree, ix, 0, 0);
    return ix;
}

/// Piece `r` of an app's text.
template <std::size_t N>
constexpr std::string_view text_view(const std::array<char, N>& chars, text_ref r) noexcept {
    return std::string_view(chars.data() + r.begin, r.size);
}

/// The pieces `refs` of an app's text, as string views (one more, empty, at the end).
template <std::size_t N, std::size_t M>
constexpr std::array<std::string_view, M> text_views(const std::array<char, N>& chars,
                                                    const std::array<text_ref, M>& refs) noexcept {
    std::array<std::string_view, M> out{};
    for (std::size_t i = 0; i + 1 < M; ++i) out[i] = text_view(chars, refs[i]);
    return out;
}

/// The full prefix of each route's blueprints ("/api/users"), "" at app level.
template <std::size_t Routes, std::size_t Scopes, class Text>
constexpr std::array<std::string_view, Routes + 1> route_prefixes(const tree_index<Routes, Scopes>& ix, const Text& text) {
    std::array<std::string_view, Routes + 1> out{};
    for (std::size_t i = 0; i < Routes; ++i) out[i] = text_view(text.chars, text.scope_prefix[ix.leaves[i].scope]);
    return out;
}

/// The number of segments of all routes, their prefixes' included.
template <std::size_t Routes, std::size_t Scopes>
constexpr std::size_t count_segments(const tree_index<Routes, Scopes>& ix,
                                     const std::array<std::string_view, Routes + 1>& prefixes) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < Routes; ++i) n += prefix_segments(prefixes[i]) + ix.leaves[i].desc.segment_count;
    return n;
}

/// The most parameters of any route (at least 1).
template <std::size_t Routes, std::size_t Scopes>
constexpr std::size_t max_param_count(const tree_index<Routes, Scopes>& ix) noexcept {
    std::size_t n = 1;
    for (std::size_t i = 0; i < Routes; ++i) n = std::max<std::size_t>(n, ix.leaves[i].desc.param_count);
    return n;
}

/// The blueprint (scope) each route sits in.
template <std::size_t Routes, std::size_t Scopes>
constexpr std::array<std::uint16_t, Routes + 1> route_scopes(const tree_index<Routes, Scopes>& ix) noexcept {
    std::array<std::uint16_t, Routes + 1> out{};
    for (std::size_t i = 0; i < Routes; ++i) out[i] = ix.leaves[i].scope;
    return out;
}

/// Each route's description with its full pattern and segments (prefixes included).
template <std::size_t Routes, std::size_t Scopes>
constexpr std::array<route_desc, Routes> describe_routes(const tree_index<Routes, Scopes>& ix,
                                                         const std::array<std::string_view, Routes + 1>& patterns,
                                                         const segment* all, const std::array<std::uint32_t, Routes + 1>& first) {
    std::array<route_desc, Routes> out{};
    for (std::size_t i = 0; i < Routes; ++i) {
        out[i] = ix.leaves[i].desc;
        out[i].pattern = patterns[i];
        out[i].segments = all + first[i];
        out[i].segment_count = static_cast<std::uint16_t>(first[i + 1] - first[i]);
    }
    return out;
}

/// The number of named routes.
template <std::size_t N>
constexpr std::size_t count_named(const std::array<std::string_view, N>& endpoints) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < N; ++i) n += endpoints[i].empty() ? 0 : 1;
    return n;
}

}  // namespace detail

template <class Tree, class ItemTuple>
class app_def;

/// An app: its routes and blueprints as written, its dispatch table, and its other items
/// (hooks, error handlers), each scoped to the blueprint that declared it.
template <class... Nodes, class... Items>
class app_def<detail::flat_list<Nodes...>, std::tuple<Items...>> {
public:
    using tree_type = detail::flat_list<Nodes...>;
    tree_type tree_;
    std::tuple<Items...> items_;

    static constexpr std::size_t route_count = detail::rule_count<tree_type>::value;

    // Each table below is computed by a function template named after its sizes, not by a
    // lambda or member function of this class: g++ enters every function it instantiates in
    // its symbol table under its mangled name, and a name that spells out this class spells
    // out every route (about 300 bytes per route), mangled in time that grows faster than it.
private:
    static constexpr std::size_t scope_count = 1 + detail::blueprint_count<tree_type>::value;
    static constexpr detail::tree_index<route_count, scope_count> index =
        detail::make_index<route_count, scope_count>(static_cast<const tree_type*>(nullptr));
    static constexpr auto text = detail::lay_out_text<
        detail::write_text(index, nullptr, nullptr, nullptr, nullptr, nullptr), route_count, scope_count>(index);
    /// The full prefix of each route's blueprints ("/api/users"), "" at app level.
    static constexpr std::array<std::string_view, route_count + 1> prefixes = detail::route_prefixes(index, text);
    static constexpr std::size_t segment_total = detail::count_segments(index, prefixes);
    static constexpr auto segments = detail::lay_out_segments<segment_total, route_count>(index, prefixes.data());

public:
    static constexpr std::array<std::string_view, route_count + 1> endpoints = detail::text_views(text.chars, text.endpoint);
    static constexpr std::array<std::string_view, route_count + 1> patterns = detail::text_views(text.chars, text.pattern);
    static constexpr std::size_t max_params = detail::max_param_count(index);
    using match_type = match_result<max_params>;

    static constexpr std::array<detail::route_desc, route_count> descs =
        detail::describe_routes(index, patterns, segments.all.data(), segments.first);
    static constexpr detail::table_sizes sizes = detail::measure(descs);
#if defined(__clang__)
    static constexpr detail::table<sizes> table = detail::build_table_in_chunks<sizes, &descs>();
#else
    static constexpr detail::table<sizes> table = detail::build_table<sizes>(descs);  // see build_chunk_routes
#endif
    static constexpr detail::table_view view = table.view();
    /// The number of named routes.
    static constexpr std::size_t named_count = detail::count_named(endpoints);
    static constexpr std::size_t name_slots = detail::name_slots_for(named_count);
    /// The named routes by a hash of their endpoint name (see detail::name_table).
    static constexpr detail::name_table<name_slots> names = detail::index_names<name_slots>(endpoints, route_count);

    /// @return the full name of route i's blueprint ("" at app level). For run time: a view of
    ///         the app's text found through integers, as match_result's endpoint() and rule() are.
    static constexpr std::string_view blueprint_of(std::size_t i) noexcept {
        return detail::text_view(text.chars, text.scope_name[scopes[i]]);
    }

private:
    static constexpr std::array<std::uint16_t, route_count + 1> scopes = detail::route_scopes(index);

public:
    /// The rule type of route I (as declared, without its blueprints' prefix and name).
    template <std::size_t I>
    using rule_type = typename detail::leaf_of<I, tree_type>::type;

    /// Every route, in declaration order.
    static constexpr std::array<route_info, route_count> routes() noexcept {
        std::array<route_info, route_count> out{};
        for (std::size_t i = 0; i < route_count; ++i)
            out[i] = route_info{endpoints[i], patterns[i], index.leaves[i].desc.methods,
                                detail::text_view(text.chars, text.scope_name[index.leaves[i].scope])};
        return out;
    }

    /// @return the index of endpoint `name`, or route_count when there is none.
    static constexpr std::size_t find(std::string_view name) noexcept {
        // One hash probe (and its neighbours), so that N url_for calls cost N.
        if (name.empty()) return route_count;
        for (std::size_t s = detail::first_name_slot<name_slots>(name); names.slots[s] != 0; s = (s + 1) & (name_slots - 1))
            if (endpoints[names.slots[s] - 1] == name) return names.slots[s] - 1;
        return route_count;
    }

    /// @return the methods of every route, with HEAD where there is GET, and OPTIONS: the
    ///         `Allow` of an `OPTIONS *` request.
    static constexpr method_set all_methods() noexcept {
        method_set all = OPTIONS;
        for (std::size_t i = 0; i < route_count; ++i) all = all | index.leaves[i].desc.methods;
        if (all.contains(method::get)) all = all | method::head;
        return all;
    }

    /// Matches a request. The query string is ignored; no allocation, no start-up work.
    /// `OPTIONS *` gives match_status::options with all_methods() allowed; any other method
    /// with the target `*` is not found.
    /// @param m the method (method::unknown for others: 405 where the path exists)
    /// @param target the origin-form target, e.g. "/users/42?x=1"
    [[nodiscard]] match_type match(method m, std::string_view target) const noexcept {
        match_type r;
        r.target_ = target;
        r.path_ = target.substr(0, detail::path_length(target));
        r.text_ = text.chars.data();
        r.endpoints_ = text.endpoint.data();
        r.rules_ = text.pattern.data();
        if (target == "*") {
            // OPTIONS * asks about the server as a whole (RFC 9110 9.3.7): every route's methods.
            if (m == method::options) {
                r.allowed_ = all_methods();
                r.status_ = match_status::options;
            }
            return r;
        }
        if (r.path_.empty() || r.path_.front() != '/') return r;
        detail::matcher walker(view, m, r.path_, r.params_.data());
        if (walker.run()) {
            r.status_ = match_status::found;
            r.route_ = walker.found;
            r.head_as_get_ = walker.head_as_get;
        } else if (!walker.allowed.empty()) {
            r.allowed_ = walker.allowed | method::options;
            r.status_ = m == method::options ? match_status::options : match_status::method_not_allowed;
        } else if (walker.redirect) {
            r.status_ = match_status::redirect;
        }
        return r;
    }
    /// @overload
    /// The method as text (`"GET"`); a method vial does not know gives method::unknown.
    [[nodiscard]] match_type match(std::string_view m, std::string_view target) const noexcept {
        return match(parse_method(m), target);
    }

    /// Calls the matched route's handler and passes what it returns to `visit`.
    /// Handler parameters after the route's own are taken from `extras`: an extra of that
    /// type (or derived from it), or one with `provide(std::type_identity<T>)`.
    /// @return what `visit` returns (the same type for every route)
    template <class Visitor, class... Extras>
    decltype(auto) dispatch(const match_type& m, Visitor&& visit, Extras&&... extras) const {
        using shape = typename detail::shape_of<typename rule_type<0>::core>::type;
        using R = decltype(detail::call_rule<shape>(std::declval<const typename shape::handler_type&>(), m.params(),
                                                    visit, extras...));
        using fn = R (*)(const void*, const param_value*, Visitor&, Extras&...);
        // One entry per route, each templated on its handler's type and converters alone (not
        // on the whole app): routes of the same shape share a function.
        static constexpr auto calls = [] {
            std::array<fn, route_count> out{};
            std::size_t n = 0;
            detail::call_table<fn, R, Visitor, Extras...>::add(static_cast<const tree_type*>(nullptr), out.data(), n);
            return out;
        }();
#if VIAL_DETAIL_CONSTANT_OFFSETS
        const void* const handler = reinterpret_cast<const char*>(&tree_) + handler_positions[m.route()];
#else
        const void* const handler = reinterpret_cast<const char*>(this) + handler_offsets()[m.route()];
#endif
        return calls[m.route()](handler, m.params(), visit, extras...);
    }

    /// @return the full pattern and endpoint name of route I, for diagnostics.
    template <std::size_t I>
    static constexpr std::string_view pattern_at() noexcept {
        return patterns[I];
    }
    template <std::size_t I>
    static constexpr std::string_view endpoint_at() noexcept {
        return endpoints[I];
    }

private:
#if VIAL_DETAIL_CONSTANT_OFFSETS
    /// Where each route's handler lies from the start of tree_.
    static constexpr std::array<std::uint32_t, route_count + 1> handler_positions = detail::route_positions(index);
#else
    /// Where each route's handler lies in an app of this type, measured once.
    const std::array<std::ptrdiff_t, route_count + 1>& handler_offsets() const {
        static const auto offsets = [this] {
            std::array<std::ptrdiff_t, route_count + 1> out{};
            std::size_t n = 0;
            detail::add_list_offsets(tree_, reinterpret_cast<const char*>(this), out.data(), n);
            return out;
        }();
        return offsets;
    }
#endif
};

/// Builds the app from routes and blueprints; checks for duplicate routes and endpoint names.
/// @par Example
/// @code
/// constexpr auto app = vial::app(vial::get<"/">(index), users);
/// @endcode
template <class... Items>
constexpr auto app(const Items&... items) {
    // The checks are made here rather than in helper functions: each would be named after the
    // whole app (see app_def).
    constexpr std::size_t foreign = detail::first_foreign<Items...>::value;
    if constexpr (foreign != static_cast<std::size_t>(-1)) {
        // Checked before the items are taken apart, which a foreign item would fail: one error.
        (void)diagnostic::report<diagnostic::not_an_app_item<foreign, detail::nth_t<foreign, detail::type_list<Items...>>>>;
        return app_def<detail::flat_list<>, std::tuple<>>{};
    } else {
        using A = app_def<detail::flat_list<Items...>, detail::collected_items_t<detail::same_item, Items...>>;
        if constexpr (A::table.duplicate_first >= 0) {
            constexpr auto first = static_cast<std::size_t>(A::table.duplicate_first);
            constexpr auto second = static_cast<std::size_t>(A::table.duplicate_second);
            (void)diagnostic::report<diagnostic::duplicate_route<to_fixed<&A::template pattern_at<first>>,
                                                                 to_fixed<&A::template pattern_at<second>>>>;
        } else if constexpr (A::names.duplicate >= 0) {
            // The name table found it while it was built: the first declared of the two routes.
            constexpr auto dup = static_cast<std::size_t>(A::names.duplicate);
            (void)diagnostic::report<diagnostic::duplicate_endpoint_name<to_fixed<&A::template endpoint_at<dup>>>>;
        }
        if constexpr (detail::has_scoped_items<Items...>::value)
            return A{detail::flat_list<Items...>{{{items}...}}, detail::collect_items_from(detail::same_item{}, items...)};
        else return A{detail::flat_list<Items...>{{{items}...}}, std::tuple<>{}};
    }
}

}  // namespace vial

#endif  // VIAL_ROUTE_APP_HPP
