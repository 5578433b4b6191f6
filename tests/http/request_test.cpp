#include <vial/http/request.hpp>
#include <vial/http/raw.hpp>  // requests built from Beast messages
#include <vial/json.hpp>      // req.json()'s value

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace http = boost::beast::http;

vial::request make(http::verb verb, std::string target, std::string body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    vial::raw_request raw{verb, target, 11};
    for (const auto& [name, value] : headers) raw.insert(name, value);
    raw.body() = std::move(body);
    if (!raw.body().empty()) raw.prepare_payload();
    return vial::request(std::move(raw), "127.0.0.1");
}

vial::request get(std::string target) { return make(http::verb::get, std::move(target)); }

TEST(Request, ExistingAccessorsStillWork) {
    auto req = make(http::verb::post, "/a/b?x=1#frag", "hi", {{"X-Thing", "v"}});
    EXPECT_EQ(req.method(), "POST");
    EXPECT_EQ(req.path(), "/a/b");
    EXPECT_EQ(req.query_string(), "x=1");
    EXPECT_EQ(req.header("x-thing"), "v");
    EXPECT_TRUE(req.has_header("X-THING"));
    EXPECT_EQ(req.body(), "hi");
    EXPECT_EQ(req.remote_address(), "127.0.0.1");
}

TEST(RequestArgs, RepeatedKeysPlusAndPercentDecoding) {
    const auto req = get("/search?q=red+shoes%21&tag=a&tag=b&empty=&flag");
    const auto& args = req.args();
    EXPECT_EQ(args.get("q"), "red shoes!");
    EXPECT_EQ(args.get_all("tag"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(args.get("empty"), "");
    EXPECT_TRUE(args.contains("flag"));
    EXPECT_FALSE(args.contains("missing"));
}

TEST(RequestArgs, MalformedEscapesAreKeptNotFatal) {
    const auto req = get("/p?discount=100%&x=%zz");
    EXPECT_EQ(req.args().get("discount"), "100%");
    EXPECT_EQ(req.args().get("x"), "%zz");
}

TEST(RequestArgs, NoQueryAndFragmentIgnored) {
    EXPECT_TRUE(get("/p").args().empty());
    EXPECT_EQ(get("/p?a=1#b=2").args().size(), 1u);
}

TEST(RequestArgs, EditingThroughRawDropsTheCache) {
    auto req = get("/p?a=1");
    EXPECT_EQ(req.args().get("a"), "1");
    req.raw().target("/p?a=2");
    EXPECT_EQ(req.args().get("a"), "2");
}

TEST(RequestCookies, ParsesPairsTrimsAndUnquotes) {
    const auto req = make(http::verb::get, "/", {}, {{"Cookie", "sid=abc123; theme=\"dark mode\";  lang=en "}});
    const auto& c = req.cookies();
    EXPECT_EQ(c.size(), 3u);
    EXPECT_EQ(c.at("sid"), "abc123");
    EXPECT_EQ(c.at("theme"), "dark mode");
    EXPECT_EQ(c.at("lang"), "en");
    EXPECT_EQ(req.cookie("sid"), "abc123");
    EXPECT_EQ(req.cookie("nope"), std::nullopt);
}

TEST(RequestCookies, ToleratesJunkAndKeepsFirstOfRepeats) {
    const auto req = make(http::verb::get, "/", {}, {{"Cookie", ";;junk; =novalue; a=1; a=2; b==x; c=; ;"}});
    const auto& c = req.cookies();
    EXPECT_EQ(c.at("a"), "1");
    EXPECT_EQ(c.at("b"), "=x");
    EXPECT_EQ(c.at("c"), "");
    EXPECT_FALSE(c.contains("junk"));
    EXPECT_FALSE(c.contains(""));
    EXPECT_EQ(c.size(), 3u);
}

TEST(RequestCookies, MergesSeveralCookieHeaders) {
    const auto req = make(http::verb::get, "/", {}, {{"Cookie", "a=1"}, {"Cookie", "b=2"}});
    EXPECT_EQ(req.cookies().size(), 2u);
    EXPECT_EQ(req.cookies().at("b"), "2");
}

TEST(RequestCookies, NoHeaderGivesEmptyMap) { EXPECT_TRUE(get("/").cookies().empty()); }

TEST(RequestForm, UrlencodedBody) {
    const auto req = make(http::verb::post, "/", "name=Ada+Lovelace&lang=c%2B%2B&lang=py",
                          {{"Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"}});
    EXPECT_EQ(req.form().get("name"), "Ada Lovelace");
    EXPECT_EQ(req.form().get_all("lang"), (std::vector<std::string>{"c++", "py"}));
    EXPECT_TRUE(req.files().empty());
}

TEST(RequestForm, OtherContentTypesGiveEmptyForm) {
    const auto req = make(http::verb::post, "/", "name=x", {{"Content-Type", "text/plain"}});
    EXPECT_TRUE(req.form().empty());
    EXPECT_TRUE(make(http::verb::post, "/", "name=x").form().empty());
}

TEST(RequestForm, MultipartFieldsAndFiles) {
    const std::string body =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
        "Holiday\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"photo\"; filename=\"beach.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
        "\x89PNG\r\n\x1a\n\r\n"
        "--XyZ--\r\n";
    const auto req = make(http::verb::post, "/upload", body, {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
    EXPECT_EQ(req.form().get("title"), "Holiday");
    ASSERT_EQ(req.files().size(), 1u);
    const auto* photo = req.file("photo");
    ASSERT_NE(photo, nullptr);
    EXPECT_EQ(photo->filename, "beach.png");
    EXPECT_EQ(photo->content_type, "image/png");
    EXPECT_EQ(photo->content, "\x89PNG\r\n\x1a\n");
    EXPECT_EQ(req.file("other"), nullptr);
}

TEST(RequestForm, MalformedMultipartIsBadRequest) {
    const auto req = make(http::verb::post, "/", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf",
                          {{"Content-Type", "multipart/form-data; boundary=b"}});
    try {
        (void)req.form();
        FAIL() << "expected http_error";
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.reason(), "truncated multipart body: closing boundary not found");
    }
    EXPECT_THROW((void)req.files(), vial::http_error);  // not cached as a success
}

TEST(RequestForm, MultipartWithoutBoundaryIsBadRequest) {
    const auto req = make(http::verb::post, "/", "x", {{"Content-Type", "multipart/form-data"}});
    try {
        (void)req.form();
        FAIL() << "expected http_error";
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.reason(), "multipart Content-Type without a boundary parameter");
    }
}

TEST(RequestJson, ParsesBody) {
    const auto req = make(http::verb::post, "/", R"({"name":"Ada","tags":[1,2]})",
                          {{"Content-Type", "application/json"}});
    EXPECT_TRUE(req.is_json());
    EXPECT_EQ(req.json()["name"], "Ada");
    EXPECT_EQ(req.json()["tags"].size(), 2u);
    EXPECT_EQ(&req.json(), &req.json());  // cached
}

TEST(RequestJson, BadJsonIsBadRequestWithParserMessage) {
    const auto req = make(http::verb::post, "/", R"({"name": )", {{"Content-Type", "application/json"}});
    try {
        (void)req.json();
        FAIL() << "expected http_error";
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.reason(),
                  "invalid JSON body: parse error at line 1, column 10: syntax error while parsing value - "
                  "unexpected end of input; expected '[', '{', or a literal");
        EXPECT_STREQ(e.what(), ("400 Bad Request: " + e.reason()).c_str());
    }
}

TEST(RequestJson, EmptyBodyAndInvalidUtf8AreBadRequest) {
    EXPECT_THROW((void)make(http::verb::post, "/").json(), vial::http_error);
    EXPECT_THROW((void)make(http::verb::post, "/", "\"\xff\"").json(), vial::http_error);
}

TEST(RequestJson, DeepNestingDoesNotCrash) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto req = make(http::verb::post, "/", deep);
    EXPECT_TRUE(req.json().is_array());
}

TEST(RequestContentType, MimetypeWithoutParamsLowercased) {
    const auto req = make(http::verb::post, "/", "{}", {{"Content-Type", " Application/JSON ; charset=utf-8"}});
    EXPECT_EQ(req.content_type(), "application/json");
    EXPECT_TRUE(req.is_json());
    EXPECT_TRUE(make(http::verb::post, "/", "{}", {{"Content-Type", "application/problem+json"}}).is_json());
    EXPECT_FALSE(make(http::verb::post, "/", "{}", {{"Content-Type", "text/json+x"}}).is_json());
    EXPECT_EQ(get("/").content_type(), "");
}

TEST(RequestContentLength, FromHeaderOrNullopt) {
    EXPECT_EQ(make(http::verb::post, "/", "hello").content_length(), 5u);
    EXPECT_EQ(get("/").content_length(), std::nullopt);
    EXPECT_EQ(make(http::verb::get, "/", {}, {{"Content-Length", "12abc"}}).content_length(), std::nullopt);
    EXPECT_EQ(make(http::verb::get, "/", {}, {{"Content-Length", "-1"}}).content_length(), std::nullopt);
}

}  // namespace
