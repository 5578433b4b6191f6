#!/usr/bin/env python3
"""The book page of bench/templates/template_page.cpp rendered by Jinja2 (Debian's python3-jinja2)
from the same template files: prints the output (--print) or the time per page.

usage: jinja_book.py [--print] [--seconds S]
"""
import sys
import time
import jinja2

HERE = __file__.rsplit("/", 1)[0]


def data():
    # The same data as make_page() in template_page.cpp.
    words = ["a", "novel", "of", "ideas", "&", "adventure", "<em>", "that", "stays", "with", "you", "long", "after"]
    reviews = []
    for i in range(50):
        text = " ".join(words[(i + k) % len(words)] for k in range(10 + i % 30))
        reviews.append(dict(id=1000 + i, user=f"reader number {i}", rating=1 + i % 5, text=text))
    book = dict(id=7, title="The Left Hand of Darkness", author="Ursula K. Le Guin", year=1969, average=4.26)
    return dict(book=book, reviews=reviews)


def url_for(endpoint, **values):
    if endpoint == "index":
        return "/"
    if endpoint == "search":
        return "/search"
    return f"/books/{values['book_id']}/reviews/{values['review_id']}"


def main():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE + "/templates"), autoescape=True)
    env.globals["url_for"] = url_for
    template = env.get_template("book.html")
    ctx = data()
    if "--print" in sys.argv:
        sys.stdout.write(template.render(**ctx))
        return
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 2.0
    n = 0
    start = time.perf_counter()
    cpu = time.process_time()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            template.render(**ctx)
        n += 100
    cpu = time.process_time() - cpu
    print(f"jinja2 {jinja2.__version__}: {cpu / n * 1e9:.0f} ns CPU per page ({n} pages)")


main()
