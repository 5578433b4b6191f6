// A handler parameter after the route's own that no extra passed to dispatch provides.
// EXPECT: vial: nothing provides this handler parameter
#include <vial/route.hpp>

#include <string>
#include <string_view>

struct database {};
std::string show_user(int user_id, database& db);

constexpr auto app = vial::app(vial::get<"/user/<int:user_id>", show_user>());

std::string serve(std::string_view target, database& db) {
    std::string body;
    const auto m = app.match(vial::method::get, target);
#ifdef VIAL_CONTROL
    app.dispatch(m, [&](const std::string& result) { body = result; }, db);
#else
    (void)db;
    app.dispatch(m, [&](const std::string& result) { body = result; });
#endif
    return body;
}
