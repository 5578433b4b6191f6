/// @file
/// How long `app.match` takes, for apps of 5, 100 and 300 routes (1,000 and 3,000 in
/// vial_bench_route_match_large, built with VIAL_BENCH_LARGE), on requests for routes at
/// the start, middle and end of the app and on 404s; and the same requests against a naive
/// router in the same binary: patterns split at start-up, and per request a linear scan that
/// splits the path and compares it with each pattern in turn.
///
/// Names: `<router>/<routes>/<family>/<position>`, e.g. `vial/300/int/last`.
///
/// With VIAL_BENCH_ITERATIONS=N in the environment every benchmark runs exactly N iterations,
/// for instruction counts that do not depend on timing: under `valgrind --tool=callgrind`,
/// the difference between the totals of a run of 2N and one of N iterations, divided by N, is
/// the instructions per match.

#include "bench_handlers.hpp"
#if defined(VIAL_BENCH_LARGE)
#include "routes_1000.hpp"
#include "routes_3000.hpp"
#else
#include "routes_100.hpp"
#include "routes_300.hpp"
#include "routes_5.hpp"
#endif

#include <vial/route.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// The common hand-written router: what vial is compared against. It is given its best
/// chance: no allocation per request (the path is split into a fixed array of views, values
/// go to a fixed array), patterns of another length are skipped at once, and parameters are
/// converted as they are compared.
class naive_router {
public:
    enum class piece_kind : std::uint8_t { literal, int_, string, uuid };
    struct piece {
        piece_kind kind;
        std::string text;  ///< the literal; empty for parameters
    };
    struct value {
        std::string_view raw;
        long long number = 0;
        vial::uuid id{};
    };
    static constexpr std::size_t max_segments = 16;

    /// Splits every pattern on '/' into literal and parameter pieces.
    explicit naive_router(std::span<const vial::route_info> routes) {
        for (const auto& r : routes) {
            std::vector<piece> pieces;
            std::string_view rest = r.rule.substr(1);
            while (true) {
                const std::size_t slash = rest.find('/');
                const std::string_view seg = rest.substr(0, slash);
                if (!seg.empty() && seg.front() == '<') {
                    const std::string_view conv = seg.substr(1, seg.find(':') - 1);
                    pieces.push_back({conv == "int" ? piece_kind::int_
                                      : conv == "uuid" ? piece_kind::uuid
                                                       : piece_kind::string,
                                      {}});
                } else {
                    pieces.push_back({piece_kind::literal, std::string(seg)});
                }
                if (slash == std::string_view::npos) break;
                rest.remove_prefix(slash + 1);
            }
            patterns_.push_back({r.methods, std::move(pieces)});
        }
    }

    /// @return the index of the first pattern that matches, or -1.
    int match(vial::method m, std::string_view target, std::array<value, max_segments>& out) const {
        const std::string_view path = target.substr(0, target.find_first_of("?#"));
        if (path.empty() || path.front() != '/') return -1;
        std::array<std::string_view, max_segments> segs;
        std::size_t count = 0;
        std::string_view rest = path.substr(1);
        while (count < max_segments) {
            const std::size_t slash = rest.find('/');
            segs[count++] = rest.substr(0, slash);
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
        for (std::size_t p = 0; p < patterns_.size(); ++p) {
            const pattern& pat = patterns_[p];
            if (pat.pieces.size() != count || !pat.methods.contains(m)) continue;
            std::size_t param = 0;
            bool ok = true;
            for (std::size_t i = 0; ok && i < count; ++i) {
                const piece& pc = pat.pieces[i];
                const std::string_view s = segs[i];
                switch (pc.kind) {
                case piece_kind::literal: ok = s == pc.text; break;
                case piece_kind::int_: {
                    value& v = out[param++];
                    const auto r = std::from_chars(s.data(), s.data() + s.size(), v.number);
                    ok = !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
                    v.raw = s;
                    break;
                }
                case piece_kind::uuid: ok = vial::uuid::parse(s, out[param++].id); break;
                case piece_kind::string:
                    ok = !s.empty();
                    out[param++].raw = s;
                    break;
                }
            }
            if (ok) return static_cast<int>(p);
        }
        return -1;
    }

private:
    struct pattern {
        vial::method_set methods;
        std::vector<piece> pieces;
    };
    std::vector<pattern> patterns_;
};

template <const auto& App>
void bench_vial(benchmark::State& state, std::string_view path) {
    for (auto _ : state) {
        std::string_view p = path;
        benchmark::DoNotOptimize(p);
        auto m = App.match(vial::method::get, p);
        benchmark::DoNotOptimize(m);
    }
}

void bench_naive(benchmark::State& state, const naive_router* router, std::string_view path) {
    std::array<naive_router::value, naive_router::max_segments> values{};
    for (auto _ : state) {
        std::string_view p = path;
        benchmark::DoNotOptimize(p);
        int r = router->match(vial::method::get, p, values);
        benchmark::DoNotOptimize(r);
        benchmark::DoNotOptimize(values);
    }
}

[[noreturn]] void fail(const char* router, std::size_t n, std::string_view path, int got, int want) {
    std::fprintf(stderr, "%s/%zu: %.*s matched route %d, expected %d\n", router, n, static_cast<int>(path.size()),
                 path.data(), got, want);
    std::exit(1);
}

/// Registers the benchmarks of one app, after checking that both routers answer each request
/// with the expected route.
template <const auto& App, std::size_t N>
void register_app(const bench::sample (&samples)[N]) {
    static constexpr auto routes = std::remove_cvref_t<decltype(App)>::routes();
    static const naive_router naive{routes};
    constexpr std::size_t n = routes.size();
    for (const bench::sample& s : samples) {
        const auto m = App.match(vial::method::get, s.path);
        const int vial_route = m.found() ? static_cast<int>(m.route()) : -1;
        if (vial_route != s.route) fail("vial", n, s.path, vial_route, s.route);
        std::array<naive_router::value, naive_router::max_segments> values{};
        const int naive_route = naive.match(vial::method::get, s.path, values);
        if (naive_route != s.route) fail("naive", n, s.path, naive_route, s.route);

        std::string suffix = "/";
        suffix.append(std::to_string(n)).append("/").append(s.family).append("/").append(s.position);
        auto* v = benchmark::RegisterBenchmark(std::string("vial").append(suffix).c_str(), bench_vial<App>, s.path);
        auto* b = benchmark::RegisterBenchmark(std::string("naive").append(suffix).c_str(), bench_naive, &naive, s.path);
        if (const char* iterations = std::getenv("VIAL_BENCH_ITERATIONS")) {
            const auto count = static_cast<benchmark::IterationCount>(std::strtoll(iterations, nullptr, 10));
            v->Iterations(count);
            b->Iterations(count);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
#if defined(VIAL_BENCH_LARGE)
    register_app<bench::routes_1000::app>(bench::routes_1000::samples);
    register_app<bench::routes_3000::app>(bench::routes_3000::samples);
#else
    register_app<bench::routes_5::app>(bench::routes_5::samples);
    register_app<bench::routes_100::app>(bench::routes_100::samples);
    register_app<bench::routes_300::app>(bench::routes_300::samples);
#endif
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
