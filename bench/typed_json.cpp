/// @file
/// A typed JSON round trip (bytes -> struct -> bytes) three ways, in one binary, on one todo of
/// 10 fields whose `items` holds 20 nested objects:
/// - `typed`: vial's typed layer, `vial::read_json<todo>` (no tree, the rules checked) then
///   `vial::write_json` (no tree);
/// - `handwritten`: what a handler on nlohmann does by hand: `nlohmann::json::parse`, read each
///   field with its checks (the same rules), build a tree, `dump()`;
/// - `nlohmann_adl`: nlohmann's own `from_json`/`to_json` (NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE):
///   parse, `get<todo>()`, `json(todo)`, `dump()`, without the rules.
/// Each checks once, before timing, that it reads the document and writes what the others write.
///
/// The target (issue 8): typed <= 0.7x handwritten. `bench/typed_json.sh` runs it.

#include <vial/typed/json_reader.hpp>
#include <vial/typed/json_writer.hpp>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (int, quantity), (double, price), (bool, packed));
    static constexpr auto rules = vial::rules(vial::field<"quantity">(vial::minimum(1)),
                                              vial::field<"price">(vial::minimum(0)));
};

struct todo {
    BOOST_HANA_DEFINE_STRUCT(todo,
        (std::int64_t, id),
        (std::string, title),
        (std::string, description),
        (bool, done),
        (int, priority),
        (std::vector<std::string>, tags),
        (std::string, owner),
        (std::string, created_at),
        (double, estimate_hours),
        (std::vector<item>, items));
    static constexpr auto rules = vial::rules(
        vial::field<"title">(vial::min_length(1), vial::max_length(200)),
        vial::field<"priority">(vial::minimum(1), vial::maximum(5)),
        vial::field<"tags">(vial::max_length(10)));
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(item, name, quantity, price, packed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(todo, id, title, description, done, priority, tags, owner, created_at,
                                   estimate_hours, items)

std::string document() {
    todo t;
    t.id = 1234567;
    t.title = "Prepare the quarterly report";
    t.description = "Collect the numbers from every team, check them twice, and write the summary.";
    t.done = false;
    t.priority = 2;
    t.tags = {"work", "finance", "q3"};
    t.owner = "3f1c2a9e-8d4b-4c6a-9e2f-7b5d1a0c9e88";
    t.created_at = "2026-12-06T21:30:00Z";
    t.estimate_hours = 6.5;
    for (int i = 0; i < 20; ++i)
        t.items.push_back({"step " + std::to_string(i + 1) + ": gather input", i + 1, 12.25 + i, i % 2 == 0});
    return nlohmann::json(t).dump();
}

const std::string& input() {
    static const std::string doc = document();
    return doc;
}

// ---- the hand-written handler -----------------------------------------------------------

/// Reads a todo from a tree as a careful handler does: each field present, of its type, in range.
void read_item(const nlohmann::json& j, item& out) {
    if (!j.is_object()) throw std::invalid_argument("item: object expected");
    const auto& name = j.at("name");
    const auto& quantity = j.at("quantity");
    const auto& price = j.at("price");
    const auto& packed = j.at("packed");
    if (!name.is_string() || !quantity.is_number_integer() || !price.is_number() || !packed.is_boolean())
        throw std::invalid_argument("item: wrong type");
    out.name = name.get<std::string>();
    const auto q = quantity.get<std::int64_t>();
    if (q < 1 || q > INT32_MAX) throw std::invalid_argument("item: quantity");
    out.quantity = static_cast<int>(q);
    out.price = price.get<double>();
    if (out.price < 0) throw std::invalid_argument("item: price");
    out.packed = packed.get<bool>();
}

todo read_todo(const nlohmann::json& j) {
    todo t;
    if (!j.is_object()) throw std::invalid_argument("todo: object expected");
    const auto& id = j.at("id");
    if (!id.is_number_integer()) throw std::invalid_argument("id");
    t.id = id.get<std::int64_t>();
    const auto& title = j.at("title");
    if (!title.is_string()) throw std::invalid_argument("title");
    t.title = title.get<std::string>();
    if (t.title.empty() || t.title.size() > 200) throw std::invalid_argument("title length");
    const auto& description = j.at("description");
    if (!description.is_string()) throw std::invalid_argument("description");
    t.description = description.get<std::string>();
    const auto& done = j.at("done");
    if (!done.is_boolean()) throw std::invalid_argument("done");
    t.done = done.get<bool>();
    const auto& priority = j.at("priority");
    if (!priority.is_number_integer()) throw std::invalid_argument("priority");
    const auto p = priority.get<std::int64_t>();
    if (p < 1 || p > 5) throw std::invalid_argument("priority range");
    t.priority = static_cast<int>(p);
    const auto& tags = j.at("tags");
    if (!tags.is_array() || tags.size() > 10) throw std::invalid_argument("tags");
    for (const auto& tag : tags) {
        if (!tag.is_string()) throw std::invalid_argument("tag");
        t.tags.push_back(tag.get<std::string>());
    }
    const auto& owner = j.at("owner");
    if (!owner.is_string()) throw std::invalid_argument("owner");
    t.owner = owner.get<std::string>();
    const auto& created = j.at("created_at");
    if (!created.is_string()) throw std::invalid_argument("created_at");
    t.created_at = created.get<std::string>();
    const auto& estimate = j.at("estimate_hours");
    if (!estimate.is_number()) throw std::invalid_argument("estimate_hours");
    t.estimate_hours = estimate.get<double>();
    const auto& items = j.at("items");
    if (!items.is_array()) throw std::invalid_argument("items");
    t.items.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) read_item(items[i], t.items[i]);
    return t;
}

nlohmann::json build_todo(const todo& t) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& i : t.items)
        items.push_back({{"name", i.name}, {"quantity", i.quantity}, {"price", i.price}, {"packed", i.packed}});
    return {{"id", t.id},
            {"title", t.title},
            {"description", t.description},
            {"done", t.done},
            {"priority", t.priority},
            {"tags", t.tags},
            {"owner", t.owner},
            {"created_at", t.created_at},
            {"estimate_hours", t.estimate_hours},
            {"items", std::move(items)}};
}

// ---- the three paths ---------------------------------------------------------------------

std::string typed_round_trip(const std::string& bytes) {
    auto r = vial::read_json<todo>(bytes);
    if (!r.ok()) throw std::runtime_error("typed: the document did not read");
    std::string out;
    out.reserve(bytes.size());
    vial::write_json(out, r.value);
    return out;
}

std::string handwritten_round_trip(const std::string& bytes) {
    const todo t = read_todo(nlohmann::json::parse(bytes));
    return build_todo(t).dump();
}

std::string adl_round_trip(const std::string& bytes) {
    const todo t = nlohmann::json::parse(bytes).get<todo>();
    return nlohmann::json(t).dump();
}

/// The three give the same bytes (nlohmann's order: keys sorted), and read what was written.
void check_same_output() {
    const std::string a = typed_round_trip(input());
    const std::string b = handwritten_round_trip(input());
    const std::string c = adl_round_trip(input());
    if (a != b || b != c || a != input()) {
        std::fprintf(stderr, "typed_json: the three paths disagree\n%s\n%s\n%s\n", a.c_str(), b.c_str(), c.c_str());
        std::exit(1);
    }
}

void typed(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(typed_round_trip(input()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}

void handwritten(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(handwritten_round_trip(input()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}

void nlohmann_adl(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(adl_round_trip(input()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}

// The halves, to see where the time goes.
void typed_read(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(vial::read_json<todo>(input()));
}
void handwritten_read(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(read_todo(nlohmann::json::parse(input())));
}
void typed_write(benchmark::State& state) {
    const todo t = vial::parse_json<todo>(input());
    for (auto _ : state) benchmark::DoNotOptimize(vial::to_json_string(t));
}
void handwritten_write(benchmark::State& state) {
    const todo t = vial::parse_json<todo>(input());
    for (auto _ : state) benchmark::DoNotOptimize(build_todo(t).dump());
}

}  // namespace bench

// Interleaved, so that a change in the machine's load touches all three alike.
BENCHMARK(bench::handwritten);
BENCHMARK(bench::typed);
BENCHMARK(bench::nlohmann_adl);
BENCHMARK(bench::handwritten_read);
BENCHMARK(bench::typed_read);
BENCHMARK(bench::handwritten_write);
BENCHMARK(bench::typed_write);

int main(int argc, char** argv) {
    bench::check_same_output();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
