// vial::form_input<T> through the request pipeline (the test client drives the same dispatcher
// as the server): it never rejects; the handler gets the valid T or, per field, the messages
// (form<T>'s, or the rules' vial::message) and the text typed; field_texts in templates.
#include <vial/typed/form_input.hpp>
#include <vial/openapi.hpp>
#include <vial/template.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

struct review_input {
    BOOST_HANA_DEFINE_STRUCT(review_input, (int, rating), (std::string, text));
    static constexpr auto rules = vial::rules(vial::field<"rating">(vial::minimum(1), vial::maximum(5)),
                                              vial::field<"text">(vial::min_length(1), vial::max_length(20)));
};

struct signup_input {
    BOOST_HANA_DEFINE_STRUCT(signup_input, (std::string, username), (std::string, password),
                             (std::string, password2));
    static constexpr auto rules = vial::rules(
        vial::field<"username">(vial::min_length(3), vial::max_length(8), vial::message("3 to 8 letters.")),
        vial::field<"password">(vial::min_length(8)), vial::field<"password2">(vial::default_value()),
        vial::forbid_extra);
};

struct tagged {
    BOOST_HANA_DEFINE_STRUCT(tagged, (std::vector<int>, n), (std::optional<std::string>, note),
                             (vial::uploaded_file, file));
};

struct paging {
    BOOST_HANA_DEFINE_STRUCT(paging, (int, page));
};

/// What the handlers saw, for the tests to look at.
struct seen {
    bool ok = false;
    int calls = 0;
    vial::field_texts<review_input> input;
    vial::field_texts<review_input> errors;
    std::vector<vial::error_detail> details;
};

struct review_page {
    BOOST_HANA_DEFINE_STRUCT(review_page, (vial::field_texts<review_input>, form),
                             (vial::field_texts<review_input>, errors));
};

constexpr char page_text[] =
    "<input name=\"rating\" value=\"{{ form.rating }}\">"
    "{% if errors.rating %}<span data-field=\"rating\">{{ errors.rating }}</span>{% endif %}"
    "<textarea>{{ form.text }}</textarea>"
    "{% if errors.text %}<span data-field=\"text\">{{ errors.text }}</span>{% endif %}";

vial::response post_review(vial::form_input<review_input> form, seen& s) {
    ++s.calls;
    s.ok = form.ok();
    s.input = form.input();
    s.errors = form.errors();
    s.details = form.error_details();
    if (!form) {
        const review_page page{form.input(), form.errors()};
        return vial::html(vial::render_template<"<inline>">(vial::inline_template<page_text>, page), 422);
    }
    return vial::response(200, std::to_string(form->rating) + ":" + form->text, "text/plain");
}

vial::response signup(vial::form_input<signup_input> form) {
    if (form.errors().get<"password">().empty() && form.input().get<"password2">() != form.input().get<"password">())
        form.error<"password2">("The passwords differ.");
    if (form.input().get<"username">() == "taken") form.error("That name is taken.");
    if (!form) {
        std::string out = "username=" + form.errors().get<"username">() + "|password=" + form.errors().get<"password">() +
                          "|password2=" + form.errors().get<"password2">() + "|form=";
        for (const auto& m : form.form_errors()) out += m + ";";
        out += "|kept=" + form.input().get<"username">();
        out += "|details=" + std::to_string(form.error_details().size());
        return vial::response(422, out, "text/plain");
    }
    return vial::response(200, "welcome " + form->username, "text/plain");
}

vial::response upload(vial::form_input<tagged> form) {
    std::string out = "n=" + form.input().get<"n">() + "|note=" + form.input().get<"note">() +
                      "|errors.n=" + form.errors().get<"n">() + "|errors.file=" + form.errors().get<"file">();
    if (form) out += "|sum=" + std::to_string(form->n.size()) + "|file=" + form->file.filename;
    return vial::response(form ? 200 : 422, out, "text/plain");
}

vial::response strict(vial::form_input<review_input> form) {
    return vial::response(200, std::to_string(form.value().rating), "text/plain");  // throws: a JSON 422
}

vial::response with_query(vial::query<paging> p, vial::form_input<review_input> form) {
    return vial::response(200, std::to_string(p->page) + (form ? "ok" : "bad"), "text/plain");
}

constexpr auto app = vial::app(vial::post<"/review", post_review>(), vial::post<"/signup", signup>(),
                               vial::post<"/upload", upload>(), vial::post<"/strict", strict>(),
                               vial::post<"/paged", with_query>());

constexpr auto urlencoded = "application/x-www-form-urlencoded";

TEST(form_input, a_valid_form_reaches_the_handler_as_the_struct) {
    seen s;
    vial::test_client client(app, s);
    const auto r = client.post("/review", "rating=4&text=Good+read", urlencoded);
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(r.body(), "4:Good read");
    EXPECT_TRUE(s.ok);
    EXPECT_TRUE(s.errors.empty());
    EXPECT_EQ(s.input.get<"rating">(), "4");
    EXPECT_EQ(s.input.get<"text">(), "Good read");
}

TEST(form_input, invalid_input_reaches_the_handler_with_form_ts_messages_and_the_text_typed) {
    seen s;
    vial::test_client client(app, s);
    auto r = client.post("/review", "rating=abc&text=Kept+%3Cas%3E+typed", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(s.calls, 1) << "the handler runs: form_input never rejects";
    EXPECT_FALSE(s.ok);
    EXPECT_EQ(s.errors.get<"rating">(), "Input should be a valid integer, unable to parse string as an integer");
    EXPECT_EQ(s.errors.get<"text">(), "");
    EXPECT_EQ(s.input.get<"rating">(), "abc");
    EXPECT_EQ(s.input.get<"text">(), "Kept <as> typed");
    ASSERT_EQ(s.details.size(), 1u);
    EXPECT_EQ(s.details[0].type, "int_parsing");
    EXPECT_EQ(s.details[0].to_json().at("loc"), (nlohmann::json{"body", "rating"}));
    // The page again, escaped, with the error beside its field.
    EXPECT_EQ(r.body(),
              "<input name=\"rating\" value=\"abc\"><span data-field=\"rating\">Input should be a valid integer, "
              "unable to parse string as an integer</span><textarea>Kept &lt;as&gt; typed</textarea>");

    // Constraints: the same messages as a typed 422 body.
    r = client.post("/review", "rating=7&text=" + std::string(21, 'x'), urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(s.errors.get<"rating">(), "Input should be less than or equal to 5");
    EXPECT_EQ(s.errors.get<"text">(), "String should have at most 20 characters");
    EXPECT_EQ(s.input.get<"text">(), std::string(21, 'x'));
    ASSERT_EQ(s.details.size(), 2u);
    EXPECT_EQ(s.details[0].type, "less_than_equal");
    EXPECT_EQ(s.details[1].type, "string_too_long");

    // Missing fields: "Field required", and nothing kept.
    r = client.post("/review", "text=", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(s.errors.get<"rating">(), "Field required");
    EXPECT_EQ(s.errors.get<"text">(), "String should have at least 1 character");
    EXPECT_EQ(s.input.get<"rating">(), "");
}

TEST(form_input, the_same_errors_as_form_t_would_answer_with) {
    // form<T>'s 422 body for the same input lists what error_details() holds.
    seen s;
    vial::test_client client(app, s);
    client.post("/review", "rating=0&text=", urlencoded);
    const vial::read_result<review_input> direct =
        vial::read_fields<review_input>(vial::multi_dict{{"rating", "0"}, {"text", ""}}, {"body"});
    ASSERT_EQ(s.details.size(), direct.errors.size());
    for (std::size_t i = 0; i < direct.errors.size(); ++i)
        EXPECT_EQ(s.details[i].to_json(), direct.errors[i].to_json());
}

TEST(form_input, rules_message_replaces_the_readers_messages_code_adds_cross_field_errors) {
    seen s;
    vial::test_client client(app, s);
    auto r = client.post("/signup", "username=a&password=short&password2=short", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(r.body(),
              "username=3 to 8 letters.|password=String should have at least 8 characters|password2=|form=|kept=a|"
              "details=2");
    r = client.post("/signup", "username=ann&password=longenough&password2=longenougH", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(r.body(), "username=|password=|password2=The passwords differ.|form=|kept=ann|details=1");
    // Missing: the message too; an extra field (forbid_extra) and a form-level error in form_errors().
    r = client.post("/signup", "password=longenough&password2=longenough&admin=1", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(r.body(), "username=3 to 8 letters.|password=|password2=|form=admin: Extra inputs are not permitted;|kept=|"
                        "details=2");
    r = client.post("/signup", "username=taken&password=longenough&password2=longenough", urlencoded);
    EXPECT_EQ(r.body(), "username=|password=|password2=|form=That name is taken.;|kept=taken|details=1");
    r = client.post("/signup", "username=ann&password=longenough&password2=longenough", urlencoded);
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(r.body(), "welcome ann");
}

TEST(form_input, multipart_vectors_optionals_and_files) {
    seen s;
    vial::test_client client(app, s);
    auto r = client.post("/upload", vial::form_data().field("n", "1").field("n", "x").field("note", "hi"));
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(r.body(), "n=1, x|note=hi|errors.n=Input should be a valid integer, unable to parse string as an "
                        "integer|errors.file=Field required");
    r = client.post("/upload", vial::form_data().field("n", "1").field("n", "2").file("file", "a.txt", "A", "text/plain"));
    ASSERT_EQ(r.status(), 200u) << r.body();
    EXPECT_EQ(r.body(), "n=1, 2|note=|errors.n=|errors.file=|sum=2|file=a.txt");
}

TEST(form_input, a_body_that_is_not_a_form_reads_as_an_empty_form_a_malformed_multipart_is_400) {
    seen s;
    vial::test_client client(app, s);
    auto r = client.post("/review", R"({"rating": 4, "text": "json"})", "application/json");
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(s.errors.get<"rating">(), "Field required");
    EXPECT_EQ(s.errors.get<"text">(), "Field required");
    r = client.post("/review", "--x\r\nno headers", "multipart/form-data; boundary=x");
    EXPECT_EQ(r.status(), 400u) << r.body();
    EXPECT_EQ(s.calls, 1);
}

TEST(form_input, value_is_checked_and_other_parameters_still_reject) {
    seen s;
    vial::test_client client(app, s);
    auto r = client.post("/strict", "rating=9&text=x", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(r.body()).at("detail").at(0).at("loc"), (nlohmann::json{"body", "rating"}));
    EXPECT_EQ(client.post("/strict", "rating=2&text=x", urlencoded).body(), "2");

    r = client.post("/paged?page=x", "rating=9", urlencoded);
    ASSERT_EQ(r.status(), 422u);
    const auto detail = nlohmann::json::parse(r.body()).at("detail");
    ASSERT_EQ(detail.size(), 1u) << detail.dump();  // the query's error only: the form never rejects
    EXPECT_EQ(detail.at(0).at("loc"), (nlohmann::json{"query", "page"}));
    EXPECT_EQ(client.post("/paged?page=3", "rating=9", urlencoded).body(), "3bad");
}

TEST(form_input, field_texts_is_a_struct_of_the_fields_names) {
    static_assert(vial::reflected<vial::field_texts<review_input>>);
    static_assert(vial::field_texts<review_input>::size == 2);
    vial::field_texts<review_input> t;
    t.get<"text">() = "x";
    ASSERT_NE(t.find("text"), nullptr);
    EXPECT_EQ(*t.find("text"), "x");
    EXPECT_EQ(t.find("nope"), nullptr);
    EXPECT_FALSE(t.empty());
    // Other vial code sees it as a struct too: written as JSON with the field names.
    EXPECT_EQ(vial::to_json_string(t), R"({"rating":"","text":"x"})");
    // An empty form for a GET: no errors, nothing typed.
    const vial::form_input<review_input> empty;
    EXPECT_TRUE(empty.ok());
    EXPECT_TRUE(empty.input().empty() && empty.errors().empty());
}

TEST(form_input, the_openapi_document_describes_it_as_form_t_does) {
    const nlohmann::json d = vial::openapi::document(app, {.title = "Forms", .version = "1"});
    const auto& content = d.at("paths").at("/review").at("post").at("requestBody").at("content");
    const nlohmann::json ref{{"$ref", "#/components/schemas/review_input"}};
    EXPECT_EQ(content.at("application/x-www-form-urlencoded").at("schema"), ref) << content.dump();
    EXPECT_EQ(content.at("multipart/form-data").at("schema"), ref);
    EXPECT_EQ(d.at("components").at("schemas").at("review_input").at("properties").at("rating").at("maximum"), 5);
}

}  // namespace
