// The route table the route fuzzers use: 44 routes chosen to make the matcher choose (static
// over typed over string over path, converter arguments, backtracking, trailing-slash
// redirects, 405 with Allow, explicit HEAD and OPTIONS), with `rules`, the same routes as
// plain data for the reference matcher. Keep the two lists in the same order.
#ifndef VIAL_FUZZ_ROUTE_TABLE_HPP
#define VIAL_FUZZ_ROUTE_TABLE_HPP

#include "reference_router.hpp"

#include <vial/route.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz_routes {

using sv = std::string_view;
using u64 = std::uint64_t;
using i64 = std::int64_t;

inline std::string s0() { return {}; }

constexpr auto app = vial::app(
    vial::get<"/", "root">(s0),
    vial::get<"/about", "about">(s0),
    vial::get<"/projects/", "projects">(s0),
    vial::route<"/projects/<int:id>", vial::GET | vial::DELETE, "project">([](u64) { return s0(); }),
    vial::put<"/projects/<int:id>/", "project_slash">([](u64) { return s0(); }),
    vial::get<"/users/new", "user_new">(s0),
    vial::get<"/users/<int:id>", "user_int">([](u64) { return s0(); }),
    vial::route<"/users/<name>", vial::GET | vial::POST, "user_name">([](sv) { return s0(); }),
    vial::get<"/users/<name>/posts/", "user_posts">([](sv) { return s0(); }),
    vial::post<"/users/<int:id>/posts", "user_int_posts">([](u64) { return s0(); }),
    vial::get<"/files/<path:p>", "files">([](sv) { return s0(); }),
    vial::get<"/files/readme", "readme">(s0),
    vial::get<"/files/<name>/meta", "file_meta">([](sv) { return s0(); }),
    vial::get<"/f/<float:x>", "float">([](double) { return s0(); }),
    vial::put<"/f/<float(signed=True):x>", "float_signed">([](double) { return s0(); }),
    vial::get<"/f/<int:n>", "f_int">([](u64) { return s0(); }),
    vial::get<"/y/<int(fixed_digits=4):year>", "year">([](u64) { return s0(); }),
    vial::get<"/y/<int:n>", "y_int">([](u64) { return s0(); }),
    vial::get<"/p/<int(min=1, max=10):page>", "page">([](u64) { return s0(); }),
    vial::post<"/p/<int(min=5):big>", "page_big">([](u64) { return s0(); }),
    vial::get<"/p/<int:n>", "page_any">([](u64) { return s0(); }),
    vial::get<"/s/<int(signed=True):n>", "signed">([](i64) { return s0(); }),
    vial::put<"/s/<int(signed=True, min=-5, max=5):n>", "signed_small">([](i64) { return s0(); }),
    vial::get<"/u/<uuid:id>", "uuid">([](vial::uuid) { return s0(); }),
    vial::route<"/u/<uuid:id>/x", vial::GET | vial::PATCH, "uuid_x">([](vial::uuid) { return s0(); }),
    vial::get<"/u/<any(one, two, three):w>", "any">([](sv) { return s0(); }),
    vial::get<"/u/<string(length=2):c>", "len2">([](sv) { return s0(); }),
    vial::get<"/u/<string(maxlength=3):c>/m", "max3">([](sv) { return s0(); }),
    vial::post<"/u/<string(minlength=2):c>/m", "min2">([](sv) { return s0(); }),
    vial::options<"/u/<c>", "u_options">([](sv) { return s0(); }),
    vial::get<"/a/<x>/c", "axc">([](sv) { return s0(); }),
    vial::get<"/a/b/d", "abd">(s0),
    vial::head<"/a/<x>/<y>", "axy">([](sv, sv) { return s0(); }),
    vial::get<"/a/b/<path:rest>", "ab_rest">([](sv) { return s0(); }),
    vial::get<"/two/<a>/<b>", "two">([](sv, sv) { return s0(); }),
    vial::get<"/deep/<a>/<int:b>/<c>/end", "deep">([](sv, u64, sv) { return s0(); }),
    vial::route<"/m", vial::GET | vial::POST | vial::PUT | vial::DELETE | vial::PATCH, "m_all">(s0),
    vial::put<"/m/<path:p>", "m_path">([](sv) { return s0(); }),
    vial::get<"/lit/abcdefghijklmnopq", "long_lit">(s0),
    vial::get<"/lit/abcdefgh", "lit8">(s0),
    vial::get<"/lit/<int:n>", "lit_int">([](u64) { return s0(); }),
    vial::get<"/x/<any(about, help):n>/<any(a, b):m>", "any2">([](sv, sv) { return s0(); }),
    vial::get<"/x/<n>/", "x_slash">([](sv) { return s0(); }),
    vial::patch<"/x/<int(signed=True, max=-1):neg>", "x_neg">([](i64) { return s0(); }));

struct rule {
    std::string_view pattern;
    vial::method_set methods;
    std::string_view endpoint;
};

inline constexpr rule rules[] = {
    {"/", vial::GET, "root"},
    {"/about", vial::GET, "about"},
    {"/projects/", vial::GET, "projects"},
    {"/projects/<int:id>", vial::GET | vial::DELETE, "project"},
    {"/projects/<int:id>/", vial::PUT, "project_slash"},
    {"/users/new", vial::GET, "user_new"},
    {"/users/<int:id>", vial::GET, "user_int"},
    {"/users/<name>", vial::GET | vial::POST, "user_name"},
    {"/users/<name>/posts/", vial::GET, "user_posts"},
    {"/users/<int:id>/posts", vial::POST, "user_int_posts"},
    {"/files/<path:p>", vial::GET, "files"},
    {"/files/readme", vial::GET, "readme"},
    {"/files/<name>/meta", vial::GET, "file_meta"},
    {"/f/<float:x>", vial::GET, "float"},
    {"/f/<float(signed=True):x>", vial::PUT, "float_signed"},
    {"/f/<int:n>", vial::GET, "f_int"},
    {"/y/<int(fixed_digits=4):year>", vial::GET, "year"},
    {"/y/<int:n>", vial::GET, "y_int"},
    {"/p/<int(min=1, max=10):page>", vial::GET, "page"},
    {"/p/<int(min=5):big>", vial::POST, "page_big"},
    {"/p/<int:n>", vial::GET, "page_any"},
    {"/s/<int(signed=True):n>", vial::GET, "signed"},
    {"/s/<int(signed=True, min=-5, max=5):n>", vial::PUT, "signed_small"},
    {"/u/<uuid:id>", vial::GET, "uuid"},
    {"/u/<uuid:id>/x", vial::GET | vial::PATCH, "uuid_x"},
    {"/u/<any(one, two, three):w>", vial::GET, "any"},
    {"/u/<string(length=2):c>", vial::GET, "len2"},
    {"/u/<string(maxlength=3):c>/m", vial::GET, "max3"},
    {"/u/<string(minlength=2):c>/m", vial::POST, "min2"},
    {"/u/<c>", vial::OPTIONS, "u_options"},
    {"/a/<x>/c", vial::GET, "axc"},
    {"/a/b/d", vial::GET, "abd"},
    {"/a/<x>/<y>", vial::HEAD, "axy"},
    {"/a/b/<path:rest>", vial::GET, "ab_rest"},
    {"/two/<a>/<b>", vial::GET, "two"},
    {"/deep/<a>/<int:b>/<c>/end", vial::GET, "deep"},
    {"/m", vial::GET | vial::POST | vial::PUT | vial::DELETE | vial::PATCH, "m_all"},
    {"/m/<path:p>", vial::PUT, "m_path"},
    {"/lit/abcdefghijklmnopq", vial::GET, "long_lit"},
    {"/lit/abcdefgh", vial::GET, "lit8"},
    {"/lit/<int:n>", vial::GET, "lit_int"},
    {"/x/<any(about, help):n>/<any(a, b):m>", vial::GET, "any2"},
    {"/x/<n>/", vial::GET, "x_slash"},
    {"/x/<int(signed=True, max=-1):neg>", vial::PATCH, "x_neg"},
};

/// `rules` parsed by the reference matcher, once.
inline const std::vector<reference::route>& reference_routes() {
    static const auto routes = [] {
        std::vector<reference::route> out;
        for (const auto& r : rules) out.push_back({reference::parse_rule(r.pattern), r.methods});
        return out;
    }();
    return routes;
}

}  // namespace fuzz_routes

#endif  // VIAL_FUZZ_ROUTE_TABLE_HPP
