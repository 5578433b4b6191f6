#ifndef VIAL_OPENAPI_SERVE_HPP
#define VIAL_OPENAPI_SERVE_HPP

/// @file
/// Serving the document: the `vial::openapi::spec` service (the document, built once; it
/// also gives the program an `--openapi` flag that prints it and exits) and the routes an app
/// opts in to: `/openapi.json` and `/docs`, a Swagger UI page whose files (from the npm
/// package `swagger-ui-dist`) the app serves itself, never from a CDN.
/// @par Example
/// @code
/// constexpr auto app = vial::app(todos, vial::openapi::routes());
/// int main(int argc, char** argv) {
///     todo_store store;
///     vial::openapi::spec spec(app, {.title = "Todo API", .version = "1.0.0"});
///     return vial::run(app, argc, argv, store, spec);
/// }
/// @endcode
/// The UI's files are read from the directory named by the environment variable
/// `VIAL_SWAGGER_UI_DIR`, else from the one vial was configured with
/// (`-DVIAL_DOCS_UI=ON`, see docs/openapi.md); without them `/docs` answers 503.

#include <vial/http/response.hpp>
#include <vial/openapi/document.hpp>
#include <vial/route/blueprint.hpp>
#include <vial/route/doc.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/rule.hpp>
#include <vial/server/options.hpp>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

namespace vial::openapi {

/// The OpenAPI document of an app, as a service handlers and `vial::run` can ask for.
class spec {
public:
    /// `vial::run` offers this flag; given it, the program prints the document and exits.
    static constexpr server::extra_flag command_flag{"--openapi", "print the OpenAPI document (JSON) and exit"};

    /// Builds the document of `app` once.
    template <class App>
    explicit spec(const App& app, const info& about = {})
        : json_(document(app, about).dump(2)) {}

    /// @return the document, JSON text
    [[nodiscard]] const std::string& json() const noexcept { return json_; }

    /// Prints the document (what `--openapi` does).
    /// @return the exit status, 0
    int on_command_flag(std::ostream& out) const {
        out << json_ << '\n';
        return 0;
    }

    /// @return the directory of swagger-ui-dist's files, or "" when unknown
    [[nodiscard]] static std::string ui_dir() {
        if (const char* env = std::getenv("VIAL_SWAGGER_UI_DIR"); env != nullptr && *env != '\0') return env;
#ifdef VIAL_SWAGGER_UI_DIR
        return VIAL_SWAGGER_UI_DIR;
#else
        return {};
#endif
    }

private:
    std::string json_;
};

namespace detail {

template <fixed_string A, fixed_string B>
constexpr auto concat = [] {
    fixed_string<A.size() + B.size() + 1> out{};
    for (std::size_t i = 0; i < A.size(); ++i) out.value_[i] = A.value_[i];
    for (std::size_t i = 0; i < B.size(); ++i) out.value_[A.size() + i] = B.value_[i];
    return out;
}();

inline response serve_json(const spec& s) { return response(200, s.json(), "application/json"); }

/// The /docs page: Swagger UI from the app's own files, pointed at the document.
inline std::string docs_page(std::string_view docs_path, std::string_view json_path) {
    std::string page =
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>API docs</title>\n"
        "<link rel=\"stylesheet\" href=\"";
    page.append(docs_path).append("/swagger-ui.css\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n<script src=\"");
    page.append(docs_path).append("/swagger-ui-bundle.js\"></script>\n<script>\nwindow.ui = SwaggerUIBundle({url: \"");
    page.append(json_path).append("\", dom_id: \"#swagger-ui\", deepLinking: true});\n</script>\n</body>\n</html>\n");
    return page;
}

/// The files of swagger-ui-dist the page uses, and their types. Nothing else is served.
inline std::string_view asset_type(std::string_view file) noexcept {
    if (file == "swagger-ui.css") return "text/css; charset=utf-8";
    if (file == "swagger-ui-bundle.js" || file == "swagger-ui-standalone-preset.js") return "text/javascript; charset=utf-8";
    if (file == "favicon-32x32.png" || file == "favicon-16x16.png") return "image/png";
    return {};
}

inline response serve_asset(std::string_view file) {
    const std::string_view type = asset_type(file);
    if (type.empty()) return response(404, "404 Not Found\n");
    const std::string dir = spec::ui_dir();
    if (dir.empty())
        return response(503, "Swagger UI is not installed: configure vial with -DVIAL_DOCS_UI=ON (see docs/openapi.md)\n");
    std::ifstream in(dir + "/" + std::string(file), std::ios::binary);
    if (!in) return response(503, "Swagger UI file missing: " + dir + "/" + std::string(file) + "\n");
    std::ostringstream body;
    body << in.rdbuf();
    response res(200, std::move(body).str(), type);
    res.set_header("Cache-Control", "public, max-age=3600");
    return res;
}

}  // namespace detail

/// The routes of the document and its UI, in a blueprint named "openapi" without a prefix:
/// `GET JsonPath` (the document), `GET DocsPath` (Swagger UI) and `GET DocsPath/<file>` (the
/// UI's files). Declare it at the app's top level; its routes stay out of the document.
template <fixed_string JsonPath = "/openapi.json", fixed_string DocsPath = "/docs">
constexpr auto routes() {
    constexpr route_doc hidden{.hidden = true};
    return vial::blueprint<"openapi", "">(
        vial::get<JsonPath, "openapi_json">([](const spec& s) { return detail::serve_json(s); }).doc(hidden),
        vial::get<DocsPath, "docs">([](const spec&) {
            return response(200, detail::docs_page(DocsPath.view(), JsonPath.view()), "text/html; charset=utf-8");
        }).doc(hidden),
        vial::get<detail::concat<DocsPath, "/<file>">, "docs_asset">([](std::string_view file, const spec&) {
            return detail::serve_asset(file);
        }).doc(hidden));
}

}  // namespace vial::openapi

#endif  // VIAL_OPENAPI_SERVE_HPP
