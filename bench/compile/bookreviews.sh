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
# shellcheck source=bench/compile/timing.sh
source bench/compile/timing.sh
timing_header
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
  label=$file
  [[ $markdown -eq 1 ]] && label="\`$file\`"
  timing_row "$label" 16 bash -c "$cmd"
done
echo "(load: $(uptime | sed 's/.*load average: //'))"
