#!/usr/bin/env python3
"""Many idle keep-alive connections against examples/hello: memory per connection, and
--max-connections refusing the ones past it cleanly.

Usage: many_connections.py [--hello PATH] [--connections N]

hello starts with 2 threads, --keep-alive-timeout 300s (so that idle connections stay) and
--max-connections N (default 10000). This script
1. sends 1,000 requests on one connection (warm-up), then reads VmRSS;
2. opens N connections, sends one GET /plaintext on each and reads its answer, and keeps
   them open and idle; reads VmRSS again: (after - before) / N is the memory per idle
   connection (user space; the kernel's socket buffers are not in VmRSS). Check: under 8 KiB;
3. opens 200 more: each must get a 503 with Connection: close and be closed by the server;
4. checks the server does not spin with N idle connections (CPU time over 3 s under 0.1 s);
5. sends a request again on 500 of the idle connections: all answered 200;
6. closes everything and checks the server's sockets go back to the listener alone.
Prints the figures; exits 1 when a check fails. Needs `ulimit -n` above N + 300 for this
script (it raises its own soft limit when it can) and the same for hello.
"""
import argparse
import os
import resource
import socket
import sys
import time

from hello_process import Hello

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--hello", default=os.path.join(repo, "build", "examples", "hello"))
ap.add_argument("--connections", type=int, default=10000)
args = ap.parse_args()
n = args.connections

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = n + 400
if soft < need:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
    sys.exit(f"many_connections.py: ulimit -n must be at least {need}")

failures = []


def check(name, ok, detail):
    print(("ok   " if ok else "FAIL ") + name + ": " + detail, flush=True)
    if not ok:
        failures.append(name)


hello = Hello(args.hello, "--keep-alive-timeout", "300s", "--max-connections", str(n))
port = hello.port
lines = hello.lines


def get(s):
    s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
    buf = b""
    while b"Hello, World!" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            return None
        buf += chunk
    return int(buf.split(b" ")[1])


listener_sockets = hello.sockets()
warm = socket.create_connection(("127.0.0.1", port), timeout=10)
for _ in range(1000):
    get(warm)
warm.close()
time.sleep(0.5)
before = hello.rss_kib()

held = []
t0 = time.time()
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if get(s) != 200:
        break
    held.append(s)
opened_in = time.time() - t0
time.sleep(1)
after = hello.rss_kib()
per = (after - before) * 1024 / max(len(held), 1)
check(f"{n} idle keep-alive connections opened and answered", len(held) == n, f"{len(held)} in {opened_in:.1f} s")
check("memory per idle connection under 8 KiB", per < 8192,
      f"VmRSS {before} KiB before, {after} KiB with {len(held)} idle: {per:.0f} bytes each")

refused = 0
for _ in range(200):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    buf = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    except OSError:
        pass
    if buf.startswith(b"HTTP/1.1 503") and b"Connection: close" in buf:
        refused += 1
    s.close()
check("connections past --max-connections get a 503 and a close", refused == 200, f"{refused} of 200")

cpu0 = hello.cpu_seconds()
time.sleep(3)
cpu = hello.cpu_seconds() - cpu0
check("no spin with the idle connections (CPU under 0.1 s in 3 s)", cpu < 0.1, f"{cpu:.2f} s")

again = sum(get(s) == 200 for s in held[:500])
check("idle connections still answered", again == 500, f"{again} of 500")
check("the refusals are logged", any("refused with 503" in l for l in lines), str(lines[-2:]))

for s in held:
    s.close()
deadline = time.time() + 20
while time.time() < deadline and hello.sockets() > listener_sockets:
    time.sleep(0.2)
left = hello.sockets() - listener_sockets
check("every connection closed on the server once the clients closed", left == 0, f"{left} left")
hwm = hello.status()["VmHWM"]
code = hello.stop()
check("clean exit on SIGTERM", code == 0, f"exit {code}")
print(f"| {n} | {before / 1024:.1f} MiB | {after / 1024:.1f} MiB | {per:.0f} B | {refused}/200 | {cpu:.2f} s | {hwm} |")
if failures:
    print(f"many_connections: {len(failures)} check(s) failed")
    sys.exit(1)
print("many_connections: all checks passed")
