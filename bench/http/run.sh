#!/usr/bin/env bash
# HTTP benchmark: examples/hello (vial's server) against nginx serving the same
# three answers, measured with wrk over loopback in one run, alternating between the servers.
#
#   bench/http/run.sh                 build, check, measure, print a markdown table
#   bench/http/run.sh --write-docs    ... and write it under "## HTTP server" in docs/performance.md
#   DURATION=2s bench/http/run.sh     a quick check (each wrk run lasts 2 s instead of 6 s)
#
# For every endpoint (/plaintext, /json, /user/42) and connection count (wrk -t1 -c64, -c256,
# keep-alive), vial then nginx (the order flips every round, to cancel drift) are each measured
# for DURATION: req/s, p50 and p99 latency (wrk --latency), and the server's CPU time per
# request (utime+stime from /proc/PID/stat before and after the run, nginx master + workers,
# divided by the requests wrk completed). Peak RSS is VmHWM from /proc/PID/status at the end.
# All traffic goes to 127.0.0.1; both servers are stopped on exit.
#
# Environment (defaults in brackets):
#   THREADS [1]          vial --threads and nginx worker_processes
#   DURATION [6s]        each measured wrk run
#   WARMUP [2s]          one unmeasured wrk run per server and endpoint first (0 skips it)
#   ROUNDS [5]           repeat the whole matrix; order flips each round; the table shows
#                        medians of req/s and latency, the median of the per-round vial/nginx
#                        ratios (req/s, p99), and CPU summed over rounds
#   CONNECTIONS ["64 256"], ENDPOINTS ["/plaintext /json /user/42"], WRK_THREADS [1]
#   PIN [1 with THREADS=1 on 2+ cores, else 0]   1: the servers (every thread) run on the last
#                        core only and wrk on the others (taskset), so that the scheduler does not
#                        put wrk and the server on one core; halves the spread between rounds here
#   BUILD_DIR [build-bench-http]   vial's Release build directory (relative to the repo)
#   NGINX_PORT [free port]  KEEP_TMP [0]: 1 keeps the temp dir (configs, logs, raw wrk output)
#
# Needs: cmake, g++, Boost, nlohmann-json (as scripts/setup), wrk, nginx-light, curl, python3.
# Missing Debian packages are installed with apt-get (as root, or through sudo).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

write_docs=0
build=1
for arg in "$@"; do
  case "$arg" in
    --write-docs) write_docs=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

THREADS=${THREADS:-1}
DURATION=${DURATION:-6s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64 256}
ENDPOINTS=${ENDPOINTS:-/plaintext /json /user/42}
WRK_THREADS=${WRK_THREADS:-1}
pin_default=0
[ "$THREADS" = 1 ] && [ "$(nproc)" -ge 2 ] && pin_default=1
PIN=${PIN:-$pin_default}
BUILD_DIR=${BUILD_DIR:-build-bench-http}
KEEP_TMP=${KEEP_TMP:-0}

# --- tools -------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if [ "$build" = 1 ]; then
  for p in g++ cmake make libboost1.81-dev nlohmann-json3-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
fi
[ ${#need[@]} -eq 0 ] || "$repo/scripts/install-packages" run.sh "${need[@]}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- build -------------------------------------------------------------------------------
hello="$BUILD_DIR/examples/hello"
if [ "$build" = 1 ]; then
  echo "run.sh: building examples/hello (Release) in $BUILD_DIR" >&2
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" --target hello -j"$(nproc)" >/dev/null
fi
[ -x "$hello" ] || { echo "run.sh: $hello not found (drop --no-build)" >&2; exit 1; }

# --- servers (started, checked for the same answers, stopped on exit) ---------------------
# shellcheck source=bench/http/servers.sh
. "$repo/bench/http/servers.sh"
start_servers run.sh "$hello" "$THREADS" "$NGINX"
wrk_cmd=(wrk)
if [ "$PIN" = 1 ]; then
  last_cpu=$(($(nproc) - 1))
  [ "$last_cpu" -ge 1 ] || { echo "run.sh: PIN=1 needs at least 2 cores" >&2; exit 1; }
  for pid in $(server_pids vial) $(server_pids nginx); do taskset -a -p -c "$last_cpu" "$pid" >/dev/null; done
  wrk_cmd=(taskset -c "0-$((last_cpu - 1))" wrk)
  echo "run.sh: servers pinned to core $last_cpu, wrk to cores 0-$((last_cpu - 1))" >&2
fi

# --- measurement -------------------------------------------------------------------------
cpu_ticks() {  # "utime stime" summed over the given processes (all their threads), in clock ticks
  local user=0 sys=0 pid rest
  for pid in "$@"; do
    rest=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${rest##*) }  # the fields after "(comm) ", comm may hold spaces
    read -r -a f <<<"$rest"
    user=$((user + f[11])) sys=$((sys + f[12]))  # fields 14 and 15 of stat(5)
  done
  echo "$user $sys"
}
to_us() {  # wrk's "1.62ms" / "456.00us" / "1.02s" -> microseconds
  awk -v v="$1" 'BEGIN { u = v; sub(/^[0-9.]+/, "", u); n = v + 0;
    if (u == "us") n = n; else if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; else if (u == "m") n *= 60000000;
    printf "%.0f", n }'
}
hz=$(getconf CLK_TCK)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$tmp/results.tsv"
: >"$results"
# CPU time used by everything else while the runs are measured: the time all processes
# spent (user + nice + system in /proc/stat) minus the server's and wrk's. The load average
# cannot tell it, since the benchmark itself keeps two processes running. (Interrupt and
# softirq time, where the kernel delivers the packets over loopback, is charged to no process:
# not to the servers' CPU time either.)
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4; exit}' /proc/stat; }
irq_ticks() { awk '/^cpu /{print $7 + $8; exit}' /proc/stat; }
wrk_ticks() {  # user + system time of this shell's finished children, saved by `times >"$tmp/times"`
  awk -v hz="$hz" 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); n += a[1] * 60 + a[2] } printf "%d", n * hz }' "$tmp/times"
}
other_ticks=0    # used by other processes during the measured runs
irq_ticks_total=0  # interrupts and softirqs during them
machine_ticks_total=0  # all the cores could have given during them

if [ "$WARMUP" != 0 ]; then
  for s in vial nginx; do
    for ep in $ENDPOINTS; do
      "${wrk_cmd[@]}" -t"$WRK_THREADS" -c64 -d"$WARMUP" "http://127.0.0.1:$(port_of "$s")$ep" >/dev/null
    done
  done
fi

measure() {  # round server endpoint connections
  local s=$2 ep=$3 c=$4 out u0 s0 u1 s1 w0 w1 m0 m1 i0 pids reqs secs rps p50 p99 errors non2xx
  mapfile -t pids < <(server_pids "$s")
  out="$tmp/wrk-$1-$s-${ep//\//_}-$c.txt"
  times >"$tmp/times"
  w0=$(wrk_ticks)
  m0=$(machine_ticks)
  i0=$(irq_ticks)
  read -r u0 s0 < <(cpu_ticks "${pids[@]}")
  "${wrk_cmd[@]}" -t"$WRK_THREADS" -c"$c" -d"$DURATION" --latency "http://127.0.0.1:$(port_of "$s")$ep" >"$out"
  read -r u1 s1 < <(cpu_ticks "${pids[@]}")
  m1=$(machine_ticks)
  irq_ticks_total=$((irq_ticks_total + $(irq_ticks) - i0))
  times >"$tmp/times"
  w1=$(wrk_ticks)
  reqs=$(awk '/ requests in /{print $1}' "$out")
  secs=$(awk '/ requests in /{sub(/s,$/, "", $4); print $4}' "$out")
  rps=$(awk '/^Requests\/sec:/{print $2}' "$out")
  p50=$(to_us "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$out")")
  errors=$(awk '/Socket errors:/{gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$out")
  other_ticks=$((other_ticks + (m1 - m0) - (u1 + s1 - u0 - s0) - (w1 - w0)))
  machine_ticks_total=$((machine_ticks_total + $(awk -v t="$secs" -v hz="$hz" -v n="$(nproc)" 'BEGIN { printf "%d", t * hz * n }')))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$s" "$ep" "$c" "$reqs" "$secs" "$rps" "$p50" "$p99" \
    "$((u1 + s1 - u0 - s0))" "$((${errors:-0} + ${non2xx:-0}))" "$((u1 - u0))" >>"$results"
  printf 'run.sh: round %s %-5s %-10s -c%-4s %10s req/s  p50 %6s us  p99 %7s us  %s us CPU/req\n' "$1" "$s" "$ep" "$c" \
    "$rps" "$p50" "$p99" "$(awk -v t=$((u1 + s1 - u0 - s0)) -v n="$reqs" -v hz="$hz" 'BEGIN { printf "%.2f", n ? t / hz * 1e6 / n : 0 }')" >&2
}

for round in $(seq "$ROUNDS"); do
  order="vial nginx"
  [ $((round % 2)) = 0 ] && order="nginx vial"
  for ep in $ENDPOINTS; do
    for c in $CONNECTIONS; do
      for s in $order; do
        measure "$round" "$s" "$ep" "$c"
        sleep 1  # let the closed connections go before the next run
      done
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Peak RSS (kB) while both are still running.
hwm() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
vial_rss=$(hwm "$vial_pid")
nginx_master_rss=$(hwm "$nginx_pid")
nginx_workers_rss=0
for pid in $(ps -o pid= --ppid "$nginx_pid"); do nginx_workers_rss=$((nginx_workers_rss + $(hwm "$pid"))); done

# --- report ------------------------------------------------------------------------------
cpu_model=$(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)
nginx_version=$( ("$NGINX" -v 2>&1 || true) | sed 's|.*nginx/||')
wrk_version=$( (wrk -v 2>&1 || true) | awk 'NR == 1 {v = $2; sub(/^debian\//, "", v); print v}')
cxx=$(awk -F= '/^CMAKE_CXX_COMPILER:/{print $2}' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
cxx_version=$([ -n "$cxx" ] && "$cxx" --version 2>/dev/null | awk 'NR == 1' || echo unknown)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=
[ -n "$(git status --porcelain -- include examples 2>/dev/null || true)" ] && dirty=", with uncommitted changes under include/ or examples/"

command_line="bench/http/run.sh"
for v in THREADS DURATION WARMUP ROUNDS CONNECTIONS ENDPOINTS WRK_THREADS PIN; do
  default=
  case $v in THREADS) default=1 ;; DURATION) default=6s ;; WARMUP) default=2s ;; ROUNDS) default=5 ;;
    CONNECTIONS) default="64 256" ;; ENDPOINTS) default="/plaintext /json /user/42" ;; WRK_THREADS) default=1 ;;
    PIN) default=$pin_default ;; esac
  val=${!v}
  if [ "$val" != "$default" ]; then
    case $val in *" "*) val="'$val'" ;; esac
    command_line="$v=$val $command_line"
  fi
done
for arg in "$@"; do command_line+=" $arg"; done

table=$(awk -F'\t' -v hz="$hz" -v eps="$ENDPOINTS" -v conns="$CONNECTIONS" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function spread(list, med,   a, n, i, lo, hi) {  # half the range, in % of the median
    n = split(list, a, " "); lo = hi = a[1] + 0
    for (i = 2; i <= n; i++) { if (a[i] + 0 < lo) lo = a[i] + 0; if (a[i] + 0 > hi) hi = a[i] + 0 }
    return n > 1 && med > 0 ? sprintf(" ±%.0f%%", (hi - lo) / 2 / med * 100) : ""
  }
  function us(x) { return x >= 10000 ? sprintf("%.1f ms", x / 1000) : sprintf("%d us", x) }
  {
    k = $2 SUBSEP $3 SUBSEP $4
    reqs[k] += $5; ticks[k] += $10; err[k] += $11; uticks[k] += $12
    if ($2 == "nginx") { nginx_all += $10; nginx_user += $12 }
    rps[k] = rps[k] " " $7; p50[k] = p50[k] " " $8; p99[k] = p99[k] " " $9
    r = $3 SUBSEP $4 SUBSEP $1  # the same endpoint and connections in the same round
    if ($2 == "vial") { vrps[r] = $7; vp99[r] = $9 } else { grps[r] = $7; gp99[r] = $9 }
    rounds[$1] = 1
  }
  END {
    print "| endpoint | wrk | vial req/s | nginx req/s | vial/nginx req/s | p50 vial | p50 nginx | p99 vial | p99 nginx | vial/nginx p99 | CPU/req vial | CPU/req nginx | errors |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    ne = split(eps, E, " "); nc = split(conns, C, " ")
    for (i = 1; i <= ne; i++) for (j = 1; j <= nc; j++) {
      v = "vial" SUBSEP E[i] SUBSEP C[j]; g = "nginx" SUBSEP E[i] SUBSEP C[j]
      rv = median(rps[v]); rg = median(rps[g])
      # Paired ratios: vial against nginx in the same round, which were measured back to back,
      # so that the machine drifting between rounds cancels; then their median over the rounds.
      rr = pr = ""; n = rwin = pwin = 0
      for (round in rounds) {
        r = E[i] SUBSEP C[j] SUBSEP round
        if (!(r in vrps) || !(r in grps) || grps[r] <= 0 || gp99[r] <= 0) continue
        n++; rr = rr " " vrps[r] / grps[r]; pr = pr " " vp99[r] / gp99[r]
        if (vrps[r] / grps[r] >= 0.95) rwin++
        if (vp99[r] <= gp99[r]) pwin++
      }
      cv = reqs[v] ? ticks[v] / hz * 1e6 / reqs[v] : 0; cg = reqs[g] ? ticks[g] / hz * 1e6 / reqs[g] : 0
      if (lo == "" || cg < lo) lo = cg; if (cg > hi) hi = cg
      uv = reqs[v] ? uticks[v] / hz * 1e6 / reqs[v] : 0; ug = reqs[g] ? uticks[g] / hz * 1e6 / reqs[g] : 0
      printf "| `%s` | -c%s | %.0f%s | %.0f%s | **%.2fx** (%d/%d) | %s | %s | %s | %s | **%.2f** (%d/%d) | %.1f us (%.1f) | %.1f us (%.1f) | %d / %d |\n",
        E[i], C[j], rv, spread(rps[v], rv), rg, spread(rps[g], rg), n ? median(rr) : 0, rwin, n, us(median(p50[v])), us(median(p50[g])),
        us(median(p99[v])), us(median(p99[g])), n ? median(pr) : 0, pwin, n, cv, uv, cg, ug, err[v], err[g]
    }
    printf "%.1f-%.1f us per request here, %.0f%%", lo, hi, nginx_all ? 100 - nginx_user / nginx_all * 100 : 0 > "/dev/stderr"
  }' "$results" 2>"$tmp/nginx-cpu-range")

other_share=$(awk -v o="$other_ticks" -v t="$machine_ticks_total" 'BEGIN { printf "%.0f", t ? (o > 0 ? o : 0) / t * 100 : 0 }')
irq_share=$(awk -v o="$irq_ticks_total" -v t="$machine_ticks_total" 'BEGIN { printf "%.0f", t ? o / t * 100 : 0 }')
busy_note=
if [ "$other_share" -ge 10 ]; then
  busy_note=" (a busy machine: the servers and wrk had less than the whole of it, so req/s and latencies are
  lower and noisier than on an idle one; CPU per request is the figure that suffers least)"
fi

report="$tmp/section.md"
{
  echo "## HTTP server"
  echo
  echo "\`examples/hello\` (vial's server, \`--threads $THREADS --no-access-log\`) against nginx"
  echo "$nginx_version (Debian's nginx-light, \`worker_processes $THREADS\`, \`access_log off\`, the same three"
  echo "answers as \`return 200 ...\` locations; \`/user/42\` goes through a regex location with a capture),"
  echo "measured with wrk $wrk_version over loopback (\`-t$WRK_THREADS\`, keep-alive, $DURATION per run, \`--latency\`),"
  echo "alternating between the two servers in one run ($ROUNDS round(s); the order flips every round; medians shown)."
  echo
  echo "- machine: $(nproc) cores, $cpu_model, Linux $(uname -r); load average before/after: $load_before / $load_after"
  echo "- other processes: $other_share% of the machine's CPU time while the runs were measured$busy_note"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); vial at $commit$dirty, built Release with $cxx_version"
  echo "- command: \`$command_line\`"
  [ "$PIN" = 1 ] && echo "- pinned: both servers (all their threads) on core $last_cpu, wrk on cores 0-$((last_cpu - 1))"
  echo
  echo "$table"
  echo
  echo "Peak RSS (VmHWM): vial $((vial_rss / 1024)) MiB ($vial_rss kB); nginx workers $((nginx_workers_rss / 1024)) MiB"
  echo "($nginx_workers_rss kB, plus $nginx_master_rss kB for the master). req/s and latencies are medians over the"
  echo "rounds; ± is half the range between the slowest and the fastest round. **vial/nginx** compares the two"
  echo "servers within each round, where they ran back to back, and shows the median of those ratios, so that"
  echo "the machine speeding up or slowing down between rounds cancels out; in parentheses, the rounds in which"
  echo "vial reached 0.95x nginx's req/s, or had a p99 no worse than nginx's. Errors are wrk's socket errors"
  echo "plus non-2xx answers (vial / nginx), over all rounds."
  echo
  echo "**CPU/req** is the server's own CPU time (utime + stime from \`/proc/PID/stat\`, all threads; for"
  echo "nginx the master and every worker) spent during the runs, divided by the requests wrk completed."
  echo "On a 2-core machine wrk runs on the same cores and needs about as much CPU as the server, so req/s"
  echo "is capped near 100k and moves with whatever else the machine is doing; CPU per request hardly"
  echo "depends on who else gets the cores, so it is the steadier figure for comparing the two servers"
  echo "(nginx spends $(cat "$tmp/nginx-cpu-range") of it in the kernel: system time, the TCP path"
  echo "over loopback; the figure in parentheses is the user-space part). Latency percentiles are wrk's;"
  echo "with 64 or 256 connections in flight they mostly measure queueing and how the scheduler shares"
  echo "the two cores between wrk and the server. Not in CPU/req: interrupt and softirq time, where the"
  echo "kernel carries the packets over loopback for both ends, which Linux charges to no process"
  echo "($irq_share% of the machine's time during these runs). \`bench/http/profile.sh\` counts the"
  echo "user-space instructions per request of both servers under callgrind, function by function, and"
  echo "\`bench/http/syscalls.sh\` their system calls per request."
} >"$report"

echo
cat "$report"

if [ "$write_docs" = 1 ]; then
  python3 - "$repo/docs/performance.md" "$report" <<'EOF'
import pathlib, re, sys
doc, section = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text().rstrip("\n") + "\n"
if not doc.exists():
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(section)
    sys.exit(0)
text = doc.read_text()
m = re.search(r"^## HTTP server[ \t]*$", text, re.M)
if m is None:
    text = text.rstrip("\n") + "\n\n" + section
else:
    nxt = re.search(r"^## ", text[m.end():], re.M)
    end = m.end() + nxt.start() if nxt else len(text)
    text = text[:m.start()] + section + ("\n" + text[end:] if nxt else "")
doc.write_text(text)
EOF
  echo "run.sh: wrote the section '## HTTP server' of docs/performance.md" >&2
fi
