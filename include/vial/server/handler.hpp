#ifndef VIAL_SERVER_HANDLER_HPP
#define VIAL_SERVER_HANDLER_HPP

/// @file
/// What the server calls for each request: the app, type-erased once.

#include <vial/http/request.hpp>
#include <vial/http/response.hpp>

#include <functional>

namespace vial::server {

/// Called once per complete, valid request on one of the server's threads.
/// It fills `res`; the server adds Date, Content-Length, Connection and handles HEAD.
using handler = std::function<void(request& req, response& res)>;

}  // namespace vial::server

#endif  // VIAL_SERVER_HANDLER_HPP
