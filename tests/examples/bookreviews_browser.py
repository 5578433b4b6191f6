#!/usr/bin/env python3
"""BookReviews in a real browser: starts examples/bookreviews on a free port with a temporary
SQLite database and secret key, and runs bookreviews_browser.mjs (playwright-core driving
Debian's chromium, headless) against it.

Usage: bookreviews_browser.py BOOKREVIEWS NPM_DIR
  NPM_DIR  the build tree's npm/openapi-checks, where scripts/test installs playwright-core
           (tests/openapi/package.json); exit 77 (ctest: skipped) without it or without chromium

Cases (each asserts what the user sees): browse and search; the CSS applied (h1's computed
colour); sign up (and its errors, the name kept); sign out and sign in (a wrong password
refused); post a review, see the flash and the review; reload after posting does not post
twice; an invalid review shows the errors beside the fields with the input kept (422); a form
post without its CSRF token is refused (400); nothing loaded from outside the app.
"""
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox  # noqa: E402

APP = os.path.abspath(sys.argv[1])
NPM_DIR = os.path.abspath(sys.argv[2])
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bookreviews_browser.mjs")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main():
    if not os.path.isdir(os.path.join(NPM_DIR, "node_modules", "playwright-core")):
        print(f"skipped: no playwright-core under {NPM_DIR} (scripts/test installs it)")
        return 77
    if not (os.access(CHROMIUM, os.X_OK) and shutil.which("node")):
        print(f"skipped: needs node and {CHROMIUM} (Debian's chromium)")
        return 77
    with tempfile.TemporaryDirectory(prefix="bookreviews-browser-") as tmp:
        key = os.path.join(tmp, "secret.key")
        with open(key, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        env = blackbox.environment(unset=("VIAL_SECRET_KEY", "VIAL_SECRET_KEY_FILE"))
        proc, port = blackbox.start(APP, "--threads", "2", "--no-access-log", "--secret-key-file", key,
                                    "--database", os.path.join(tmp, "bookreviews.db"), env=env, cwd=tmp, timeout=30)
        try:
            # Keep reading what the server writes, so that it never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            node_env = dict(env, PLAYWRIGHT_DIR=NPM_DIR, CHROMIUM=CHROMIUM)
            try:
                r = subprocess.run(["node", SCRIPT, f"http://127.0.0.1:{port}"], env=node_env,
                                   capture_output=True, text=True, timeout=240)
            except subprocess.TimeoutExpired as e:
                print((e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""))
                print("FAIL the browser cases did not finish in 240 s")
                return 1
            print(r.stdout, end="")
            if r.returncode != 0:
                print(r.stderr[-3000:], end="")
            return 0 if r.returncode == 0 else 1
        finally:
            blackbox.stop(proc, timeout=10)


if __name__ == "__main__":
    sys.exit(main())
