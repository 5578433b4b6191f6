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
# shellcheck source=bench/compile/timing.sh
source "$here/timing.sh"
timing_header
for variant in typed nodoc structs untyped; do
  python3 "$here/gen_typed_api.py" "$variant" "$work/$variant.cpp"
  timing_row "$variant" 8 "$cxx" -std=c++20 -O2 -I"$include_dir" -c "$work/$variant.cpp" -o "$work/$variant.o"
done
