#!/usr/bin/env python3
"""Many connections against examples/hello with a low descriptor limit (`ulimit -n 128`).

Usage: hello_limits.py PATH_TO_HELLO

1. --max-connections 40: connections past 40 get a 503 with Connection: close and are
   closed; the held ones keep working; once some close, new clients are served again.
2. No --max-connections (0: the descriptor limit less 64, so 64 here): the same, without
   any flag.
3. --max-connections 1000, above what 128 descriptors allow: accept(2) fails with EMFILE.
   The server logs it, does not spin (its CPU time while clients wait stays low), and serves
   the waiting clients once descriptors are free.
Every wait is bounded; exits non-zero on the first failed check.

Nothing here depends on how fast the machine is: the test waits for what it checks (a log
line, a served client, every accepted connection answered) up to WAIT seconds, a bound only a
broken server reaches, instead of sleeping a fixed time and hoping the server kept up; and the
servers keep idle connections for minutes (--keep-alive-timeout), so that a slow run never
sees a held connection closed by the idle timer (10 s by default) instead of kept.
"""
import os
import resource
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "hostile"))
from hello_process import Hello  # noqa: E402

HELLO = sys.argv[1]
NOFILE = 128
WAIT = 60  # seconds: how long any condition may take to hold, on a machine under any load
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + (f": {detail}" if detail else ""), flush=True)
    if not condition:
        failures.append(name)


def wait_for(condition, seconds=WAIT):
    """Polls `condition` until it holds or `seconds` pass; returns whether it held."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def logged(srv, text):
    return any(text in line for line in srv.lines)


def _lower_nofile():
    resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))


def Server(*flags):
    """hello under `ulimit -n 128` (bench/hostile/hello_process.py starts it)."""
    return Hello(HELLO, "--keep-alive-timeout", "10m", *flags, preexec_fn=_lower_nofile)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    s.settimeout(WAIT)
    return s


def get(s, path="/plaintext", close=False):
    """Sends a GET and reads one response; returns (status, headers) or (None, {})."""
    try:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: a\r\n{'Connection: close' + chr(13) + chr(10) if close else ''}\r\n"
                  .encode())
        return read_response(s)
    except OSError:
        return None, {}


def read_response(s):
    buf = b""
    try:
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                return None, {}
            buf += chunk
    except OSError:
        return None, {}
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    return int(lines[0].split(" ")[1]), headers


def closed(s):
    try:
        return s.recv(1) == b""
    except OSError:
        return True


def limit_case(name, flags, limit):
    srv = Server(*flags)
    held = []
    for _ in range(limit):
        s = connect(srv.port)
        status, _ = get(s)
        if status != 200:
            break
        held.append(s)
    check(f"{name}: {limit} connections served and held", len(held) == limit, f"{len(held)} held")
    refused = 0
    for _ in range(20):
        s = connect(srv.port)
        status, headers = read_response(s)  # refused before any request is sent
        if status == 503 and headers.get("connection") == "close" and closed(s):
            refused += 1
        s.close()
    check(f"{name}: 20 more get 503 and a close", refused == 20, f"{refused} of 20")
    status, _ = get(held[0])
    check(f"{name}: a held connection still works", status == 200, f"{status}")
    for s in held[:10]:
        s.close()
    served = 0
    deadline = time.monotonic() + WAIT
    while served < 10 and time.monotonic() < deadline:
        s = connect(srv.port)
        status, _ = get(s, close=True)
        if status == 200:
            served += 1
        else:
            time.sleep(0.05)
        s.close()
    check(f"{name}: served again once some closed", served == 10, f"{served} of 10")
    check(f"{name}: the refusals are logged", wait_for(lambda: logged(srv, "refused with 503")), srv.lines[-5:])
    for s in held[10:]:
        s.close()
    check(f"{name}: clean exit on SIGTERM", srv.stop() == 0)


limit_case("--max-connections 40", ["--max-connections", "40"], 40)
limit_case("default limit (ulimit -n 128, less 64)", [], NOFILE - 64)

# accept(2) failing with EMFILE: no spin, recovery.
srv = Server("--max-connections", "1000")
held = []
for _ in range(NOFILE + 40):
    held.append(connect(srv.port))  # the kernel completes the handshake; the server may not accept
for s in held:
    s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
check("EMFILE: accept failures are logged", wait_for(lambda: logged(srv, "accept failed: Too many open files")),
      srv.lines[-5:])
# Out of descriptors now, and it stays so while the clients hold their connections: the server
# holds its listener and the connections it accepted, which are the first ones (the backlog is
# first in, first out). Each of them is answered.
accepted = srv.sockets() - 1
answered = 0
for s in held[:accepted]:
    status, _ = read_response(s)
    answered += status == 200
check("EMFILE: the first connections were accepted", 60 <= accepted < len(held), f"{accepted} of {len(held)}")
check("EMFILE: every accepted connection is answered", answered == accepted, f"{answered} of {accepted}")
# With nothing left to answer and no descriptor to accept with, a server that does not spin
# sleeps between its tries (CPU time spent by anything else is not counted here).
cpu0 = srv.cpu_seconds()
time.sleep(2)
cpu = srv.cpu_seconds() - cpu0
check("EMFILE: no spin while out of descriptors (CPU < 0.3 s in 2 s)", cpu < 0.3, f"{cpu:.2f} s")
for s in held[:accepted]:
    s.close()
# With descriptors free again, the clients that waited in the backlog are served.
late = 0
for s in held[accepted:]:
    status, _ = read_response(s)
    late += status == 200
    s.close()
check("EMFILE: every waiting client is served once descriptors are free", late == len(held) - accepted,
      f"{late} of {len(held) - accepted}")
s = connect(srv.port)
status, _ = get(s, close=True)
check("EMFILE: a new client is served", status == 200, f"{status}")
s.close()
check("EMFILE: clean exit on SIGTERM", srv.stop() == 0)

if failures:
    print(f"{len(failures)} failed: {failures}")
    sys.exit(1)
print("all passed")
