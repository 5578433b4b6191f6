#!/usr/bin/env bash
# BookReviews' book page: vial against its Flask twin (bench/bookreviews/twin.py: Flask 2.2,
# the same template files, the same SQLite file), served by gunicorn, measured with wrk.
#
#   bench/bookreviews/run.sh                      build examples/bookreviews (Release), measure
#   bench/bookreviews/run.sh PATH/TO/bookreviews  measure that binary (builds nothing)
#
# The example makes and seeds the database on its first run; book 1 is then topped up to
# REVIEWS (50) reviews. Each server runs on one core (the last; wrk on the others): vial with
# --threads 1; gunicorn with one worker, as gthread with one thread (keep-alive, as wrk and
# vial use it) and as its default sync worker (a connection per request). Each round (the
# order rotates) gives each server DURATION of `wrk -t1 -cCONNECTIONS --latency` on
# GET /books/1: req/s, p50/p99, and the server's CPU per request from /proc/PID/stat (utime +
# stime before and after; gunicorn's master and workers summed). Prints a markdown table with
# the ratios (issue 9's target: >= 20x Flask's req/s per core and < 1/20 of its CPU/request).
#
# Environment: DURATION [10s], WARMUP [3s], ROUNDS [3], CONNECTIONS [32], REVIEWS [50],
#   PIN [1 on 2+ cores], SERVERS ["vial flask-gthread flask-sync"], KEEP_TMP [0],
#   BUILD_DIR [build-bench-bookreviews]
# Needs: wrk, python3-flask, gunicorn (Debian's; installed when missing), and to build:
#   what scripts/setup installs (g++, cmake, Boost, nlohmann-json, libssl-dev, libsqlite3-dev).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

need=()
for p in wrk python3-flask gunicorn; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] || scripts/install-packages run.sh "${need[@]}"

if [ $# -ge 1 ]; then
  app=$1
else
  BUILD_DIR=${BUILD_DIR:-build-bench-bookreviews}
  echo "run.sh: building examples/bookreviews (Release) in $BUILD_DIR" >&2
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" --target bookreviews -j"$(nproc)" >/dev/null
  app=$BUILD_DIR/examples/bookreviews/bookreviews
fi
[ -x "$app" ] || { echo "run.sh: $app is not an executable" >&2; exit 1; }
echo "run.sh: $(uptime)" >&2
python3 bench/bookreviews/bench.py "$app"
echo "run.sh: $(uptime)" >&2
