#!/usr/bin/env python3
"""BookReviews on PostgreSQL behind nginx: state outside the processes, restarts under load.

Run under scripts/pg-cluster (which starts a throwaway PostgreSQL cluster and sets
VIAL_TEST_POSTGRES_URL), as scripts/deploy-test --bookreviews does:

  scripts/pg-cluster run python3 tests/deploy/bookreviews_scaleout.py --app build/examples/bookreviews/bookreviews
      [--instances 3] [--duration 20] [--rounds 1] [--connections 8] [--workdir DIR]

N instances of examples/bookreviews (--database the cluster's URL, all with one secret key
file; started together on a database of the store's schema version 1, which one of them
upgrades to 2, unless --fresh) on N free loopback ports, nginx in front with deploy/nginx/vial-app.conf (as
rolling_restart.py runs it). Then:

1. Sessions across instances: sign up through instance A, sign in (a new session) through A,
   load a book page through B with that cookie (signed in there too), post a review through
   B, see it, and the flash B left in the session, through C; and the JSON API of C lists it.
2. Load through nginx (wrk, tests/deploy/bookreviews_load.lua): the signed-in reader posts
   reviews (each text with an id of its own) and reads pages and the API, while each
   instance is stopped with SIGTERM and started again in turn.
3. Checks: wrk saw only 200s and 303s and no socket error; nginx answered every GET 200 and
   every POST 303 (499 only for what wrk abandons at its end); the database holds every
   review nginx answered exactly once, and no review twice (no request was handled twice);
   each book's review_count and rating_sum (kept by triggers) match its reviews; every instance exited with status 0; after the restarts, a review posted through C is
   visible through A.

Exit status 0 when all hold, 1 otherwise, 77 when nginx, wrk, psql or the database is missing.
"""

import argparse
import collections
import concurrent.futures
import html
import http.client
import http.cookies
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LUA = os.path.join(HERE, "bookreviews_load.lua")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import rolling_restart as rr  # noqa: E402  (free ports, instances, nginx's configuration)


class Client:
    """A browser's worth of HTTP: a cookie jar, one request at a time, no redirects followed."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", errors="replace")
        for value in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        conn.close()
        return resp.status, resp.headers, text

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def csrf_token(page):
    for tag in re.findall(r"<input[^>]*>", page):
        if re.search(r"""name=["']?csrf_token\b""", tag):
            m = re.search(r"""value=["']([^"']*)["']""", tag) or re.search(r"value=([^\s>]+)", tag)
            if m:
                return html.unescape(m.group(1))
    return None


def current_user(page):
    m = re.search(r"""id=["']?current-user["']?[^>]*>\s*([^<]*?)\s*<""", page)
    return html.unescape(m.group(1)) if m else None


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("psql: " + out.stderr)
    return out.stdout


class Checks:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def __call__(self, name, condition, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {detail}"[:600])
            print(f"bookreviews_scaleout: FAIL {name}: {detail}"[:800], flush=True)
        return condition


# The database as version 1 of the store left it (no counts in books, no username in reviews),
# with the seed's eight titles and three reviews: the instances, started together, upgrade it
# to schema 2 (one of them, under the store's advisory lock) before the load.
SCHEMA_1 = os.path.join(ROOT, "tests", "examples", "bookreviews_schema_1_postgresql.sql")
VERSION_1_ROWS = """
INSERT INTO users (username, password_hash) VALUES ('reader', '!');
INSERT INTO books (title, author, year, description) VALUES
    ('Pride and Prejudice', 'Jane Austen', 1813, 'Version 1.'), ('Moby-Dick', 'Herman Melville', 1851, 'Version 1.'),
    ('Frankenstein', 'Mary Shelley', 1818, 'Version 1.'), ('Jane Eyre', 'Charlotte Bronte', 1847, 'Version 1.'),
    ('Crime and Punishment', 'Fyodor Dostoevsky', 1866, 'Version 1.'), ('Middlemarch', 'George Eliot', 1871, 'Version 1.'),
    ('The Count of Monte Cristo', 'Alexandre Dumas', 1844, 'Version 1.'), ('Don Quixote', 'Miguel de Cervantes', 1605, 'Version 1.');
INSERT INTO reviews (book_id, user_id, rating, text, created_at) VALUES
    (1, 1, 5, 'version 1 review', '2026-01-10 09:30:00+00'), (1, 1, 2, 'version 1 review', '2026-01-11 09:30:00+00'),
    (2, 1, 4, 'version 1 review', '2026-01-12 18:05:00+00');
INSERT INTO bookreviews_schema (version) VALUES (1);
"""


def sessions_across_instances(check, ports, username, password):
    """Steps 1: sign up and in through A, use the session through B and C. Returns the signed-in
    client and the id of a book it reviewed."""
    a, b, c = ports[0], ports[1 % len(ports)], ports[2 % len(ports)]

    newcomer = Client()
    status, _, page = newcomer.request(a, "GET", "/signup")
    check("GET /signup via A", status == 200 and csrf_token(page), status)
    status, headers, page = newcomer.request(a, "POST", "/signup", {
        "username": username, "password": password, "password2": password, "csrf_token": csrf_token(page) or ""})
    check("sign up via A: 303", status == 303, f"{status} {page[:300]}")

    # Signing in is a new session, through A.
    reader = Client()
    status, _, page = reader.request(a, "GET", "/signin")
    token = csrf_token(page)
    check("GET /signin via A", status == 200 and token, status)
    status, headers, page = reader.request(a, "POST", "/signin", {
        "username": username, "password": password, "next": "/", "csrf_token": token or ""})
    check("sign in via A: 303", status == 303, f"{status} {page[:300]}")
    check("sign in via A: a session cookie", reader.cookies, headers)

    # The session works through B: signed in, the review form is there; post a review there.
    status, _, page = reader.request(a, "GET", "/api/books")
    books = json.loads(page) if status == 200 else []
    check("GET /api/books via A", status == 200 and len(books) >= 6, f"{status} {page[:200]}")
    book_id = books[0]["id"] if books else 1
    status, _, page = reader.request(b, "GET", f"/books/{book_id}")
    check("book page via B: 200", status == 200, status)
    check("book page via B: signed in", current_user(page) == username, current_user(page))
    check("book page via B: the review form", "review-form" in page, page[:300])
    token = csrf_token(page)
    text = f"Posted through B after signing in through A ({username})"
    status, headers, page = reader.request(b, "POST", f"/books/{book_id}/reviews",
                                           {"rating": "4", "text": text, "csrf_token": token or ""})
    check("post a review via B: 303", status == 303, f"{status} {page[:300]}")
    check("post a review via B: back to the book", (headers.get("Location") or "").endswith(f"/books/{book_id}"),
          headers.get("Location"))

    # Through C: the review (from the database) and the flash (from the cookie B wrote).
    status, _, page = reader.request(c, "GET", f"/books/{book_id}")
    check("book page via C: 200", status == 200, status)
    check("book page via C: the review posted via B", html.escape(text) in page or text in page, page[:300])
    check("book page via C: B's flash", "Thank you for your review!" in page, page[:500])
    check("book page via C: signed in", current_user(page) == username, current_user(page))
    status, _, page = Client().request(c, "GET", f"/api/books/{book_id}/reviews")
    reviews = json.loads(page) if status == 200 else []
    check("API via C: the review", any(r.get("text") == text and r.get("username") == username for r in reviews),
          page[:300])
    return reader, book_id


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", required=True, help="the bookreviews executable")
    ap.add_argument("--database", default=os.environ.get("VIAL_TEST_POSTGRES_URL"),
                    help="postgresql:// URL (default: $VIAL_TEST_POSTGRES_URL, as scripts/pg-cluster sets)")
    ap.add_argument("--instances", type=int, default=3)
    ap.add_argument("--duration", type=int, default=20, help="seconds of load")
    ap.add_argument("--rounds", type=int, default=1, help="times each instance is restarted")
    ap.add_argument("--connections", type=int, default=8, help="wrk connections to nginx")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--fresh", action="store_true",
                    help="start on the empty database (default: on a version-1 database, upgraded on open)")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "deploy-test-bookreviews"))
    args = ap.parse_args()

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    wrk = shutil.which("wrk")
    if not nginx or not wrk or not shutil.which("psql") or not args.database:
        print("bookreviews_scaleout: needs nginx, wrk, psql and a database URL "
              "(run it under scripts/pg-cluster); skipped")
        return 77

    workdir = os.path.abspath(args.workdir)
    app = os.path.abspath(args.app)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    key_file = os.path.join(workdir, "secret-keys")
    with open(key_file, "w", encoding="utf-8") as f:
        f.write("%064x\n" % random.getrandbits(256))
    os.chmod(key_file, 0o600)
    # The app serves ./static: run the instances from its source folder.
    app_dir = os.path.join(ROOT, "examples", "bookreviews")
    if os.path.isdir(app_dir):
        os.chdir(app_dir)

    check = Checks()
    ports = rr.free_ports(args.instances + 1)
    nginx_port, app_ports = ports[0], ports[1:]
    flags = ["--database", args.database, "--secret-key-file", key_file]
    instances = [rr.Instance(app, p, flags, workdir) for p in app_ports]
    username = "scale%06d" % random.randrange(10**6)
    password = "correct horse battery"
    nginx_proc = None
    wrk_proc = None
    wrk_text = ""
    try:
        if args.fresh:
            for inst in instances:
                inst.start()
        else:
            psql(args.database, open(SCHEMA_1, encoding="utf-8").read() + VERSION_1_ROWS)
            # Together, as a deployment of a new version starts: one upgrades, the others wait.
            with concurrent.futures.ThreadPoolExecutor(len(instances)) as pool:
                for started in [pool.submit(inst.start) for inst in instances]:
                    started.result()
            version = psql(args.database, "SELECT max(version), count(*) FROM bookreviews_schema").strip()
            check("version 1 upgraded once, to 2", version == "2|2", version)
            counts = psql(args.database, "SELECT review_count, rating_sum FROM books WHERE id IN (1, 2, 3) ORDER BY id")
            check("version 1's reviews counted", counts.split() == ["2|7", "1|4", "0|0"], counts)
            names = psql(args.database, "SELECT count(*) FROM reviews WHERE username = 'reader'").strip()
            check("version 1's reviews carry their author's name", names == "3", names)
        reader, first_book = sessions_across_instances(check, app_ports, username, password)
        if check.failures:
            raise RuntimeError("the session checks failed; no load run")

        # Books the load posts to, and books it only reads (their pages stay small).
        books = [b["id"] for b in json.loads(reader.request(app_ports[0], "GET", "/api/books")[2])]
        post_books, get_books = books[: len(books) // 2], books[len(books) // 2:]
        token = csrf_token(reader.request(app_ports[0], "GET", f"/books/{first_book}")[2])

        nginx_proc = rr.start_nginx(nginx, workdir, nginx_port, app_ports)
        status, _, page = reader.request(nginx_port, "GET", f"/books/{first_book}")
        check("through nginx: signed in", status == 200 and current_user(page) == username, status)

        env = dict(os.environ, BR_COOKIE=reader.cookie_header(), BR_CSRF=token or "",
                   BR_POST_BOOKS=" ".join(map(str, post_books)), BR_GET_BOOKS=" ".join(map(str, get_books)))
        wrk_out = os.path.join(workdir, "wrk.out")
        wrk_cmd = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
                   "-s", LUA, f"http://127.0.0.1:{nginx_port}/"]
        print("bookreviews_scaleout: " + " ".join(wrk_cmd), flush=True)
        with open(wrk_out, "wb") as f:
            wrk_proc = subprocess.Popen(wrk_cmd, stdout=f, stderr=subprocess.STDOUT, env=env)
        t_start = time.monotonic()
        late = rr.restart_in_turn(instances, args.rounds, args.duration, t_start, "bookreviews_scaleout")
        check("restarts fit in the run", not late, late)
        wrk_proc.wait(timeout=args.duration + 60)
        wrk_text = open(wrk_out, encoding="utf-8", errors="replace").read()

        # After the restarts: a review posted through C is read through A.
        c, a = app_ports[2 % len(app_ports)], app_ports[0]
        token = csrf_token(reader.request(c, "GET", f"/books/{first_book}")[2])
        text = f"Posted through C after the restarts ({username})"
        status, _, _ = reader.request(c, "POST", f"/books/{first_book}/reviews",
                                      {"rating": "5", "text": text, "csrf_token": token or ""})
        check("after the restarts: post via C", status == 303, status)
        status, _, page = Client().request(a, "GET", f"/books/{first_book}")
        check("after the restarts: seen via A", text in page or html.escape(text) in page, status)
    except RuntimeError as e:
        check("run", False, str(e))
    finally:
        rr.stop_all(wrk_proc, nginx_proc, instances)

    if wrk_text:
        m = re.search(r"mixed_load: (.*)", wrk_text)
        if check("wrk's summary", m, wrk_text[-500:]):
            w = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}
            print("bookreviews_scaleout: wrk: " + m.group(1))
            for key in ("bad", "connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx"):
                check(f"wrk: no {key}", w[key] == 0, w[key])

        # nginx: every GET 200, every POST 303; the ids it answered, and those abandoned (499).
        statuses = collections.Counter()
        answered, abandoned = set(), set()
        retried = 0
        with open(os.path.join(workdir, "nginx-access.log"), encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(" ", 5)
                if len(parts) < 6:
                    continue
                method, uri, status = parts[1], parts[2], parts[3]
                statuses[(method, status)] += 1
                retried += "," in parts[5]
                im = rr.ID.search(uri)
                if method == "POST" and im:
                    (answered if status == "303" else abandoned if status == "499" else set()).add(im.group(1))
        upstream = rr.upstream_errors(workdir)
        print(f"bookreviews_scaleout: nginx: {sum(statuses.values())} requests, "
              f"{dict((' '.join(k), v) for k, v in statuses.items())}, {retried} sent to another instance, "
              f"upstream errors {dict(upstream)}")
        for (method, status), count in statuses.items():
            ok = status == "499" or (method == "GET" and status == "200") or (method == "POST" and status == "303")
            check(f"nginx: {method} answered {status}", ok, f"{count} requests")
        check("nginx: abandoned requests only at wrk's end",
              statuses[("GET", "499")] + statuses[("POST", "499")] <= args.connections, dict(statuses))
        check("nginx: reviews posted", len(answered) > 0, "none")

        # The database: each answered review once, no review twice.
        rows = psql(args.database, "SELECT text FROM reviews WHERE text LIKE 'load review %'").split("\n")
        stored = collections.Counter(r[len("load review "):] for r in rows if r)
        twice = [i for i, n in stored.items() if n > 1]
        lost = answered - set(stored)
        unknown = set(stored) - answered - abandoned
        print(f"bookreviews_scaleout: database: {sum(stored.values())} load reviews stored, {len(answered)} "
              f"answered 303, {len(twice)} stored twice, {len(lost)} answered but not stored, "
              f"{len(unknown)} stored but never answered nor abandoned")
        check("database: no review stored twice", not twice, twice[:5])
        check("database: every answered review stored", not lost, sorted(lost)[:5])
        check("database: nothing stored that nginx did not send", not unknown, sorted(unknown)[:5])
        # Schema 2's triggers kept each book's count and rating sum exact under the concurrent
        # posts of all instances (restarts included).
        off = psql(args.database, "SELECT b.id, b.review_count, b.rating_sum, count(r.id), COALESCE(sum(r.rating), 0)"
                                  " FROM books b LEFT JOIN reviews r ON r.book_id = b.id GROUP BY b.id"
                                  " HAVING b.review_count <> count(r.id) OR b.rating_sum <> COALESCE(sum(r.rating), 0)")
        check("database: every book's review_count and rating_sum match its reviews", not off.strip(), off[:300])

    for inst in instances:
        for status, seconds in inst.stops:
            check(f"instance :{inst.port} exits 0 on SIGTERM", status == 0, status)
        print(f"bookreviews_scaleout: :{inst.port}: {inst.generation} runs, stops took "
              + ", ".join(f"{s:.2f}s" for _, s in inst.stops))

    if check.failures:
        for f in check.failures:
            print("bookreviews_scaleout: FAILED: " + f)
        print("bookreviews_scaleout: logs in " + workdir)
        return 1
    print(f"bookreviews_scaleout: OK: {check.passed} checks; sessions work across instances, zero failed "
          "requests, no review stored twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
