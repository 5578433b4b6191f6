#ifndef VIAL_VIAL_HPP
#define VIAL_VIAL_HPP

/// @file
/// The umbrella header: the router core and everything around it.

#include <vial/route.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>

#endif  // VIAL_VIAL_HPP
