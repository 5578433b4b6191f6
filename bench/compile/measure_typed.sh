#!/usr/bin/env bash
# Compile time and peak memory of a typed API of 30 routes and 20 reflected structs in one
# file at -O2 (issue 8's target: <= 15 s and <= 1.5 GB), next to the same file with the
# structs only (what reflecting them with Hana costs), the API without its OpenAPI document, and
# the same 30 routes written by hand on nlohmann (the baseline). See gen_typed_api.py.
#
# usage: bench/compile/measure_typed.sh [--markdown]
# Environment: CXX (default g++), REPEAT (compiles per variant, the median is shown; default 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
include_dir="$(cd "$here/../../include" && pwd)"
cxx="${CXX:-g++}"
repeat="${REPEAT:-3}"
markdown=0
[[ "${1:-}" == "--markdown" ]] && markdown=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
if [[ $markdown -eq 1 ]]; then
  echo "| file | wall (s) | CPU user+sys (s) | peak RSS (MB) |"
  echo "|---|---|---|---|"
fi
for variant in typed nodoc structs untyped; do
  python3 "$here/gen_typed_api.py" "$variant" "$work/$variant.cpp"
  : > "$work/$variant.times"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$cxx" -std=c++20 -O2 -I"$include_dir" -c "$work/$variant.cpp" -o "$work/$variant.o"
    cat "$work/t" >> "$work/$variant.times"
  done
  wall=$(awk '{print $1}' "$work/$variant.times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/$variant.times" | median)
  rss=$(awk '{print $4 / 1024}' "$work/$variant.times" | median)
  if [[ $markdown -eq 1 ]]; then
    printf '| %s | %.1f | %.1f | %.0f |\n' "$variant" "$wall" "$cpu" "$rss"
  else
    printf '%-8s wall %6.1f s  cpu %6.1f s  rss %6.0f MB\n' "$variant" "$wall" "$cpu" "$rss"
  fi
done
