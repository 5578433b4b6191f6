#!/usr/bin/env bash
# System calls per request of examples/hello and of nginx, by kind, counted by the kernel's
# syscall tracepoints (`perf stat -e 'syscalls:sys_enter_*'`) while wrk sends keep-alive
# requests over loopback. On this benchmark most of a server's CPU time is spent in the
# kernel (see docs/performance.md), so the number of calls per request is what user-space
# work cannot show: a recv that finds nothing costs about as much as 1,500 instructions.
#
#   bench/http/syscalls.sh                  /plaintext, -c64
#   CONNECTIONS=256 bench/http/syscalls.sh /json
#
# Environment: DURATION [5s] per measured wrk run (after a 2 s unmeasured one), CONNECTIONS
# [64], THREADS [1], BUILD_DIR [build-bench-http] (Release, built when missing or stale).
# Needs perf with access to tracepoints (root, or kernel.perf_event_paranoid <= -1), wrk,
# nginx-light, curl, python3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
BUILD_DIR=${BUILD_DIR:-build-bench-http}
endpoints=("$@")
[ ${#endpoints[@]} -gt 0 ] || endpoints=(/plaintext)
command -v perf >/dev/null || { echo "syscalls.sh: needs perf (apt-get install linux-perf)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "syscalls.sh: building examples/hello (Release) in $BUILD_DIR" >&2
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target hello -j"$(nproc)" >/dev/null

# shellcheck source=bench/http/servers.sh
. "$repo/bench/http/servers.sh"
start_servers syscalls.sh "$BUILD_DIR/examples/hello" "$THREADS" "$NGINX"

seconds=${DURATION%s}
for ep in "${endpoints[@]}"; do
  for s in vial nginx; do
    url="http://127.0.0.1:$(port_of "$s")$ep"
    wrk -t1 -c"$CONNECTIONS" -d2s "$url" >/dev/null
    pids=$(server_pids "$s" | paste -sd, -)
    perf stat -e 'syscalls:sys_enter_*' -p "$pids" -o "$tmp/perf-$s.txt" -- sleep "$((seconds + 1))" &
    perf_pid=$!
    sleep 0.3
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$url" | awk '/ requests in /{print $1}' >"$tmp/requests-$s.txt"
    wait "$perf_pid"
  done
  echo "### System calls per request, GET $ep, wrk -t1 -c$CONNECTIONS, keep-alive"
  echo
  python3 - "$tmp" <<'PY'
import re, sys, pathlib
tmp = pathlib.Path(sys.argv[1])
counts = {}
for s in ("vial", "nginx"):
    n = int((tmp / f"requests-{s}.txt").read_text().split()[0])
    for line in (tmp / f"perf-{s}.txt").read_text().splitlines():
        m = re.match(r"\s*([\d,]+)\s+syscalls:sys_enter_(\w+)", line)
        if m and int(m.group(1).replace(",", "")) > 0:
            counts.setdefault(m.group(2), {})[s] = int(m.group(1).replace(",", "")) / n
rows = sorted(counts.items(), key=lambda kv: -max(kv[1].values()))
print("| system call | vial | nginx |\n|---|---:|---:|")
total = {"vial": 0.0, "nginx": 0.0}
for name, per in rows:
    for s in total: total[s] += per.get(s, 0.0)
    if max(per.values()) >= 0.005:
        print(f"| {name} | {per.get('vial', 0):.3f} | {per.get('nginx', 0):.3f} |")
print(f"| all | {total['vial']:.3f} | {total['nginx']:.3f} |\n")
PY
done
