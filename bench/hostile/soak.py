#!/usr/bin/env python3
"""Soak: mixed traffic against examples/hello for a while; resident memory must stay flat.

Usage: soak.py [--seconds N] [--hello PATH] [--connections N] [--threads N]

wrk (with soak.lua) sends good GETs, POSTs with bodies (some chunked), requests for missing
paths and malformed requests over --connections connections for --seconds (default 600),
while this script samples the server's VmRSS every second. Checks:
- every response is 200, 404 (the missing paths) or 400 (the malformed requests), in the
  proportions soak.lua sends them (10% malformed, 5% missing);
- wrk saw no connect errors and no timeouts (read errors are the server closing after a 400
  while wrk had already written the next request: at most one per malformed request);
- resident memory does not grow after warm-up (the first fifth of the run, at least 5 s):
  the median of the last 5 samples is at most 5% above the median of the first 5 after
  warm-up (a median, so that one sample taken while a 16 KiB body is buffered does not
  decide). It may fall further (the allocator gives pages back); the lowest and highest
  samples after warm-up are reported beside it.
Prints the figures as one markdown table row; exits 1 when a check fails. All traffic goes to
127.0.0.1, and the run is bounded by --seconds (wrk's own duration) plus 60 s.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

from hello_process import Hello

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=int, default=600)
ap.add_argument("--hello", default=os.path.join(repo, "build", "examples", "hello"))
ap.add_argument("--connections", type=int, default=64)
ap.add_argument("--threads", type=int, default=2, help="server threads")
args = ap.parse_args()
if not shutil.which("wrk"):
    sys.exit("soak.py: wrk is not installed (apt-get install wrk)")

server = Hello(args.hello, "--threads", str(args.threads))
port = server.port
lines = server.lines


samples = []  # (seconds since start, VmRSS KiB)
start = time.time()
wrk = subprocess.Popen(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--timeout", "5s",
                        "-s", os.path.join(here, "soak.lua"), f"http://127.0.0.1:{port}/"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
while wrk.poll() is None and time.time() - start < args.seconds + 60:
    samples.append((time.time() - start, server.rss_kib()))
    time.sleep(1)
if wrk.poll() is None:
    wrk.kill()
out = wrk.communicate()[0]
exit_status = server.stop()

failures = []


def check(name, ok, detail):
    print(("ok   " if ok else "FAIL ") + name + ": " + detail)
    if not ok:
        failures.append(name)


m = re.search(r"^statuses(.*)$", out, re.M)
statuses = {int(k): int(v) for k, v in re.findall(r"(\d+)=(\d+)", m.group(1))} if m else {}
e = re.search(r"errors connect=(\d+) read=(\d+) write=(\d+) status=(\d+) timeout=(\d+)", out)
errors = dict(zip(["connect", "read", "write", "status", "timeout"], map(int, e.groups()))) if e else {}
lat = re.search(r"latency p50_us=(\d+) p99_us=(\d+) max_us=(\d+)", out)
total = sum(statuses.values())
unexpected = {k: v for k, v in statuses.items() if k not in (200, 400, 404)}
check("wrk ran", bool(m and e and lat) and total > 0, out[-500:] if not (m and e) else f"{total} responses")
check("only 200, 400 and 404", not unexpected, f"statuses {statuses}")
# Each 20-request cycle of soak.lua holds 2 malformed requests and 1 missing path.
ratio_400 = statuses.get(400, 0) / max(total, 1)
ratio_404 = statuses.get(404, 0) / max(total, 1)
check("400s are the malformed requests (10%)", 0.08 <= ratio_400 <= 0.12, f"{ratio_400:.3f}")
check("404s are the missing paths (5%)", 0.04 <= ratio_404 <= 0.06, f"{ratio_404:.3f}")
check("no connect errors or timeouts", errors.get("connect", 1) == 0 and errors.get("timeout", 1) == 0, str(errors))
check("read/write errors at most one per 400", errors.get("read", 0) + errors.get("write", 0) <= statuses.get(400, 0),
      str(errors))
check("clean exit on SIGTERM", exit_status == 0, f"exit {exit_status}")
check("no 'vial:' error lines", not [l for l in lines if "threw" in l or "error" in l], str(lines[-3:]))

warmup = max(5, args.seconds / 5)
after = [kib for t, kib in samples if t >= warmup]
def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else 0


base = median(after[:5])
last = median(after[-5:])
peak = max(after) if after else 0
low = min(after) if after else 0
growth = (last - base) / base * 100 if base else 100.0
check(f"VmRSS no more than 5% up after {warmup:.0f} s of warm-up", len(after) >= 10 and growth <= 5.0,
      f"{base} KiB after warm-up, {last} KiB at the end ({growth:+.1f}%), {low} to {peak} KiB after warm-up")

rps = total / args.seconds
print(f"| {args.seconds} s | {args.connections} | {total:,} ({rps:,.0f}/s) | "
      + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items()))
      + f" | {errors.get('read', 0)} read, {errors.get('write', 0)} write, {errors.get('connect', 0)} connect, "
      f"{errors.get('timeout', 0)} timeout | {int(lat.group(2)) / 1000 if lat else 0:.2f} ms | "
      f"{base / 1024:.1f} MiB -> {last / 1024:.1f} MiB ({growth:+.1f}%), range {low / 1024:.1f} to {peak / 1024:.1f} MiB |")
if failures:
    print(f"soak: {len(failures)} check(s) failed: {failures}")
    sys.exit(1)
print("soak: all checks passed")
