#include <vial/web/static_files.hpp>

#include <vial/vial.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
namespace w = vial::detail::web;

static_assert(w::safe_relative_path("css/site.css", false));
static_assert(w::safe_relative_path("a.b/c", false));
static_assert(!w::safe_relative_path("", false));
static_assert(!w::safe_relative_path("/etc/passwd", false));
static_assert(!w::safe_relative_path("../secret", false));
static_assert(!w::safe_relative_path("css/../../secret", false));
static_assert(!w::safe_relative_path("css/..", false));
static_assert(!w::safe_relative_path("./x", false));
static_assert(!w::safe_relative_path("a//b", false));
static_assert(!w::safe_relative_path("a/", false));
static_assert(!w::safe_relative_path("a\\..\\b", false));
static_assert(!w::safe_relative_path(std::string_view("a\0b", 3), false));
static_assert(!w::safe_relative_path(".env", false));
static_assert(!w::safe_relative_path(".well-known/x", false));
static_assert(w::safe_relative_path(".well-known/x", true));
static_assert(!w::safe_relative_path("..", true));

namespace {

// The test's files live in a folder of their own under the working directory (ctest runs
// each test in the build tree); the app names it by a relative path, as users do.
constexpr const char* root = "web_static_test_files";

constexpr auto admin = vial::blueprint<"admin", "/admin">(vial::static_files<"/assets">("web_static_test_files/admin"));
constexpr auto app = vial::app(vial::static_files(root), admin,
                               vial::static_files<"/cached", "cached">(root, {.max_age = 3600}),
                               vial::static_files<"/dot", "dot">(root, {.allow_dotfiles = true}));


std::string content(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
}

class web_static : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fs::remove_all(root);
        fs::create_directories(fs::path(root) / "css");
        fs::create_directories(fs::path(root) / "admin");
        fs::create_directories(fs::path(root) / ".well-known");
        fs::create_directories("web_static_outside");
        write("css/site.css", "body { color: red }\n");
        write("index.html", "<p>hi</p>");
        write("data.bin", content(1000));
        write("big.txt", content(3'000'000));
        write("IMG.PNG", "\x89PNG");
        write("noext", "x");
        write(".env", "SECRET=1");
        write(".well-known/security.txt", "contact");
        write("admin/a.js", "alert(1)");
        write("with space.txt", "spaced");
        std::ofstream("web_static_outside/secret.txt") << "secret";
        fs::create_symlink(fs::absolute("web_static_outside/secret.txt"), fs::path(root) / "escape.txt");
        fs::create_symlink(fs::absolute("web_static_outside"), fs::path(root) / "escape_dir");
        fs::create_symlink("css/site.css", fs::path(root) / "inside_link.css");
    }
    static void write(const std::string& name, const std::string& data) {
        std::ofstream(fs::path(root) / name, std::ios::binary) << data;
    }
    vial::test_client<decltype(app)> client{app};
};

}  // namespace

TEST_F(web_static, serves_a_file_with_its_type_and_validators) {
    auto res = client.get("/static/css/site.css");
    EXPECT_EQ(res.status(), 200);
    EXPECT_EQ(res.body(), "body { color: red }\n");
    EXPECT_EQ(res.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_FALSE(res.header("ETag").empty());
    EXPECT_FALSE(res.header("Last-Modified").empty());
    EXPECT_EQ(res.header("Cache-Control"), "no-cache");
    EXPECT_EQ(res.header("Accept-Ranges"), "bytes");
    EXPECT_EQ(client.get("/static/index.html").header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(client.get("/static/IMG.PNG").header("Content-Type"), "image/png");
    EXPECT_EQ(client.get("/static/noext").header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(client.get("/static/data.bin").header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(client.get("/static/with%20space.txt").body(), "spaced");
    EXPECT_EQ(client.get("/cached/index.html").header("Cache-Control"), "public, max-age=3600");
    EXPECT_EQ(client.get("/admin/assets/a.js").header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(client.get("/static/big.txt").body(), content(3'000'000));
}

TEST_F(web_static, unsafe_names_are_not_found) {
    for (const char* target :
         {"/static/../CMakeCache.txt", "/static/%2e%2e/CMakeCache.txt", "/static/css/%2e%2e/%2e%2e/CMakeCache.txt",
          "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/css%00.css", "/static/css/site.css%00",
          "/static/.env", "/static/.well-known/security.txt", "/static/escape.txt", "/static/escape_dir/secret.txt",
          "/static/css", "/static/css/", "/static/missing.txt", "/static/a%5c..%5cb", "/admin/assets/../index.html"}) {
        auto res = client.get(target);
        EXPECT_EQ(res.status(), 404) << target;
        EXPECT_EQ(res.body().find("secret"), std::string::npos) << target;
    }
    // A symlink that stays inside the folder is followed; dot-files when allowed.
    EXPECT_EQ(client.get("/static/inside_link.css").status(), 200);
    EXPECT_EQ(client.get("/dot/.well-known/security.txt").body(), "contact");
    EXPECT_EQ(client.get("/dot/../x").status(), 404);
}

TEST_F(web_static, conditional_requests_give_304) {
    auto first = client.get("/static/css/site.css");
    const std::string etag(first.header("ETag"));
    const std::string modified(first.header("Last-Modified"));
    auto res = client.get("/static/css/site.css", {{"If-None-Match", etag}});
    EXPECT_EQ(res.status(), 304);
    EXPECT_TRUE(res.body().empty());
    EXPECT_EQ(res.header("ETag"), etag);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-None-Match", "\"x\", W/" + etag}}).status(), 304);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-None-Match", "*"}}).status(), 304);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-None-Match", "\"other\""}}).status(), 200);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-Modified-Since", modified}}).status(), 304);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}).status(), 200);
    // If-None-Match wins over If-Modified-Since.
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-None-Match", "\"other\""}, {"If-Modified-Since", modified}}).status(),
              200);
    EXPECT_EQ(client.get("/static/css/site.css", {{"If-Modified-Since", "garbage"}}).status(), 200);
}

TEST_F(web_static, ranges_give_206_or_416) {
    const std::string all = content(1000);
    auto res = client.get("/static/data.bin", {{"Range", "bytes=10-19"}});
    EXPECT_EQ(res.status(), 206);
    EXPECT_EQ(res.body(), all.substr(10, 10));
    EXPECT_EQ(res.header("Content-Range"), "bytes 10-19/1000");
    res = client.get("/static/data.bin", {{"Range", "bytes=990-"}});
    EXPECT_EQ(res.body(), all.substr(990));
    EXPECT_EQ(res.header("Content-Range"), "bytes 990-999/1000");
    res = client.get("/static/data.bin", {{"Range", "bytes=-5"}});
    EXPECT_EQ(res.body(), all.substr(995));
    res = client.get("/static/data.bin", {{"Range", "bytes=995-5000"}});
    EXPECT_EQ(res.status(), 206);
    EXPECT_EQ(res.header("Content-Range"), "bytes 995-999/1000");
    res = client.get("/static/data.bin", {{"Range", "bytes=1000-"}});
    EXPECT_EQ(res.status(), 416);
    EXPECT_EQ(res.header("Content-Range"), "bytes */1000");
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "bytes=-0"}}).status(), 416);
    // Several ranges, or a malformed header: the whole file.
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "bytes=0-1,5-6"}}).status(), 200);
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "bytes=9-3"}}).status(), 200);
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "lines=1-2"}}).status(), 200);
    // If-Range: the range only applies to the same version.
    const std::string etag(client.get("/static/data.bin").header("ETag"));
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "bytes=0-1"}, {"If-Range", etag}}).status(), 206);
    EXPECT_EQ(client.get("/static/data.bin", {{"Range", "bytes=0-1"}, {"If-Range", "\"old\""}}).status(), 200);
}

TEST_F(web_static, head_sends_the_length_without_the_body) {
    auto res = client.head("/static/big.txt");
    EXPECT_EQ(res.status(), 200);
    EXPECT_TRUE(res.body().empty());
    EXPECT_EQ(res.header("Content-Length"), "3000000");
    EXPECT_EQ(client.head("/static/big.txt", {{"Range", "bytes=0-99"}}).header("Content-Length"), "100");
    EXPECT_EQ(client.post("/static/big.txt").status(), 405);
}

TEST(web_static_types, url_for_names_the_folder_on_the_app_and_per_blueprint) {
    EXPECT_EQ(vial::url_for<"static">(app, "css/site.css"), "/static/css/site.css");
    EXPECT_EQ(vial::url_for<"admin.static">(app, "a.js"), "/admin/assets/a.js");
    EXPECT_EQ(vial::url_for<"static">(app, "with space.txt"), "/static/with%20space.txt");
}

TEST(web_static_types, content_type_table) {
    EXPECT_EQ(w::content_type_for("a/b.JSON"), "application/json");
    EXPECT_EQ(w::content_type_for("x.svg"), "image/svg+xml; charset=utf-8");
    EXPECT_EQ(w::content_type_for("dir.d/file"), "application/octet-stream");
    EXPECT_EQ(w::content_type_for("x.woff2"), "font/woff2");
    EXPECT_EQ(w::content_type_for("x.verylongextension"), "application/octet-stream");
}
