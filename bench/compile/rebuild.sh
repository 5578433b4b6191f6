#!/usr/bin/env bash
# What a full build of vial's library, tests and examples costs: configures a fresh build
# directory and times `cmake --build` of everything (the targets ctest needs), as a
# contributor's first build or a CI run does.
#
# usage: bench/compile/rebuild.sh [SOURCE_DIR]
#   SOURCE_DIR  a checkout of vial (default: this one); to compare with another revision:
#               git archive main | tar -x -C /tmp/vial-main && bench/compile/rebuild.sh /tmp/vial-main
# Environment: BUILD_TYPE (default Debug, as scripts/test's first build), JOBS (default 2),
#              BUILD_DIR (default: a temporary directory, removed afterwards),
#              CMAKE_ARGS (more configure arguments, e.g. -DVIAL_WERROR=ON).
# Prints wall seconds and the CPU seconds (user+sys) of the compiler and linker processes.
set -euo pipefail

source_dir="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)"
build_type="${BUILD_TYPE:-Debug}"
jobs="${JOBS:-2}"
if [[ -n "${BUILD_DIR:-}" ]]; then
  build_dir="$BUILD_DIR"
  rm -rf "$build_dir"
else
  build_dir="$(mktemp -d)"
  trap 'rm -rf "$build_dir"' EXIT
fi

# shellcheck disable=SC2086
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" ${CMAKE_ARGS:-} >/dev/null
times="$(mktemp)"
/usr/bin/time -f '%e %U %S' -o "$times" cmake --build "$build_dir" -j"$jobs" >/dev/null
read -r wall user sys < "$times"
rm -f "$times"
targets=$(find "$build_dir" -name '*.o' | wc -l)
echo "source: $source_dir ($(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"
echo "build type: $build_type, -j$jobs, $targets object files"
echo "wall: ${wall} s; CPU user+sys: $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }') s"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
