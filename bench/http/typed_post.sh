#!/usr/bin/env bash
# A typed POST over HTTP: examples/todo_api reading a 10-field todo with 20 nested items into
# a struct (json<new_todo>), validating it and writing the stored todo back as JSON
# (PUT /todos/1: replace, so the store does not grow), next to POST /echo of the same bytes
# (the body sent back untouched) on the same server, in one run, alternating, with wrk over
# loopback: bench/http/run.sh's method (pinned cores, CPU time per request from /proc/PID/stat).
#
#   bench/http/typed_post.sh            build (Release), measure, print a markdown table
#   DURATION=2s ROUNDS=1 bench/http/typed_post.sh   a quick check
#
# Environment: DURATION [6s], WARMUP [2s], ROUNDS [5], CONNECTIONS [64], BUILD_DIR
#              [build-bench-http], PIN [1 on 2+ cores]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
DURATION=${DURATION:-6s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
BUILD_DIR=${BUILD_DIR:-build-bench-http}
pin_default=0
[ "$(nproc)" -ge 2 ] && pin_default=1
PIN=${PIN:-$pin_default}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
[ ${#need[@]} -eq 0 ] || scripts/install-packages typed_post.sh "${need[@]}"

echo "typed_post.sh: building examples/todo_api (Release) in $BUILD_DIR" >&2
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target todo_api -j2 >/dev/null

tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The body: 10 fields, 20 items.
python3 - > "$tmp/todo.json" <<'PY'
import json
print(json.dumps({
    "title": "prepare the quarterly report for the board meeting",
    "description": "collect the numbers from every team, check them twice, and write the summary",
    "level": "high",
    "tags": ["work", "report", "q3", "board"],
    "items": [{"name": f"step {i}: gather and check the figures of team {i}", "done": i % 3 == 0} for i in range(20)],
    "done": False,
    "estimate_minutes": 240,
    "owner": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "due": "2026-12-31",
    "progress": 0.25}, separators=(",", ":")))
PY
bytes=$(wc -c < "$tmp/todo.json")
cat > "$tmp/put.lua" <<EOF2
local f = io.open("$tmp/todo.json", "rb"); wrk.body = f:read("*a"); f:close()
wrk.method = os.getenv("METHOD"); wrk.headers["Content-Type"] = "application/json"
function done(summary, latency, requests) io.write(string.format("REQUESTS %d\n", summary.requests)) end
EOF2

"$BUILD_DIR/examples/todo_api" --port 0 --threads 1 --no-access-log > "$tmp/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/server.log" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "typed_post.sh: todo_api did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/todo.json" "$base/todos" >/dev/null
typed=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data-binary @"$tmp/todo.json" "$base/todos/1")
[ "$typed" = 200 ] || { echo "typed_post.sh: PUT /todos/1 answered $typed" >&2; exit 1; }

wrk_cmd=(wrk)
if [ "$PIN" = 1 ]; then
  last=$(($(nproc) - 1))
  taskset -a -p -c "$last" "$server_pid" >/dev/null
  wrk_cmd=(taskset -c "0-$((last - 1))" wrk)
fi
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A reqs cpu rps_list
measure() {  # name method path duration
  local before after out n
  before=$(ticks)
  out=$(METHOD=$2 "${wrk_cmd[@]}" -t1 -c"$CONNECTIONS" -d"$4" -s "$tmp/put.lua" "$base$3")
  after=$(ticks)
  n=$(awk '/^REQUESTS/{print $2}' <<<"$out")
  if [ "$4" != "$WARMUP" ] || [ "${5:-}" = measured ]; then
    reqs[$1]=$(( ${reqs[$1]:-0} + n ))
    cpu[$1]=$(( ${cpu[$1]:-0} + after - before ))
    rps_list[$1]="${rps_list[$1]:-} $(awk '/^Requests\/sec/{print $2}' <<<"$out")"
  fi
}
if [ "$WARMUP" != 0 ]; then
  METHOD=PUT "${wrk_cmd[@]}" -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$tmp/put.lua" "$base/todos/1" >/dev/null
  METHOD=POST "${wrk_cmd[@]}" -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$tmp/put.lua" "$base/echo" >/dev/null
fi
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    measure typed PUT /todos/1 "$DURATION" measured; measure echo POST /echo "$DURATION" measured
  else
    measure echo POST /echo "$DURATION" measured; measure typed PUT /todos/1 "$DURATION" measured
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
us() { awk -v t="${cpu[$1]}" -v n="${reqs[$1]}" -v hz="$hz" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }'; }
echo
echo "body: $bytes bytes (10 fields, 20 items); wrk -t1 -c$CONNECTIONS, $ROUNDS x $DURATION each; todo_api --threads 1$( [ "$PIN" = 1 ] && echo ", pinned to its own core"); load before $load_before, after $load_after"
echo
echo "| request | req/s (median) | server CPU per request (us) | requests |"
echo "|---|---|---|---|"
echo "| PUT /todos/1, json<new_todo> in, todo out | $(median <<<"${rps_list[typed]}") | $(us typed) | ${reqs[typed]} |"
echo "| POST /echo, the same bytes back | $(median <<<"${rps_list[echo]}") | $(us echo) | ${reqs[echo]} |"
awk -v a="$(us typed)" -v b="$(us echo)" 'BEGIN { printf "\ntyped - echo: %.1f us of CPU per request for reading, validating and writing the todo\n", a - b }'
