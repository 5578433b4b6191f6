"""BookReviews' Flask twin: the comparison point of bench/bookreviews/run.sh.

A Flask 2.2 app (Debian's python3-flask) that renders the SAME template files as
examples/bookreviews (examples/bookreviews/templates/, through Flask's Jinja2) from the SAME
SQLite database file (python's sqlite3, the same queries as the example's SQLite store), with
the book page's endpoint and context exactly as /work/coord/bookreviews.md's contract says.
The other endpoints are there so that every url_for() of the templates resolves, and do the
minimum (the benchmark only measures the book page).

Served by gunicorn (bench/bookreviews/run.sh starts it):
    BOOKREVIEWS_DB=path/to.db BOOKREVIEWS_SECRET_KEY=... \
        gunicorn --chdir bench/bookreviews -w 1 -b 127.0.0.1:PORT twin:app

Environment:
    BOOKREVIEWS_DB          the SQLite file (made by examples/bookreviews on its first run)
    BOOKREVIEWS_SECRET_KEY  Flask's secret key (sessions)
    BOOKREVIEWS_ROOT        the repository (default: two folders up from this file)
"""
import os
import secrets
import sqlite3
import threading

from flask import Flask, abort, flash, redirect, render_template, request, session, url_for

ROOT = os.environ.get("BOOKREVIEWS_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "bookreviews")
DB = os.environ.get("BOOKREVIEWS_DB", "bookreviews.db")

app = Flask(__name__, template_folder=os.path.join(EXAMPLE, "templates"),
            static_folder=os.path.join(EXAMPLE, "static"), static_url_path="/static")
app.secret_key = os.environ.get("BOOKREVIEWS_SECRET_KEY", "twin-" + secrets.token_hex(16))

# The example's SQLite store's queries (examples/bookreviews/sqlite_store.cpp, schema 2), as they
# are: each book row keeps its review_count and rating_sum (the store's triggers), and a book's
# reviews, with their author's username, are one range of the index reviews_page.
BOOK_COLUMNS = ("SELECT id, title, author, year, description,"
                " CASE WHEN review_count > 0 THEN CAST(rating_sum AS REAL) / review_count ELSE 0.0 END,"
                " review_count FROM books ")
SQL_BOOKS = BOOK_COLUMNS + "WHERE title LIKE ?1 ESCAPE '\\' ORDER BY lower(title), id LIMIT ?2 OFFSET ?3"
SQL_FIND_BOOK = BOOK_COLUMNS + "WHERE id = ?1"
SQL_REVIEWS_FOR = ("SELECT id, username, rating, text, created_at FROM reviews"
                   " WHERE book_id = ?1 ORDER BY created_at DESC, id DESC")   # book_id: the parameter
SQL_USER_BY_ID = "SELECT id, username, password_hash FROM users WHERE id = ?1"

BOOK_FIELDS = ("id", "title", "author", "year", "description", "average_rating", "review_count")
REVIEW_FIELDS = ("id", "username", "rating", "text", "created_at")

_local = threading.local()


def db():
    """One connection per thread (gunicorn's sync worker has one), as the example keeps."""
    c = getattr(_local, "db", None)
    if c is None:
        c = sqlite3.connect(DB, check_same_thread=False)
        c.execute("PRAGMA busy_timeout = 5000")
        _local.db = c
    return c


def like_pattern(part):
    return "%" + part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def books(part="", limit=100, offset=0):
    return [dict(zip(BOOK_FIELDS, row)) for row in db().execute(SQL_BOOKS, (like_pattern(part), limit, offset))]


def find_book(book_id):
    row = db().execute(SQL_FIND_BOOK, (book_id,)).fetchone()
    return dict(zip(BOOK_FIELDS, row)) if row else None


def reviews_for(book_id):
    return [dict(zip(REVIEW_FIELDS, row), book_id=book_id) for row in db().execute(SQL_REVIEWS_FOR, (book_id,))]


def current_user():
    """The signed-in user's name, "" when signed out (the contract's `current_user`)."""
    user_id = session.get("user_id")
    if user_id is None:
        return ""
    row = db().execute(SQL_USER_BY_ID, (user_id,)).fetchone()
    return row[1] if row else ""


@app.context_processor
def globals_like_vial():
    """csrf_token(), as vial's templates have it (one token per session, made on first use)."""
    def csrf_token():
        if "csrf_token" not in session:
            session["csrf_token"] = secrets.token_urlsafe(32)
        return session["csrf_token"]
    return {"csrf_token": csrf_token}


# --- pages (endpoint names as the contract's) ---------------------------------------------

@app.get("/", endpoint="index")
def index():
    q = request.args.get("q", "")
    return render_template("index.html", books=books(q), q=q, current_user=current_user())


@app.get("/books/<int:book_id>", endpoint="book")
def book(book_id):
    # The book and its reviews in one read transaction, as the store's find_book_with_reviews.
    c = db()
    c.execute("BEGIN")
    try:
        b = find_book(book_id)
        reviews = reviews_for(book_id) if b is not None else []
    finally:
        c.execute("COMMIT")
    if b is None:
        abort(404)
    return render_template("book.html", book=b, reviews=reviews, current_user=current_user(),
                           form={"rating": "", "text": ""}, errors={"rating": "", "text": ""})


@app.post("/books/<int:book_id>/reviews", endpoint="post_review")
def post_review(book_id):
    """Minimal: the benchmark does not post (the example's own tests cover posting)."""
    flash("Thank you for your review!", "success")
    return redirect(url_for("book", book_id=book_id), 303)


@app.get("/signup", endpoint="signup_form")
def signup_form():
    return render_template("signup.html", current_user=current_user(),
                           form={"username": "", "next": request.args.get("next", "")},
                           errors={"username": "", "password": "", "password2": ""})


@app.post("/signup", endpoint="signup")
def signup():
    return redirect(url_for("index"), 303)


@app.get("/signin", endpoint="signin_form")
def signin_form():
    return render_template("signin.html", current_user=current_user(),
                           form={"username": "", "next": request.args.get("next", "")},
                           errors={"username": "", "password": ""})


@app.post("/signin", endpoint="signin")
def signin():
    return redirect(url_for("index"), 303)


@app.post("/signout", endpoint="signout")
def signout():
    session.clear()
    flash("Signed out", "success")
    return redirect(url_for("index"), 303)


@app.get("/api/books", endpoint="api_books")
def api_books():
    return books(request.args.get("q", ""), int(request.args.get("limit", 100)))


@app.get("/api/books/<int:book_id>", endpoint="api_book")
def api_book(book_id):
    b = find_book(book_id)
    return b if b else ({"detail": "Not Found"}, 404)


@app.get("/api/books/<int:book_id>/reviews", endpoint="api_reviews")
def api_reviews(book_id):
    return reviews_for(book_id)


@app.errorhandler(404)
def not_found(_):
    return render_template("404.html", current_user=current_user()), 404
