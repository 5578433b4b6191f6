"""What the black-box tests of the examples share: start a program on a free port and wait
until it serves, count checks, talk HTTP with curl, http.client or a raw socket.

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from blackbox import check, start, curl, finish

    proc, port = start(APP, "--threads", "2")
    try:
        check("index", curl(f"http://127.0.0.1:{port}/").stdout == "Hello")
    finally:
        stop(proc)
    finish()     # prints the counts; exit status 1 if a check failed
"""
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

failures = []
passed = 0


def check(name, condition, detail=""):
    """Counts one check; prints and remembers it when `condition` is false."""
    global passed
    if condition:
        passed += 1
    else:
        failures.append(f"{name}: {detail}")
        print(f"FAIL {name}: {str(detail)[:2000]}", flush=True)  # a whole page would drown the log
    return bool(condition)


def finish():
    """Prints how many checks passed and failed, and exits: 1 if any failed, else 0."""
    print(f"{passed} checks passed, {len(failures)} failed", flush=True)
    sys.exit(1 if failures else 0)


def environment(unset=(), **values):
    """A copy of os.environ without the names in `unset`, with `values` added (None: removed)."""
    env = {k: v for k, v in os.environ.items() if k not in unset}
    for k, v in values.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def start(program, *flags, env=None, cwd=None, stderr=subprocess.STDOUT, timeout=10):
    """Runs `program --port 0 flags...` and waits for the line with its URL
    (http://127.0.0.1:PORT/). Returns (process, port); its standard output stays a text pipe
    (with standard error, unless `stderr` says otherwise). Exits the test if the program
    does not print its URL within `timeout` seconds."""
    proc = subprocess.Popen([program, "--port", "0", *flags], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=stderr, text=True)
    deadline = time.time() + timeout
    line = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            return proc, int(m.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"{os.path.basename(program)} did not print its URL; last line: {line!r}")


def stop(proc, sig=None, timeout=15):
    """Sends `sig` (SIGTERM by default) and waits. Returns the exit status, or "hung" after
    `timeout` seconds (the process is then killed)."""
    if sig is None:
        proc.terminate()
    else:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return "hung"


# ---- curl ----

def curl(*args):
    """curl -s --max-time 5 args...: the CompletedProcess, text."""
    return subprocess.run(["curl", "-s", "--max-time", "5", *args], capture_output=True, text=True)


def status_of(out):
    """The status of the first response in curl -i output, or None."""
    m = re.match(r"HTTP/1\.1 (\d+)", out)
    return int(m.group(1)) if m else None


def header(out, name):
    """The first header `name` (any case) in curl -i output, or None."""
    m = re.search(rf"^{name}: (.*?)\r?$", out, re.M | re.I)
    return m.group(1) if m else None


# ---- http.client ----

def request(port, method, target, body=None, headers=None):
    """One request with http.client. Returns (status, headers with lowercase names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, target, body=body, headers=dict(headers or {}))
        r = conn.getresponse()
        data = r.read()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
    finally:
        conn.close()


# ---- raw sockets ----

def connect(port, timeout=5):
    """A connected socket to 127.0.0.1:port with a timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def read_response(s, buf=b""):
    """Reads one response head (status line and headers). Returns (status, headers with
    lowercase names, what was read after the head, b""), status None if the peer closed first."""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None, {}, b"", buf
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, rest, b""


def response(s, buf=b"", head=False):
    """Reads one whole response (Content-Length framing; none for HEAD, 1xx, 204, 304).
    Returns (status, headers, body, bytes read past it)."""
    status, headers, rest, _ = read_response(s, buf)
    if status is None:
        return None, {}, b"", b""
    length = 0 if head or status in (100, 204, 304) else int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length], rest[length:]


def closed(s):
    """Whether the peer closes the connection (EOF or reset) before the socket's timeout."""
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, socket.timeout):
        return isinstance(sys.exc_info()[1], ConnectionResetError)


def send_one(port, raw, head=False):
    """Sends raw bytes on a new connection and reads one response. Returns (socket, response)."""
    s = connect(port)
    s.sendall(raw)
    r = response(s, head=head)
    return s, r


def node(npm_dir, script, *args):
    """Runs a node script of tests/openapi with the packages of `npm_dir` (scripts/test
    installs them): from a copy in `npm_dir`, since the script resolves its imports there."""
    env = dict(os.environ, REDOCLY_TELEMETRY="off", NODE_PATH=os.path.join(npm_dir, "node_modules"))
    target = os.path.join(npm_dir, os.path.basename(script))
    with open(script) as src, open(target, "w") as dst:
        dst.write(src.read())
    return subprocess.run(["node", target, *args], capture_output=True, text=True, env=env, timeout=300)


@contextlib.contextmanager
def openapi_files(doc_text, responses):
    """The OpenAPI document and the recorded responses in files, as (doc_file, resp_file),
    for the `with` block."""
    with tempfile.TemporaryDirectory() as tmp:
        doc_file = os.path.join(tmp, "openapi.json")
        with open(doc_file, "w") as f:
            f.write(doc_text)
        resp_file = os.path.join(tmp, "responses.json")
        with open(resp_file, "w") as f:
            json.dump(responses, f)
        yield doc_file, resp_file


def lint_openapi(doc_file, resp_file, npm_dir, config_dir):
    """Checks an app's OpenAPI document with redocly and spectral (0 errors under
    tests/openapi's rules), and with swagger-parser and ajv, which also check that every
    recorded response fits its schema."""
    bin_dir = os.path.join(npm_dir, "node_modules", ".bin")
    env = dict(os.environ, REDOCLY_TELEMETRY="off")
    r = subprocess.run([os.path.join(bin_dir, "redocly"), "lint", "--config",
                        os.path.join(config_dir, "redocly.yaml"), doc_file],
                       capture_output=True, text=True, env=env, timeout=300)
    out = r.stdout + r.stderr
    check("redocly lint (recommended): 0 errors", r.returncode == 0 and "Error was generated" not in out, out[-3000:])
    r = subprocess.run([os.path.join(bin_dir, "spectral"), "lint", "-r", os.path.join(config_dir, "spectral.yaml"),
                        "--fail-severity", "error", doc_file], capture_output=True, text=True, env=env, timeout=300)
    out = r.stdout + r.stderr
    check("spectral (spectral:oas): 0 errors", r.returncode == 0 and ("(0 errors" in out or "No results" in out),
          out[-3000:])
    r = node(npm_dir, os.path.join(config_dir, "validate.mjs"), doc_file, resp_file)
    print(r.stdout.strip())
    check("swagger-parser valid and ajv: responses fit their schemas", r.returncode == 0,
          r.stdout[-3000:] + r.stderr[-2000:])
