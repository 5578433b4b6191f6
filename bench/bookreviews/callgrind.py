#!/usr/bin/env python3
"""Instructions per book page of BookReviews, counted by callgrind (the load does not change them).

Usage: bench/bookreviews/callgrind.py BOOKREVIEWS_BINARY [REQUESTS [URL]]
       (a Release build: run.sh makes one in build-bench-bookreviews/)

The method of docs/performance.md ("BookReviews against its Flask twin"): the example under
`valgrind --tool=callgrind` with --threads 1 on a fresh database, book 1 topped up to REVIEWS (50)
reviews as bench.py does, 5 warm-up requests, counters zeroed (callgrind_control -z), then
REQUESTS (200) GETs of URL (/books/1) on one keep-alive connection, counters dumped
(callgrind_control -d). Prints the total and instructions per request, then the inclusive
counts per request of the functions that make up a page (callgrind_annotate --inclusive=yes).
The dump stays in OUT (default: a temporary folder, printed) for callgrind_annotate.

Environment: REVIEWS [50], OUT [a new temporary folder], TOP [40].
"""
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (its seed(): the same 50 reviews as run.sh measures)

APP = os.path.abspath(sys.argv[1])
REQUESTS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
URL = sys.argv[3] if len(sys.argv) > 3 else "/books/1"
TOP = int(os.environ.get("TOP", "40"))


def main():
    out = os.environ.get("OUT") or tempfile.mkdtemp(prefix="vial-callgrind-bookreviews-")
    os.makedirs(out, exist_ok=True)
    db = os.path.join(out, "bookreviews.db")
    key = os.path.join(out, "secret.key")
    with open(key, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env.pop("VIAL_SECRET_KEY", None)
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out.%p",
         APP, "--host", "127.0.0.1", "--port", str(port), "--threads", "1", "--database", db,
         "--secret-key-file", key, "--no-access-log"],
        cwd=out, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(out, "valgrind.log"), "w"))
    try:
        bench.wait_http(f"http://127.0.0.1:{port}/", proc, seconds=120)
        print(f"book 1 has {bench.seed(db)} reviews", file=sys.stderr)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get():
            conn.request("GET", URL)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise SystemExit(f"callgrind.py: {URL}: {r.status}")
            return body

        for _ in range(5):
            size = len(get())
        subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(REQUESTS):
            get()
        subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, stdout=subprocess.DEVNULL)
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    dumps = sorted((f for f in os.listdir(out) if re.fullmatch(rf"callgrind\.out\.{proc.pid}\.\d+", f)),
                   key=lambda f: int(f.rsplit(".", 1)[1]))
    dump = os.path.join(out, dumps[0])   # the first dump: the REQUESTS requests alone
    annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", dump],
                               capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"([\d,]+)\s+(?:\(100\.0%\)\s+)?PROGRAM TOTALS", annotated).group(1).replace(",", ""))
    print(f"{URL} ({size} B): {total:,} instructions for {REQUESTS} requests, "
          f"{total / REQUESTS / 1000:.1f} k per request  (dump: {dump})")
    print()
    shown = 0
    for line in annotated.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\([\d.]+%\)\s+)?(\S.*)$", line)
        if not m or "PROGRAM TOTALS" in line or "file:function" in line:
            continue
        count = int(m.group(1).replace(",", ""))
        print(f"{count / REQUESTS / 1000:9.1f} k  {m.group(2)[:150]}")
        shown += 1
        if shown >= TOP:
            break


if __name__ == "__main__":
    main()
