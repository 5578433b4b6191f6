#!/usr/bin/env bash
# Builds and runs vial's router benchmarks and prints the tables of docs/performance.md.
#
# usage: bench/run.sh [BUILD_DIR]
#   BUILD_DIR defaults to build-bench in the source tree. Configures a Release build with
#   -DVIAL_BUILD_BENCH=ON (tests and examples off), runs the match benchmark (median of 5
#   repetitions) and bench/compile/measure.sh, and prints the machine, then both tables.
# Environment: VIAL_BENCH_FILTER (a --benchmark_filter regex, default all),
#              VIAL_BENCH_LARGE=1 (also the match benchmark of 1,000 and 3,000 routes),
#              VIAL_BENCH_REPETITIONS (default 5), CXX (compiler, default g++).
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$src/build-bench}"
repetitions="${VIAL_BENCH_REPETITIONS:-5}"

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF -DVIAL_BUILD_EXAMPLES=OFF \
  -DVIAL_BUILD_BENCH=ON > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" --target vial_bench_route_match >&2

json="$build/route_match.json"
"$build/bench/vial_bench_route_match" --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_filter="${VIAL_BENCH_FILTER:-.}" \
  --benchmark_out="$json" --benchmark_out_format=json >&2

echo "## Machine"
echo
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
echo "- Compiler: $("${CXX:-g++}" --version | head -1)"
echo "- Load average at the start of the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## Router matching (median of $repetitions repetitions, CPU time per match)"
echo
python3 "$src/bench/match_table.py" "$json"
if [[ -n "${VIAL_BENCH_LARGE:-}" ]]; then
  # The apps of 1,000 and 3,000 routes: minutes and over 2 GB to compile, so only on request.
  cmake --build "$build" --target vial_bench_route_match_large >&2
  "$build/bench/vial_bench_route_match_large" --benchmark_repetitions="$repetitions" \
    --benchmark_report_aggregates_only=true --benchmark_filter="${VIAL_BENCH_FILTER:-.}" \
    --benchmark_out="$build/route_match_large.json" --benchmark_out_format=json >&2
  echo
  python3 "$src/bench/match_table.py" "$build/route_match_large.json"
fi
echo
echo "## Compile time (g++ -std=c++20 -O2 -c, one translation unit)"
echo
"$src/bench/compile/measure.sh" --markdown
echo
echo "The same with every route directly in vial::app, each with its own handler (LAYOUT=flat):"
echo
LAYOUT=flat "$src/bench/compile/measure.sh" --markdown 300
