// The flagship example: a hello-world service that benchmarks and black-box tests use.
//
//   ./hello --port 8080          then: curl http://127.0.0.1:8080/plaintext
//   ./hello --routes             prints the route table
#include <vial/vial.hpp>

#include <string>

namespace {

std::string plaintext() { return "Hello, World!"; }

// TechEmpower's JSON test: an object serialized for every request. vial::json_writer writes it
// without nlohmann's headers, which would double this file's compile time; a file that
// returns nlohmann::json includes <vial/json.hpp> instead.
vial::response message() {
    return vial::json_writer().begin_object().member("message", "Hello, World!").end_object().to_response();
}

std::string show_user(int user_id) { return "User " + std::to_string(user_id); }

vial::response echo(const vial::request& req) {
    const std::string_view type = req.header("Content-Type");
    return vial::response(200, req.body(), type.empty() ? "application/octet-stream" : type);
}

constexpr auto app = vial::app(
    vial::get<"/", "index">([] { return std::string("Hello from vial! Try /plaintext, /json, /user/42, POST /echo\n"); }),
    vial::get<"/plaintext", plaintext>(),
    vial::get<"/json", message>(),
    vial::get<"/user/<int:user_id>", show_user>(),
    vial::post<"/echo", echo>(),
    vial::get<"/about/", "about">([] { return std::string("vial hello example\n"); }));

}  // namespace

int main(int argc, char** argv) { return vial::run(app, argc, argv); }
