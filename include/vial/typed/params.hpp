#ifndef VIAL_TYPED_PARAMS_HPP
#define VIAL_TYPED_PARAMS_HPP

/// @file
/// Typed handler parameters: `vial::json<T>` (the body), `vial::query<T>` (the query string),
/// `vial::form<T>` (urlencoded or multipart fields, files as `vial::uploaded_file`),
/// `vial::header<"X-Name", T>` and `vial::cookie<"name", T>` (one value each; optional when T
/// is `std::optional`). They mix with route parameters, `vial::request&` and services:
/// @code
/// vial::created<todo> create(vial::json<new_todo> body, vial::header<"X-Request-Id", std::optional<std::string>> id,
///                            todo_store& store);
/// @endcode
/// Before the handler runs, all of its typed parameters are read at once; input that does
/// not fit never reaches it:
/// - a body that is not JSON at all: 400 (`vial::malformed_json`, saying where it broke);
/// - a `json<T>` body whose Content-Type is not `application/json` or `+json`: 415;
/// - anything that does not fit its type: 422 (`vial::validation_error`) listing every error
///   of every parameter, FastAPI's `{"detail": [{"type", "loc", "msg", "input"}]}`.

#include <vial/app/binding.hpp>
#include <vial/http/errors.hpp>
#include <vial/http/multipart.hpp>
#include <vial/http/request.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/url_for.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/fields.hpp>
#include <vial/typed/json_reader.hpp>
#include <vial/typed/reflect.hpp>

#include <cctype>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace vial {

/// Where a typed parameter comes from (its `loc`'s first item, and its OpenAPI `in`).
enum class param_source { body, query, form, header, cookie };

namespace detail {
/// What the typed parameters share: the value, and access to it as through a pointer.
template <class T>
struct typed_value {
    using value_type = T;
    T value{};

    T& operator*() & noexcept { return value; }
    const T& operator*() const& noexcept { return value; }
    T&& operator*() && noexcept { return std::move(value); }
    T* operator->() noexcept { return &value; }
    const T* operator->() const noexcept { return &value; }
};
}  // namespace detail

/// The request body read as JSON into a T (a reflected struct, a vector, a number...).
/// @par Example
/// @code
/// todo create(vial::json<new_todo> body) { return todo{1, body->title}; }
/// @endcode
template <class T>
struct json : detail::typed_value<T> {
    static constexpr param_source source = param_source::body;
};

/// The query string read into a reflected struct T: repeated keys fill vectors, absent keys
/// leave optionals empty or take their defaults, booleans read as FastAPI reads them.
template <class T>
struct query : detail::typed_value<T> {
    static constexpr param_source source = param_source::query;
};

/// The form fields (`application/x-www-form-urlencoded` or `multipart/form-data`) read into a
/// reflected struct T; members of type `vial::uploaded_file` take the file uploaded under
/// their name (required), `std::optional<vial::uploaded_file>` one that may be absent,
/// `std::vector<vial::uploaded_file>` every file sent under it.
template <class T>
struct form : detail::typed_value<T> {
    static constexpr param_source source = param_source::form;
};

/// One request header, by name (case-insensitive), read as T: a scalar, `std::optional` of
/// one (then it may be absent) or `std::vector` of one (every value sent).
template <fixed_string Name, class T>
struct header : detail::typed_value<T> {
    static constexpr param_source source = param_source::header;
    static constexpr std::string_view name = Name.view();
};

/// One cookie, by name, read as T (optional when T is `std::optional`).
template <fixed_string Name, class T>
struct cookie : detail::typed_value<T> {
    static constexpr param_source source = param_source::cookie;
    static constexpr std::string_view name = Name.view();
};

template <class T>
inline constexpr bool is_bound_parameter<json<T>> = true;
template <class T>
inline constexpr bool is_bound_parameter<query<T>> = true;
template <class T>
inline constexpr bool is_bound_parameter<form<T>> = true;
template <fixed_string N, class T>
inline constexpr bool is_bound_parameter<header<N, T>> = true;
template <fixed_string N, class T>
inline constexpr bool is_bound_parameter<cookie<N, T>> = true;

namespace detail {

/// A header's name as FastAPI puts it in `loc`: lowercase.
inline std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

inline void append_errors(std::vector<error_detail>& to, std::vector<error_detail>&& from) {
    for (auto& e : from) to.push_back(std::move(e));
}

/// Whether the request has a JSON body to read (not a template). An absent body is a 422
/// "missing", as FastAPI's; a body that is not JSON by its Content-Type is a 415 (thrown).
inline bool json_body_present(const request& req, std::vector<error_detail>& errors) {
    if (req.body().empty() && !req.is_json()) {
        // As FastAPI: a required body that is absent is a 422 "missing". An empty body that
        // claims to be JSON is malformed JSON (400), as JSONTestSuite's n_structure_no_data.
        error_detail e;
        e.type = "missing";
        e.where = loc{std::string("body")};
        e.msg = "Field required";
        e.input = nullptr;
        errors.push_back(std::move(e));
        return false;
    }
    if (!req.is_json())
        throw http_error(415, "expected a JSON body (Content-Type application/json or a +json type)");
    return true;
}

/// Where a body's errors are: {"body"}.
inline const loc& body_loc() {
    static const loc where{std::string("body")};
    return where;
}

/// A reader's outcome into the handler's errors: malformed JSON is thrown (a 400).
inline void take_read_errors(std::optional<malformed_json>& malformed, std::vector<error_detail>& from,
                             std::vector<error_detail>& to) {
    if (malformed) throw std::move(*malformed);
    append_errors(to, std::move(from));
}

template <class T>
T bind_json(request& req, std::vector<error_detail>& errors) {
    if (!json_body_present(req, errors)) return T{};
    auto r = read_json<T>(req.body(), body_loc());
    take_read_errors(r.malformed, r.errors, errors);
    return std::move(r.value);
}

template <class M>
inline constexpr bool is_file_member = std::is_same_v<M, uploaded_file>;
template <class M>
inline constexpr bool is_file_member<std::optional<M>> = std::is_same_v<M, uploaded_file>;
template <class M>
inline constexpr bool is_file_member<std::vector<M>> = std::is_same_v<M, uploaded_file>;

/// Fills the file members of a form struct from the request's files (read_fields leaves them).
template <class T>
void bind_files(const request& req, T& out, std::vector<error_detail>& errors) {
    for_each_member<T>([&](auto i) {
        constexpr std::size_t I = decltype(i)::value;
        using M = member_type<T, I>;
        if constexpr (is_file_member<M>) {
            constexpr std::string_view name = member_name<T, I>;
            M& m = member<I>(out);
            if constexpr (std::is_same_v<M, std::vector<uploaded_file>>) {
                for (const auto& f : req.files())
                    if (f.field == name) m.push_back(f);
            } else if (const uploaded_file* f = req.file(name)) {
                m = *f;
            } else if constexpr (std::is_same_v<M, uploaded_file>) {
                error_detail e;
                e.type = "missing";
                e.where = loc{std::string("body"), std::string(name)};
                e.msg = "Field required";
                e.input = nullptr;
                errors.push_back(std::move(e));
            }
        }
    });
}

template <class B>
struct bind_one;

template <class T>
struct bind_one<json<T>> {
    static json<T> bind(request& req, std::vector<error_detail>& errors) {
        return json<T>{{bind_json<T>(req, errors)}};
    }
};

template <class T>
struct bind_one<query<T>> {
    static query<T> bind(request& req, std::vector<error_detail>& errors) {
        auto r = read_fields<T>(req.args(), loc{std::string("query")});
        append_errors(errors, std::move(r.errors));
        return query<T>{{std::move(r.value)}};
    }
};

/// A form body read into T: its fields, then its files; every error in `errors` (what
/// vial::form<T> and vial::form_input<T> share). A malformed multipart body throws (400).
template <class T>
read_result<T> read_form(const request& req) {
    // FastAPI's loc for form fields is "body", as for a JSON body.
    auto r = read_fields<T>(req.form(), body_loc());
    bind_files(req, r.value, r.errors);
    return r;
}

template <class T>
struct bind_one<form<T>> {
    static form<T> bind(request& req, std::vector<error_detail>& errors) {
        auto r = read_form<T>(req);
        append_errors(errors, std::move(r.errors));
        return form<T>{{std::move(r.value)}};
    }
};

template <fixed_string N, class T>
struct bind_one<header<N, T>> {
    static header<N, T> bind(request& req, std::vector<error_detail>& errors) {
        const std::vector<std::string_view> values = req.header_values(N.view());
        auto r = read_values<T>(std::span<const std::string_view>(values), loc{std::string("header"), lowercase(N.view())});
        append_errors(errors, std::move(r.errors));
        return header<N, T>{{std::move(r.value)}};
    }
};

template <fixed_string N, class T>
struct bind_one<cookie<N, T>> {
    static cookie<N, T> bind(request& req, std::vector<error_detail>& errors) {
        std::vector<std::string_view> values;
        const auto& all = req.cookies();
        if (const auto it = all.find(N.view()); it != all.end()) values.emplace_back(it->second);
        auto r = read_values<T>(std::span<const std::string_view>(values), loc{std::string("cookie"), std::string(N.view())});
        append_errors(errors, std::move(r.errors));
        return cookie<N, T>{{std::move(r.value)}};
    }
};

}  // namespace detail

/// Reads a handler's typed parameters, all of them, before it runs: the dispatcher's hook
/// (see `<vial/app/binding.hpp>`).
template <class... T>
struct parameter_binder {
    static std::tuple<T...> bind(request& req) {
        std::vector<error_detail> errors;
        // A braced list: the parameters are read in order, so errors come in the handler's order.
        std::tuple<T...> out{detail::bind_one<T>::bind(req, errors)...};
        if (!errors.empty()) throw validation_error(std::move(errors));
        return out;
    }
};

}  // namespace vial

#endif  // VIAL_TYPED_PARAMS_HPP
