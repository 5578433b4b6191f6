# Sourced by bench/http/run.sh and bench/http/syscalls.sh: starts examples/hello and nginx
# side by side on loopback, checks that both give the same three answers, and stops both
# (and removes the temp dir) when the script exits.
#
# start_servers TAG HELLO THREADS NGINX
#   TAG      prefix of messages ("run.sh")
#   HELLO    the examples/hello binary; THREADS its --threads and nginx's worker_processes
#   NGINX    the nginx binary
# Environment: NGINX_PORT [a free port], KEEP_TMP [0]: 1 keeps the temp dir.
# Sets: tmp (the temp dir), vial_pid, vial_port, nginx_pid, nginx_port.
# Afterwards: server_pids vial|nginx (nginx: master and workers), port_of vial|nginx.

# shellcheck source=bench/http/nginx_conf.sh
. "$(dirname "${BASH_SOURCE[0]}")/nginx_conf.sh"

vial_pid=
nginx_pid=
servers_tag=servers.sh
tmp=

stop_servers() {
  [ -n "$vial_pid" ] && kill -TERM "$vial_pid" 2>/dev/null && wait "$vial_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [ -n "$tmp" ] || return 0
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "$servers_tag: kept $tmp" >&2; else rm -rf "$tmp"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_servers() {
  local hello=$2 threads=$3 nginx=$4 s port
  servers_tag=$1
  tmp=$(mktemp -d /tmp/vial-bench-http.XXXXXX)
  trap stop_servers EXIT
  trap 'exit 130' INT TERM

  "$hello" --host 127.0.0.1 --port 0 --threads "$threads" --no-access-log >"$tmp/vial.log" 2>&1 &
  vial_pid=$!

  nginx_port=${NGINX_PORT:-$(free_port)}
  mkdir -p "$tmp/nginx"
  write_nginx_conf "$tmp/nginx" "$nginx_port" "worker_processes $threads;" "    keepalive_timeout 65s;"
  "$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
  nginx_pid=$!

  vial_port=
  for _ in $(seq 100); do
    vial_port=$(sed -n 's|^vial: serving on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/vial.log")
    [ -n "$vial_port" ] && break
    kill -0 "$vial_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$vial_port" ] || { echo "$servers_tag: vial did not start:" >&2; cat "$tmp/vial.log" >&2; exit 1; }
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$nginx_port/plaintext" && break
    kill -0 "$nginx_pid" 2>/dev/null || { echo "$servers_tag: nginx did not start:" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }
    sleep 0.1
  done

  for s in vial nginx; do
    port=$(port_of "$s")
    check_answer "$s" "$port" /plaintext 'Hello, World!' text/plain
    check_answer "$s" "$port" /json '{"message":"Hello, World!"}' application/json
    check_answer "$s" "$port" /user/42 'User 42' text/plain
  done
  echo "$servers_tag: vial on 127.0.0.1:$vial_port (pid $vial_pid), nginx on 127.0.0.1:$nginx_port (pid $nginx_pid); both answer correctly" >&2
}

check_answer() {  # server port path expected-body expected-content-type-prefix
  local out status type body
  out=$(curl -s -o "$tmp/body" -w '%{http_code} %{content_type}' "http://127.0.0.1:$2$3") || true
  status=${out%% *}
  type=${out#* }
  body=$(cat "$tmp/body" 2>/dev/null || true)
  if [ "$status" != 200 ] || [ "$body" != "$4" ] || [[ "$type" != "$5"* ]]; then
    echo "$servers_tag: $1 answered GET $3 with $status '$type' '$body'; expected 200 '$5' '$4'" >&2
    exit 1
  fi
}

nginx_pids() { echo "$nginx_pid"; ps -o pid= --ppid "$nginx_pid" | tr -d ' '; }
server_pids() { if [ "$1" = vial ]; then echo "$vial_pid"; else nginx_pids; fi; }
port_of() { if [ "$1" = vial ]; then echo "$vial_port"; else echo "$nginx_port"; fi; }
