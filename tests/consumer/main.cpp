// A project outside vial's tree that finds it with find_package(vial) and uses the router.
#include <vial/route.hpp>

#include <string>

std::string hello(std::string_view name) { return "Hello, " + std::string(name); }

constexpr auto app = vial::app(vial::get<"/hello/<name>", hello>());

int main() {
    const auto m = app.match(vial::method::get, "/hello/world");
    if (!m.found()) return 1;
    const std::string body = app.dispatch(m, [](const std::string& s) { return s; });
    return body == "Hello, world" && vial::url_for<"hello">(app, "x y") == "/hello/x%20y" ? 0 : 2;
}
