#ifndef VIAL_TYPED_HPP
#define VIAL_TYPED_HPP

/// @file
/// The typed layer: structs reflected with Boost.Hana drive JSON reading (with validation and
/// FastAPI-shaped errors), JSON writing, string-field reading (query, form, headers, cookies)
/// and JSON Schema. Not included by <vial/vial.hpp>: a program that uses no typed feature
/// does not compile Hana. See docs/typed-apis.md.

#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/json_reader.hpp>
#include <vial/typed/fields.hpp>
#include <vial/typed/form_input.hpp>
#include <vial/typed/json_writer.hpp>
#include <vial/typed/params.hpp>
#include <vial/typed/reflect.hpp>
#include <vial/typed/results.hpp>
#include <vial/typed/rules.hpp>
#include <vial/typed/schema.hpp>

#endif  // VIAL_TYPED_HPP
