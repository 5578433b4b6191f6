#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into a build directory (never into the repository).

Usage: fuzz/seeds.py OUT_DIR [CORPUS_DIR]

OUT_DIR/<fuzzer>/ gets one file per seed, named by its hash, for each harness in fuzz/:
- request_parser: every llhttp request case of CORPUS_DIR/llhttp-request (default:
  ../shared/corpus next to the repository), and every string literal of tests/server/*.cpp
  and tests/examples/*.py that holds an HTTP request line, each with the harness's 3-byte
  prefix (options, split seed);
- route_match / url_for: targets made from every rule of fuzz/route_table.hpp (parameters
  replaced by sample values) and the paths in tests/route/*.cpp, for every method;
- query, percent, cookies, http_date, multipart: the string literals of the matching tests
  in tests/http/, and a few made here;
- typed_json: the JSONTestSuite files of CORPUS_DIR/json-test-suite, the typed tests' JSON and
  documents shaped like the harness's struct; typed_fields, session_codec, static_path: a few
  made here.
"""
import ast
import hashlib
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
out_dir = sys.argv[1]
corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(repo), "shared", "corpus")
counts = {}


def write(name, data):
    if isinstance(data, str):
        data = data.encode("latin-1", "surrogateescape")
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
    counts[name] = counts.get(name, 0) + 1


def cpp_literals(path):
    """The "..." string literals of a C++ file, unescaped (adjacent literals joined)."""
    text = open(path, encoding="utf-8", errors="replace").read()
    found = []
    for m in re.finditer(r'((?:"(?:[^"\\\n]|\\.)*"\s*)+)', text):
        parts = re.findall(r'"((?:[^"\\\n]|\\.)*)"', m.group(1))
        raw = "".join(parts)
        try:
            found.append(ast.literal_eval('"' + raw.replace('"', '\\"').replace('\\\\"', '\\"') + '"'))
        except (ValueError, SyntaxError):
            continue
    return found


def py_bytes_literals(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    found = []
    for m in re.finditer(r'b"((?:[^"\\\n]|\\.)*)"', text):
        try:
            found.append(ast.literal_eval('b"' + m.group(1) + '"').decode("latin-1"))
        except (ValueError, SyntaxError):
            continue
    return found


def files(folder, ext):
    d = os.path.join(repo, folder)
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(ext)]


# request_parser
prefix = "\x00\x01\x00"  # default limits, a split seed
llhttp = os.path.join(corpus, "llhttp-request")
if os.path.isdir(llhttp):
    for f in sorted(os.listdir(llhttp)):
        if f.endswith(".http"):
            data = open(os.path.join(llhttp, f), "rb").read().decode("latin-1")
            write("request_parser", prefix + data)
            write("request_parser", "\x01\x07\x00" + data)  # small limits
requests = []
for path in files("tests/server", ".cpp"):
    requests += [s for s in cpp_literals(path) if re.search(r"HTTP/\d\.\d\r\n", s)]
for path in files("tests/examples", ".py"):
    requests += [s for s in py_bytes_literals(path) if re.search(r"HTTP/\d\.\d\r\n", s)]
for r in requests:
    write("request_parser", prefix + r)

# route_match and url_for
samples = {"int": ["0", "7", "42", "2024", "18446744073709551615", "-3"], "float": ["1.5", "-0.25"],
           "uuid": ["123e4567-e89b-12d3-a456-426614174000"], "path": ["a/b/c", "x%2Fy"],
           "string": ["bob", "ab", "a%20b", "new"], "any": ["one", "about", "a"]}
rules = re.findall(r'\{"(/[^"]*)", vial::', open(os.path.join(here, "route_table.hpp")).read())
targets = set()
for rule in rules:
    for variant in range(3):
        def sample(m):
            inner = m.group(1)
            conv = inner.split(":")[0].split("(")[0] if ":" in inner else "string"
            values = samples.get(conv, samples["string"])
            return values[variant % len(values)]
        t = re.sub(r"<([^>]*)>", sample, rule)
        targets.update({t, t + "?q=1", t.rstrip("/") or "/", t + "/"})
for path in files("tests/route", ".cpp"):
    targets.update(s for s in cpp_literals(path) if s.startswith("/") and len(s) < 200)
for t in sorted(targets):
    for method in range(8):
        write("route_match", chr(method) + t)
for i in range(20):  # url_for: each route, with short values
    write("url_for", chr(i) + "\x03abc\x02xy" + "\x01" * 16)

# query and form bodies, percent-decoding
http_literals = []
for name in ["url_test.cpp", "request_test.cpp", "multi_dict_test.cpp"]:
    p = os.path.join(repo, "tests", "http", name)
    if os.path.exists(p):
        http_literals += cpp_literals(p)
for s in http_literals + ["a=1&b=x+y&a=2", "=&==&a", "%zz=%4", "a%20b=c%2Bd+e"]:
    if "=" in s or "%" in s:
        write("query", s)
        write("percent", "\x00" + s)
        write("percent", "\x01" + s)

# cookies: a header, then a value to round-trip
cookie_literals = cpp_literals(os.path.join(repo, "tests", "http", "cookies_test.cpp"))
for s in cookie_literals + ['a=1; b="x\\040y"; c=', "sid=abc; theme=dark"]:
    if "=" in s:
        write("cookies", chr(min(len(s), 255)) + s + 'v a"l;u\\e\x00\xff')

# HTTP dates
dates = ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
         "Sun, 06-Nov-1994 08:49:37 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
         "Wed, 29 Feb 2024 12:00:00 GMT", "Tue, 19 Jan 2038 03:14:08 GMT"]
for path in files("tests/http", ".cpp"):
    dates += [s for s in cpp_literals(path) if re.search(r"\d\d:\d\d:\d\d", s)]
for d in dates:
    write("http_date", d)

# multipart: boundary length, boundary, body
def multipart(boundary, parts):
    body = ""
    for name, filename, content in parts:
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        if filename is not None:
            body += f"; filename=\"{filename}\"\r\nContent-Type: text/plain"
        body += f"\r\n\r\n{content}\r\n"
    return chr(len(boundary)) + boundary + body + f"--{boundary}--\r\n"


write("multipart", multipart("xyz", [("a", None, "1"), ("f", "a.txt", "hello\r\nworld")]))
write("multipart", multipart("----WebKitFormBoundary7MA4YWxkTrZu0gW", [("title", None, "Q3")]))
write("multipart", multipart("b", [("n", "\u00e9.txt", "--b-"), ("e", None, "")]))
write("multipart", chr(1) + "b" + "preamble\r\n--b\r\nContent-Disposition: form-data; name*=UTF-8''%C3%A9\r\n\r\nx\r\n--b--")

# typed_json: the JSONTestSuite files of CORPUS_DIR/json-test-suite, the JSON literals of the
# typed tests, and documents shaped like the harness's struct
json_dir = os.path.join(corpus, "json-test-suite")
if os.path.isdir(json_dir):
    for root, _, names in os.walk(json_dir):
        for f in sorted(names):
            if f.endswith(".json"):
                write("typed_json", open(os.path.join(root, f), "rb").read())
for name in ["json_reader_test.cpp", "json_writer_test.cpp", "guide_test.cpp"]:
    p = os.path.join(repo, "tests", "typed", name)
    if os.path.exists(p):
        for s in cpp_literals(p):
            if s.lstrip()[:1] in ("{", "["):
                write("typed_json", s.encode("utf-8", "surrogateescape"))
child = '{"name": "pen", "price": 1.5, "qty": 2}'
for doc in [
    '{"flag": true, "count": 3, "small": 200, "big": -9007199254740993, "ubig": 18446744073709551615, '
    '"real": 0.1, "single": 1e-3, "text": "h\u00e9llo", "hue": "green", '
    '"id": "123E4567-e89b-12d3-a456-426614174000", "child": ' + child + ', "numbers": [1, 2.0, 3], '
    '"children": [' + child + ', {"name": "", "price": 2}], "note": null, "prices": {"a": 1, "b": 2.5}, '
    '"extra": {"x": [1, "y", null, true, {}]}}',
    '{"hue": "red"}', '{"hue": "blue", "count": 1e2, "numbers": []}', '{"hue": "red", "hue": "blue"}',
    '{"hue": "red", "real": -0, "single": 3.4028235e38, "big": 9223372036854775807}',
    '{"hue": "red", "real": 2e-320, "count": -5.0}', '[' + child + ']', '[]', '{}', '-0', '"x"', 'null']:
    write("typed_json", doc)

# typed_fields: query strings for the harness's struct
for q in ["flag=yes&limit=5&page=65535&since=-9223372036854775808&ratio=-0.5&weight=1e10&q=h%C3%A9llo&sz=large"
          "&id=123e4567-e89b-12d3-a456-426614174000&tiny=-128&maybe=off&tag=a&tag=b&n=0&n=4294967295",
          "limit=101", "limit=%2B7", "page=-0", "ratio=.5", "weight=1e-310", "weight=3.4028235e38", "sz=Small",
          "tag=a&tag=b&tag=c&tag=d", "maybe=", "n=1&n=x", "flag=TRUE&flag=0", ""]:
    write("typed_fields", q)

# session_codec: maps as key=value&..., and JSON objects
for s in ["user_id=42&_fresh=1", "=&a=", "csrf=abc&_flashes=x", '{"user": "bob", "n": [1, 2, {"x": null}]}',
          '{"_permanent": true, "\u00e9": 1.5}', "a.b.c", "e30.1800000000.AAAA"]:
    write("session_codec", s)

# static_path: names as URLs carry them
for s in ["index.html", "css/site.css", "../secret.txt", "css/../index.html", "leak.txt", "out/s.txt",
          "alias.html", "css/up/css/up/leak.txt", ".well-known/x", "%2e%2e/secret.txt", "css%2f..%2fx",
          "a%00b", "css\\..\\x", "/etc/passwd", "css//site.css", "css/./site.css", "./index.html"]:
    write("static_path", s)

print("seeds: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
