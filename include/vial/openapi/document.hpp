#ifndef VIAL_OPENAPI_DOCUMENT_HPP
#define VIAL_OPENAPI_DOCUMENT_HPP

/// @file
/// The OpenAPI 3.1 document of an app, derived from its type: every route and method, path
/// parameters from their converters, typed query/header/cookie/body parameters and typed
/// responses from the handlers' signatures, `components/schemas` with `$ref`s, tags from
/// blueprints and `route_doc`, endpoint names as `operationId`s.
///
/// What is known at compile time is computed there (paths in OpenAPI's `{name}` form, the
/// parameters' and responses' kinds and statuses, operation ids); the JSON itself, and the
/// schemas (nlohmann values built by vial::schema_registry), are assembled at run time, once,
/// when `document()` is called.
/// @par Example
/// @code
/// nlohmann::json doc = vial::openapi::document(app, {.title = "Todo API", .version = "1.0.0"});
/// @endcode

#include <vial/app/result.hpp>
#include <vial/http/response.hpp>
#include <vial/http/status.hpp>
#include <vial/route/app.hpp>
#include <vial/route/blueprint.hpp>
#include <vial/route/doc.hpp>
#include <vial/route/method.hpp>
#include <vial/typed/params.hpp>
#include <vial/typed/results.hpp>
#include <vial/typed/detail/descriptor.hpp>
#include <vial/typed/schema.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace vial::openapi {

/// The document's `info`: OpenAPI requires a title and a version.
struct info {
    std::string_view title = "vial app";
    std::string_view version = "0.1.0";
    std::string_view description{};
};

namespace detail {

using vial::detail::type_list;

/// "/todos/<int(min=1):id>/<path:rest>" as OpenAPI writes it: "/todos/{id}/{rest}".
constexpr std::size_t openapi_path(std::string_view pattern, char* out) noexcept {
    // Index loops only (no string_view::find): GCC's UBSan instrumentation makes those
    // "not a constant expression" on a pointer into the app's text.
    std::size_t n = 0;
    auto put = [&](char c) {
        if (out != nullptr) out[n] = c;
        ++n;
    };
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '<') {
            put(pattern[i]);
            continue;
        }
        std::size_t close = i + 1;
        while (close < pattern.size() && pattern[close] != '>') ++close;
        // The name follows the last ':' outside the converter's parentheses.
        std::size_t depth = 0;
        std::size_t name = i + 1;
        for (std::size_t k = i + 1; k < close; ++k) {
            if (pattern[k] == '(') ++depth;
            else if (pattern[k] == ')') --depth;
            else if (pattern[k] == ':' && depth == 0) name = k + 1;
        }
        put('{');
        for (std::size_t k = name; k < close; ++k) put(pattern[k]);
        put('}');
        i = close;
    }
    return n;
}

/// Every route's path in OpenAPI's form, computed at compile time.
template <class App>
struct app_paths {
    static constexpr std::size_t chars = [] {
        std::size_t n = 0;
        for (std::size_t i = 0; i < App::route_count; ++i) n += openapi_path(App::patterns[i], nullptr);
        return n;
    }();
    static constexpr auto text = [] {
        std::pair<std::array<char, chars + 1>, std::array<std::pair<std::size_t, std::size_t>, App::route_count + 1>> out{};
        std::size_t at = 0;
        for (std::size_t i = 0; i < App::route_count; ++i) {
            const std::size_t n = openapi_path(App::patterns[i], out.first.data() + at);
            out.second[i] = {at, n};
            at += n;
        }
        return out;
    }();
    static constexpr std::string_view at(std::size_t i) noexcept {
        return std::string_view(text.first.data() + text.second[i].first, text.second[i].second);
    }
};

/// Each route's route_doc, in route order, read from the app object.
template <class Item>
void collect_docs(const Item& item, std::vector<const route_doc*>& out);
template <class... T>
void collect_list_docs(const vial::detail::flat_list<T...>& list, std::vector<const route_doc*>& out) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (collect_docs(static_cast<const vial::detail::list_slot<I, T>&>(list).value_, out), ...);
    }(std::index_sequence_for<T...>{});
}
template <class Item>
void collect_docs(const Item& item, std::vector<const route_doc*>& out) {
    if constexpr (vial::detail::is_rule_v<Item>) out.push_back(&item.doc_);
    else if constexpr (vial::detail::is_blueprint_v<Item>) collect_list_docs(item.tree_, out);
}

/// "get_todo" -> "Get Todo", as FastAPI makes summaries of function names.
std::string title_case(std::string_view name);

/// A path parameter's schema from its converter.
nlohmann::json converter_schema(const param_spec& p, std::string_view pattern);

/// What one operation collects from its handler's parameters.
struct operation_parts {
    nlohmann::json parameters = nlohmann::json::array();
    nlohmann::json request_body;  // null when none
    bool validates = false;       // has typed parameters (a 422 is possible)
    bool json_body = false;       // a JSON body (400 and 415 are possible)
};

/// The properties of a struct schema (a $ref's target) as separate parameters (`in`).
void add_struct_params(operation_parts& parts, const nlohmann::json& schema, schema_registry& registry,
                              std::string_view in);

template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

using vial::detail::type_desc;

/// The descriptor of T for its schema; a type with a mistake (already reported at compile
/// time) is described as any value.
template <class T>
constexpr const type_desc* checked_desc() noexcept {
    if constexpr (vial::detail::type_ok<T>) return &vial::detail::type_desc_v<T>;
    else return &vial::detail::type_desc_v<nlohmann::json>;
}

/// A typed parameter of a handler (vial::json<T>, query<T>, form<T>, header<>, cookie<>), as data.
struct param_desc {
    bool present = false;  ///< false: not a typed parameter (a route parameter, a service...)
    param_source source{};
    std::string_view name{};  ///< header and cookie: its name
    const type_desc* type = nullptr;
    bool required = false;  ///< header and cookie: false when T is std::optional
};

template <class A>
constexpr param_desc param_of() noexcept {
    using D = std::remove_cvref_t<A>;
    if constexpr (is_bound_parameter<D>) {
        using T = typename D::value_type;
        param_desc p{true, D::source, {}, checked_desc<T>(), !is_optional_v<T>};
        if constexpr (D::source == param_source::header || D::source == param_source::cookie) p.name = D::name;
        return p;
    } else {
        return {};
    }
}

/// The parameters after the route's own `P`, as a constant array (one per handler signature).
template <std::size_t P, class Args>
struct typed_params;
template <std::size_t P, class... A>
struct typed_params<P, type_list<A...>> {
    static constexpr std::array<param_desc, sizeof...(A) + 1> value = [] {
        std::array<param_desc, sizeof...(A) + 1> out{param_of<A>()...};
        for (std::size_t i = 0; i < P && i < sizeof...(A); ++i) out[i] = {};
        return out;
    }();
};

/// Whether a struct (a form's) has a file member: then it is multipart only.
bool has_file_member(const type_desc& d);

/// One typed parameter into the operation (not a template: compiled once).
void add_parameter(operation_parts& parts, schema_registry& registry, const param_desc& d);

std::string status_key(unsigned code);

nlohmann::json describe(unsigned code);

/// What a response's body is.
enum class body_kind : std::uint8_t {
    none,      ///< no body, or an untyped vial::response
    typed,     ///< JSON of a typed value: its schema
    text,      ///< a string: text/plain
    any_json,  ///< nlohmann::json or what converts to it: untyped JSON
};

/// How a response is documented.
enum class response_shape : std::uint8_t {
    plain,           ///< its status, with the body's content
    created,         ///< 201, with a Location header
    runtime_status,  ///< a (status, body) pair: the default response
    untyped,         ///< a vial::response: the default response, untyped
};

/// One documented outcome of a handler, as data.
struct response_desc {
    unsigned status = 200;
    response_shape shape = response_shape::plain;
    body_kind body = body_kind::none;
    const type_desc* type = nullptr;
};

template <class T>
constexpr response_desc body_of(unsigned status, response_shape shape) noexcept {
    using D = std::remove_cvref_t<T>;
    if constexpr (vial::detail::is_typed_body<D>) {
        return {status, shape, body_kind::typed, checked_desc<D>()};
    } else if constexpr (std::is_same_v<D, std::string> || std::is_convertible_v<const D&, std::string_view>) {
        return {status, shape, body_kind::text, nullptr};
    } else if constexpr (std::is_same_v<D, nlohmann::json> || std::is_constructible_v<nlohmann::json, const D&>) {
        return {status, shape, body_kind::any_json, nullptr};
    } else {
        return {status, shape, body_kind::none, nullptr};  // vial::response: untyped
    }
}

/// Responses from a handler's result type.
template <class R>
struct responses_of;

template <class R>
constexpr auto responses_array() noexcept {
    using D = std::remove_cvref_t<R>;
    if constexpr (std::is_void_v<D> || std::is_same_v<D, void_result>) {
        return std::array<response_desc, 1>{response_desc{204, response_shape::plain, body_kind::none, nullptr}};
    } else if constexpr (requires { typename responses_of<D>::type; }) {
        return responses_of<D>::value();
    } else if constexpr (vial::detail::status_and_body<D>::value) {
        // The status is a run-time value: documented as the default response.
        constexpr std::size_t s = vial::detail::status_and_body<D>::index;
        return std::array<response_desc, 1>{body_of<std::tuple_element_t<1 - s, D>>(0, response_shape::runtime_status)};
    } else if constexpr (std::is_same_v<D, response>) {
        return std::array<response_desc, 1>{response_desc{0, response_shape::untyped, body_kind::none, nullptr}};
    } else {
        return std::array<response_desc, 1>{body_of<D>(200, response_shape::plain)};
    }
}

template <unsigned Code, class T>
struct responses_of<with_status<Code, T>> {
    using type = void;
    static constexpr std::array<response_desc, 1> value() noexcept {
        if constexpr (std::is_void_v<T>) return {response_desc{Code, response_shape::plain, body_kind::none, nullptr}};
        else return {body_of<T>(Code, response_shape::plain)};
    }
};
template <class T>
struct responses_of<created<T>> {
    using type = void;
    static constexpr std::array<response_desc, 1> value() noexcept { return {body_of<T>(201, response_shape::created)}; }
};
template <class... O>
struct responses_of<responses<O...>> {
    using type = void;
    static constexpr auto value() noexcept {
        constexpr std::size_t n = (responses_array<O>().size() + ...);
        std::array<response_desc, n> out{};
        std::size_t at = 0;
        auto append = [&](const auto& part) {
            for (const auto& r : part) out[at++] = r;
        };
        (append(responses_array<O>()), ...);
        return out;
    }
};

/// The responses of a result type, as a constant array (one per result type).
template <class R>
inline constexpr auto responses_v = responses_array<R>();

/// A response's content (null when it has none).
nlohmann::json body_content(schema_registry& registry, const response_desc& r);

/// One documented outcome into `out` (the operation's responses); a later one with the same
/// status replaces an earlier one.
void add_response(nlohmann::json& out, schema_registry& registry, const response_desc& d);

/// FastAPI's schemas of a 422 body, and vial's of a 400 for malformed JSON.
void add_error_schemas(nlohmann::json& schemas);

/// The handler a route's handler wraps (`using inner_handler = H;`), unwrapped recursively.
template <class H>
struct described_handler {
    using type = H;
};
template <class H>
    requires requires { typename H::inner_handler; }
struct described_handler<H> : described_handler<typename H::inner_handler> {};

/// The path parameters of a route, from its parsed segments (not a template: compiled once).
void add_path_params(operation_parts& parts, const segment* segments, std::size_t count,
                            std::string_view pattern);

/// What a route is, for emit_operations: its text and its docs.
struct route_facts {
    std::string_view path;       ///< OpenAPI form, with the blueprints' prefix
    std::string_view endpoint;
    std::string_view blueprint;
    method_set methods;
    const route_doc* doc;
};

/// Writes one route's operations (one per method) into `paths`. Not a template: the JSON
/// assembly is compiled once, whatever the number of routes.
void emit_operations(nlohmann::json& paths, const route_facts& info, const operation_parts& parts,
                            nlohmann::json responses, std::map<std::string, bool>& tags,
                            std::map<std::string, int>& operation_ids);

/// One route: the constant descriptions of its parameters and responses, then code that is
/// not a template.
void add_route(nlohmann::json& paths, schema_registry& registry, const route_facts& facts,
                      const segment* segments, std::size_t segment_count, std::string_view pattern,
                      const param_desc* params, std::size_t param_count, const response_desc* outcomes,
                      std::size_t outcome_count, std::map<std::string, bool>& tags,
                      std::map<std::string, int>& operation_ids);

template <class App, std::size_t I>
void add_operations(nlohmann::json& paths, schema_registry& registry, const route_info& info, const route_doc& doc,
                    std::map<std::string, bool>& tags, std::map<std::string, int>& operation_ids) {
    if (doc.hidden) return;
    using rule = typename App::template rule_type<I>;
    // A wrapped handler (a guard of <vial/web.hpp>) is described by the handler it wraps.
    using traits = vial::detail::callable_traits<typename described_handler<typename rule::handler_type>::type>;
    constexpr auto& params = typed_params<rule::param_count, typename traits::args>::value;
    constexpr auto& outcomes = responses_v<typename traits::result>;
    const route_facts facts{app_paths<App>::at(I), info.endpoint, info.blueprint, info.methods, &doc};
    add_route(paths, registry, facts, rule::parsed.segments.data(), rule::parsed.count, rule::pattern.view(),
              params.data(), params.size(), outcomes.data(), outcomes.size(), tags, operation_ids);
}

}  // namespace detail

/// The OpenAPI 3.1 document of `app`.
/// @param app the app (its route docs are read from it; all else comes from its type)
/// @param about the document's title, version and description
/// @return the document as JSON
template <class App>
nlohmann::json document(const App& app, const info& about = {}) {
    schema_registry registry;
    std::vector<const route_doc*> docs;
    docs.reserve(App::route_count);
    detail::collect_list_docs(app.tree_, docs);

    nlohmann::json paths = nlohmann::json::object();
    std::map<std::string, bool> tags;
    std::map<std::string, int> operation_ids;
    const auto infos = App::routes();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (detail::add_operations<App, I>(paths, registry, infos[I], *docs[I], tags, operation_ids), ...);
    }(std::make_index_sequence<App::route_count>{});

    nlohmann::json doc;
    doc["openapi"] = "3.1.0";
    doc["info"] = {{"title", std::string(about.title)}, {"version", std::string(about.version)}};
    if (!about.description.empty()) doc["info"]["description"] = std::string(about.description);
    // Relative to where the document is served: the API's own server.
    doc["servers"] = nlohmann::json::array({{{"url", "/"}, {"description", "this server"}}});
    nlohmann::json schemas = registry.schemas();
    if (schemas.is_null()) schemas = nlohmann::json::object();
    if (paths.dump().find("HTTPValidationError") != std::string::npos) detail::add_error_schemas(schemas);
    // Structs read from the query string are registered but appear as separate parameters:
    // keep only the components something refers to.
    for (bool removed = true; removed;) {
        removed = false;
        const std::string used = paths.dump() + schemas.dump();
        for (auto it = schemas.begin(); it != schemas.end();) {
            if (used.find("\"#/components/schemas/" + it.key() + "\"") == std::string::npos) {
                it = schemas.erase(it);
                removed = true;
            } else {
                ++it;
            }
        }
    }
    doc["paths"] = std::move(paths);
    doc["components"]["schemas"] = std::move(schemas);
    if (!tags.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [name, _] : tags) list.push_back({{"name", name}, {"description", "Operations of " + name}});
        doc["tags"] = std::move(list);
    }
    return doc;
}

}  // namespace vial::openapi

#endif  // VIAL_OPENAPI_DOCUMENT_HPP
