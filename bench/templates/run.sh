#!/usr/bin/env bash
# The template benchmark of docs/performance.md ("Templates"): builds bench/templates in
# Release, checks that vial, the hand-built page, mustache and Jinja2 give the same bytes, runs
# the benchmark (one run, 3 repetitions, CPU time), counts instructions per page with callgrind
# (valgrind) when it is installed, times Jinja2 on the same template files, and
# measures the compile cost (wall time, peak memory) of the benchmark's translation unit with
# and without its render calls.
#
# usage: bench/templates/run.sh [BUILD_DIR]     (default: build-bench)
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$src/build-bench}"
# Debian 12 packages the comparison needs (installed when missing).
"$src/scripts/install-packages" run.sh libkainjow-mustache-dev python3-jinja2 valgrind
mkdir -p "$build"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF -DVIAL_BUILD_EXAMPLES=OFF \
  -DVIAL_BUILD_BENCH=ON > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" --target vial_bench_template_page >&2
exe="$build/bench/vial_bench_template_page"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$exe" --print=vial > "$tmp/vial.html"
"$exe" --print=mustache > "$tmp/mustache.html"
python3 "$src/bench/templates/jinja_book.py" --print > "$tmp/jinja.html"
cmp "$tmp/vial.html" "$tmp/jinja.html" && echo "vial's page is byte for byte Jinja2's ($(wc -c < "$tmp/vial.html") bytes)"
cmp "$tmp/vial.html" "$tmp/mustache.html" && echo "mustache's page is byte for byte the same"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$exe" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
# Instructions per page (callgrind counts them, which the load does not change): N pages one
# way, less the same program rendering none.
if command -v valgrind > /dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" --count="$1:$2" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,; }
  base=$(count none 200)
  for w in vial hand mustache mustache_render_only; do
    echo "$w: $(( ($(count "$w" 200) - base) / 200 )) instructions per page (callgrind, 200 pages)"
  done
fi
python3 "$src/bench/templates/jinja_book.py" --seconds 3
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# Compile cost of the translation unit (g++ -O2), with its two render calls and without them.
gen="$build/bench/vial_templates_vial_bench_template_page"
flags=(-std=c++20 -O2 -I"$src/include" -I"$gen" -DVIAL_BENCH_TEMPLATES_DIR=\"x\" -c -o /dev/null)
sed -e 's/vial::render_template_to<"book.html">(out, book_templates, p, app);/(void)out; (void)p;/' \
    -e 's/std::string out = vial::render_template<"book.html">(book_templates, page, app);/std::string out;/' \
    "$src/bench/templates/template_page.cpp" > "$tmp/without_templates.cpp"
for f in "$src/bench/templates/template_page.cpp" "$tmp/without_templates.cpp"; do
  /usr/bin/time -f "$(basename "$f"): %e s wall, %U s user CPU, %M KiB peak" "${CXX:-g++}" "${flags[@]}" -I"$src/bench/templates" "$f"
done
