#!/usr/bin/env python3
"""Rolling restart behind nginx, for real: zero failed requests, none handled twice.

Starts N instances of a vial app (examples/hello) on N free loopback ports, and nginx in front
of them with deploy/nginx/vial-app.conf (its ports and listen address substituted), as an
unprivileged-safe local instance whose prefix, configuration, pid file, logs and temporary
files all live in WORKDIR. wrk then sends GET /plaintext and POST /echo through nginx
(tests/deploy/mixed_load.lua: every request carries an id of its own) while each instance is
stopped with SIGTERM (vial's graceful stop) and started again, one after the other, ROUNDS
times. Then it checks:

- wrk: every response was a 200 with the expected body; no connect, read, write or timeout
  error;
- nginx's access log: every request answered 200 (499, the client leaving, is allowed only
  for the requests wrk abandons when its time is up), and how often nginx had to try another
  instance;
- the instances' access logs: no id was handled twice, and every id nginx answered was
  handled by exactly one instance;
- every instance exited with status 0 on SIGTERM.

Exit status 0 when all hold, 1 otherwise, 77 when nginx or wrk is missing.

  rolling_restart.py --app build/examples/hello [--instances 3] [--duration 30] [--rounds 1]
                     [--connections 32] [--workdir build/deploy-test] [-- APP FLAGS...]
"""

import argparse
import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SITE_CONF = os.path.join(ROOT, "deploy", "nginx", "vial-app.conf")
LUA = os.path.join(HERE, "mixed_load.lua")


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def wait_for_line(path, pattern, proc, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                if pattern in f.read():
                    return True
        except FileNotFoundError:
            pass
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.02)
    return False


class Instance:
    def __init__(self, app, port, flags, workdir):
        self.app, self.port, self.flags, self.workdir = app, port, flags, workdir
        self.generation = 0
        self.proc = None
        self.logs = []
        self.stops = []  # (exit status, seconds from SIGTERM to exit)

    def start(self):
        self.generation += 1
        log = os.path.join(self.workdir, f"vial-{self.port}-{self.generation}.log")
        self.logs.append(log)
        cmd = [self.app, "--host", "127.0.0.1", "--port", str(self.port), "--threads", "1"] + self.flags
        with open(log, "wb") as f:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=f)
        if not wait_for_line(log, "vial: serving on", self.proc):
            raise RuntimeError(f"instance on port {self.port} did not start; see {log}")

    def stop(self):
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.stops.append((status, time.monotonic() - t0))
        self.proc = None


def write_nginx_conf(workdir, listen_port, ports):
    site = open(SITE_CONF, encoding="utf-8").read()
    for default, port in zip((8081, 8082, 8083), ports[:3]):
        site = site.replace(f"127.0.0.1:{default} ", f"127.0.0.1:{port} ")
    extra = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n" for p in ports[3:])
    site = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)(?!    server )", lambda m: m.group(1) + extra, site, count=1)
    site = site.replace("    listen 80;", f"    listen 127.0.0.1:{listen_port};")
    if site.count("server 127.0.0.1:") != len(ports):
        raise RuntimeError("could not substitute the upstream ports in " + SITE_CONF)
    with open(os.path.join(workdir, "vial-app.conf"), "w", encoding="utf-8") as f:
        f.write(site)
    tmp = os.path.join(workdir, "tmp")
    os.makedirs(tmp, exist_ok=True)
    # nginx runs its workers as "nobody" when started as root; they need nothing but the
    # sockets here (logs are opened by the master), and the temp paths for big bodies.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log info;
events {{ worker_connections 4096; }}
http {{
    log_format vial_test '$msec $request_method $request_uri $status $upstream_addr "$upstream_status"';
    access_log {workdir}/nginx-access.log vial_test buffer=64k flush=1s;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {workdir}/vial-app.conf;
}}
"""
    path = os.path.join(workdir, "nginx.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(main)
    return path


ID = re.compile(r"[?&]id=([0-9]+-[0-9]+)")


def vial_ids(paths):
    """ids of the requests the instances handled (their access logs), and the logs' stop lines."""
    ids = collections.Counter()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if '"GET /plaintext?id=' in line or '"POST /echo?id=' in line:
                    m = ID.search(line)
                    if m:
                        ids[m.group(1)] += 1
    return ids


def start_nginx(nginx, workdir, listen_port, app_ports):
    """nginx with the site in front of app_ports, listening on listen_port; its process."""
    conf = write_nginx_conf(workdir, listen_port, app_ports)
    cmd = [nginx, "-p", workdir, "-c", conf, "-e", os.path.join(workdir, "nginx-error.log"), "-g", "daemon off;"]
    check = subprocess.run(cmd[:-2] + ["-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError("nginx -t: " + check.stderr)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_for_port(listen_port):
        raise RuntimeError("nginx did not start; see " + os.path.join(workdir, "nginx-error.log"))
    return proc


def restart_in_turn(instances, rounds, duration, t_start, tag):
    """Stops (SIGTERM) and starts each instance in turn, `rounds` times, spread over the run
    that began at t_start, leaving load before the first and after the last. Returns a failure
    message, or None."""
    restarts = len(instances) * rounds
    gap = duration / (restarts + 1)
    for k in range(restarts):
        inst = instances[k % len(instances)]
        target = t_start + gap * (k + 1) - 0.5 * gap / 2
        time.sleep(max(0.0, target - time.monotonic()))
        inst.stop()
        inst.start()
        status, seconds = inst.stops[-1]
        print(f"{tag}: t={time.monotonic() - t_start:5.1f}s restarted :{inst.port} "
              f"(exit status {status}, stopped in {seconds:.2f}s)", flush=True)
        if time.monotonic() - t_start > duration - 1:
            return "the restarts did not fit in the run; lengthen --duration"
    return None


def stop_all(wrk_proc, nginx_proc, instances):
    if wrk_proc is not None and wrk_proc.poll() is None:
        wrk_proc.kill()
    if nginx_proc is not None:
        nginx_proc.send_signal(signal.SIGQUIT)  # graceful: writes the buffered access log
        try:
            nginx_proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            nginx_proc.kill()
    for inst in instances:
        if inst.proc is not None:
            inst.stop()


def upstream_errors(workdir):
    """What nginx's error log says about the upstreams, counted by kind."""
    counts = collections.Counter()
    with open(os.path.join(workdir, "nginx-error.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if "upstream" not in line:
                continue  # wrk's own connections to nginx, closed at its end
            for what in ("upstream prematurely closed connection", "Connection reset by peer",
                         "Connection refused", "upstream timed out", "no live upstreams"):
                if what in line:
                    counts[what] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", required=True)
    ap.add_argument("--instances", type=int, default=3)
    ap.add_argument("--duration", type=int, default=30, help="seconds of load")
    ap.add_argument("--rounds", type=int, default=1, help="times each instance is restarted")
    ap.add_argument("--connections", type=int, default=32, help="wrk connections to nginx")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "deploy-test"))
    ap.add_argument("app_flags", nargs="*", help="more flags for every instance (after --)")
    args = ap.parse_args()

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    wrk = shutil.which("wrk")
    if not nginx or not wrk:
        print("rolling_restart: needs nginx and wrk (Debian: nginx-light wrk); skipped")
        return 77

    workdir = os.path.abspath(args.workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    ports = free_ports(args.instances + 1)
    nginx_port, app_ports = ports[0], ports[1:]
    instances = [Instance(os.path.abspath(args.app), p, args.app_flags, workdir) for p in app_ports]
    nginx_proc = None
    wrk_proc = None
    failures = []
    try:
        for inst in instances:
            inst.start()
        nginx_proc = start_nginx(nginx, workdir, nginx_port, app_ports)

        wrk_out = os.path.join(workdir, "wrk.out")
        wrk_cmd = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
                   "-s", LUA, f"http://127.0.0.1:{nginx_port}/"]
        print("rolling_restart: " + " ".join(wrk_cmd), flush=True)
        with open(wrk_out, "wb") as f:
            wrk_proc = subprocess.Popen(wrk_cmd, stdout=f, stderr=subprocess.STDOUT)
        t_start = time.monotonic()

        late = restart_in_turn(instances, args.rounds, args.duration, t_start, "rolling_restart")
        if late:
            failures.append(late)

        wrk_proc.wait(timeout=args.duration + 60)
        wrk_text = open(wrk_out, encoding="utf-8", errors="replace").read()
    finally:
        stop_all(wrk_proc, nginx_proc, instances)

    # wrk's view.
    m = re.search(r"mixed_load: (.*)", wrk_text)
    if not m:
        print(wrk_text)
        print("rolling_restart: FAILED: no summary from wrk")
        return 1
    w = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}
    print("rolling_restart: wrk: " + m.group(1))
    for key in ("bad", "connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx"):
        if w[key] != 0:
            failures.append(f"wrk counted {w[key]} {key}")

    # nginx's view.
    statuses = collections.Counter()
    retried = 0
    late_499 = 0
    answered = collections.Counter()
    with open(os.path.join(workdir, "nginx-access.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split(" ", 5)
            if len(parts) < 6:
                continue
            status = parts[3]
            statuses[status] += 1
            if "," in parts[5]:
                retried += 1
            im = ID.search(parts[2])
            if status == "200" and im:
                answered[im.group(1)] += 1
            if status == "499":
                late_499 += 1
    upstream = upstream_errors(workdir)
    print(f"rolling_restart: nginx: {sum(statuses.values())} requests, statuses {dict(statuses)}, "
          f"{retried} sent to another instance, upstream errors {dict(upstream)}")
    for status, count in statuses.items():
        if status not in ("200", "499"):
            failures.append(f"nginx answered {count} requests with {status}")
    if late_499 > args.connections:
        failures.append(f"{late_499} requests were abandoned (499), more than wrk leaves at its end")

    # The instances' view.
    logs = [log for inst in instances for log in inst.logs]
    handled = vial_ids(logs)
    twice = [i for i, c in handled.items() if c > 1]
    missing = [i for i in answered if i not in handled]
    print(f"rolling_restart: instances: {sum(handled.values())} requests handled, {len(twice)} ids handled "
          f"more than once, {len(missing)} ids answered by nginx but in no instance's log")
    if twice:
        failures.append(f"{len(twice)} requests were handled twice, e.g. {twice[:5]}")
    if missing:
        failures.append(f"{len(missing)} answered requests are in no instance's log, e.g. {missing[:5]}")
    if sum(answered.values()) == 0:
        failures.append("nginx answered no request")
    for inst in instances:
        for status, seconds in inst.stops:
            if status != 0:
                failures.append(f"the instance on :{inst.port} exited with status {status} on SIGTERM")
        print(f"rolling_restart: :{inst.port}: {inst.generation} runs, stops took "
              + ", ".join(f"{s:.2f}s" for _, s in inst.stops))

    if failures:
        for f in failures:
            print("rolling_restart: FAILED: " + f)
        print("rolling_restart: logs in " + workdir)
        return 1
    print("rolling_restart: OK: zero failed requests, none handled twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
