#!/usr/bin/env bash
# Compile time and peak memory of router-only apps of 300, 1,000 and 3,000 routes.
#
# usage: bench/compile/measure.sh [--markdown] [SIZE...]
#   Generates each app with gen_app.py into a temporary directory, compiles it with
#   `${CXX:-g++} -std=c++20 -O2 -c` under GNU time, and prints per size: wall seconds,
#   user+sys CPU seconds, and peak RSS (GNU time's "Maximum resident set size").
#   --markdown prints a markdown table instead of plain columns.
# Environment: CXX (default g++), VIAL_COMPILE_TIMEOUT (seconds per compile, default 600),
#              LAYOUT (nested, the default: blueprints as a service groups them; flat: every
#              route directly in vial::app with its own handler, see gen_app.py --flat),
#              URL_FOR (template, the default: url_for<"x", app>(...); argument: the older
#              url_for<"x">(app, ...), whose cost grows with routes x endpoints).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
include_dir="$(cd "$here/../../include" && pwd)"
cxx="${CXX:-g++}"
timeout_s="${VIAL_COMPILE_TIMEOUT:-600}"

markdown=0
if [[ "${1:-}" == "--markdown" ]]; then
  markdown=1
  shift
fi
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(300 1000 3000); fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ $markdown -eq 1 ]]; then
  echo "| routes | wall (s) | CPU user+sys (s) | peak RSS (MB) | result |"
  echo "|---:|---:|---:|---:|---|"
else
  printf '%-8s %10s %12s %14s  %s\n' routes wall_s cpu_s peak_rss_MB result
fi

for n in "${sizes[@]}"; do
  src="$work/app_$n.cpp"
  gen_flags=()
  if [[ "${LAYOUT:-nested}" == flat ]]; then gen_flags+=(--flat); fi
  if [[ "${URL_FOR:-template}" == argument ]]; then gen_flags+=(--app-argument); fi
  python3 "$here/gen_app.py" "${gen_flags[@]}" "$n" "$src"
  status=0
  timeout "$timeout_s" /usr/bin/time -v "$cxx" -std=c++20 -O2 -c -I"$include_dir" "$src" -o "$work/app_$n.o" \
    > "$work/out_$n.txt" 2>&1 || status=$?
  # GNU time reports "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:03.21".
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
           n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; printf "%.1f", s }' "$work/out_$n.txt")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END { printf "%.1f", u + s }' "$work/out_$n.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/out_$n.txt")
  if [[ $status -eq 0 ]]; then
    result=ok
  elif [[ $status -eq 124 ]]; then
    result="timed out after ${timeout_s} s"
    wall=">${timeout_s}"
  else
    # The compiler's first error line says what went wrong (e.g. the template depth).
    result="failed: $(grep -m1 -oE '(fatal )?error: .{0,100}' "$work/out_$n.txt" || echo "exit $status")"
  fi
  if [[ $markdown -eq 1 ]]; then
    echo "| $n | ${wall:-?} | ${cpu:-?} | ${rss:-?} | $result |"
  else
    printf '%-8s %10s %12s %14s  %s\n' "$n" "${wall:-?}" "${cpu:-?}" "${rss:-?}" "$result"
  fi
done
