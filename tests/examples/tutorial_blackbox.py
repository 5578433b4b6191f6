#!/usr/bin/env python3
"""Black-box tests of the tutorial's programs (examples/tutorial, docs/tutorial.md) over real
loopback sockets with curl: what each step of the tutorial says the reader will see.

Usage (from examples/tutorial/bookshelf, which holds ./static):
  tutorial_blackbox.py TUTORIAL_STEP1 TUTORIAL_STEP3 BOOKSHELF
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox import check, curl, environment, finish, header, start, status_of, stop  # noqa: E402

STEP1, STEP3, BOOKSHELF = (os.path.abspath(p) for p in sys.argv[1:4])


def token_in(page):
    """The value of the page's first hidden csrf_token field, or ""."""
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return m.group(1) if m else ""


# Steps 1 and 2: routes, typed path parameters, url_for.
r = subprocess.run([STEP1, "--routes"], capture_output=True, text=True, timeout=10)
check("step1 --routes", r.returncode == 0 and re.search(r"show_book\s+GET\s+/books/<int:book_id>", r.stdout), r.stdout)
proc, port = start(STEP1, "--threads", "2")
base = f"http://127.0.0.1:{port}"
try:
    check("step1 /", curl(base + "/").stdout == "Hello, reader!", curl(base + "/").stdout)
    check("step1 /books/7", curl(base + "/books/7").stdout == "Book number 7")
    r = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/books/seven")
    check("step1 /books/seven is 404", r.stdout == "404", r.stdout)
    check("step1 /authors/<name>", curl(base + "/authors/Toni%20Morrison").stdout == "Books by Toni Morrison")
    r = curl(base + "/links")
    check("step1 url_for", r.stdout == "/books/42 /authors/Jane%20Austen", r.stdout)
finally:
    stop(proc)

# Step 3: templates.
proc, port = start(STEP3, "--threads", "2")
base = f"http://127.0.0.1:{port}"
try:
    r = curl(base + "/")
    check("step3 index lists the books",
          '<li class="book"><a href="/books/2">Ulysses</a> by James Joyce</li>' in r.stdout and "<p>3 books.</p>" in r.stdout,
          r.stdout)
    r = curl(base + "/books/2")
    check("step3 book page extends the layout",
          "<title>Ulysses - Bookshelf</title>" in r.stdout and '<nav><a href="/">Bookshelf</a></nav>' in r.stdout, r.stdout)
    r = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/books/9")
    check("step3 unknown book is 404", r.stdout == "404", r.stdout)
finally:
    stop(proc)

# Steps 4 to 9: the whole app.
no_key = environment(unset=("VIAL_SECRET_KEY", "VIAL_SECRET_KEY_FILE"))
r = subprocess.run([BOOKSHELF, "--port", "0"], env=no_key, capture_output=True, text=True, timeout=10)
check("bookshelf without a key: exit 2", r.returncode == 2 and "secret key" in r.stderr, f"{r.returncode} {r.stderr}")
r = subprocess.run([BOOKSHELF, "--openapi"], env=environment(VIAL_SECRET_KEY="tutorial-blackbox-key-0123456789"), capture_output=True, text=True, timeout=10)
try:
    doc = json.loads(r.stdout)
except ValueError:
    doc = {}
check("bookshelf --openapi", "/api/books" in doc.get("paths", {}), r.stdout[:300] + r.stderr)

proc, port = start(BOOKSHELF, "--threads", "2", env=environment(VIAL_SECRET_KEY="tutorial-blackbox-key-0123456789"))
base = f"http://127.0.0.1:{port}"
try:
    with tempfile.TemporaryDirectory() as tmp:
        jar = os.path.join(tmp, "jar")

        def browse(*args):
            """curl with a cookie jar, as a browser keeps its cookies."""
            return curl("-c", jar, "-b", jar, *args)

        token = token_in(browse(base + "/signin?next=/books/4").stdout)
        check("sign-in form has a CSRF token", token != "")
        r = browse("-i", "-d", f"username=ann&password=wonderland&next=/books/4&csrf_token={token}", base + "/signin")
        check("sign in: 303 to next", status_of(r.stdout) == 303 and header(r.stdout, "Location") == "/books/4", r.stdout)
        r = browse(base + "/books/4")
        check("signed in: name and flash", '<span id="current-user">ann</span>' in r.stdout and "Welcome back, ann!" in r.stdout,
              r.stdout)
        token = token_in(r.stdout)
        r = browse("-i", "-d", f"rating=0&text=x&csrf_token={token}", base + "/books/4/reviews")
        check("invalid review: 422 with the error", status_of(r.stdout) == 422 and 'data-field="rating"' in r.stdout, r.stdout)
        r = browse("-i", "-d", "rating=5&text=Quietly+devastating", base + "/books/4/reviews")
        check("review without the CSRF token: 400", status_of(r.stdout) == 400, r.stdout)
        r = browse("-i", "-d", f"rating=5&text=Quietly+devastating&csrf_token={token}", base + "/books/4/reviews")
        check("review: 303 to the book", status_of(r.stdout) == 303 and header(r.stdout, "Location") == "/books/4", r.stdout)
        r = browse(base + "/books/4")
        check("review shown with the flash", "Quietly devastating" in r.stdout and "Thank you for your review!" in r.stdout,
              r.stdout)
    r = curl("-i", base + "/static/style.css")
    check("static CSS", status_of(r.stdout) == 200 and "rgb(139, 69, 19)" in r.stdout, r.stdout[:300])
    r = curl(base + "/api/books/4/reviews")
    check("API: the new review", json.loads(r.stdout or "[]") == [{"book_id": 4, "rating": 5, "text": "Quietly devastating",
                                                                   "user": "ann"}], r.stdout)
    r = curl("-i", base + "/nowhere")
    check("404 page", status_of(r.stdout) == 404 and "<h1>Page not found</h1>" in r.stdout, r.stdout)
    r = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/docs")
    # 200 with Swagger UI installed (scripts/setup), else a 503 that says how to install it.
    check("/docs is served", r.stdout in ("200", "503"), r.stdout)
finally:
    stop(proc)

finish()
