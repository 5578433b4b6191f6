// The web layer's per-request costs: signing and verifying a session cookie, a request that
// reads a session, and a static file answered from its validators (304) or sent (200).
// Built with -DVIAL_BUILD_BENCH=ON: build-bench/bench/vial_bench_web_session
#include <vial/vial.hpp>
#include <vial/web.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

const vial::secret_keys keys{"bench-key-0123456789abcdef"};
const nlohmann::json data = {{"user_id", "12345"}, {"_csrf_token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}};

void session_encode(benchmark::State& state) {
    const vial::session_codec codec(keys);
    const auto now = std::chrono::system_clock::now();
    for (auto _ : state) benchmark::DoNotOptimize(codec.encode(data, now));
}
BENCHMARK(session_encode);

void session_decode(benchmark::State& state) {
    const vial::session_codec codec(keys);
    const auto now = std::chrono::system_clock::now();
    const std::string cookie = codec.encode(data, now);
    for (auto _ : state) benchmark::DoNotOptimize(codec.decode(cookie, now, std::chrono::hours(1)));
}
BENCHMARK(session_decode);

void session_decode_tampered(benchmark::State& state) {
    const vial::session_codec codec(keys);
    const auto now = std::chrono::system_clock::now();
    std::string cookie = codec.encode(data, now);
    cookie[2] = cookie[2] == 'A' ? 'B' : 'A';
    for (auto _ : state) benchmark::DoNotOptimize(codec.decode(cookie, now, std::chrono::hours(1)));
}
BENCHMARK(session_decode_tampered);

constexpr auto app = vial::web_app(
    vial::get<"/plain">([] { return "hi"; }),
    vial::get<"/me">([](vial::session<>& s) { return s.get("user_id", "-"); }),
    vial::static_files("vial_bench_static"));

void request_without_session(benchmark::State& state) {
    vial::sessions s(keys);
    vial::test_client client(app, s);
    for (auto _ : state) benchmark::DoNotOptimize(client.get("/plain"));
}
BENCHMARK(request_without_session);

void request_reading_session(benchmark::State& state) {
    vial::sessions s(keys);
    vial::test_client client(app, s);
    const std::string cookie = "session=" + vial::session_codec(keys).encode(data, std::chrono::system_clock::now());
    const vial::header_list headers{{"Cookie", cookie}};
    for (auto _ : state) benchmark::DoNotOptimize(client.get("/me", headers));
}
BENCHMARK(request_reading_session);

void static_file(benchmark::State& state, bool revalidate) {
    std::filesystem::create_directories("vial_bench_static");
    std::ofstream("vial_bench_static/site.css") << std::string(4096, 'x');
    vial::sessions s(keys);
    vial::test_client client(app, s);
    const std::string etag(client.get("/static/site.css").header("ETag"));
    const vial::header_list headers{{"If-None-Match", revalidate ? etag : std::string("\"none\"")}};
    for (auto _ : state) benchmark::DoNotOptimize(client.get("/static/site.css", headers));
}
BENCHMARK_CAPTURE(static_file, 304_by_etag, true);
BENCHMARK_CAPTURE(static_file, 200_4kb, false);

}  // namespace

BENCHMARK_MAIN();
