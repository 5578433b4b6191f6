#!/usr/bin/env bash
# Compile cost of BookReviews' translation units (issue 9: the example app's templates): wall
# time, CPU (user+sys) and peak memory of each file of examples/bookreviews/, compiled with
# the exact command of a CMake build (flags, defines, the generated templates header).
#   pages.cpp        the HTML handlers and the six templates (the only file that renders them)
#   api.cpp          the JSON API's handlers: the same app header, no template
#   bookreviews.cpp  main: vial::run (the request pipeline for every route) and the OpenAPI spec
#
# usage: bench/compile/bookreviews.sh [BUILD_DIR] [--markdown]
#   BUILD_DIR: a configured build tree (default build; Debug in scripts/test, -O0)
# Environment: REPEAT (compiles per file, the median is shown; default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
markdown=0
[[ "${2:-}" == "--markdown" ]] && markdown=1
repeat="${REPEAT:-3}"
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
# The generated templates header and the libraries' objects, so that only the compiles are timed.
cmake --build "$build" -j2 --target bookreviews >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
if [[ $markdown -eq 1 ]]; then
  echo "| file | wall (s) | CPU user+sys (s) | peak RSS (MB) |"
  echo "|---|---|---|---|"
fi
for file in pages.cpp api.cpp bookreviews.cpp; do
  cmd=$(python3 - "$build/compile_commands.json" "examples/bookreviews/$file" "$work/out.o" <<'PY'
import json, shlex, sys, os
db, name, out = sys.argv[1:]
for e in json.load(open(db)):
    if os.path.realpath(e["file"]) == os.path.realpath(name):
        args = shlex.split(e["command"])
        i = args.index("-o")
        args[i + 1] = out
        print("cd " + shlex.quote(e["directory"]) + " && " + shlex.join(args))
        break
PY
)
  [[ -n "$cmd" ]] || { echo "no compile command for $file in $build" >&2; exit 1; }
  : > "$work/times"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" bash -c "$cmd"
    cat "$work/t" >> "$work/times"
  done
  wall=$(awk '{print $1}' "$work/times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/times" | median)
  rss=$(awk '{print $4 / 1024}' "$work/times" | median)
  if [[ $markdown -eq 1 ]]; then
    printf '| `%s` | %.1f | %.1f | %.0f |\n' "$file" "$wall" "$cpu" "$rss"
  else
    printf '%-16s wall %6.1f s  cpu %6.1f s  rss %6.0f MB\n' "$file" "$wall" "$cpu" "$rss"
  fi
done
echo "(load: $(uptime | sed 's/.*load average: //'))"
