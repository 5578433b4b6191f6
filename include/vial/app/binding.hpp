#ifndef VIAL_APP_BINDING_HPP
#define VIAL_APP_BINDING_HPP

/// @file
/// The hook through which handler parameters that are read from the request as a whole
/// (`vial::json<T>`, `vial::query<T>`, `vial::header<"X-Name", T>`...) reach a handler,
/// without this header (nor `<vial/vial.hpp>`) knowing them: `<vial/typed.hpp>` specializes
/// the two traits below. Before a handler runs, the dispatcher binds all of its bound
/// parameters at once, so that one 422 can list every error, and the handler is never called
/// with input that does not fit.
///
/// The same hook turns typed results into responses: `result_writer<T>`.

#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/route/app.hpp>
#include <vial/route/blueprint.hpp>

#include <cstddef>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vial {

/// Whether a handler parameter of type T is bound from the request by a parameter_binder.
/// Specialized (to true) by the headers that define such parameters.
template <class T>
inline constexpr bool is_bound_parameter = false;

/// Binds a handler's bound parameters from one request. The primary template is not defined;
/// `<vial/typed/params.hpp>` defines it. A definition provides
/// `static std::tuple<T...> bind(request& req)`, which throws (a 400, 415 or 422) when the
/// request does not fit, after looking at all the parameters.
template <class... T>
struct parameter_binder;

namespace detail {

template <class T>
inline constexpr char type_key = 0;

/// The bound parameters of the current request, type-erased: what the dispatcher passes to a
/// route's handler as one of its extras.
class bound_parameters {
public:
    bound_parameters() = default;
    bound_parameters(const bound_parameters&) = delete;
    bound_parameters& operator=(const bound_parameters&) = delete;
    ~bound_parameters() {
        if (destroy_ != nullptr) destroy_(storage_);
    }

    /// The value bound for a parameter of type D (moved out: each is asked for once).
    template <class D>
        requires is_bound_parameter<D>
    D&& provide(std::type_identity<D>) {
        return std::move(*static_cast<D*>(find_(storage_, &type_key<D>)));
    }

    /// Binds the parameters T... of `req` (throws when they do not fit).
    template <class... T>
    void bind(request& req) {
        using tuple = std::tuple<T...>;
        if constexpr (sizeof(tuple) <= sizeof(inline_) && alignof(tuple) <= alignof(std::max_align_t)) {
            storage_ = ::new (static_cast<void*>(inline_)) tuple(parameter_binder<T...>::bind(req));
            destroy_ = [](void* p) { static_cast<tuple*>(p)->~tuple(); };
        } else {
            storage_ = new tuple(parameter_binder<T...>::bind(req));
            destroy_ = [](void* p) { delete static_cast<tuple*>(p); };
        }
        find_ = [](void* p, const void* key) -> void* {
            void* found = nullptr;
            auto& t = *static_cast<tuple*>(p);
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                ((found == nullptr && key == &type_key<T> ? void(found = &std::get<I>(t)) : void()), ...);
            }(std::index_sequence_for<T...>{});
            return found;
        };
    }

private:
    alignas(std::max_align_t) unsigned char inline_[512];
    void* storage_ = nullptr;
    void (*destroy_)(void*) = nullptr;
    void* (*find_)(void*, const void*) = nullptr;
};

using bind_fn = void (*)(request&, bound_parameters&);

/// The bound parameters among a handler's parameters after the route's own, as a bind_fn
/// (nullptr when there are none).
template <class... T>
struct bound_filter {
    template <class... Kept>
    static constexpr bind_fn make(type_list<Kept...>*) {
        return [](request& req, bound_parameters& out) { out.template bind<Kept...>(req); };
    }
};

template <class Kept, class... Rest>
struct filter_bound;
template <class... Kept>
struct filter_bound<type_list<Kept...>> {
    using type = type_list<Kept...>;
};
template <class... Kept, class Head, class... Rest>
struct filter_bound<type_list<Kept...>, Head, Rest...>
    : filter_bound<std::conditional_t<is_bound_parameter<std::remove_cvref_t<Head>>,
                                      type_list<Kept..., std::remove_cvref_t<Head>>, type_list<Kept...>>,
                   Rest...> {};

template <class Args>
struct binder_of;
template <class... A>
struct binder_of<type_list<A...>> {
    static constexpr bind_fn get() {
        if constexpr (!(is_bound_parameter<std::remove_cvref_t<A>> || ... || false)) {
            return nullptr;
        } else {
            // Route parameters never are bound parameters, so the filter may look at all of them.
            using kept = typename filter_bound<type_list<>, A...>::type;
            return bound_filter<>::make(static_cast<kept*>(nullptr));
        }
    }
};

/// One bind_fn per route of a tree, in route order.
template <class... T>
constexpr void add_binders(const flat_list<T...>*, bind_fn* out, std::size_t& n);
template <class Item>
constexpr void add_binder(bind_fn* out, std::size_t& n) {
    if constexpr (is_rule_v<Item>) out[n++] = binder_of<typename Item::args>::get();
    else if constexpr (is_blueprint_v<Item>) add_binders(static_cast<const decltype(Item::tree_)*>(nullptr), out, n);
}
template <class... T>
constexpr void add_binders(const flat_list<T...>*, bind_fn* out, std::size_t& n) {
    (void)out;
    (void)n;
    (add_binder<T>(out, n), ...);
}

}  // namespace detail
}  // namespace vial

#endif  // VIAL_APP_BINDING_HPP
