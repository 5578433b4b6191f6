#ifndef VIAL_VIAL_HPP
#define VIAL_VIAL_HPP

/// @file
/// The umbrella header: the router core and everything around it (HTTP request and response,
/// hooks and error handlers, the server, `vial::run`, the test client).
///
/// It only declares `nlohmann::json`: a file that returns or reads nlohmann::json values
/// includes <vial/json.hpp> too (`vial::json_writer` writes small JSON documents without it).

#include <vial/route.hpp>
#include <vial/http/cookies.hpp>
#include <vial/http/errors.hpp>
#include <vial/http/json_writer.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/app/dispatcher.hpp>
#include <vial/app/hooks.hpp>
#include <vial/app/result.hpp>
#include <vial/app/run.hpp>
#include <vial/server/server.hpp>
#include <vial/testing/test_client.hpp>

#endif  // VIAL_VIAL_HPP
