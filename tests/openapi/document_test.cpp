// The OpenAPI document derived from an app's type: paths, converters, typed parameters,
// responses, components, tags, operation ids, route docs; the spec service, --openapi,
// /openapi.json and /docs under the test client.
#include <vial/openapi.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct pet {
    BOOST_HANA_DEFINE_STRUCT(pet, (int, id), (std::string, name));
};
struct new_pet {
    BOOST_HANA_DEFINE_STRUCT(new_pet, (std::string, name), (std::vector<std::string>, tags));
    static constexpr auto rules = vial::rules(vial::field<"name">(vial::min_length(1)),
                                              vial::field<"tags">(vial::default_value()));
};
struct search {
    BOOST_HANA_DEFINE_STRUCT(search, (std::optional<std::string>, q), (int, limit));
    static constexpr auto rules = vial::rules(vial::field<"limit">(vial::minimum(1), vial::maximum(100),
                                                                   vial::default_value(10)));
};
struct photo {
    BOOST_HANA_DEFINE_STRUCT(photo, (std::string, caption), (vial::uploaded_file, image));
};
struct problem {
    BOOST_HANA_DEFINE_STRUCT(problem, (std::string, detail));
};

std::vector<pet> list_pets(vial::query<search>, vial::header<"X-Tenant", std::optional<std::string>>,
                           vial::cookie<"session", std::string>) {
    return {};
}
vial::created<pet> add_pet(vial::json<new_pet> body) { return {pet{1, body->name}, "/pets/1"}; }
vial::responses<vial::ok<pet>, vial::not_found<problem>> get_pet(int pet_id) { return vial::ok<pet>{{pet_id, "rex"}}; }
std::string by_kind(std::string_view kind, vial::uuid owner) { return std::string(kind) + owner.to_string(); }
std::string file(std::string_view rest) { return std::string(rest); }
std::string weigh(double kg) { return std::to_string(kg); }
void old_pet(int) {}
std::pair<int, std::string> status_later() { return {202, "later"}; }
std::string upload(vial::form<photo> f) { return f->caption; }
vial::response raw() { return vial::response(200, "raw"); }

constexpr auto pets = vial::blueprint<"pets", "">(
    vial::get<"/pets", list_pets>().doc({.summary = "List pets", .description = "All of them.", .tags = {"read"}}),
    vial::post<"/pets", add_pet>(),
    vial::get<"/pets/<int(min=1):pet_id>", get_pet>(),
    vial::get<"/pets/<any(cat, dog):kind>/<uuid:owner>", by_kind>(),
    vial::del<"/pets/old/<int:pet_id>", old_pet>().doc({.deprecated = true}),
    vial::get<"/pets/secret", "secret">([] { return std::string("hidden"); }).doc({.hidden = true}));

constexpr auto app = vial::app(
    pets,
    vial::get<"/files/<path:rest>", file>(),
    vial::get<"/weigh/<float:kg>", weigh>(),
    vial::route<"/both", vial::GET | vial::POST, "both">([] { return std::string("x"); }),
    vial::get<"/later", status_later>(),
    vial::get<"/raw", raw>(),
    vial::post<"/photos", upload>(),
    vial::openapi::routes());

const nlohmann::json& doc() {
    static const nlohmann::json d = vial::openapi::document(app, {.title = "Pets", .version = "2.0.0"});
    return d;
}

const nlohmann::json& param(const nlohmann::json& op, std::string_view name) {
    for (const auto& p : op.at("parameters"))
        if (p.at("name") == name) return p;
    static const nlohmann::json none;
    ADD_FAILURE() << "no parameter " << name << " in " << op.dump();
    return none;
}

TEST(openapi_document, info_version_and_every_route_with_flask_params_as_braces) {
    EXPECT_EQ(doc().at("openapi"), "3.1.0");
    EXPECT_EQ(doc().at("info").at("title"), "Pets");
    EXPECT_EQ(doc().at("info").at("version"), "2.0.0");
    std::vector<std::string> paths;
    for (const auto& [p, _] : doc().at("paths").items()) paths.push_back(p);
    EXPECT_EQ(paths, (std::vector<std::string>{"/both", "/files/{rest}", "/later", "/pets", "/pets/old/{pet_id}",
                                               "/pets/{kind}/{owner}", "/pets/{pet_id}", "/photos", "/raw",
                                               "/weigh/{kg}"}));
}

TEST(openapi_document, path_parameters_take_their_schemas_from_converters) {
    const auto& paths = doc().at("paths");
    EXPECT_EQ(param(paths.at("/pets/{pet_id}").at("get"), "pet_id").at("schema"),
              (nlohmann::json{{"type", "integer"}, {"minimum", 1}}));
    const auto& by_kind = paths.at("/pets/{kind}/{owner}").at("get");
    EXPECT_EQ(param(by_kind, "kind").at("schema").at("enum"), (nlohmann::json{"cat", "dog"}));
    EXPECT_EQ(param(by_kind, "owner").at("schema"), (nlohmann::json{{"type", "string"}, {"format", "uuid"}}));
    EXPECT_EQ(param(by_kind, "owner").at("in"), "path");
    EXPECT_EQ(param(by_kind, "owner").at("required"), true);
    EXPECT_EQ(param(paths.at("/files/{rest}").at("get"), "rest").at("schema").at("type"), "string");
    EXPECT_EQ(param(paths.at("/weigh/{kg}").at("get"), "kg").at("schema"),
              (nlohmann::json{{"type", "number"}, {"minimum", 0}}));
    EXPECT_EQ(param(paths.at("/pets/old/{pet_id}").at("delete"), "pet_id").at("schema").at("minimum"), 0);
}

TEST(openapi_document, query_header_cookie_and_body_parameters_from_their_types) {
    const auto& list = doc().at("paths").at("/pets").at("get");
    EXPECT_EQ(param(list, "q").at("in"), "query");
    EXPECT_EQ(param(list, "q").at("required"), false);
    EXPECT_EQ(param(list, "limit").at("schema").at("maximum"), 100);
    EXPECT_EQ(param(list, "limit").at("required"), false);
    EXPECT_EQ(param(list, "X-Tenant").at("in"), "header");
    EXPECT_EQ(param(list, "X-Tenant").at("required"), false);
    EXPECT_EQ(param(list, "session").at("in"), "cookie");
    EXPECT_EQ(param(list, "session").at("required"), true);
    const auto& add = doc().at("paths").at("/pets").at("post");
    EXPECT_EQ(add.at("requestBody").at("content").at("application/json").at("schema"),
              (nlohmann::json{{"$ref", "#/components/schemas/new_pet"}}));
    EXPECT_TRUE(doc().at("components").at("schemas").contains("new_pet"));
    EXPECT_FALSE(doc().at("components").at("schemas").contains("search")) << "query structs become parameters";
}

TEST(openapi_document, a_form_with_a_file_is_multipart_with_a_binary_member) {
    const auto& body = doc().at("paths").at("/photos").at("post").at("requestBody").at("content");
    EXPECT_FALSE(body.contains("application/x-www-form-urlencoded"));
    EXPECT_EQ(body.at("multipart/form-data").at("schema"), (nlohmann::json{{"$ref", "#/components/schemas/photo"}}));
    EXPECT_EQ(doc().at("components").at("schemas").at("photo").at("properties").at("image"),
              (nlohmann::json{{"type", "string"}, {"format", "binary"}}));
}

TEST(openapi_document, responses_per_status_with_schemas_and_the_422_where_input_is_validated) {
    const auto& paths = doc().at("paths");
    const auto& get = paths.at("/pets/{pet_id}").at("get").at("responses");
    EXPECT_EQ(get.at("200").at("content").at("application/json").at("schema"),
              (nlohmann::json{{"$ref", "#/components/schemas/pet"}}));
    EXPECT_EQ(get.at("404").at("content").at("application/json").at("schema"),
              (nlohmann::json{{"$ref", "#/components/schemas/problem"}}));
    EXPECT_FALSE(get.contains("422")) << "no typed input, nothing to validate";
    const auto& add = paths.at("/pets").at("post").at("responses");
    EXPECT_TRUE(add.at("201").at("headers").contains("Location"));
    EXPECT_EQ(add.at("422").at("content").at("application/json").at("schema"),
              (nlohmann::json{{"$ref", "#/components/schemas/HTTPValidationError"}}));
    EXPECT_TRUE(add.contains("400"));
    EXPECT_TRUE(add.contains("415"));
    const auto& list = paths.at("/pets").at("get").at("responses");
    EXPECT_EQ(list.at("200").at("content").at("application/json").at("schema"),
              (nlohmann::json{{"type", "array"}, {"items", {{"$ref", "#/components/schemas/pet"}}}}));
    EXPECT_TRUE(list.contains("422"));
    EXPECT_TRUE(paths.at("/pets/old/{pet_id}").at("delete").at("responses").contains("204"));
    EXPECT_EQ(paths.at("/weigh/{kg}").at("get").at("responses").at("200").at("content").at("text/plain").at("schema"),
              (nlohmann::json{{"type", "string"}}));
    EXPECT_TRUE(paths.at("/later").at("get").at("responses").contains("default"));
    EXPECT_TRUE(paths.at("/raw").at("get").at("responses").contains("default"));
    EXPECT_TRUE(doc().at("components").at("schemas").contains("ValidationError"));
}

TEST(openapi_document, tags_operation_ids_and_route_docs) {
    const auto& paths = doc().at("paths");
    const auto& list = paths.at("/pets").at("get");
    EXPECT_EQ(list.at("operationId"), "pets.list_pets");
    EXPECT_EQ(list.at("summary"), "List pets");
    EXPECT_EQ(list.at("description"), "All of them.");
    EXPECT_EQ(list.at("tags"), (nlohmann::json{"pets", "read"}));
    EXPECT_EQ(paths.at("/pets").at("post").at("summary"), "Add Pet") << "from the endpoint name, as FastAPI";
    EXPECT_EQ(paths.at("/pets/old/{pet_id}").at("delete").at("deprecated"), true);
    EXPECT_EQ(paths.at("/both").at("get").at("operationId"), "both_get");
    EXPECT_EQ(paths.at("/both").at("post").at("operationId"), "both_post");
    EXPECT_FALSE(paths.contains("/pets/secret")) << "hidden";
    EXPECT_FALSE(paths.contains("/openapi.json")) << "the document's own routes stay out";
    std::vector<std::string> ids;
    for (const auto& [p, ops] : paths.items())
        for (const auto& [m, op] : ops.items()) ids.push_back(op.at("operationId"));
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "operation ids are unique";
    EXPECT_EQ(doc().at("tags").size(), 2u);
}

TEST(openapi_serve, openapi_json_and_the_docs_page_from_the_app_itself) {
    const vial::openapi::spec spec(app, {.title = "Pets", .version = "2.0.0"});
    vial::test_client client(app, spec);
    auto r = client.get("/openapi.json");
    EXPECT_EQ(r.status(), 200u);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(r.body()), doc());
    r = client.get("/docs");
    EXPECT_EQ(r.status(), 200u);
    EXPECT_NE(r.body().find("/docs/swagger-ui-bundle.js"), std::string::npos);
    EXPECT_NE(r.body().find("url: \"/openapi.json\""), std::string::npos);
    EXPECT_EQ(r.body().find("http"), std::string::npos) << "no CDN, no absolute URL";
    EXPECT_EQ(client.get("/docs/index.html").status(), 404u) << "only the files the page uses";
    EXPECT_EQ(client.get("/docs/..%2F..%2Fetc%2Fpasswd").status(), 404u);
}

TEST(openapi_serve, the_spec_adds_an_openapi_flag_to_run) {
    const vial::openapi::spec spec(app, {.title = "Pets", .version = "2.0.0"});
    std::ostringstream out;
    auto* old = std::cout.rdbuf(out.rdbuf());
    char prog[] = "pets";
    char flag[] = "--openapi";
    char* argv[] = {prog, flag, nullptr};
    const int status = vial::run(app, 2, argv, spec);
    std::cout.rdbuf(old);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(nlohmann::json::parse(out.str()), doc());
}

}  // namespace
