// Typed handler parameters and results through the request pipeline (the test client drives
// the same dispatcher as the server): binding order, every error at once, 400/415/422.
#include <vial/typed/params.hpp>
#include <vial/typed/results.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (double, price));
    static constexpr auto rules = vial::rules(vial::field<"price">(vial::exclusive_minimum(0)));
};

struct order {
    BOOST_HANA_DEFINE_STRUCT(order, (std::string, customer), (std::vector<item>, items), (std::uint8_t, count));
    static constexpr auto rules = vial::rules(vial::field<"customer">(vial::min_length(1)));
};

struct filter {
    BOOST_HANA_DEFINE_STRUCT(filter, (std::optional<bool>, done), (std::vector<std::string>, tag), (int, limit));
    static constexpr auto rules = vial::rules(vial::field<"tag">(vial::default_value()),
                                              vial::field<"limit">(vial::minimum(1), vial::maximum(100),
                                                                   vial::default_value(20)));
};

struct login {
    BOOST_HANA_DEFINE_STRUCT(login, (std::string, user), (int, age));
};

struct upload {
    BOOST_HANA_DEFINE_STRUCT(upload, (std::string, title), (vial::uploaded_file, file),
                             (std::optional<vial::uploaded_file>, extra), (std::vector<vial::uploaded_file>, more));
};

struct summary {
    BOOST_HANA_DEFINE_STRUCT(summary, (std::string, text), (int, n));
};

struct api_error {
    BOOST_HANA_DEFINE_STRUCT(api_error, (std::string, detail));
};

struct counter {
    int calls = 0;
};

summary take_order(int shop, vial::json<order> body, vial::request& req, counter& c,
                   vial::header<"X-Trace", std::optional<std::string>> trace) {
    ++c.calls;
    return summary{std::to_string(shop) + ":" + body->customer + ":" + std::string(req.method()) + ":" +
                       trace->value_or("-"),
                   static_cast<int>(body->items.size())};
}

summary list(vial::query<filter> f, counter& c) {
    ++c.calls;
    std::string tags;
    for (const auto& t : f->tag) tags += t + ",";
    return summary{tags + (f->done ? (*f->done ? "done" : "open") : "any"), f->limit};
}

summary headers(vial::header<"X-Count", int> count, vial::cookie<"session", std::string> session,
                vial::cookie<"theme", std::optional<std::string>> theme) {
    return summary{*session + "/" + theme->value_or("plain"), *count};
}

summary both(vial::query<filter> f, vial::json<order> body, vial::header<"X-Count", int> count) {
    return summary{body->customer, f->limit + *count};
}

summary form_in(vial::form<login> f) { return summary{f->user, f->age}; }

summary upload_in(vial::form<upload> f) {
    return summary{f->title + ":" + f->file.filename + ":" + f->file.content + (f->extra ? ":extra" : ""),
                   static_cast<int>(f->more.size())};
}

vial::created<summary> make(vial::json<summary> body) { return {*body, "/things/1"}; }

vial::responses<vial::ok<summary>, vial::not_found<api_error>> find(int id) {
    if (id == 1) return vial::ok<summary>{{"one", 1}};
    return vial::not_found<api_error>{{"no thing " + std::to_string(id)}};
}

std::vector<summary> many() { return {{"a", 1}, {"b", 2}}; }

vial::responses<vial::no_content, vial::not_found<api_error>> remove(int id) {
    if (id == 1) return vial::no_content{};
    return vial::not_found<api_error>{{"gone"}};
}

constexpr auto app = vial::app(
    vial::post<"/shops/<int:shop>/orders", take_order>(),
    vial::get<"/list", list>(),
    vial::get<"/headers", headers>(),
    vial::post<"/both", both>(),
    vial::post<"/form", form_in>(),
    vial::post<"/upload", upload_in>(),
    vial::post<"/make", make>(),
    vial::get<"/find/<int:id>", find>(),
    vial::get<"/many", many>(),
    vial::del<"/remove/<int:id>", remove>());

constexpr auto json_type = "application/json";

nlohmann::json body_of(const vial::response& r) { return nlohmann::json::parse(r.body()); }

TEST(typed_params, json_body_mixes_with_route_parameters_request_services_and_headers) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/shops/7/orders", R"({"customer": "ann", "items": [{"name": "tea", "price": 2.5}], "count": 1})",
                         json_type, {{"X-Trace", "t1"}});
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "7:ann:POST:t1"}, {"n", 1}}));
    EXPECT_EQ(c.calls, 1);
}

TEST(typed_params, every_error_of_the_body_at_once_in_fastapis_shape) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/shops/7/orders", R"({"customer": "", "items": [{"name": "tea", "price": 0}, {"price": 1}], "count": 300})",
                         json_type);
    ASSERT_EQ(r.status(), 422u) << r.body();
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    const auto detail = body_of(r).at("detail");
    ASSERT_EQ(detail.size(), 4u) << detail.dump();
    std::vector<std::string> locs;
    for (const auto& e : detail) {
        EXPECT_TRUE(e.contains("type") && e.contains("msg") && e.contains("input")) << e.dump();
        locs.push_back(e.at("loc").dump());
    }
    EXPECT_NE(std::find(locs.begin(), locs.end(), R"(["body","customer"])"), locs.end()) << detail.dump();
    EXPECT_NE(std::find(locs.begin(), locs.end(), R"(["body","items",0,"price"])"), locs.end()) << detail.dump();
    EXPECT_NE(std::find(locs.begin(), locs.end(), R"(["body","items",1,"name"])"), locs.end()) << detail.dump();
    EXPECT_NE(std::find(locs.begin(), locs.end(), R"(["body","count"])"), locs.end()) << detail.dump();
    EXPECT_EQ(c.calls, 0) << "bad input never reaches the handler";
}

TEST(typed_params, malformed_json_is_400_saying_where) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/shops/7/orders", "{\"customer\": \"ann\",\n \"items\": [}", json_type);
    ASSERT_EQ(r.status(), 400u) << r.body();
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    const auto e = body_of(r).at("detail").at(0);
    EXPECT_EQ(e.at("type"), "json_invalid");
    EXPECT_NE(e.dump().find("line 2"), std::string::npos) << e.dump();
    EXPECT_EQ(c.calls, 0);
}

TEST(typed_params, too_deep_nesting_is_400) {
    counter c;
    vial::test_client client(app, c);
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto r = client.post("/shops/7/orders", deep, json_type);
    EXPECT_EQ(r.status(), 400u);
}

TEST(typed_params, a_body_that_is_not_json_is_415) {
    counter c;
    vial::test_client client(app, c);
    EXPECT_EQ(client.post("/shops/7/orders", R"({"customer": "a", "items": [], "count": 1})", "text/plain").status(), 415u);
    EXPECT_EQ(client.post("/shops/7/orders", R"({"customer": "a", "items": [], "count": 1})",
                          "application/vnd.api+json").status(), 200u);
    EXPECT_EQ(c.calls, 1);
}

TEST(typed_params, a_missing_body_is_422_missing) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/shops/7/orders");
    ASSERT_EQ(r.status(), 422u) << r.body();
    EXPECT_EQ(body_of(r).at("detail").at(0).at("loc"), (nlohmann::json{"body"}));
    EXPECT_EQ(body_of(r).at("detail").at(0).at("type"), "missing");
}

TEST(typed_params, query_repeated_keys_defaults_and_booleans) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.get("/list?tag=a&tag=b&done=yes");
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "a,b,done"}, {"n", 20}}));
    r = client.get("/list?limit=0&done=maybe");
    ASSERT_EQ(r.status(), 422u) << r.body();
    const auto detail = body_of(r).at("detail");
    ASSERT_EQ(detail.size(), 2u) << detail.dump();
    EXPECT_EQ(detail.at(0).at("loc").at(0), "query");
    EXPECT_EQ(detail.at(1).at("loc").at(0), "query");
}

TEST(typed_params, headers_and_cookies_one_value_each_optional_when_optional) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.get("/headers", {{"X-Count", "3"}, {"Cookie", "session=abc; theme=dark"}});
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "abc/dark"}, {"n", 3}}));
    r = client.get("/headers", {{"X-Count", "3"}, {"Cookie", "session=abc"}});
    EXPECT_EQ(body_of(r).at("text"), "abc/plain");
    r = client.get("/headers", {{"X-Count", "three"}});
    ASSERT_EQ(r.status(), 422u);
    const auto detail = body_of(r).at("detail");
    ASSERT_EQ(detail.size(), 2u) << detail.dump();
    EXPECT_EQ(detail.at(0).at("loc"), (nlohmann::json{"header", "x-count"}));
    EXPECT_EQ(detail.at(1).at("loc"), (nlohmann::json{"cookie", "session"}));
    EXPECT_EQ(detail.at(1).at("type"), "missing");
}

TEST(typed_params, errors_of_every_parameter_in_one_422) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/both?limit=500", R"({"items": [], "count": 1})", json_type);
    ASSERT_EQ(r.status(), 422u) << r.body();
    const auto detail = body_of(r).at("detail");
    ASSERT_EQ(detail.size(), 3u) << detail.dump();
    EXPECT_EQ(detail.at(0).at("loc").at(0), "query");
    EXPECT_EQ(detail.at(1).at("loc").at(0), "body");
    EXPECT_EQ(detail.at(2).at("loc").at(0), "header");
}

TEST(typed_params, urlencoded_and_multipart_forms) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/form", "user=ann&age=41", "application/x-www-form-urlencoded");
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "ann"}, {"n", 41}}));
    r = client.post("/form", "user=ann&age=old", "application/x-www-form-urlencoded");
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(body_of(r).at("detail").at(0).at("loc"), (nlohmann::json{"body", "age"}));

    vial::form_data multipart;
    multipart.field("user", "bob").field("age", "7");
    r = client.post("/form", multipart);
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "bob"}, {"n", 7}}));
}

TEST(typed_params, multipart_files_as_uploaded_file_members) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/upload", vial::form_data()
                                        .field("title", "notes")
                                        .file("file", "a.txt", "hello", "text/plain")
                                        .file("more", "b.txt", "1", "text/plain")
                                        .file("more", "c.txt", "2", "text/plain"));
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(body_of(r), (nlohmann::json{{"text", "notes:a.txt:hello"}, {"n", 2}}));
    r = client.post("/upload", vial::form_data().field("title", "notes"));
    ASSERT_EQ(r.status(), 422u) << r.body();
    EXPECT_EQ(body_of(r).at("detail").at(0).at("loc"), (nlohmann::json{"body", "file"}));
}

TEST(typed_results, created_ok_not_found_no_content_and_vectors) {
    counter c;
    vial::test_client client(app, c);
    auto r = client.post("/make", R"({"text": "x", "n": 2})", json_type);
    EXPECT_EQ(r.status(), 201u);
    EXPECT_EQ(r.header("Location"), "/things/1");
    EXPECT_EQ(r.body(), R"({"n":2,"text":"x"})");
    r = client.get("/find/1");
    EXPECT_EQ(r.status(), 200u);
    EXPECT_EQ(r.body(), R"({"n":1,"text":"one"})");
    r = client.get("/find/2");
    EXPECT_EQ(r.status(), 404u);
    EXPECT_EQ(body_of(r), (nlohmann::json{{"detail", "no thing 2"}}));
    r = client.get("/many");
    EXPECT_EQ(r.body(), R"([{"n":1,"text":"a"},{"n":2,"text":"b"}])");
    EXPECT_EQ(client.del("/remove/1").status(), 204u);
    EXPECT_EQ(client.del("/remove/2").status(), 404u);
}

// An app answers validation errors its own way with an error handler for the type.
std::string plain_422(const vial::validation_error& e) { return "bad: " + std::to_string(e.errors().size()); }

constexpr auto custom = vial::app(vial::get<"/list", list>(), vial::errorhandler<vial::validation_error>(plain_422));

TEST(typed_params, an_error_handler_for_validation_error_answers_instead) {
    counter c;
    vial::test_client client(custom, c);
    auto r = client.get("/list?limit=0");
    EXPECT_EQ(r.status(), 422u);
    EXPECT_EQ(r.body(), "bad: 1");
}

}  // namespace
