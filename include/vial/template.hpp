#ifndef VIAL_TEMPLATE_HPP
#define VIAL_TEMPLATE_HPP

/// @file
/// Templates: a Jinja2 subset parsed and checked at compile time, rendered by appends into
/// the response body. Not included by <vial/vial.hpp>. See docs/templates.md.

#include <vial/template/diagnostics.hpp>
#include <vial/template/globals.hpp>
#include <vial/template/parse.hpp>
#include <vial/template/render.hpp>
#include <vial/template/source.hpp>

#endif  // VIAL_TEMPLATE_HPP
