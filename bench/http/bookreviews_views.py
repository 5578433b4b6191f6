#!/usr/bin/env python3
"""CPU per request of BookReviews' page views, two builds side by side (before/after a change).

Usage: bench/http/bookreviews_views.py OLD_BOOKREVIEWS NEW_BOOKREVIEWS
Each binary serves a fresh SQLite file (seeded on first run) with --threads 1; wrk -t1 -c8
warms up 2 s, then runs 6 s on each URL; CPU per request is the server's utime + stime from
/proc/PID/stat over the run divided by the requests wrk counted. Two rounds. wrk sends no
cookies: every request is a new visitor's.
"""
import os, re, subprocess, sys, time, shutil, tempfile
CLK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / CLK
def run(binary, db, url):
    p = subprocess.Popen([binary, "--port", "0", "--threads", "1", "--no-access-log", "--database", db,
                          "--secret-key", "measure-key-0123456789abcdef"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    port = None
    while port is None:
        m = re.search(r":(\d+)/", p.stdout.readline()); port = m and m.group(1)
    subprocess.run(["wrk", "-t1", "-c8", "-d2s", f"http://127.0.0.1:{port}{url}"], capture_output=True)  # warm up
    c0 = cpu(p.pid)
    out = subprocess.run(["wrk", "-t1", "-c8", "-d6s", f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True).stdout
    c1 = cpu(p.pid)
    p.terminate(); p.wait()
    n = int(re.search(r"(\d+) requests in", out).group(1))
    return (c1 - c0) / n * 1e6, n
tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "m.db")
for rnd in range(2):
    for name, b in (("before", sys.argv[1]), ("after", sys.argv[2])):
        for url in ("/books/1", "/", "/nope"):
            us, n = run(b, db, url)
            print(f"round {rnd} {name:6} {url:9} {us:7.1f} us CPU/request ({n} requests)", flush=True)
shutil.rmtree(tmp)
