// vial::json_writer writes what nlohmann's dump() writes for the same values, without
// nlohmann's headers in the file that uses it.
#include <vial/http/json_writer.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>  // the reference: dump() of the same values

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::string written(std::string_view text) { return vial::json_writer().value(text).str(); }

TEST(json_writer, hello_object_as_the_benchmark_sends_it) {
    const auto res = vial::json_writer().begin_object().member("message", "Hello, World!").end_object().to_response();
    EXPECT_EQ(res.status(), 200u);
    EXPECT_EQ(res.header("Content-Type"), "application/json");
    EXPECT_EQ(res.body(), R"({"message":"Hello, World!"})");
    EXPECT_EQ(res.body(), nlohmann::json({{"message", "Hello, World!"}}).dump());
    EXPECT_EQ(vial::json_writer().begin_array().end_array().to_response(201).status(), 201u);
}

TEST(json_writer, strings_are_escaped_as_nlohmann_dump_escapes_them) {
    std::vector<std::string> samples = {"", "plain", "quote \" and backslash \\", "tab\tnew\nline\rcr\bbs\fff",
                                        "del \x7f stays", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "/slash/"};
    for (int c = 0; c < 0x20; ++c) samples.push_back(std::string("ctl ") + static_cast<char>(c) + " end");
    for (const auto& s : samples) EXPECT_EQ(written(s), nlohmann::json(s).dump()) << s;
}

TEST(json_writer, invalid_utf8_throws_as_dump_does) {
    for (const std::string bad : {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
        EXPECT_THROW((void)written(bad), std::invalid_argument) << bad;
        EXPECT_THROW((void)nlohmann::json(bad).dump(), nlohmann::json::type_error) << bad;
    }
    EXPECT_THROW(vial::json_writer().begin_object().key("\xff"), std::invalid_argument);
}

TEST(json_writer, numbers_booleans_null) {
    const auto ll = std::numeric_limits<long long>::min();
    const auto ull = std::numeric_limits<unsigned long long>::max();
    const std::string text = vial::json_writer()
                                 .begin_array()
                                 .value(0)
                                 .value(-1)
                                 .value(ll)
                                 .value(ull)
                                 .value(std::uint8_t{200})
                                 .value(short{-7})
                                 .value(true)
                                 .value(false)
                                 .value(nullptr)
                                 .end_array()
                                 .str();
    EXPECT_EQ(text, nlohmann::json::array({0, -1, ll, ull, 200, -7, true, false, nullptr}).dump());
}

TEST(json_writer, nested_values_get_their_commas_and_colons) {
    std::string s("a string");
    const std::string text = vial::json_writer()
                                 .begin_object()
                                 .member("id", 7)
                                 .key("tags")
                                 .begin_array()
                                 .value("x")
                                 .begin_object()
                                 .end_object()
                                 .begin_array()
                                 .value(1)
                                 .end_array()
                                 .value(s)
                                 .end_array()
                                 .key("owner")
                                 .begin_object()
                                 .member("name", std::string("Ada"))
                                 .member("admin", true)
                                 .end_object()
                                 .member("z", nullptr)
                                 .end_object()
                                 .str();
    EXPECT_EQ(text, R"({"id":7,"tags":["x",{},[1],"a string"],"owner":{"name":"Ada","admin":true},"z":null})");
    EXPECT_EQ(nlohmann::json::parse(text)["tags"][2][0], 1);
}

}  // namespace
