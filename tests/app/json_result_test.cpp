// JSON results are written exactly as nlohmann's dump() writes them, through vial's faster
// paths (plain values directly, the rest by a serializer kept per thread).
#include <vial/app/result.hpp>
#include <vial/http/response.hpp>
#include <vial/json.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;

std::vector<json> samples() {
    return {
        json(nullptr), json(true), json(false), json(0), json(-1), json(42u),
        json(std::numeric_limits<std::int64_t>::min()), json(std::numeric_limits<std::uint64_t>::max()),
        json(1.0), json(-0.0), json(0.1), json(1e100), json(1.5e-7), json(std::numeric_limits<double>::quiet_NaN()),
        json(""), json("Hello, World!"), json("quote \" and backslash \\"), json("tab\there"), json("nl\n"),
        json("ctl \x01\x1f"), json("del \x7f"), json("slash /"), json("caf\xc3\xa9"), json("\xe2\x82\xac \xf0\x9f\x98\x80"),
        json::array(), json::object(), json::array({1, "two", nullptr, json::array({3})}),
        json{{"message", "Hello, World!"}},
        json{{"b", 1}, {"a", json{{"nested", json::array({true, false})}}}, {"", ""}},
        json{{"k\xc3\xa9y", "v"}}, json{{"float", 2.5}}, json{{"esc", "a\"b"}},
        json::binary({1, 2, 3}),
    };
}

TEST(json_result, handler_results_are_dumped_exactly_as_nlohmann_does) {
    for (const auto& value : samples()) {
        const auto res = vial::to_response(json(value));
        EXPECT_EQ(res.body(), value.dump()) << value.dump();
        EXPECT_EQ(res.header("Content-Type"), "application/json");
    }
}

TEST(json_result, json_response_replaces_invalid_utf8_as_nlohmann_does) {
    for (const auto& value : samples()) EXPECT_EQ(vial::json_response(value).body(), value.dump(-1, ' ', false, json::error_handler_t::replace));
    const json bad{{"text", "ok \xff\xfe end"}, {"list", json::array({"\xc3"})}};
    EXPECT_EQ(vial::json_response(bad).body(), bad.dump(-1, ' ', false, json::error_handler_t::replace));
}

TEST(json_result, invalid_utf8_throws_like_dump_and_the_next_value_is_clean) {
    const json bad = "x\xff";
    EXPECT_THROW((void)vial::to_response(json(bad)), json::type_error);
    const json after{{"a", 1.5}};
    EXPECT_EQ(vial::to_response(json(after)).body(), after.dump());
}

TEST(json_result, large_values_and_other_threads) {
    json big = json::array();
    for (int i = 0; i < 2000; ++i) big.push_back({{"i", i}, {"x", i * 0.5}});
    EXPECT_EQ(vial::to_response(json(big)).body(), big.dump());
    EXPECT_EQ(vial::to_response(json(big)).body(), big.dump());  // the per-thread buffer gave its text away
    std::string elsewhere;
    std::thread([&] { elsewhere = vial::to_response(json(big)).body(); }).join();
    EXPECT_EQ(elsewhere, big.dump());
}

}  // namespace
