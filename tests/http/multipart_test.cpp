#include <vial/http/multipart.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

std::string two_files_and_fields() {
    return "This is the preamble, ignored.\r\n"
           "------WebKitFormBoundary7MA4YWxk\r\n"
           "Content-Disposition: form-data; name=\"title\"\r\n"
           "\r\n"
           "My trip\r\n"
           "------WebKitFormBoundary7MA4YWxk\r\n"
           "content-disposition: form-data; name=\"photos\"; filename=\"a.txt\"\r\n"
           "Content-Type: text/plain\r\n"
           "\r\n"
           "line one\r\nline two\r\n\r\n"
           "------WebKitFormBoundary7MA4YWxk\r\n"
           "Content-Disposition: form-data; name=\"photos\"; filename=\"b.bin\"\r\n"
           "Content-Type: application/octet-stream\r\n"
           "\r\n" +
           std::string("\0\x01--\r\n-", 7) +
           "\r\n"
           "------WebKitFormBoundary7MA4YWxk\r\n"
           "Content-Disposition: form-data; name=\"tag\"\r\n"
           "\r\n"
           "x\r\n"
           "------WebKitFormBoundary7MA4YWxk\r\n"
           "Content-Disposition: form-data; name=\"tag\"\r\n"
           "\r\n"
           "\r\n"
           "------WebKitFormBoundary7MA4YWxk--\r\n"
           "epilogue, ignored";
}

vial::http_error expect_error(std::string_view body, std::string_view boundary = "b") {
    try {
        (void)vial::parse_multipart(body, boundary);
    } catch (const vial::http_error& e) {
        return e;
    }
    ADD_FAILURE() << "no http_error for: " << body;
    return vial::http_error(500);
}

TEST(Multipart, TwoFilesAndFields) {
    const auto data = vial::parse_multipart(two_files_and_fields(), "----WebKitFormBoundary7MA4YWxk");
    EXPECT_EQ(data.fields.get("title"), "My trip");
    EXPECT_EQ(data.fields.get_all("tag"), (std::vector<std::string>{"x", ""}));
    ASSERT_EQ(data.files.size(), 2u);
    EXPECT_EQ(data.files[0].field, "photos");
    EXPECT_EQ(data.files[0].filename, "a.txt");
    EXPECT_EQ(data.files[0].content_type, "text/plain");
    EXPECT_EQ(data.files[0].content, "line one\r\nline two\r\n");  // only the delimiter's CRLF is removed
    EXPECT_EQ(data.files[1].filename, "b.bin");
    EXPECT_EQ(data.files[1].content_type, "application/octet-stream");
    EXPECT_EQ(data.files[1].content, std::string("\0\x01--\r\n-", 7));
    EXPECT_EQ(data.files[1].size(), 7u);
}

TEST(Multipart, BoundaryFromContentTypeQuotedOrNot) {
    EXPECT_EQ(vial::multipart_boundary("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(vial::multipart_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\""), "a b:c");
    EXPECT_THROW((void)vial::multipart_boundary("multipart/form-data"), vial::http_error);
    EXPECT_THROW((void)vial::multipart_boundary("multipart/form-data; boundary="), vial::http_error);
    EXPECT_THROW((void)vial::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')),
                 vial::http_error);
    EXPECT_THROW((void)vial::multipart_boundary("application/json; boundary=x"), vial::http_error);
}

TEST(Multipart, FilenameStarWinsAndIsDecoded) {
    const auto data = vial::parse_multipart(
        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"EURO rates.txt\"; "
        "filename*=UTF-8''%e2%82%ac%20rates.txt\r\n\r\nx\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"g\"; filename*=iso-8859-1'en'%E9t%E9.txt\r\n\r\ny\r\n--b--",
        "b");
    ASSERT_EQ(data.files.size(), 2u);
    EXPECT_EQ(data.files[0].filename, "\xE2\x82\xAC rates.txt");
    EXPECT_EQ(data.files[1].filename, "\xC3\xA9t\xC3\xA9.txt");
    EXPECT_EQ(data.files[1].content_type, "text/plain");  // RFC 7578 default
}

TEST(Multipart, EmptyFilenameIsStillAFileAndEscapedQuotesAreUnescaped) {
    const auto data = vial::parse_multipart(
        "--b\r\nContent-Disposition: form-data; name=\"up\"; filename=\"\"\r\n\r\n\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"say \\\"hi\\\"\"\r\n\r\nhello\r\n--b--",
        "b");
    ASSERT_EQ(data.files.size(), 1u);
    EXPECT_EQ(data.files[0].filename, "");
    EXPECT_EQ(data.files[0].content, "");
    EXPECT_EQ(data.fields.get("say \"hi\""), "hello");
}

TEST(Multipart, BoundaryLookalikeInsideContentIsContent) {
    const auto data =
        vial::parse_multipart("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bb\r\ny\r\n--b--", "b");
    EXPECT_EQ(data.fields.get("a"), "x\r\n--bb\r\ny");
}

TEST(Multipart, PaddingAfterBoundaryIsAllowed) {
    const auto data =
        vial::parse_multipart("--b  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--", "b");
    EXPECT_EQ(data.fields.get("a"), "1");
}

TEST(Multipart, NoPartsIsEmpty) {
    const auto data = vial::parse_multipart("--b--\r\n", "b");
    EXPECT_TRUE(data.fields.empty());
    EXPECT_TRUE(data.files.empty());
}

TEST(Multipart, TruncatedBodyIs400) {
    const auto body = two_files_and_fields();
    for (std::size_t cut : {body.size() - 30, body.size() / 2, std::size_t{40}}) {
        const auto e = expect_error(body.substr(0, cut), "----WebKitFormBoundary7MA4YWxk");
        EXPECT_EQ(e.status(), 400u) << cut;
    }
    EXPECT_EQ(expect_error("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf").reason(),
              "truncated multipart body: closing boundary not found");
    EXPECT_EQ(expect_error("--b\r\nContent-Disposition: form-data; name=\"a\"").reason(),
              "truncated multipart part headers");
}

TEST(Multipart, MalformedBodiesAre400WithReasons) {
    EXPECT_EQ(expect_error("").reason(), "multipart body without an opening boundary");
    EXPECT_EQ(expect_error("hello world").reason(), "multipart body without an opening boundary");
    EXPECT_EQ(expect_error("--b\r\nno colon here\r\n\r\nx\r\n--b--").reason(),
              "malformed multipart part header: no colon here");
    EXPECT_EQ(expect_error("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--").reason(),
              "multipart part without Content-Disposition");
    EXPECT_EQ(expect_error("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--").reason(),
              "multipart part without a name");
    EXPECT_EQ(expect_error("--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--").reason(),
              "multipart part with Content-Disposition 'attachment', expected form-data");
}

TEST(Multipart, LimitsTheNumberOfParts) {
    std::string body;
    for (int i = 0; i < 5; ++i) body += "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
    body += "--b--";
    EXPECT_EQ(vial::parse_multipart(body, "b", 5).fields.size(), 5u);
    try {
        (void)vial::parse_multipart(body, "b", 4);
        FAIL();
    } catch (const vial::http_error& e) {
        EXPECT_EQ(e.status(), 413u);
    }
}

TEST(Multipart, GarbageNeverCrashes) {
    std::string body = two_files_and_fields();
    for (std::size_t i = 0; i < body.size(); ++i) {
        std::string mutated = body;
        mutated[i] = static_cast<char>(mutated[i] ^ 0x5A);
        try {
            (void)vial::parse_multipart(mutated, "----WebKitFormBoundary7MA4YWxk");
        } catch (const vial::http_error& e) {
            EXPECT_EQ(e.status(), 400u);
        }
        try {
            (void)vial::parse_multipart(body.substr(0, i), "----WebKitFormBoundary7MA4YWxk");
        } catch (const vial::http_error& e) {
            EXPECT_EQ(e.status(), 400u);
        }
    }
}

}  // namespace
