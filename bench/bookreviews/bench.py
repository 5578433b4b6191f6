#!/usr/bin/env python3
"""BookReviews' book page: vial against its Flask twin (gunicorn), measured with wrk.

Usage: bench.py BOOKREVIEWS_BINARY   (bench/bookreviews/run.sh builds it and calls this)

One database for both: the example makes and seeds it on its first run, then this script
tops book 1 up to REVIEWS reviews (by a few users who cannot sign in). Servers, each on one
core (PIN=1: the servers on the last core, wrk on the others, as bench/http/run.sh does):
  - vial: examples/bookreviews --threads 1
  - flask-gthread: gunicorn -w 1 -k gthread --threads 1 (one worker, one thread, keep-alive)
  - flask-sync: gunicorn -w 1, its default sync worker (one request per connection)
For each round (the order rotates), each server gets a wrk run of DURATION on GET /books/1:
req/s, p50/p99 (wrk --latency), and the server's CPU time per request (utime + stime of
/proc/PID/stat before and after, summed over gunicorn's master and worker processes).
The table gives medians over rounds, CPU summed over rounds, and the ratios vial/twin.

Environment: DURATION [10s], WARMUP [3s], ROUNDS [3], CONNECTIONS [32], REVIEWS [50],
PIN [1 on 2+ cores], SERVERS ["vial flask-gthread flask-sync"], KEEP_TMP [0].
"""
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
APP = os.path.abspath(sys.argv[1])
DURATION = os.environ.get("DURATION", "10s")
WARMUP = os.environ.get("WARMUP", "3s")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
REVIEWS = int(os.environ.get("REVIEWS", "50"))
PIN = os.environ.get("PIN", "1" if os.cpu_count() >= 2 else "0") == "1"
SERVERS = os.environ.get("SERVERS", "vial flask-gthread flask-sync").split()
HZ = os.sysconf("SC_CLK_TCK")
PAGE = "/books/1"


def log(msg):
    print(f"bench.py: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench.py: server exited ({proc.returncode}) before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench.py: no answer from {url}")


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def pids_of(root_pid):
    """root_pid and its descendants (gunicorn's master and workers)."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(d))
        except OSError:
            continue
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_ticks(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat(5))
        except OSError:
            pass
    return total


def to_us(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    v = float(m.group(1))
    return v * {"us": 1, "ms": 1e3, "s": 1e6, "m": 6e7}[m.group(2)]


def seed(db):
    """Tops book 1 up to REVIEWS reviews, by users who cannot sign in (hash "!")."""
    c = sqlite3.connect(db, timeout=10)
    have = c.execute("SELECT COUNT(*) FROM reviews WHERE book_id = 1").fetchone()[0]
    v2 = any(row[1] == "username" for row in c.execute("PRAGMA table_info(reviews)"))
    users = []
    for i in range(8):
        name = f"bench_reader_{i}"
        c.execute("INSERT OR IGNORE INTO users (username, password_hash) VALUES (?, '!')", (name,))
        users.append(c.execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[0])
    for i in range(have, REVIEWS):
        text = (f"Review {i + 1}: a careful, fair review of this book, with <em>markup</em> & "
                f"\"quotes\" that the template escapes. " * (1 + i % 3)).strip()
        # As the store's add_review: the username copied from users (the store's triggers count
        # it); a binary of schema 1 (before 2026-12-07's br-perf) has no username column.
        c.execute(f"INSERT INTO reviews (book_id, user_id, {'username, ' if v2 else ''}rating, text, created_at)"
                  f" SELECT 1, id, {'username, ' if v2 else ''}?, ?, ? FROM users WHERE id = ?",
                  (1 + i % 5, text, f"2026-11-{1 + i % 28:02d} 12:{i % 60:02d}:00", users[i % len(users)]))
    c.commit()
    n = c.execute("SELECT COUNT(*) FROM reviews WHERE book_id = 1").fetchone()[0]
    c.close()
    return n


def main():
    tmp = tempfile.mkdtemp(prefix="vial-bench-bookreviews-")
    procs = {}
    try:
        db = os.path.join(tmp, "bookreviews.db")
        key_file = os.path.join(tmp, "secret.key")
        with open(key_file, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        env = dict(os.environ, VIAL_SECRET_KEY="")
        env.pop("VIAL_SECRET_KEY")
        last = os.cpu_count() - 1
        pin = ["taskset", "-c", str(last)] if PIN else []
        wrk = (["taskset", "-c", f"0-{last - 1}"] if PIN else []) + ["wrk"]

        ports = {}
        if "vial" in SERVERS or True:  # the example makes the database
            ports["vial"] = free_port()
            procs["vial"] = subprocess.Popen(
                pin + [APP, "--host", "127.0.0.1", "--port", str(ports["vial"]), "--threads", "1",
                       "--database", db, "--secret-key-file", key_file, "--no-access-log"],
                cwd=tmp, stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "vial.log"), "w"))
            wait_http(f"http://127.0.0.1:{ports['vial']}/", procs["vial"])
        n = seed(db)
        log(f"book 1 has {n} reviews")
        twin_env = dict(os.environ, BOOKREVIEWS_DB=db, BOOKREVIEWS_SECRET_KEY=secrets.token_hex(32),
                        BOOKREVIEWS_ROOT=REPO)
        gunicorn = shutil.which("gunicorn") or "/usr/bin/gunicorn"
        for name, extra in (("flask-gthread", ["-k", "gthread", "--threads", "1"]), ("flask-sync", [])):
            if name not in SERVERS:
                continue
            ports[name] = free_port()
            procs[name] = subprocess.Popen(
                pin + [gunicorn, "--chdir", HERE, "-w", "1", "-b", f"127.0.0.1:{ports[name]}", "--log-level", "warning"]
                + extra + ["twin:app"], env=twin_env, stdout=subprocess.DEVNULL,
                stderr=open(os.path.join(tmp, f"{name}.log"), "w"))
            wait_http(f"http://127.0.0.1:{ports[name]}/", procs[name])

        # The same page from both: same status, same bytes (same templates, same rows).
        pages = {s: get(f"http://127.0.0.1:{ports[s]}{PAGE}") for s in ports}
        for s, (status, body) in pages.items():
            if status != 200 or body.count('class="review"') < 1:
                raise SystemExit(f"bench.py: {s} {PAGE}: {status}, no reviews:\n{body[:500]}")
        same = len({body for _, body in pages.values()}) == 1
        sizes = ", ".join(f"{s} {len(b)} B" for s, (_, b) in pages.items())
        log(f"{PAGE}: {sizes}; identical bodies: {same}")
        if not same and "vial" in pages and "flask-gthread" in pages:
            import difflib
            d = difflib.unified_diff(pages["vial"][1].splitlines(), pages["flask-gthread"][1].splitlines(),
                                     "vial", "flask", lineterm="", n=1)
            for line in list(d)[:40]:
                log("  " + line)

        measured = [s for s in SERVERS if s in ports]
        if WARMUP != "0":
            for s in measured:
                subprocess.run(wrk + ["-t1", f"-c{CONNECTIONS}", f"-d{WARMUP}", f"http://127.0.0.1:{ports[s]}{PAGE}"],
                               stdout=subprocess.DEVNULL, check=True)
        results = {s: [] for s in measured}
        load_before = open("/proc/loadavg").read().split()[:3]
        for rnd in range(ROUNDS):
            order = measured[rnd % len(measured):] + measured[:rnd % len(measured)]
            for s in order:
                pids = pids_of(procs[s].pid)
                t0 = cpu_ticks(pids)
                out = subprocess.run(wrk + ["-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency",
                                            f"http://127.0.0.1:{ports[s]}{PAGE}"],
                                     capture_output=True, text=True, check=True).stdout
                t1 = cpu_ticks(pids_of(procs[s].pid))
                reqs = int(re.search(r"(\d+) requests in", out).group(1))
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                p50 = to_us(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
                p99 = to_us(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
                bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
                errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, errs.groups())) if errs else 0)
                results[s].append({"reqs": reqs, "rps": rps, "p50": p50, "p99": p99, "ticks": t1 - t0, "errors": errors})
                log(f"round {rnd + 1} {s:<13} {rps:9.0f} req/s  p99 {p99 / 1000:8.2f} ms  "
                    f"{(t1 - t0) / HZ * 1e6 / max(reqs, 1):8.1f} us CPU/req  errors {errors}")
                time.sleep(1)
        load_after = open("/proc/loadavg").read().split()[:3]

        summary = {}
        for s, rs in results.items():
            reqs = sum(r["reqs"] for r in rs)
            summary[s] = {"rps": statistics.median(r["rps"] for r in rs),
                          "p50": statistics.median(r["p50"] for r in rs),
                          "p99": statistics.median(r["p99"] for r in rs),
                          "cpu": sum(r["ticks"] for r in rs) / HZ * 1e6 / max(reqs, 1),
                          "errors": sum(r["errors"] for r in rs), "reqs": reqs}

        def ms(us):
            return f"{us / 1000:.2f} ms"
        print(f"GET {PAGE} ({n} reviews, {len(pages.get('vial', (0, ''))[1])} B), wrk -t1 -c{CONNECTIONS} "
              f"-d{DURATION} x {ROUNDS} rounds, servers pinned to core {os.cpu_count() - 1 if PIN else '(not pinned)'}; "
              f"load average before {' '.join(load_before)}, after {' '.join(load_after)}")
        print()
        print("| server | req/s (median) | p50 | p99 | CPU per request | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        for s, v in summary.items():
            print(f"| {s} | {v['rps']:.0f} | {ms(v['p50'])} | {ms(v['p99'])} | {v['cpu']:.1f} us | {v['errors']} |")
        if "vial" in summary:
            print()
            print("| vial against | req/s ratio (target >= 20x) | CPU/request ratio (target: vial < 1/20) | p99 ratio |")
            print("|---|---:|---:|---:|")
            v = summary["vial"]
            for s, t in summary.items():
                if s == "vial":
                    continue
                print(f"| {s} | **{v['rps'] / t['rps']:.1f}x** | **1/{t['cpu'] / v['cpu']:.1f}** | "
                      f"{v['p99'] / t['p99']:.3f} |")
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if os.environ.get("KEEP_TMP") == "1":
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
