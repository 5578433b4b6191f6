#!/usr/bin/env bash
# What an app's file costs to compile, and what vial's compiled library costs once.
#
# usage: bench/compile/apps.sh [--markdown] [--include DIR] [--repeat N] [--no-library]
#   Compiles, one translation unit each, `${CXX:-g++} -std=c++20 -O3 -DNDEBUG -c` under GNU
#   time, N times (default 3), and prints the median by CPU time of:
#     route.hpp      a file holding only `#include <vial/route.hpp>` (the router core)
#     nlohmann       a file holding only `#include <nlohmann/json.hpp>`
#     vial.hpp       a file holding only `#include <vial/vial.hpp>`
#     hello          examples/hello.cpp (6 routes, JSON, vial::run)
#     app30          bench/compile/app30.cpp (30 routes, 3 blueprints, hooks, error handlers),
#                    its JSON results nlohmann::json trees (<vial/json.hpp>)
#     app30 writer   the same file with -DAPP30_JSON_WRITER: its JSON written by
#                    vial::json_writer, no nlohmann in the file (skipped for a checkout
#                    without vial/http/json_writer.hpp)
#   and then (unless --no-library) the library: every src/**/*.cpp compiled once in a row with
#   the same flags (what `cmake --build` spends on libvial, less the archiver).
#   --include DIR measures the headers (and src/) of another checkout of vial, e.g. one made
#   with `git archive main | tar -x -C /tmp/vial-main`, to compare before and after.
# Columns: wall seconds, user+sys CPU seconds, peak RSS (GNU time's maximum resident set size).
# Environment: CXX (default g++).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tree="$root"
markdown=0
repeat=3
library=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --markdown) markdown=1 ;;
    --include) tree="$(cd "$2" && pwd)"; shift ;;
    --repeat) repeat="$2"; shift ;;
    --no-library) library=0 ;;
    *) echo "usage: $0 [--markdown] [--include DIR] [--repeat N] [--no-library]" >&2; exit 2 ;;
  esac
  shift
done
cxx="${CXX:-g++}"
flags=(-std=c++20 -O3 -DNDEBUG)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo '#include <vial/route.hpp>' > "$work/route_only.cpp"
echo '#include <nlohmann/json.hpp>' > "$work/nlohmann_only.cpp"
echo '#include <vial/vial.hpp>' > "$work/vial_only.cpp"

# measure SOURCE... : compiles each source in turn; prints "wall cpu rss_mb" summed over the
# sources (rss: the largest).
measure() {
  local wall=0 cpu=0 rss=0 out="$work/time.txt" src
  for src in "$@"; do
    /usr/bin/time -f '%e %U %S %M' -o "$out" "$cxx" "${flags[@]}" ${extra_flags:-} -I"$tree/include" -c "$src" -o "$work/out.o"
    read -r w u s m < "$out"
    wall=$(awk -v a="$wall" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
    cpu=$(awk -v a="$cpu" -v b="$u" -v c="$s" 'BEGIN { printf "%.2f", a + b + c }')
    rss=$(awk -v a="$rss" -v b="$m" 'BEGIN { printf "%d", (b / 1024 > a) ? b / 1024 : a }')
  done
  echo "$wall $cpu $rss"
}

# median NAME SOURCE... : N runs, the one with the median CPU time.
median() {
  local name="$1"; shift
  local runs=() i
  for ((i = 0; i < repeat; ++i)); do runs+=("$(measure "$@")"); done
  local mid
  mid=$(printf '%s\n' "${runs[@]}" | sort -k2,2 -n | sed -n "$(( (repeat + 1) / 2 ))p")
  read -r w c r <<< "$mid"
  if [[ $markdown -eq 1 ]]; then
    echo "| $name | $w | $c | $r |"
  else
    printf '%-10s %8s %8s %8s\n' "$name" "$w" "$c" "$r"
  fi
}

if [[ $markdown -eq 1 ]]; then
  echo "| file | wall (s) | CPU user+sys (s) | peak RSS (MB) |"
  echo "|---|---:|---:|---:|"
else
  printf '%-10s %8s %8s %8s\n' file wall_s cpu_s rss_MB
fi
median route.hpp "$work/route_only.cpp"
median nlohmann "$work/nlohmann_only.cpp"
median vial.hpp "$work/vial_only.cpp"
median hello "$tree/examples/hello.cpp"
median app30 "$here/app30.cpp"
if [[ -f "$tree/include/vial/http/json_writer.hpp" ]]; then
  extra_flags=-DAPP30_JSON_WRITER median "app30 writer" "$here/app30.cpp"
fi
if [[ $library -eq 1 && -d "$tree/src" ]]; then
  mapfile -t sources < <(find "$tree/src" -name '*.cpp' | sort)
  median "libvial (${#sources[@]} files)" "${sources[@]}"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
