#!/usr/bin/env python3
"""Black-box tests of examples/members over a real loopback socket with curl: static files,
signed cookie sessions, flash, CSRF, the login_required guard, and the refusal to start
without a secret key.

Usage (from examples/members, which holds ./static): members_blackbox.py PATH_TO_MEMBERS
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox  # noqa: E402
from blackbox import check, curl, environment, finish, header, status_of  # noqa: E402

MEMBERS = os.path.abspath(sys.argv[1])
KEY = "blackbox-key-0123456789abcdef"


def start(*flags, env_key=KEY, cwd=None):
    """Starts members with VIAL_SECRET_KEY=env_key (none when env_key is None)."""
    env = environment(unset=("VIAL_SECRET_KEY", "VIAL_SECRET_KEY_FILE"))
    if env_key:
        env["VIAL_SECRET_KEY"] = env_key
    return blackbox.start(MEMBERS, "--threads", "2", *flags, env=env, cwd=cwd)


# No key: refuses to start, says why, exit status 2.
env = environment(unset=("VIAL_SECRET_KEY", "VIAL_SECRET_KEY_FILE"))
r = subprocess.run([MEMBERS, "--port", "0"], env=env, capture_output=True, text=True, timeout=10)
check("no key: exit 2", r.returncode == 2, r.returncode)
check("no key: message", "cannot start" in r.stderr and "--secret-key-file" in r.stderr, r.stderr)
r = subprocess.run([MEMBERS, "--routes"], env=env, capture_output=True, text=True, timeout=10)
check("--routes needs no key", r.returncode == 0 and "/members" in r.stdout, r.stdout + r.stderr)
r = subprocess.run([MEMBERS, "--port", "0", "--secret-key", "short"], env=env, capture_output=True, text=True, timeout=10)
check("short key refused", r.returncode == 2 and "16" in r.stderr, r.stderr)

with tempfile.TemporaryDirectory() as tmp:
    jar = os.path.join(tmp, "jar")
    keyfile = os.path.join(tmp, "keys")
    with open(keyfile, "w") as f:
        f.write(KEY + "\n")
    # The key from a file (flag), the environment unset.
    proc, port = start("--secret-key-file", keyfile, env_key=None)
    base = f"http://127.0.0.1:{port}"
    try:
        # Static files.
        r = curl("-i", base + "/static/style.css")
        check("css 200", status_of(r.stdout) == 200, r.stdout[:300])
        check("css type", header(r.stdout, "Content-Type") == "text/css; charset=utf-8", r.stdout[:300])
        check("css cache", header(r.stdout, "Cache-Control") == "public, max-age=60", r.stdout[:300])
        etag = header(r.stdout, "ETag")
        modified = header(r.stdout, "Last-Modified")
        check("css etag", etag is not None and etag.startswith('"'), r.stdout[:300])
        r = curl("-i", "-H", f"If-None-Match: {etag}", base + "/static/style.css")
        check("etag 304", status_of(r.stdout) == 304, r.stdout[:300])
        r = curl("-i", "-H", f"If-Modified-Since: {modified}", base + "/static/style.css")
        check("ims 304", status_of(r.stdout) == 304, r.stdout[:300])
        r = curl("-i", "-r", "0-3", base + "/static/style.css")
        check("range 206", status_of(r.stdout) == 206 and r.stdout.endswith("body"), r.stdout[:300])
        check("content-range", (header(r.stdout, "Content-Range") or "").startswith("bytes 0-3/"), r.stdout[:300])
        r = curl("-i", "-r", "100000-", base + "/static/style.css")
        check("range 416", status_of(r.stdout) == 416, r.stdout[:300])
        r = curl("-I", base + "/static/style.css")
        size = os.path.getsize("static/style.css")
        check("head length", status_of(r.stdout) == 200 and header(r.stdout, "Content-Length") == str(size), r.stdout)
        for bad in ["/static/../members.cpp", "/static/%2e%2e/members.cpp", "/static/.hidden", "/static/%00"]:
            r = curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + bad)
            check(f"unsafe {bad} 404", r.stdout == "404", r.stdout)

        # Guard: visitors go to sign-in with next.
        r = curl("-i", "-c", jar, "-b", jar, base + "/members")
        check("guard 303", status_of(r.stdout) == 303, r.stdout[:300])
        check("guard next", header(r.stdout, "Location") == "/signin?next=/members", r.stdout[:300])

        # Sign-in form sets the session (CSRF token), cookie attributes.
        r = curl("-i", "-c", jar, "-b", jar, base + "/signin?next=/members")
        cookie = header(r.stdout, "Set-Cookie") or ""
        check("session cookie", cookie.startswith("session="), r.stdout[:400])
        check("httponly", "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie, cookie)
        m = re.search(r'name=csrf_token value="([^"]+)"', r.stdout)
        check("form has token", m is not None, r.stdout[-400:])
        token = m.group(1) if m else ""

        # A post without the token: 400 with a clear message.
        r = curl("-i", "-c", jar, "-b", jar, "-d", "user=ann&password=wonderland&next=/members", base + "/signin")
        check("no token 400", status_of(r.stdout) == 400 and "CSRF token missing" in r.stdout, r.stdout[:400])
        # The check runs after routing: an unknown URL is a 404, a GET-only one a 405, as without CSRF.
        r = curl("-i", "-c", jar, "-b", jar, "-d", "x=1", base + "/nowhere")
        check("csrf: unknown url 404", status_of(r.stdout) == 404, r.stdout[:300])
        r = curl("-i", "-c", jar, "-b", jar, "-d", "x=1", base + "/")
        check("csrf: get-only url 405", status_of(r.stdout) == 405 and "GET" in (header(r.stdout, "Allow") or ""),
              r.stdout[:300])
        # Bodies a browser sends cross-site without a preflight are checked: text/plain, and a POST
        # with no body; JSON is not (a browser preflights it), so it reaches the form handler.
        r = curl("-i", "-c", jar, "-b", jar, "-H", "Content-Type: text/plain", "--data-binary",
                 "user=ann&password=wonderland", base + "/signin")
        check("csrf: text/plain 400", status_of(r.stdout) == 400 and "CSRF token missing" in r.stdout, r.stdout[:300])
        r = curl("-i", "-c", jar, "-b", jar, "-X", "POST", base + "/signout")
        check("csrf: bodiless post 400", status_of(r.stdout) == 400 and "CSRF token missing" in r.stdout, r.stdout[:300])
        r = curl("-i", "-c", jar, "-b", jar, "-H", "Content-Type: application/json", "--data-binary", "{}",
                 base + "/signin")
        check("csrf: json not checked", status_of(r.stdout) != 400 or "CSRF" not in r.stdout, r.stdout[:300])
        # Wrong password: flash and back to the form.
        r = curl("-i", "-c", jar, "-b", jar, "-d", f"user=ann&password=nope&csrf_token={token}", base + "/signin")
        check("wrong password 303", status_of(r.stdout) == 303, r.stdout[:300])
        r = curl("-c", jar, "-b", jar, base + "/signin")
        check("error flash", 'class="flash error">Wrong user or password' in r.stdout, r.stdout[-400:])
        r = curl("-c", jar, "-b", jar, base + "/signin")
        check("flash read once", "Wrong user" not in r.stdout, r.stdout[-400:])
        # Right password: back to next; an outside next is ignored.
        r = curl("-i", "-c", jar, "-b", jar, "-d", f"user=ann&password=wonderland&next=/members&csrf_token={token}",
                 base + "/signin")
        check("signed in 303 to next", status_of(r.stdout) == 303 and header(r.stdout, "Location") == "/members",
              r.stdout[:300])
        r = curl("-i", "-c", jar, "-b", jar, base + "/members")
        check("members 200", status_of(r.stdout) == 200 and "Welcome, ann" in r.stdout, r.stdout[-400:])
        check("success flash", "Signed in as ann" in r.stdout, r.stdout[-400:])

        # A tampered cookie: an empty session, never an error page.
        with open(jar) as f:
            value = re.search(r"\tsession\t(\S+)", f.read()).group(1)
        bad = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
        for v in [bad, value[: len(value) // 2], "garbage", ""]:
            r = curl("-i", "-H", f"Cookie: session={v}", base + "/members")
            check(f"bad cookie -> signed out ({v[:12]})", status_of(r.stdout) == 303, r.stdout[:200])
            r = curl("-i", "-H", f"Cookie: session={v}", base + "/")
            check(f"bad cookie -> 200 ({v[:12]})", status_of(r.stdout) == 200 and "a visitor" in r.stdout, r.stdout[:300])

        # Open redirect refused.
        r = curl("-i", "-c", jar, "-b", jar, "-d", f"user=ann&password=wonderland&next=//evil.example&csrf_token={token}",
                 base + "/signin")
        check("no open redirect", header(r.stdout, "Location") == "/", r.stdout[:300])
        # Sign out (CSRF-protected) ends the session.
        r = curl("-i", "-c", jar, "-b", jar, "-d", f"csrf_token={token}", base + "/signout")
        check("signout 303", status_of(r.stdout) == 303, r.stdout[:300])
        r = curl("-i", "-c", jar, "-b", jar, base + "/members")
        check("signed out", status_of(r.stdout) == 303, r.stdout[:300])
    finally:
        proc.terminate()
        proc.wait(timeout=15)

    # Key rotation: a cookie signed with the old key still verifies once a new key leads.
    proc, port = start(env_key=KEY)
    base = f"http://127.0.0.1:{port}"
    try:
        jar2 = os.path.join(tmp, "jar2")
        r = curl("-c", jar2, "-b", jar2, base + "/signin")
        token = re.search(r'name=csrf_token value="([^"]+)"', r.stdout).group(1)
        curl("-c", jar2, "-b", jar2, "-d", f"user=ann&password=wonderland&csrf_token={token}", base + "/signin")
        r = curl("-i", "-c", jar2, "-b", jar2, base + "/members")
        check("old key signs in", status_of(r.stdout) == 200, r.stdout[:200])
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    # Restarted with the key file's lines as given, newest first.
    for lines, expected, name in [(["# newest first", "rotated-key-0123456789abcdef", KEY], 200, "rotated: old cookie verifies"),
                                  (["rotated-key-0123456789abcdef"], 303, "retired key: signed out")]:
        with open(keyfile, "w") as f:
            f.write("\n".join(lines) + "\n")
        proc, port = start("--secret-key-file", keyfile, env_key=None)
        try:
            r = curl("-i", "-b", jar2, f"http://127.0.0.1:{port}/members")
            check(name, status_of(r.stdout) == expected, r.stdout[:200])
        finally:
            proc.terminate()
            proc.wait(timeout=15)

# A large static file is sent with sendfile(2), not read into memory: the server's resident
# memory grows by far less than the file while it sends it. Served from a scratch folder
# (members serves ./static from its working directory).
with tempfile.TemporaryDirectory() as tmp:
    os.mkdir(os.path.join(tmp, "static"))
    big = os.path.join(tmp, "static", "big.bin")
    size = 48 * 1024 * 1024
    with open(big, "wb") as f:
        block = os.urandom(1024 * 1024)
        for i in range(size // len(block)):
            f.write(block[i:] + block[:i])
    proc, port = start(cwd=tmp)
    try:
        def rss_kb():
            with open(f"/proc/{proc.pid}/status") as f:
                return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))  # peak resident memory
        before = rss_kb()
        out = os.path.join(tmp, "got.bin")
        r = curl("-o", out, "-w", "%{http_code} %{size_download}", f"http://127.0.0.1:{port}/static/big.bin")
        check("big file 200", r.stdout == f"200 {size}", r.stdout)
        with open(big, "rb") as a, open(out, "rb") as b:
            check("big file bytes", a.read() == b.read(), "content differs")
        grown = rss_kb() - before
        check("big file not read into memory", grown < 16 * 1024, f"peak RSS grew by {grown} kB for a {size // 1024} kB file")
        r = curl("-o", out, "-w", "%{http_code} %{size_download}", "-r", "10000000-10999999",
                 f"http://127.0.0.1:{port}/static/big.bin")
        with open(big, "rb") as a, open(out, "rb") as b:
            a.seek(10000000)
            check("big range 206", r.stdout == "206 1000000" and a.read(1000000) == b.read(), r.stdout)
        # Pipelined behind a file body, the next response still comes after the whole file.
        r = curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{size_download}\n",
                 f"http://127.0.0.1:{port}/static/big.bin", f"http://127.0.0.1:{port}/static/big.bin")
        check("two big files on one connection", r.stdout == f"200 {size}\n200 {size}\n", r.stdout)
    finally:
        proc.terminate()
        proc.wait(timeout=15)

finish()
