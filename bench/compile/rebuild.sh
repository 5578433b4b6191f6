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
#              CMAKE_ARGS (more configure arguments, e.g. -DVIAL_WERROR=ON),
#              TARGETS (what to build, default all: e.g. vial_vial, the library alone),
#              CPU_LOG (a file: each compile and link then runs under cpu-launcher.sh, which
#              appends "compile|link user sys output source" to it, to sum objects by source).
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

launcher_args=()
if [[ -n "${CPU_LOG:-}" ]]; then
  CPU_LOG="$(cd "$(dirname "$CPU_LOG")" && pwd)/$(basename "$CPU_LOG")"
  export CPU_LOG
  : > "$CPU_LOG"
  launcher="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cpu-launcher.sh"
  launcher_args=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_CXX_LINKER_LAUNCHER="$launcher")
fi
# shellcheck disable=SC2086
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" "${launcher_args[@]}" \
  ${CMAKE_ARGS:-} >/dev/null
times="$(mktemp)"
target_args=()
for target in ${TARGETS:-}; do target_args+=(--target "$target"); done
/usr/bin/time -f '%e %U %S' -o "$times" cmake --build "$build_dir" -j"$jobs" "${target_args[@]}" >/dev/null
read -r wall user sys < "$times"
rm -f "$times"
targets=$(find "$build_dir" -name '*.o' | wc -l)
# An unpacked `git archive` inside another checkout is not that checkout's HEAD.
if [[ "$(git -C "$source_dir" rev-parse --show-toplevel 2>/dev/null)" == "$source_dir" ]]; then
  revision=$(git -C "$source_dir" rev-parse --short HEAD)
else
  revision='not a git checkout'
fi
echo "source: $source_dir ($revision)"
echo "build type: $build_type, -j$jobs, targets: ${TARGETS:-all}, $targets object files"
echo "wall: ${wall} s; CPU user+sys: $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }') s"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
