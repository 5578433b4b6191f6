#!/usr/bin/env python3
"""Black-box tests of examples/todo_api over real loopback sockets.

Usage: todo_api_blackbox.py TODO_API NPM_DIR CONFIG_DIR CORPUS_DIR
  NPM_DIR     the build tree's npm/openapi-checks (scripts/test installs it); exit 77 (skip)
              when its node_modules is missing
  CONFIG_DIR  tests/openapi (redocly.yaml, spectral.yaml, validate.mjs, docs_browser.mjs)
  CORPUS_DIR  JSONTestSuite's test_parsing folder

Checks: CRUD with 201 + Location, typed query, 404 with a typed body, 400/415/422;
`--openapi` equals /openapi.json; the document passes redocly (recommended), swagger-parser
and spectral (spectral:oas) with 0 errors; the real responses fit the declared schemas (ajv);
every JSONTestSuite case posted to a json<T> endpoint (n_ -> 400, y_ never 400, never 5xx);
chromium renders every operation at /docs.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox  # noqa: E402
from blackbox import check, finish, request  # noqa: E402

APP, NPM_DIR, CONFIG_DIR, CORPUS = sys.argv[1:5]
recorded = []  # responses to validate against the document


def start():
    return blackbox.start(APP, "--threads", "2", "--no-access-log")


def call(port, method, target, body=None, headers=None, template=None):
    h = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    status, response_headers, data = request(port, method, target, body=body, headers=h)
    ctype = response_headers.get("content-type", "").split(";")[0]
    parsed = None
    if ctype == "application/json" and data:
        parsed = json.loads(data)
    if template is not None:
        recorded.append({"path": template, "method": method.lower(), "status": status,
                         "content_type": ctype, "body": parsed})
    return status, response_headers, parsed, data


def main():
    if not os.path.isdir(os.path.join(NPM_DIR, "node_modules")):
        print(f"SKIP: no npm packages in {NPM_DIR} (scripts/test installs them)")
        sys.exit(77)
    doc_text = subprocess.run([APP, "--openapi"], capture_output=True, text=True, timeout=30).stdout
    doc = json.loads(doc_text)
    check("--openapi prints OpenAPI 3.1", doc.get("openapi") == "3.1.0", doc.get("openapi"))

    proc, port = start()
    try:
        s, h, served, _ = call(port, "GET", "/openapi.json")
        check("/openapi.json is the --openapi document", s == 200 and served == doc)

        # Create: 201, Location built with url_for, the typed body.
        new = {"title": "buy milk", "tags": ["home", "shop"], "items": [{"name": "milk"}],
               "owner": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "level": "high"}
        s, h, t, _ = call(port, "POST", "/todos", new, template="/todos")
        check("create is 201", s == 201, s)
        check("create has Location", h.get("location") == f"/todos/{t['id']}", h.get("location"))
        check("create echoes the todo", t["title"] == "buy milk" and t["level"] == "high" and t["done"] is False, t)
        first = t["id"]
        call(port, "POST", "/todos", {"title": "call mum", "tags": ["home"]}, template="/todos")
        call(port, "POST", "/todos", {"title": "file taxes", "done": True}, template="/todos")

        s, h, lst, _ = call(port, "GET", "/todos", template="/todos")
        check("list all", s == 200 and len(lst) == 3, lst)
        s, h, lst, _ = call(port, "GET", "/todos?tag=home&tag=shop", template="/todos")
        check("repeated tag filters", s == 200 and [x["title"] for x in lst] == ["buy milk"], lst)
        s, h, lst, _ = call(port, "GET", "/todos?done=true", template="/todos")
        check("done=true", s == 200 and [x["title"] for x in lst] == ["file taxes"], lst)
        s, h, lst, _ = call(port, "GET", "/todos?limit=1&offset=1", template="/todos")
        check("limit and offset", s == 200 and [x["title"] for x in lst] == ["call mum"], lst)
        s, h, err, _ = call(port, "GET", "/todos?limit=0", template="/todos")
        check("limit 0 is 422", s == 422 and err["detail"][0]["loc"] == ["query", "limit"], err)
        s, h, err, _ = call(port, "GET", "/todos?limit=101&done=perhaps", template="/todos")
        check("two query errors at once", s == 422 and len(err["detail"]) == 2, err)

        s, h, t, _ = call(port, "GET", f"/todos/{first}", template="/todos/{todo_id}")
        check("get", s == 200 and t["id"] == first, t)
        s, h, e, _ = call(port, "GET", "/todos/999", template="/todos/{todo_id}")
        check("get unknown is 404 with a typed body", s == 404 and e == {"detail": "no todo 999"}, e)
        s, h, _, _ = call(port, "GET", "/todos/0")
        check("id 0 does not match int(min=1)", s == 404, s)

        s, h, t, _ = call(port, "PUT", f"/todos/{first}", {"title": "buy oat milk"}, template="/todos/{todo_id}")
        check("replace", s == 200 and t["title"] == "buy oat milk" and t["tags"] == [], t)
        s, h, t, _ = call(port, "PATCH", f"/todos/{first}", {"done": True, "progress": 1}, template="/todos/{todo_id}")
        check("patch", s == 200 and t["done"] is True and t["title"] == "buy oat milk", t)
        s, h, e, _ = call(port, "PATCH", "/todos/999", {"done": True}, template="/todos/{todo_id}")
        check("patch unknown is 404", s == 404, s)

        bad = {"title": "", "level": "urgent", "items": [{"name": "x"}, {"done": "maybe"}],
               "estimate_minutes": 0, "progress": 2, "colour": "red"}
        s, h, err, _ = call(port, "POST", "/todos", bad, template="/todos")
        locs = [tuple(e["loc"]) for e in (err or {}).get("detail", [])]
        check("every constraint error at once", s == 422 and {
            ("body", "title"), ("body", "level"), ("body", "items", 1, "name"), ("body", "items", 1, "done"),
            ("body", "estimate_minutes"), ("body", "progress"), ("body", "colour")} <= set(locs), locs)
        check("422 items have FastAPI's keys",
              all({"type", "loc", "msg", "input"} <= set(e) for e in err["detail"]), err)
        s, h, err, _ = call(port, "POST", "/todos", b'{"title": "x",', {"Content-Type": "application/json"},
                            template="/todos")
        check("malformed JSON is 400 saying where", s == 400 and err["detail"][0]["type"] == "json_invalid"
              and "line 1" in err["detail"][0]["ctx"]["error"], err)
        s, h, _, _ = call(port, "POST", "/todos", b'{"title": "x"}', {"Content-Type": "text/plain"}, template="/todos")
        check("non-JSON Content-Type is 415", s == 415, s)
        deep = b"[" * 5000 + b"]" * 5000
        s, h, _, _ = call(port, "POST", "/todos", deep, {"Content-Type": "application/json"})
        check("nesting deeper than 64 is 400", s == 400, s)

        s, h, _, _ = call(port, "DELETE", f"/todos/{first}", template="/todos/{todo_id}")
        check("delete is 204", s == 204, s)
        s, h, e, _ = call(port, "DELETE", f"/todos/{first}", template="/todos/{todo_id}")
        check("delete again is 404", s == 404, e)

        # JSONTestSuite, every case, posted to a json<T> endpoint.
        counts = {"n": 0, "y": 0, "i": 0}
        for name in sorted(os.listdir(CORPUS)):
            with open(os.path.join(CORPUS, name), "rb") as f:
                data = f.read()
            s, h, _, _ = call(port, "PATCH", "/todos/2", data, {"Content-Type": "application/json"})
            kind = name[0]
            counts[kind] += 1
            if kind == "n":
                check(f"JSONTestSuite {name} is 400", s == 400, s)
            elif kind == "y":
                check(f"JSONTestSuite {name} is not malformed", s in (200, 422), s)
            else:
                check(f"JSONTestSuite {name} is not a 5xx", s < 500 and s != 0, s)
        check("JSONTestSuite: all 318 cases", sum(counts.values()) == 318, counts)
        s, h, _, _ = call(port, "GET", "/todos")
        check("the server survived the corpus", s == 200, s)

        # Linters, swagger-parser and ajv.
        with blackbox.openapi_files(doc_text, recorded) as (doc_file, resp_file):
            blackbox.lint_openapi(doc_file, resp_file, NPM_DIR, CONFIG_DIR)
            r = blackbox.node(NPM_DIR, os.path.join(CONFIG_DIR, "docs_browser.mjs"), f"http://127.0.0.1:{port}", doc_file)
            print(r.stdout.strip())
            check("/docs renders every operation in chromium", r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:])
    finally:
        blackbox.stop(proc, timeout=10)
    finish()


main()
