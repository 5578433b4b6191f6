#ifndef VIAL_ROUTE_HPP
#define VIAL_ROUTE_HPP

/// @file
/// The router core, on its own: routes, converters, blueprints, the compile-time dispatch
/// table and url_for. Standard library only (no Beast, no Asio, no JSON), so a service with
/// its own event loop can embed it.

#include <vial/route/app.hpp>
#include <vial/route/blueprint.hpp>
#include <vial/route/converter.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/grammar.hpp>
#include <vial/route/method.hpp>
#include <vial/route/rule.hpp>
#include <vial/route/url_for.hpp>

#endif  // VIAL_ROUTE_HPP
