// url_for at run time: CPU time per URL built, for both forms (the app as a template argument,
// `url_for<"x", app>(...)`, and as the first function argument, `url_for<"x">(app, ...)`), on
// routes of each kind: static, one int, an int and a string, a path value, query arguments.
//
// Built by CMake with -DVIAL_BUILD_BENCH=ON (target vial_bench_url_for), or on its own to
// compare two trees' headers in the same run:
//   g++ -std=c++20 -O2 -DNDEBUG -I<tree>/include bench/url_for.cpp -lbenchmark -lpthread -o url_for_bench
#include <vial/route.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

std::string show(int) { return {}; }
std::string tag(int, std::string_view) { return {}; }
std::string file(std::string_view) { return {}; }
std::string index_page() { return {}; }

constexpr auto books = vial::blueprint<"books", "/books">(
    vial::get<"/<int:book_id>", "show">(show),
    vial::get<"/<int:book_id>/tags/<string:tag>", "tag">(tag));

constexpr auto app = vial::app(
    vial::get<"/", "index">(index_page),
    books,
    vial::get<"/files/<path:name>", "file">(file));

void BM_static_template(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(vial::url_for<"index", app>());
}
BENCHMARK(BM_static_template);

void BM_static_argument(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(vial::url_for<"index">(app));
}
BENCHMARK(BM_static_argument);

void BM_int_template(benchmark::State& state) {
    int id = 4217;
    for (auto _ : state) {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(vial::url_for<"books.show", app>(id));
    }
}
BENCHMARK(BM_int_template);

void BM_int_argument(benchmark::State& state) {
    int id = 4217;
    for (auto _ : state) {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(vial::url_for<"books.show">(app, id));
    }
}
BENCHMARK(BM_int_argument);

void BM_int_string_template(benchmark::State& state) {
    int id = 4217;
    std::string t = "science fiction";
    for (auto _ : state) {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(vial::url_for<"books.tag", app>(id, t));
    }
}
BENCHMARK(BM_int_string_template);

void BM_path_template(benchmark::State& state) {
    std::string_view name = "css/site/style.css";
    for (auto _ : state) {
        benchmark::DoNotOptimize(name);
        benchmark::DoNotOptimize(vial::url_for<"file", app>(name));
    }
}
BENCHMARK(BM_path_template);

void BM_query_template(benchmark::State& state) {
    int id = 4217;
    for (auto _ : state) {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(vial::url_for<"books.show", app>(id, vial::query{"page", 2}));
    }
}
BENCHMARK(BM_query_template);

}  // namespace

BENCHMARK_MAIN();
