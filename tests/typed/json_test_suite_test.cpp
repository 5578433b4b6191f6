// Every parsing case of JSONTestSuite through vial's reader (as nlohmann::json, the type that
// takes any value, and as a struct, which skips what it does not know): every n_ case is
// malformed, no y_ case is, no case crashes. What vial does with the i_ cases is in
// docs/typed-apis.md; this test prints it.
#include <vial/typed/json_reader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

struct anything {
    BOOST_HANA_DEFINE_STRUCT(anything, (std::optional<int>, id));
};

std::filesystem::path corpus() {
    const std::filesystem::path p(VIAL_JSON_TEST_SUITE_DIR);
    return !p.empty() && std::filesystem::is_directory(p) ? p : std::filesystem::path();
}

TEST(typed_json_test_suite, every_case) {
    const auto dir = corpus();
    if (dir.empty()) GTEST_SKIP() << "JSONTestSuite not found: configure with -DVIAL_JSON_TEST_SUITE_DIR=<json-test-suite>/test_parsing";
    std::size_t total = 0, y = 0, n = 0, i_accepted = 0, i_rejected = 0;
    std::vector<std::string> i_accepted_names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto any = vial::read_json<nlohmann::json>(bytes);
        const auto typed = vial::read_json<anything>(bytes);
        // The struct reader skips unknown fields and other values with the same checks.
        EXPECT_EQ(any.malformed.has_value(), typed.malformed.has_value()) << name;
        ++total;
        if (name.starts_with("y_")) {
            ++y;
            EXPECT_FALSE(any.malformed) << name << ": " << any.malformed->what();
            if (!any.malformed) {
                EXPECT_EQ(any.value, nlohmann::json::parse(bytes)) << name;
            }
        } else if (name.starts_with("n_")) {
            ++n;
            EXPECT_TRUE(any.malformed) << name;
        } else {
            if (any.malformed) ++i_rejected;
            else {
                ++i_accepted;
                i_accepted_names.push_back(name);
            }
        }
    }
    EXPECT_EQ(total, 318u);
    EXPECT_EQ(y, 95u);
    EXPECT_EQ(n, 188u);
    // What docs/typed-apis.md says vial does with the implementation-defined cases: numbers too
    // big or too small for a double are read (as a 422 finite_number where a double cannot hold
    // them, as 0 when they underflow, as a double where an integer overflows 64 bits); every
    // other i_ case (invalid UTF-8, lone surrogates, UTF-16, a BOM, 500 nested arrays) is malformed.
    std::sort(i_accepted_names.begin(), i_accepted_names.end());
    EXPECT_EQ(i_accepted_names, (std::vector<std::string>{
        "i_number_double_huge_neg_exp.json", "i_number_huge_exp.json", "i_number_neg_int_huge_exp.json",
        "i_number_pos_double_huge_exp.json", "i_number_real_neg_overflow.json", "i_number_real_pos_overflow.json",
        "i_number_real_underflow.json", "i_number_too_big_neg_int.json", "i_number_too_big_pos_int.json",
        "i_number_very_big_negative_int.json"}));
    EXPECT_EQ(i_rejected, 25u);
    std::cout << "i_ cases: " << i_accepted << " accepted, " << i_rejected << " malformed; accepted:";
    for (const auto& a : i_accepted_names) std::cout << ' ' << a;
    std::cout << '\n';
}

}  // namespace
