#ifndef VIAL_TEMPLATE_RENDER_HPP
#define VIAL_TEMPLATE_RENDER_HPP

/// @file
/// `vial::render_template<"book.html">(templates, context, app, globals)`: renders a template
/// of a library with a context (a Hana-reflected struct), checked when it compiles.

#include <vial/route/fixed_string.hpp>
#include <vial/template/detail/render.hpp>
#include <vial/template/globals.hpp>
#include <vial/template/source.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <type_traits>

namespace vial {

/// An empty context, for templates that use only literals and globals.
struct no_context {};

namespace detail::tpl {

template <class T>
concept app_like = requires {
    T::route_count;
    T::descs;
};

template <class>
inline constexpr bool always_false_v = false;

template <fixed_string Name, class Lib>
struct unknown_template_name {
    static_assert(always_false_v<Lib>, "vial: render_template: no template of this name in the library; names "
                                       "are paths under the templates folder, as \"books/show.html\"");
};

template <fixed_string Name, class Lib, class App, class Ctx, class G>
void render_to(std::string& out, const Ctx& ctx, const G& globals) {
    constexpr std::size_t index = Lib::find(Name.view());
    if constexpr (index == Lib::size) {
        (void)report<unknown_template_name<Name, Lib>>;
    } else {
        // The page's size is learned from the previous render of this template with these
        // types: reserving it up front spares the string's regrowth (about ten reallocations
        // and copies for a 12 KB page built from empty).
        static std::atomic<std::size_t> last_size{0};
        const std::size_t start = out.size();
        const std::size_t hint = last_size.load(std::memory_order_relaxed);
        if (out.capacity() - start < hint) out.reserve(start + hint + hint / 8);
        const root_scope<Ctx, G> scope{ctx, globals};
        render_whole<env<App, chain<>>, Lib, index>(out, scope);
        last_size.store(out.size() - start, std::memory_order_relaxed);
    }
}

template <class T>
struct is_globals : std::false_type {};
template <class S>
struct is_globals<template_globals<S>> : std::true_type {};

/// The app among render_template's extras, or void.
template <class... A>
struct pick {
    using app = void;
};
template <class A, class... R>
struct pick<A, R...> {
    using app = std::conditional_t<app_like<A>, A, typename pick<R...>::app>;
};

template <class A, class... R>
const auto& first_globals(const A& a, const R&... r) {
    if constexpr (is_globals<A>::value) return a;
    else return first_globals(r...);
}

}  // namespace detail::tpl

/// Appends template `Name` of library `templates` rendered with `context` to `out`.
/// `extras` are, in any order: the app (for `url_for`), and vial::template_globals (for
/// `request`, `session`, `csrf_token()`, `get_flashed_messages()`).
/// @par Example
/// @code
/// std::string body;
/// vial::render_template_to<"book.html">(body, templates, page{book, reviews}, app);
/// @endcode
template <fixed_string Name, class Lib, class Ctx, class... Extras>
void render_template_to(std::string& out, const Lib&, const Ctx& context, const Extras&... extras) {
    static_assert(sizeof...(Extras) <= 2, "vial: render_template takes the app and the globals, at most");
    using App = typename detail::tpl::pick<Extras...>::app;
    if constexpr ((detail::tpl::is_globals<Extras>::value || ...)) {
        const auto& g = detail::tpl::first_globals(extras...);
        detail::tpl::render_to<Name, Lib, App>(out, context, g);
    } else {
        detail::tpl::render_to<Name, Lib, App>(out, context, detail::tpl::no_globals{});
    }
}

/// Renders template `Name` of library `templates` with `context`; see render_template_to.
/// @par Example
/// @code
/// return vial::html(vial::render_template<"book.html">(templates, page{book, reviews}, app));
/// @endcode
template <fixed_string Name, class Lib, class Ctx, class... Extras>
std::string render_template(const Lib& templates, const Ctx& context, const Extras&... extras) {
    std::string out;
    render_template_to<Name>(out, templates, context, extras...);
    return out;
}

}  // namespace vial

#endif  // VIAL_TEMPLATE_RENDER_HPP
