#ifndef VIAL_OPENAPI_HPP
#define VIAL_OPENAPI_HPP

/// @file
/// OpenAPI 3.1 from an app's types: `vial::openapi::document(app)`, the `vial::openapi::spec`
/// service (and the `--openapi` flag), and `vial::openapi::routes()` for `/openapi.json` and
/// `/docs`. Not included by `<vial/vial.hpp>`; includes `<vial/typed.hpp>`'s pieces (Hana).

#include <vial/openapi/document.hpp>
#include <vial/openapi/serve.hpp>

#endif  // VIAL_OPENAPI_HPP
