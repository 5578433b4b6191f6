#!/usr/bin/env python3
"""Black-box tests of examples/hello over real loopback sockets: curl and raw sockets.

Usage: hello_blackbox.py PATH_TO_HELLO
Starts the example on a free port, checks the HTTP behaviour users rely on, then stops it
with SIGTERM while a request is in flight and checks that request still completes.
"""
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox  # noqa: E402
from blackbox import check, closed, connect, curl, finish, read_response, response, send_one, stop  # noqa: E402

HELLO = sys.argv[1]


def start(*flags):
    return blackbox.start(HELLO, "--threads", "2", *flags)


proc, port = start()
base = f"http://127.0.0.1:{port}"

# curl: the four endpoints
r = curl("-i", base + "/plaintext")
check("plaintext body", r.stdout.endswith("\n\nHello, World!"), r.stdout)
check("plaintext type", "Content-Type: text/plain" in r.stdout, r.stdout)
check("plaintext date", re.search(r"^Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", r.stdout, re.M) is not None, r.stdout)
check("plaintext length", "Content-Length: 13" in r.stdout, r.stdout)
r = curl(base + "/json")
check("json body", r.stdout == '{"message":"Hello, World!"}', r.stdout)
r = curl(base + "/user/42")
check("user id", "42" in r.stdout, r.stdout)
r = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/user/abc")
check("user non-int is 404", r.stdout == "404", r.stdout)
r = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/user/99999999999999999999")
check("user overflow is 404", r.stdout == "404", r.stdout)
r = curl("-i", "-X", "POST", "-H", "Content-Type: application/x-thing", "--data-binary", "echo me", base + "/echo")
check("echo body", r.stdout.endswith("echo me"), r.stdout)
check("echo type", "Content-Type: application/x-thing" in r.stdout, r.stdout)
r = curl("-i", "-X", "POST", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunky", base + "/echo")
check("chunked request body", r.stdout.endswith("chunky"), r.stdout)
r = curl("-i", "-X", "POST", "-H", "Expect: 100-continue", "--data-binary", "x" * 2000, base + "/echo")
check("curl 100-continue", r.stdout.startswith("HTTP/1.1 100 Continue") and r.stdout.endswith("x" * 2000), r.stdout[:200])

# keep-alive: several requests on one connection
s = connect(port)
for i in range(3):
    s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
    status, headers, body, _ = response(s)
    check(f"keep-alive request {i}", status == 200 and body == b"Hello, World!", f"{status} {body!r}")
s.close()

# HTTP/1.0 without keep-alive closes
s, (status, headers, body, _) = send_one(port, b"GET /plaintext HTTP/1.0\r\n\r\n")
check("http/1.0 answered", status == 200 and body == b"Hello, World!", f"{status}")
check("http/1.0 closes", closed(s))

# pipelining: answers in order
s = connect(port)
s.sendall(b"GET /user/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /json HTTP/1.1\r\nHost: a\r\n\r\nGET /user/3 HTTP/1.1\r\nHost: a\r\n\r\n")
buf = b""
bodies = []
for _ in range(3):
    status, headers, body, buf = response(s, buf)
    bodies.append(body)
check("pipelining in order", b"1" in bodies[0] and b"message" in bodies[1] and b"3" in bodies[2], repr(bodies))
s.close()

# HEAD: GET's headers, no body
s = connect(port)
s.sendall(b"HEAD /plaintext HTTP/1.1\r\nHost: a\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
status, headers, body, buf = response(s, head=True)
check("head status and length", status == 200 and headers.get("content-length") == "13", f"{status} {headers}")
status, headers, body, buf = response(s, buf)
check("no body after head", status == 200 and body == b"Hello, World!", f"{status} {body!r}")
s.close()

# OPTIONS, 405 with Allow, 404, 308
s, (status, headers, body, _) = send_one(port, b"OPTIONS /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
check("options", status == 200 and headers.get("allow") == "GET, HEAD, OPTIONS", f"{status} {headers}")
s, (status, headers, body, _) = send_one(port, b"DELETE /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
check("405 allow", status == 405 and headers.get("allow") == "GET, HEAD, OPTIONS", f"{status} {headers}")
s, (status, headers, body, _) = send_one(port, b"GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n")
check("404", status == 404, f"{status}")
s, (status, headers, body, _) = send_one(port, b"GET /about?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
check("308 trailing slash", status == 308 and headers.get("location") == "/about/?x=1", f"{status} {headers}")

s, (status, headers, body, _) = send_one(port, b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
check("OPTIONS * lists every method", status == 200 and headers.get("allow") == "GET, HEAD, POST, OPTIONS",
      f"{status} {headers}")
r = curl("-i", "-X", "OPTIONS", "--request-target", "*", base + "/")
check("curl OPTIONS *", r.stdout.startswith("HTTP/1.1 200") and "Allow: GET, HEAD, POST, OPTIONS" in r.stdout, r.stdout)
s, (status, headers, body, _) = send_one(port, b"POST /plaintext HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
check("405 on a GET route", status == 405 and headers.get("allow") == "GET, HEAD, OPTIONS", f"{status} {headers}")
s, (status, headers, body, _) = send_one(port, b"GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
check("405 on a POST route", status == 405 and headers.get("allow") == "POST, OPTIONS", f"{status} {headers}")
s, (status, headers, body, rest) = send_one(port, b"HEAD /user/7 HTTP/1.1\r\nHost: a\r\n\r\n", head=True)
check("HEAD of a handler's body", status == 200 and headers.get("content-length") == "6" and rest == b"", f"{status} {headers} {rest!r}")
# absolute-form (what curl sends through a proxy): routed on its path, RFC 9112 3.2.2
r = subprocess.run(["curl", "-s", "--max-time", "5", "-x", base, "-i", "http://example.com/user/5?x=1"],
                   capture_output=True, text=True, env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()})
check("absolute-form target", r.stdout.startswith("HTTP/1.1 200") and r.stdout.endswith("User 5"), r.stdout)
# HTTP/1.0 keep-alive on request
s = connect(port)
s.sendall(b"GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
status, headers, body, buf = response(s)
check("http/1.0 keep-alive", status == 200 and headers.get("connection") == "keep-alive", f"{status} {headers}")
s.sendall(b"GET /json HTTP/1.0\r\n\r\n")
status, headers, body, buf = response(s, buf)
check("http/1.0 keep-alive, then close", status == 200 and b"message" in body and closed(s), f"{status} {headers}")
# a pipeline with a bad request in the middle: answered up to it, then 400 and closed
s = connect(port)
s.sendall(b"GET /user/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /user/2 HTTP/1.1\r\n\r\nGET /user/3 HTTP/1.1\r\nHost: a\r\n\r\n")
status1, _, body1, buf = response(s)
status2, headers2, _, buf = response(s, buf)
check("pipeline with a bad request", status1 == 200 and body1 == b"User 1" and status2 == 400
      and headers2.get("connection") == "close" and buf == b"" and closed(s), f"{status1} {status2} {buf!r}")
s, (status, *_) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\n")
check("417 other expectation", status == 417 and closed(s), f"{status}")

# limits
s, (status, *_ ) = send_one(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n")
check("414 long request line", status == 414, f"{status}")
s, (status, *_ ) = send_one(port, b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n")
check("431 long header line", status == 431, f"{status}")
check("431 closes", closed(s))
many = b"".join(b"X-H%d: v\r\n" % i for i in range(101))
s, (status, *_ ) = send_one(port, b"GET / HTTP/1.1\r\nHost: a\r\n" + many + b"\r\n")
check("431 too many fields", status == 431, f"{status}")
s, (status, *_ ) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n")
check("413 big body", status == 413, f"{status}")
s = connect(port)
s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
try:
    for _ in range(20):
        s.sendall(b"10000\r\n" + b"z" * 0x10000 + b"\r\n")
    s.sendall(b"0\r\n\r\n")
except (BrokenPipeError, ConnectionResetError):
    pass
status, *_ = response(s)
check("413 big chunked body", status == 413, f"{status}")
s, (status, *_ ) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n")
check("413 before reading a 100-continue body", status == 413, f"{status}")

# strictness
s, (status, *_ ) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
check("400 CL with TE", status == 400, f"{status}")
check("400 closes", closed(s))
# the gaps found by hand (issue 11): an invalid Host value (RFC 9112 3.2), user info in an
# http URI (RFC 9110 4.2.4), a target in none of the four forms: 400 and closed
for name, raw in [("Host: a b", b"GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n"),
                  ("Host: a/b", b"GET /plaintext HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                  ("user info", b"GET http://user@a/plaintext HTTP/1.1\r\nHost: a\r\n\r\n"),
                  ("no form", b"GET plaintext HTTP/1.1\r\nHost: a\r\n\r\n")]:
    s, (status, headers, *_ ) = send_one(port, raw)
    check(f"400 {name}", status == 400 and headers.get("connection") == "close" and closed(s), f"{status} {headers}")
s, (status, *_ ) = send_one(port, b"GET /plaintext HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n")
check("IP-literal Host", status == 200, f"{status}")
s, (status, *_ ) = send_one(port, b"GET /plaintext HTTP/1.1\r\n\r\n")
check("400 missing host", status == 400, f"{status}")
s, (status, *_ ) = send_one(port, b"GET /plaintext HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n")
check("400 obs-fold", status == 400, f"{status}")
s, (status, *_ ) = send_one(port, b"GET /plaintext HTTP/1.1\nHost: a\n\n")
check("400 bare LF", status == 400, f"{status}")
s, (status, *_ ) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
check("501 TE not chunked", status == 501, f"{status}")

# 100-continue by hand
s = connect(port)
s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
status, *_ = read_response(s)
check("100 continue sent", status == 100, f"{status}")
s.sendall(b"hello")
status, headers, body, _ = response(s)
check("body after 100", status == 200 and body == b"hello", f"{status} {body!r}")
s.close()

# graceful shutdown with a request in flight
s = connect(port)
s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf-")
time.sleep(0.2)
proc.send_signal(signal.SIGTERM)
time.sleep(0.3)
s.sendall(b"done!")
status, headers, body, _ = response(s)
check("in-flight request completes", status == 200 and body == b"half-done!", f"{status} {body!r}")
try:
    code = proc.wait(timeout=15)
except subprocess.TimeoutExpired:
    proc.kill()
    code = "hung"
check("exit 0 after SIGTERM", code == 0, f"{code}")
try:
    connect(port)
    check("stopped accepting", False, "still accepting")
except OSError:
    check("stopped accepting", True)
log = proc.stdout.read()
check("access log line", re.search(r'"GET /plaintext HTTP/1.1" 200 13', log) is not None, log[-500:])

# limits and timeouts set by flags, short for the test; then SIGINT stops it like SIGTERM
proc, port = start("--header-timeout", "300ms", "--body-timeout", "0.3", "--keep-alive-timeout", "400ms",
                   "--max-body", "16", "--max-request-line", "1K", "--max-header-fields", "5",
                   "--max-requests-per-connection", "2")
s = connect(port)
t0 = time.time()
s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n")  # and never the blank line
status, *_ = response(s)
check("--header-timeout gives 408", status == 408 and time.time() - t0 < 2.5, f"{status} {time.time() - t0:.2f}s")
check("408 closes", closed(s))
s = connect(port)
t0 = time.time()
s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf")
status, *_ = response(s)
check("--body-timeout gives 408", status == 408 and time.time() - t0 < 2.5, f"{status} {time.time() - t0:.2f}s")
s, (status, *_) = send_one(port, b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
t0 = time.time()
check("--keep-alive-timeout closes an idle connection", status == 200 and closed(s) and time.time() - t0 < 2.5,
      f"{status} {time.time() - t0:.2f}s")
s, (status, headers, body, _) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 16\r\n\r\n" + b"b" * 16)
check("--max-body: at the limit", status == 200 and body == b"b" * 16, f"{status} {body!r}")
s, (status, *_) = send_one(port, b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n" + b"b" * 17)
check("--max-body: over it", status == 413 and closed(s), f"{status}")
s = connect(port)
s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + b"c" * 16 + b"\r\n1\r\nc\r\n0\r\n\r\n")
status, *_ = response(s)
check("--max-body: chunked over it", status == 413 and closed(s), f"{status}")
s, (status, *_) = send_one(port, b"GET /" + b"a" * 1100 + b" HTTP/1.1\r\nHost: a\r\n\r\n")
check("--max-request-line", status == 414, f"{status}")
s, (status, *_) = send_one(port, b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(5)) + b"\r\n")
check("--max-header-fields", status == 431, f"{status}")
s = connect(port)
s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n" * 3)
status1, headers1, _, buf = response(s)
status2, headers2, _, buf = response(s, buf)
check("--max-requests-per-connection", status1 == 200 and status2 == 200 and headers2.get("connection") == "close"
      and buf == b"" and closed(s), f"{status1} {status2} {headers2} {buf!r}")
code = stop(proc, signal.SIGINT)
check("exit 0 after SIGINT", code == 0, f"{code}")
check("SIGINT logged", "vial: SIGINT, shutting down" in proc.stdout.read(), "")

# a log nobody reads: a harness that reads the start-up line and no more leaves the pipe to
# fill up after some 700 access-log lines; requests must still be served and SIGTERM obeyed
proc = subprocess.Popen([HELLO, "--port", "0", "--threads", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
port = int(re.search(rb"http://127\.0\.0\.1:(\d+)/", proc.stderr.readline()).group(1))
answered = 0
try:
    for i in range(1500):
        if i % 500 == 0:
            s = connect(port)
        s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n")
        status, _, body, _ = response(s)
        if status != 200:
            break
        answered += 1
except OSError as e:
    print(f"stopped after {answered}: {e!r}")
check("served with the log pipe full", answered == 1500, f"{answered} of 1500")
s.close()  # an idle client still connected would hold the stop for --drain-timeout (5 s)
t0 = time.time()
code = stop(proc, signal.SIGTERM, timeout=10)
check("exit 0 after SIGTERM with the log pipe full", code == 0 and time.time() - t0 < 5, f"{code} {time.time() - t0:.1f}s")
proc.stderr.close()
proc.stdout.close()

# the command line
r = subprocess.run([HELLO, "--routes"], capture_output=True, text=True)
check("--routes", r.returncode == 0 and re.search(r"show_user\s+GET\s+/user/<int:user_id>", r.stdout) is not None, r.stdout)
r = subprocess.run([HELLO, "--help"], capture_output=True, text=True)
check("--help", r.returncode == 0 and "--port" in r.stdout and r.stderr == "", r.stdout + r.stderr)
for flag in ("--max-body SIZE", "--max-header-bytes SIZE", "--header-timeout T", "--keep-alive-timeout T"):
    check(f"--help lists {flag}", flag in r.stdout, r.stdout)
for bad in (["--port", "http"], ["--port", "65536"], ["--max-body", "1X"], ["--header-timeout", "0"], ["--threads"]):
    r = subprocess.run([HELLO, *bad], capture_output=True, text=True)
    check(f"{' '.join(bad)} exits 2", r.returncode == 2 and bad[-1] in r.stderr and r.stdout == "", f"{r.returncode} {r.stderr}")
r = subprocess.run([HELLO, "--bogus"], capture_output=True, text=True)
check("bad flag exits 2", r.returncode == 2 and "--bogus" in r.stderr, f"{r.returncode} {r.stderr}")

finish()
