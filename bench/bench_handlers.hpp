#ifndef VIAL_BENCH_BENCH_HANDLERS_HPP
#define VIAL_BENCH_BENCH_HANDLERS_HPP

/// @file
/// What the generated benchmark apps (routes_<N>.hpp) share: their handlers, plain functions
/// of the four route families, and the description of one request to time.

#include <vial/route.hpp>

#include <string_view>

namespace bench {

inline int hello() { return 0; }
inline int int_int(int id, int post) { return id + post; }
inline int text(std::string_view name) { return static_cast<int>(name.size()); }
inline int by_uuid(vial::uuid id) { return id.bytes[0]; }

/// One request: the route family and position it targets, the path, and the index of the
/// route that must answer it (-1: none, a 404).
struct sample {
    std::string_view family;
    std::string_view position;
    std::string_view path;
    int route;
};

}  // namespace bench

#endif  // VIAL_BENCH_BENCH_HANDLERS_HPP
