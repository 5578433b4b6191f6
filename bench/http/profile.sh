#!/usr/bin/env bash
# Where examples/hello spends its user-space CPU per request: runs it under callgrind while wrk
# sends keep-alive requests over loopback, and prints instructions per request by function
# (self and inclusive), next to nginx's total for the same answer. Instruction counts are
# exact and do not depend on what else the machine runs, unlike times; the kernel's part
# (most of the CPU, see docs/performance.md) is not in them: bench/http/syscalls.sh counts the
# system calls per request, and `perf record -g -p PID` during bench/http/run.sh shows where
# the kernel spends its time.
#
#   bench/http/profile.sh                      /plaintext, /json and /user/42
#   bench/http/profile.sh /json                one endpoint
#   TOP=40 DURATION=5s CONNECTIONS=256 bench/http/profile.sh /user/42
#
# Environment: DURATION [10s] measured wrk run (after a 3 s unmeasured one), CONNECTIONS [64],
# TOP [25] rows per table, NGINX [1] also count nginx's instructions (0 skips it),
# BUILD_DIR [build-bench-http-prof] Release build with -g -fno-omit-frame-pointer.
# Needs valgrind (installed with apt-get when missing), wrk, nginx-light, curl, python3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
TOP=${TOP:-25}
NGINX=${NGINX:-1}
BUILD_DIR=${BUILD_DIR:-build-bench-http-prof}
endpoints=("$@")
[ ${#endpoints[@]} -gt 0 ] || endpoints=(/plaintext /json /user/42)

need=()
for tool in valgrind:valgrind wrk:wrk curl:curl python3:python3; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
[ "$NGINX" = 0 ] || command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] || "$repo/scripts/install-packages" profile.sh "${need[@]}"
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)

echo "profile.sh: building examples/hello (Release, -g -fno-omit-frame-pointer) in $BUILD_DIR" >&2
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DVIAL_BUILD_TESTS=OFF \
  "-DCMAKE_CXX_FLAGS=-g -fno-omit-frame-pointer" >/dev/null
cmake --build "$BUILD_DIR" --target hello -j"$(nproc)" >/dev/null

tmp=$(mktemp -d /tmp/vial-bench-http-profile.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sums a callgrind profile by function (inlined code counts in its caller) and prints the
# top functions by self and by inclusive instructions, per request.
summarize() {  # file requests title
  python3 - "$@" "$TOP" <<'EOF'
import collections, re, sys
path, nreq, title, top = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
names, self_, callees = {}, collections.Counter(), collections.Counter()
def name(tok):
    m = re.match(r'\((\d+)\)\s*(.*)', tok)
    if not m: return tok
    if m.group(2): names[m.group(1)] = m.group(2)
    return names.get(m.group(1), tok)
fn = cfn = None
after_calls = False
for line in open(path):
    line = line.rstrip('\n')
    if line.startswith('fn='): fn = name(line[3:])
    elif line.startswith('cfn='): cfn = name(line[4:])
    elif line.startswith('calls='): after_calls = True
    elif line[:1].isdigit() or line[:1] in '+-*':
        parts = line.split()
        if len(parts) >= 2:
            if after_calls:
                if cfn != fn: callees[fn] += int(parts[1])
            else:
                self_[fn] += int(parts[1])
        after_calls = False
    elif line.startswith(('fl=', 'fi=', 'fe=', 'cfi=', 'cfl=')):
        name(line.split('=', 1)[1])
def short(n):
    for a, b in [(r'nlohmann::json_abi_v[\d_]+::', 'nlohmann::'),
                 (r'basic_json<std::map, std::vector, std::__cxx11::basic_string<char, std::char_traits<char>, '
                  r'std::allocator<char> >, bool, long, unsigned long, double, std::allocator, nlohmann::adl_serializer, '
                  r'std::vector<unsigned char, std::allocator<unsigned char> >, void>', 'json'),
                 (r'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >', 'std::string'),
                 (r'std::basic_string_view<char, std::char_traits<char> >', 'std::string_view'),
                 (r'boost::beast::http::message<(true|false), boost::beast::http::basic_string_body<char, '
                  r'std::char_traits<char>, std::allocator<char> >, boost::beast::http::basic_fields<std::allocator<char> > >',
                  'beast::http::message'),
                 (r'_ZNSt17_Function_handler\S*', 'std::function<handler> call (run.hpp: dispatcher::handle)'),
                 (r'_ZZZNK4vial7app_def\S*', 'app_def::dispatch lambda (handler + to_response)')]:
        n = re.sub(a, b, n)
    return n if len(n) <= 140 else n[:137] + '...'
total = sum(self_.values())
print(f"### {title}: {total / nreq:,.0f} instructions per request ({nreq} requests)\n")
if top == 0: sys.exit(0)
print("| self Ir/req | % | function |\n|---:|---:|---|")
for f, c in self_.most_common(top):
    print(f"| {c / nreq:,.0f} | {c / total * 100:.1f} | `{short(f)}` |")
print("\n| inclusive Ir/req | % | function |\n|---:|---:|---|")
inclusive = {f: self_[f] + callees[f] for f in set(self_) | set(callees)}
# Leave out the thread's entry and the event loop, which hold everything.
rows = [(f, c) for f, c in inclusive.items() if c / total < 0.95]
for f, c in sorted(rows, key=lambda x: -x[1])[:top]:
    print(f"| {c / nreq:,.0f} | {c / total * 100:.1f} | `{short(f)}` |")
print()
EOF
}

profile() {  # name port-file-or-port endpoint command...
  local label=$1 ep=$2 out=$tmp/callgrind.out port=
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 200); do
    if [ "$label" = vial ]; then
      port=$(sed -n 's|^vial: serving on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log")
    else
      port=$nginx_port
      curl -s -o /dev/null "http://127.0.0.1:$port$ep" || port=
    fi
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$port" ] || { echo "profile.sh: $label did not start" >&2; exit 1; }
  wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$port$ep" >/dev/null
  callgrind_control -z "$server_pid" >/dev/null 2>&1
  local reqs
  reqs=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$port$ep" | awk '/ requests in /{print $1}')
  callgrind_control -d "$server_pid" >/dev/null 2>&1
  # vial stops on SIGTERM; nginx (no master process) on SIGQUIT.
  kill "-$([ "$label" = vial ] && echo TERM || echo QUIT)" "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  local dump
  dump=$(ls -t "$out"* | grep -v "^$out$" | head -1)
  summarize "$dump" "$reqs" "$label GET $ep, wrk -c$CONNECTIONS"
  rm -f "$out"*
}

if [ "$NGINX" != 0 ]; then
  nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$tmp/nginx"
  # shellcheck source=bench/http/nginx_conf.sh
  . "$repo/bench/http/nginx_conf.sh"
  write_nginx_conf "$tmp/nginx" "$nginx_port" "worker_processes 1;
master_process off;" ""
fi

echo "## examples/hello under callgrind ($(date -u '+%Y-%m-%d'), vial at $(git rev-parse --short HEAD))"
echo
for ep in "${endpoints[@]}"; do
  profile vial "$ep" "$BUILD_DIR/examples/hello" --host 127.0.0.1 --port 0 --threads 1 --no-access-log
  if [ "$NGINX" != 0 ]; then
    TOP=0 profile nginx "$ep" "$NGINX_BIN" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf"
  fi
done
