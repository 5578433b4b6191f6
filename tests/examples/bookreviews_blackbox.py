#!/usr/bin/env python3
"""Black-box tests of examples/bookreviews (SQLite) over real loopback sockets, as a browser
would drive it: cookies kept, forms posted with their CSRF token, redirects read by hand.

Usage: bookreviews_blackbox.py BOOKREVIEWS TEMPLATES_DIR [NPM_DIR CONFIG_DIR]
  TEMPLATES_DIR  examples/bookreviews/templates (rendered with Jinja2 too, when installed, and
                 compared with vial's pages byte for byte: the Flask twin renders these files)
  NPM_DIR        the build tree's npm/openapi-checks (scripts/test installs it); without its
                 node_modules the three OpenAPI linters are skipped (said on the output)
  CONFIG_DIR     tests/openapi (redocly.yaml, spectral.yaml, validate.mjs)

Checks: the refusal to start without a key; --routes and --openapi without one; every page
(index, search, book, sign-up, sign-in, 404); sign-up and sign-in (errors beside the fields,
the name kept, next); posting a review (303, then the thank-you flash once, the review shown);
an invalid review (422, errors, input kept); visitors sent to /signin?next=<the book>; a form
post without its CSRF token (400); static CSS with its ETag; the JSON API and its 404/422;
--openapi equals /openapi.json and passes redocly, spectral and swagger-parser, and the real
API responses fit their declared schemas (ajv); the data survives a restart on the same file.
"""
import html
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox  # noqa: E402

APP = os.path.abspath(sys.argv[1])
TEMPLATES = sys.argv[2]
NPM_DIR = sys.argv[3] if len(sys.argv) > 3 else ""
CONFIG_DIR = sys.argv[4] if len(sys.argv) > 4 else ""
KEY = "bookreviews-blackbox-key-0123456789"
recorded = []  # API responses, validated against the document


def clean_env():
    return blackbox.environment(unset=("VIAL_SECRET_KEY", "VIAL_SECRET_KEY_FILE"))


def start(workdir, *flags):
    return blackbox.start(APP, "--threads", "2", "--no-access-log",
                          "--secret-key-file", os.path.join(workdir, "keys"), *flags,
                          env=clean_env(), cwd=workdir, timeout=20)


stop = blackbox.stop
check = blackbox.check


class Browser:
    """One user: a cookie jar over http.client, no automatic redirects."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, target, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, target, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";")[0]
                k, _, v = cookie.partition("=")
                if "Max-Age=0" in value or "expires=Thu, 01 Jan 1970" in value.lower() or not v:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        headers = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        return r.status, headers, data.decode("utf-8", "replace")

    def get(self, target):
        return self.request("GET", target)

    def post(self, target, fields):
        return self.request("POST", target, fields)

    def token(self, page):
        s, h, body = self.get(page)
        m = re.search(r'name="csrf_token" value="([^"]+)"', body)
        return m.group(1) if m else ""


def api(port, target, template=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", target)
    r = conn.getresponse()
    data = r.read()
    ctype = (r.getheader("Content-Type") or "").split(";")[0]
    body = json.loads(data) if ctype == "application/json" and data else None
    conn.close()
    if template:
        recorded.append({"path": template, "method": "get", "status": r.status, "content_type": ctype, "body": body})
    return r.status, ctype, body


def field_error(page, field):
    m = re.search(rf'<span class="field-error" data-field="{field}">([^<]*)</span>', page)
    return m.group(1) if m else None


def jinja_env():
    """Jinja2 over the example's templates with Flask's globals (None without python3-jinja2)."""
    try:
        import jinja2
    except ImportError:
        print("SKIP Jinja2 comparison: python3-jinja2 is not installed")
        return None

    def url_for(endpoint, **kw):
        paths = {"index": "/", "signout": "/signout", "signin_form": "/signin", "signin": "/signin",
                 "signup_form": "/signup", "signup": "/signup"}
        if endpoint == "static":
            path = "/static/" + kw.pop("filename")
        elif endpoint == "book":
            path = f"/books/{kw.pop('book_id')}"
        elif endpoint == "post_review":
            path = f"/books/{kw.pop('book_id')}/reviews"
        else:
            path = paths[endpoint]
        if kw:
            path += "?" + urllib.parse.urlencode(kw, safe="/")
        return path

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.globals.update(url_for=url_for, csrf_token=lambda: "TOKEN",
                       get_flashed_messages=lambda with_categories=False: [])
    return env


def without_tokens(page):
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value="TOKEN"', page)


def jinja_matches(port, visitor):
    """The index and a book page as Flask's Jinja2 renders the same files from the API's data:
    byte for byte what vial serves."""
    env = jinja_env()
    if env is None:
        return
    _, _, books = api(port, "/api/books?limit=100")
    s, h, served = visitor.get("/")
    expected = env.get_template("index.html").render(current_user="", q="", books=books)
    check("Jinja2 renders index.html as vial does", served == expected, diff(served, expected))
    _, _, book = api(port, "/api/books/1")
    _, _, reviews = api(port, "/api/books/1/reviews")
    s, h, served = visitor.get("/books/1")
    expected = env.get_template("book.html").render(
        current_user="", book=book, reviews=reviews, form={"rating": "", "text": ""}, errors={"rating": "", "text": ""})
    check("Jinja2 renders book.html as vial does", served == expected, diff(served, expected))


def diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"first difference at {i}: vial {a[max(0, i - 80):i + 80]!r} / jinja2 {b[max(0, i - 80):i + 80]!r}"
    return f"lengths {len(a)} / {len(b)}"


def linters(doc_text):
    bin_dir = os.path.join(NPM_DIR, "node_modules", ".bin")
    if not NPM_DIR or not os.path.isdir(bin_dir):
        print(f"SKIP OpenAPI linters: no npm packages in {NPM_DIR!r} (scripts/test installs them)")
        return
    with blackbox.openapi_files(doc_text, recorded) as (doc_file, resp_file):
        blackbox.lint_openapi(doc_file, resp_file, NPM_DIR, CONFIG_DIR)


def main():
    # Without a key: refuses to serve; --routes and --openapi need none (and open no database).
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([APP, "--port", "0"], cwd=tmp, env=clean_env(), capture_output=True, text=True, timeout=30)
        check("no key: exit 2 with the reason", r.returncode == 2 and "--secret-key-file" in r.stderr, r.stderr)
        r = subprocess.run([APP, "--routes"], cwd=tmp, env=clean_env(), capture_output=True, text=True, timeout=30)
        check("--routes lists the endpoints", r.returncode == 0 and "post_review" in r.stdout and "api_reviews" in r.stdout,
              r.stdout + r.stderr)
        r = subprocess.run([APP, "--openapi"], cwd=tmp, env=clean_env(), capture_output=True, text=True, timeout=30)
        doc_text = r.stdout
        check("--openapi without a key", r.returncode == 0 and doc_text.startswith("{"), r.stderr)
        check("--routes and --openapi create no database", os.listdir(tmp) == [], os.listdir(tmp))
    doc = json.loads(doc_text)
    check("the document has the API's three paths and no page",
          sorted(doc["paths"]) == ["/api/books", "/api/books/{book_id}", "/api/books/{book_id}/reviews"], doc["paths"].keys())

    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "keys"), "w") as f:
            f.write(KEY + "\n")
        # BOOKREVIEWS_BLACKBOX_DATABASE: the same checks on another database (a postgresql://
        # URL: ctest's example_bookreviews_blackbox_postgresql, under scripts/pg-cluster).
        db_file = os.environ.get("BOOKREVIEWS_BLACKBOX_DATABASE") or os.path.join(work, "reviews.db")
        proc, port = start(work, "--database", db_file)
        try:
            run_session(port, doc)
        finally:
            stop(proc)
        if "://" not in db_file:
            check("the database is the file --database names", os.path.exists(db_file), os.listdir(work))

        # A restart on the same file: the user and the review are still there.
        proc, port = start(work, "--database", db_file)
        try:
            s, ctype, reviews = api(port, "/api/books/1/reviews")
            check("after a restart: the review is kept", any(r["username"] == "blackbox_ann" for r in reviews or []), reviews)
            ann = Browser(port)
            s, h, _ = ann.post("/signin", {"csrf_token": ann.token("/signin"), "username": "blackbox_ann",
                                           "password": "correct horse battery", "next": "/books/1"})
            check("after a restart: the user signs in", s == 303 and h.get("location") == "/books/1", (s, h))
        finally:
            stop(proc)

        # The default database: bookreviews.db in the working directory.
        proc, port = start(work)
        try:
            s, ctype, books = api(port, "/api/books")
            check("default --database: seeded", s == 200 and len(books) >= 6, books)
        finally:
            stop(proc)
        check("default --database is ./bookreviews.db", os.path.exists(os.path.join(work, "bookreviews.db")),
              os.listdir(work))
    linters(doc_text)
    blackbox.finish()


def run_session(port, doc):
    visitor = Browser(port)
    s, h, served = visitor.request("GET", "/openapi.json")
    check("/openapi.json is the --openapi document", s == 200 and json.loads(served) == doc)

    # The index: every seeded book with its link and average; the search box; the CSS.
    s, h, page = visitor.get("/")
    check("a visitor's page view sends no cookie", "set-cookie" not in h, h)
    check("index is 200 HTML", s == 200 and h.get("content-type") == "text/html; charset=utf-8", (s, h))
    books = re.findall(r'<li class="book">\s*<a class="book-link" href="(/books/\d+)">([^<]+)</a>', page)
    check("index lists at least 6 books, each linked", len(books) >= 6, books)
    check("index shows averages", len(re.findall(r'<span class="average">(?:\d\.\d|-)</span>', page)) == len(books))
    check("index has the search form", '<form id="search" method="get" action="/"' in page and 'name="q"' in page)
    check("index links the style sheet", '<link rel="stylesheet" href="/static/style.css">' in page)
    check("index: visitors see sign-in and sign-up links", 'id="signin-link"' in page and 'id="signup-link"' in page)
    first_title = books[0][1]
    word = html.unescape(first_title).split()[0]
    s, h, page = visitor.get("/?q=" + urllib.parse.quote(word.lower()))
    found = [html.unescape(t) for _, t in re.findall(r'<a class="book-link" href="(/books/\d+)">([^<]+)</a>', page)]
    check("search by title, any case", s == 200 and found and all(word.lower() in t.lower() for t in found), found)
    s, h, page = visitor.get("/?q=zzzz-no-such-title")
    check("a search that finds nothing says so", s == 200 and "li class=\"book\"" not in page and "zzzz-no-such-title" in page)

    s, h, css = visitor.get("/static/style.css")
    check("static CSS", s == 200 and h.get("content-type") == "text/css; charset=utf-8"
          and "h1 { color: rgb(139, 69, 19)" in css, (s, h))
    s2, h2, _ = visitor.request("GET", "/static/style.css", headers={"If-None-Match": h.get("etag", "")})
    check("static CSS: 304 for its ETag", s2 == 304, s2)
    s, h, _ = visitor.get("/static/../bookreviews.db")
    check("static files: no way out of the folder", s == 404, s)

    # A book page, as a visitor.
    s, h, page = visitor.get("/books/1")
    check("book page", s == 200 and re.search(r"<h1>[^<]+</h1>", page), s)
    check("book page: #average", re.search(r'<span id="average">(\d\.\d|-)</span>', page), page[:3000])
    check("book page: visitors are asked to sign in, and come back",
          '<a id="signin-to-review" href="/signin?next=/books/1">' in page, page)
    check("book page: no review form for visitors", "review-form" not in page)
    for url in ("/no/such/page", "/books/999999", "/books/abc"):
        s, h, page = visitor.get(url)
        check(f"404 page for {url}", s == 404 and "<h1>Page not found</h1>" in page
              and h.get("content-type") == "text/html; charset=utf-8", (s, page[:300]))
    jinja_matches(port, Browser(port))

    # A visitor posting a review is sent to sign in, with next = the book.
    s, h, _ = visitor.post("/books/1/reviews", {"csrf_token": visitor.token("/signin"), "rating": "5", "text": "x"})
    check("posting while signed out: 303 to sign in", s == 303 and h.get("location") == "/signin?next=/books/1", (s, h))
    s, h, page = visitor.get("/signin?next=/books/1")
    check("the sign-in form carries next", '<input type="hidden" name="next" value="/books/1">' in page, page)

    # Sign up: errors beside the fields, the name kept; then success.
    ann = Browser(port)
    token = ann.token("/signup?next=/books/1")
    s, h, page = ann.post("/signup", {"csrf_token": token, "username": "a!", "password": "short", "password2": "short",
                                      "next": "/books/1"})
    check("sign-up errors: 422", s == 422, s)
    check("sign-up errors beside username and password",
          field_error(page, "username") and field_error(page, "password"), page)
    check("sign-up keeps the name", 'name="username" value="a!"' in page)
    s, h, page = ann.post("/signup", {"csrf_token": token, "username": "blackbox_ann", "password": "correct horse battery",
                                      "password2": "correct horse batterY", "next": "/books/1"})
    check("sign-up: passwords differ", s == 422 and field_error(page, "password2"), page)
    s, h, _ = ann.post("/signup", {"csrf_token": token, "username": "blackbox_ann", "password": "correct horse battery",
                                   "password2": "correct horse battery", "next": "/books/1"})
    check("sign-up: 303 to next", s == 303 and h.get("location") == "/books/1", (s, h))
    s, h, page = ann.get("/books/1")
    check("signed in: the name in the nav", '<span id="current-user">blackbox_ann</span>' in page, page[:2000])
    check("signed in: the sign-out form with its token",
          re.search(r'<form id="signout" method="post" action="/signout">\s*<input type="hidden" name="csrf_token" value="[^"]+">', page))
    check("signed in: the welcome flash", 'class="flash flash-success"' in page)
    check("signed in: the review form", '<form id="review-form" method="post" action="/books/1/reviews"' in page)
    other = Browser(port)
    s, h, page = other.post("/signup", {"csrf_token": other.token("/signup"), "username": "BLACKBOX_ANN",
                                        "password": "another password", "password2": "another password"})
    check("sign-up: a name taken (any case) is refused", s == 422 and field_error(page, "username"), page)

    # Posting a review: CSRF, validation, then post/redirect/get with the flash once.
    token = ann.token("/books/1")
    s, h, page = ann.post("/books/1/reviews", {"rating": "5", "text": "No token"})
    check("review without its CSRF token: 400", s == 400 and "CSRF" in page, (s, page))
    s, h, page = ann.post("/books/1/reviews", {"csrf_token": "not-the-token", "rating": "5", "text": "Bad token"})
    check("review with a wrong CSRF token: 400", s == 400, s)
    s, h, page = ann.post("/books/1/reviews", {"csrf_token": token, "rating": "7", "text": ""})
    check("invalid review: 422", s == 422, s)
    check("invalid review: errors beside rating and text", field_error(page, "rating") and field_error(page, "text"), page)
    # vial::form_input: the rating's vial::message, the text's typed-422 (pydantic) message.
    check("invalid review: the struct's rules say why", field_error(page, "rating") == "Choose a rating from 1 to 5."
          and field_error(page, "text") == "String should have at least 1 character",
          (field_error(page, "rating"), field_error(page, "text")))
    long_text = "Kept <as> typed & " + "x" * 2000
    s, h, page = ann.post("/books/1/reviews", {"csrf_token": token, "rating": "4", "text": long_text})
    check("too long a review: 422 with the text error only",
          s == 422 and field_error(page, "text") and not field_error(page, "rating"), page[-3000:])
    check("invalid review: the input kept", html.escape(long_text, quote=False) in page
          and '<option value="4" selected>' in page)
    env = jinja_env()
    if env is not None:
        # The 422 page (signed in: the nav's sign-out form, the review form with the input
        # and the error) as Jinja2 renders book.html with the same context.
        _, _, book = api(port, "/api/books/1")
        _, _, reviews = api(port, "/api/books/1/reviews")
        expected = env.get_template("book.html").render(
            current_user="blackbox_ann", book=book, reviews=reviews, form={"rating": "4", "text": long_text},
            errors={"rating": "", "text": html.unescape(field_error(page, "text") or "")})
        check("Jinja2 renders the 422 book page as vial does", without_tokens(page) == expected,
              diff(without_tokens(page), expected))
    s, ctype, reviews = api(port, "/api/books/1/reviews")
    before = len(reviews)
    s, h, page = ann.post("/books/1/reviews", {"csrf_token": token, "rating": "4", "text": "Read it twice. <Still> good."})
    check("a valid review: 303 to the book", s == 303 and h.get("location") == "/books/1", (s, h))
    s, h, page = ann.get("/books/1")
    check("after the redirect: the thank-you flash",
          '<div class="flash flash-success" role="status">Thank you for your review!</div>' in page, page[:3000])
    check("the review is shown, escaped", "<p class=\"review-text\">Read it twice. &lt;Still&gt; good.</p>" in page)
    check("the review names its author", '<span class="review-author">blackbox_ann</span>' in page)
    s, h, page = ann.get("/books/1")
    check("a reload: no flash again", "Thank you for your review!" not in page)
    s, ctype, reviews = api(port, "/api/books/1/reviews")
    check("one review added", len(reviews) == before + 1 and reviews[0]["rating"] == 4
          and reviews[0]["text"] == "Read it twice. <Still> good.", reviews[:2])

    # Sign out, then sign in: wrong password, then right; next never leaves the site.
    s, h, _ = ann.post("/signout", {"csrf_token": ann.token("/")})
    check("sign-out: 303 to /", s == 303 and h.get("location") == "/", (s, h))
    s, h, page = ann.get("/")
    check("signed out: the flash and the sign-in link", "Signed out" in page and 'id="signin-link"' in page)
    s, h, page = ann.post("/signin", {"csrf_token": ann.token("/signin"), "username": "blackbox_ann",
                                      "password": "wrong password", "next": "/books/2"})
    check("sign-in with a wrong password: 401 and an error", s == 401 and field_error(page, "password"), (s, page[:2000]))
    check("sign-in keeps the name and next", 'name="username" value="blackbox_ann"' in page
          and 'name="next" value="/books/2"' in page)
    s, h, page = ann.post("/signin", {"csrf_token": ann.token("/signin"), "username": "reader", "password": "!",
                                      "next": "/"})
    check("the seed user cannot sign in", s == 401, s)
    s, h, _ = ann.post("/signin", {"csrf_token": ann.token("/signin"), "username": "blackbox_ann",
                                   "password": "correct horse battery", "next": "//evil.example/"})
    check("sign-in: next elsewhere goes to /", s == 303 and h.get("location") == "/", (s, h))

    # The JSON API.
    s, ctype, books = api(port, "/api/books", "/api/books")
    check("api_books: a JSON list of books", s == 200 and ctype == "application/json" and len(books) >= 6
          and set(books[0]) == {"id", "title", "author", "year", "description", "average_rating", "review_count"}, books)
    s, ctype, some = api(port, "/api/books?limit=2&offset=1", "/api/books")
    check("api_books: limit and offset", s == 200 and [b["id"] for b in some] == [b["id"] for b in books[1:3]], some)
    s, ctype, found = api(port, "/api/books?q=" + urllib.parse.quote(word.upper()), "/api/books")
    check("api_books: q", s == 200 and found and all(word.lower() in b["title"].lower() for b in found), found)
    s, ctype, err = api(port, "/api/books?limit=0", "/api/books")
    check("api_books: limit 0 is 422", s == 422 and err["detail"][0]["loc"] == ["query", "limit"], err)
    s, ctype, b = api(port, "/api/books/1", "/api/books/{book_id}")
    check("api_book", s == 200 and b["id"] == 1 and b["review_count"] >= 1, b)
    s, ctype, err = api(port, "/api/books/999999", "/api/books/{book_id}")
    check("api_book: 404 with a typed body", s == 404 and err == {"detail": "no book 999999"}, err)
    s, ctype, reviews = api(port, "/api/books/1/reviews", "/api/books/{book_id}/reviews")
    check("api_reviews: newest first", s == 200 and reviews[0]["username"] == "blackbox_ann", reviews)
    s, ctype, err = api(port, "/api/books/999999/reviews", "/api/books/{book_id}/reviews")
    check("api_reviews: 404", s == 404 and "detail" in err, err)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/docs")
    r = conn.getresponse()
    r.read()
    check("/docs is served (200, or 503 without Swagger UI's files)", r.status in (200, 503), r.status)
    conn.close()


main()
