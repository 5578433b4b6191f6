#ifndef VIAL_ROUTE_DIAGNOSTICS_HPP
#define VIAL_ROUTE_DIAGNOSTICS_HPP

/// @file
/// The compile errors vial reports for misuse. Each is a class template whose instantiation
/// fails one static_assert with a message that says what is wrong and how to fix it; its
/// template arguments (the route, the offset of the mistake, the types involved) show in the
/// compiler's "In instantiation of" line. After reporting, vial falls through to a do-nothing
/// path, so one mistake gives one error. docs/diagnostics.md lists every message.

#include <vial/route/fixed_string.hpp>
#include <vial/route/grammar.hpp>

#include <cstddef>

namespace vial::diagnostic {

template <auto...>
inline constexpr bool always_false = false;

/// Reports diagnostic `D`: naming `report<D>` instantiates D, whose static_assert fails. Unlike
/// `sizeof(D)` in a function body, it leaves the calling constexpr function valid, so clang
/// too stops at vial's message instead of adding "must be initialized by a constant expression".
template <class D>
inline constexpr bool report = sizeof(D) != 0;

/// A malformed route: `Route` is the pattern, `Offset` where the mistake is.
template <fixed_string Route, std::size_t Offset, route_error Error>
struct route_syntax_error {
    static_assert(Error != route_error::missing_leading_slash || always_false<Offset>,
                  "vial: route must start with '/': write \"/users\", not \"users\"");
    static_assert(Error != route_error::empty_segment || always_false<Offset>,
                  "vial: empty segment '//' in route: remove the doubled '/'");
    static_assert(Error != route_error::unterminated_parameter || always_false<Offset>,
                  "vial: unterminated '<' in route: close the parameter with '>', as in \"/user/<int:id>\"");
    static_assert(Error != route_error::stray_closing_bracket || always_false<Offset>,
                  "vial: stray '>' in route without an opening '<': parameters are written <converter:name>");
    static_assert(Error != route_error::empty_parameter_name || always_false<Offset>,
                  "vial: empty parameter name in route: write <name> or <converter:name>");
    static_assert(Error != route_error::invalid_parameter_name || always_false<Offset>,
                  "vial: invalid parameter name in route: use letters, digits and '_', not starting with a digit");
    static_assert(Error != route_error::bad_converter_arguments || always_false<Offset>,
                  "vial: bad converter arguments in route; int(min, max, fixed_digits, signed), "
                  "float(min, max, signed), string(length, minlength, maxlength), any(a, b, ...) with at "
                  "least one option; path, uuid and custom converters take none");
    static_assert(Error != route_error::too_many_any_options || always_false<Offset>,
                  "vial: bad converter arguments in route: any() takes at most 32 options");
    static_assert(Error != route_error::duplicate_parameter_name || always_false<Offset>,
                  "vial: parameter name used twice in route: give each parameter its own name");
    static_assert(Error != route_error::path_not_last || always_false<Offset>,
                  "vial: <path:...> must be the last segment of the route: it takes the rest of the path");
    static_assert(Error != route_error::parameter_not_whole_segment || always_false<Offset>,
                  "vial: a parameter must span a whole segment: write \"/file/<name>\", not \"/file-<name>\"");
    static_assert(Error != route_error::invalid_character || always_false<Offset>,
                  "vial: invalid character in route: spaces, control characters, '?' and '#' cannot appear in a route");
    static_assert(Error != route_error::unknown_converter || always_false<Offset>,
                  "vial: unknown converter in route; known: int, float, uuid, any, string, path, "
                  "or specialize vial::converter<\"name\"> before the route");
};

/// A converter's arguments are wrong: `Offset` is where in `Route`, `Why` what is wrong.
template <fixed_string Route, std::size_t Offset, argument_error Why>
struct bad_converter_arguments {
    static_assert(Why != argument_error::malformed || always_false<Offset>,
                  "vial: bad converter arguments in route: write them as name=value, separated by ',' "
                  "and closed by ')', as in <int(min=1, max=99):n>");
    static_assert(Why != argument_error::unknown_argument || always_false<Offset>,
                  "vial: bad converter arguments in route: unknown argument; int takes min, max, fixed_digits, "
                  "signed; float takes min, max, signed; string takes length, minlength, maxlength; any takes "
                  "only its options");
    static_assert(Why != argument_error::bad_value || always_false<Offset>,
                  "vial: bad converter arguments in route: bad value; min and max take numbers (whole for int), "
                  "fixed_digits 1 to 19, signed True or False, lengths whole numbers, any() options plain words");
    static_assert(Why != argument_error::min_above_max || always_false<Offset>,
                  "vial: bad converter arguments in route: min is greater than max; swap them");
    static_assert(Why != argument_error::negative_needs_signed || always_false<Offset>,
                  "vial: bad converter arguments in route: a negative min or max needs signed=True, as in "
                  "<int(min=-10, signed=True):n>");
    static_assert(Why != argument_error::bad_length || always_false<Offset>,
                  "vial: bad converter arguments in route: string needs minlength at least 1 and maxlength "
                  "not below minlength");
    static_assert(Why != argument_error::no_options || always_false<Offset>,
                  "vial: bad converter arguments in route: any() needs at least one option, as in "
                  "<any(en, fr):lang>");
    static_assert(Why != argument_error::takes_none || always_false<Offset>,
                  "vial: bad converter arguments in route: path, uuid and custom converters take no "
                  "arguments; write <uuid:id>");
};

/// `Converter` is used in a route but neither built in nor a specialization of vial::converter.
template <fixed_string Route, fixed_string Converter>
struct unknown_converter {
    static_assert(always_false<Converter>,
                  "vial: unknown converter in route; known: int, float, uuid, any, string, path, "
                  "or specialize vial::converter<\"name\"> before the route");
};

template <class Handler>
struct handler_not_callable {
    static_assert(always_false<sizeof(Handler*)>,
                  "vial: handler is not callable: pass a function, a function pointer, or a lambda whose "
                  "parameters have types (not auto)");
};

/// The handler takes `Takes` parameters but the route has `RouteParameters`.
template <fixed_string Route, std::size_t RouteParameters, std::size_t Takes>
struct handler_arity_mismatch {
    static_assert(always_false<Takes>,
                  "vial: handler takes fewer parameters than the route has: add one parameter per "
                  "route parameter, in order");
};

/// Handler parameter `Index` (from 0) has type `Parameter`, which cannot take the converter's value.
template <fixed_string Route, std::size_t Index, class Parameter>
struct handler_parameter_type_mismatch {
    static_assert(always_false<Index>,
                  "vial: handler parameter type does not match the route's converter: int takes an "
                  "integer type, float takes double, uuid takes vial::uuid, string/path/any take "
                  "std::string or std::string_view, a custom converter takes its value_type");
};

template <fixed_string Name>
struct invalid_endpoint_name {
    static_assert(always_false<Name>,
                  "vial: invalid endpoint name: use letters, digits and '_' (dots are added by blueprints)");
};

template <fixed_string Name, fixed_string Prefix>
struct malformed_blueprint_prefix {
    static_assert(always_false<Prefix>,
                  "vial: malformed blueprint prefix: it must be \"\" or start with '/', not end with '/', "
                  "and have no parameters, as in vial::blueprint<\"users\", \"/users\">");
};

/// Argument `Index` (from 0) of vial::app or vial::blueprint is of type `Item`, which is none
/// of the things they take.
template <std::size_t Index, class Item>
struct not_an_app_item {
    static_assert(always_false<Index>,
                  "vial: not a route, blueprint, hook or error handler: vial::app and vial::blueprint take "
                  "vial::get<...>(handler) and the like, vial::blueprint<...>(...), vial::before_request(f), "
                  "vial::after_request(f), vial::teardown_request(f) and vial::errorhandler<...>(f)");
};

template <fixed_string Name>
struct invalid_blueprint_name {
    static_assert(always_false<Name>,
                  "vial: invalid blueprint name: use letters, digits and '_' (no dots, not empty)");
};

/// Two routes share a method and a pattern shape (parameter names do not count).
template <fixed_string First, fixed_string Second>
struct duplicate_route {
    static_assert(always_false<First>,
                  "vial: duplicate route: two routes have the same pattern shape and a common method; "
                  "change one pattern or its methods");
};

template <fixed_string Endpoint>
struct duplicate_endpoint_name {
    static_assert(always_false<Endpoint>,
                  "vial: duplicate endpoint name: two routes have the same endpoint; give one of them "
                  "another name (vial::get<\"/path\", \"name\">)");
};

template <fixed_string Endpoint>
struct url_for_unknown_endpoint {
    static_assert(always_false<Endpoint>,
                  "vial: url_for: unknown endpoint; write \"blueprint.name\" for routes in a blueprint; "
                  "a handler passed as a value (a lambda, a function pointer) has no name unless the "
                  "route names it: vial::get<\"/path\", \"name\">(handler) or vial::get<\"/path\", handler>()");
};

template <fixed_string Endpoint, std::size_t Expected, std::size_t Given>
struct url_for_wrong_argument_count {
    static_assert(always_false<Given>,
                  "vial: url_for: wrong number of arguments: pass one value per route parameter, in "
                  "order, then any vial::query{name, value}");
};

template <fixed_string Endpoint, std::size_t Index, class Argument>
struct url_for_argument_type_mismatch {
    static_assert(always_false<Index>,
                  "vial: url_for: argument type does not match the route's converter: int takes an "
                  "integer, float a number, string/path/any a string, uuid a vial::uuid");
};

/// A handler asks for a parameter that no route parameter, request part or service provides.
template <std::size_t Index, class Parameter>
struct cannot_provide_parameter {
    static_assert(always_false<Index>,
                  "vial: nothing provides this handler parameter: take the route's parameters first, "
                  "then vial::request&, a typed body, or a service passed to vial::run / test_client "
                  "(or as an extra to app.dispatch(match, visit, extras...))");
};

}  // namespace vial::diagnostic

#endif  // VIAL_ROUTE_DIAGNOSTICS_HPP
