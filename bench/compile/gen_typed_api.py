#!/usr/bin/env python3
"""Writes a typed vial API of 30 routes over 20 reflected structs in one file, for measuring
compile time and memory (issue 8: <= 15 s and <= 1.5 GB at -O2).

Variants, to tell what costs what:
  typed    the API: 20 Hana-reflected structs with rules, 30 routes taking json<T>, query<T>,
           header<> and route parameters, returning T, std::vector<T>, created<T> and
           responses<...>, run through a test client, and its OpenAPI document built.
  nodoc    the typed API without building its OpenAPI document: what the document costs.
  structs  the same 20 structs and #include <vial/typed.hpp> <vial/openapi.hpp>, nothing else:
           the cost of reflecting the types alone.
  untyped  the same 30 routes written by hand on nlohmann (<vial/json.hpp>: vial::request&, req.json(),
           nlohmann::json returns) with <vial/vial.hpp> only: the baseline.

usage: gen_typed_api.py typed|nodoc|structs|untyped OUTPUT.cpp
"""
import sys

STRUCTS = 20
ROUTES = 30


def struct(i):
    nested = f"(std::vector<s{i - 1}>, children), " if i > 0 and i % 4 else ""
    return f"""struct s{i} {{
    BOOST_HANA_DEFINE_STRUCT(s{i}, (int, id), (std::string, name), (std::optional<std::string>, note),
        (std::vector<std::string>, tags), {nested}(double, score), (bool, active), (std::int64_t, count),
        (std::optional<int>, rank));
    static constexpr auto rules = vial::rules(vial::field<"name">(vial::min_length(1), vial::max_length(100)),
        vial::field<"score">(vial::minimum(0), vial::maximum(100)),
        vial::field<"tags">(vial::max_length(10), vial::default_value()));
}};
"""


def filt(i):
    return f"""struct q{i} {{
    BOOST_HANA_DEFINE_STRUCT(q{i}, (std::optional<bool>, active), (std::vector<std::string>, tag), (int, limit));
    static constexpr auto rules = vial::rules(vial::field<"tag">(vial::default_value()),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(20)));
}};
"""


def typed_routes():
    out = []
    for r in range(ROUTES):
        s = r % STRUCTS
        kind = r % 5
        if kind == 0:
            out.append((f"vial::created<s{s}> h{r}(vial::json<s{s}> b, store& st) {{ ++st.n; return {{*b, \"/x\"}}; }}",
                        f'vial::post<"/r{r}", h{r}>()'))
        elif kind == 1:
            out.append((f"std::vector<s{s}> h{r}(vial::query<q{s % 5}> q, store& st) {{ ++st.n; return std::vector<s{s}>(static_cast<std::size_t>(q->limit % 2)); }}",
                        f'vial::get<"/r{r}", h{r}>()'))
        elif kind == 2:
            out.append((f"vial::responses<vial::ok<s{s}>, vial::not_found<problem>> h{r}(int id, store& st) {{ ++st.n; if (id == 1) return vial::ok<s{s}>{{}}; return vial::not_found<problem>{{{{\"no\"}}}}; }}",
                        f'vial::get<"/r{r}/<int(min=1):id>", h{r}>()'))
        elif kind == 3:
            out.append((f"s{s} h{r}(int id, vial::json<s{s}> b, vial::header<\"X-Trace\", std::optional<std::string>> t) {{ s{s} v = *b; v.id = id; (void)t; return v; }}",
                        f'vial::put<"/r{r}/<int:id>", h{r}>()'))
        else:
            out.append((f"vial::no_content h{r}(vial::uuid id, vial::cookie<\"session\", std::string> c) {{ (void)id; (void)c; return {{}}; }}",
                        f'vial::del<"/r{r}/<uuid:id>", h{r}>()'))
    return out


def untyped_routes():
    out = []
    for r in range(ROUTES):
        kind = r % 5
        if kind == 0:
            out.append((f"std::pair<int, nlohmann::json> h{r}(vial::request& req, store& st) {{ ++st.n; const auto& j = req.json(); return {{201, nlohmann::json{{{{\"id\", j.at(\"id\").get<int>()}}, {{\"name\", j.at(\"name\").get<std::string>()}}}}}}; }}",
                        f'vial::post<"/r{r}", h{r}>()'))
        elif kind == 1:
            out.append((f"nlohmann::json h{r}(vial::request& req, store& st) {{ ++st.n; return nlohmann::json::array({{std::string(req.query_string())}}); }}",
                        f'vial::get<"/r{r}", h{r}>()'))
        elif kind == 2:
            out.append((f"vial::response h{r}(int id, store& st) {{ ++st.n; if (id == 1) return vial::json_response(nlohmann::json{{{{\"id\", 1}}}}); return vial::json_response(nlohmann::json{{{{\"detail\", \"no\"}}}}, 404); }}",
                        f'vial::get<"/r{r}/<int(min=1):id>", h{r}>()'))
        elif kind == 3:
            out.append((f"nlohmann::json h{r}(int id, vial::request& req) {{ nlohmann::json j = req.json(); j[\"id\"] = id; return j; }}",
                        f'vial::put<"/r{r}/<int:id>", h{r}>()'))
        else:
            out.append((f"void h{r}(vial::uuid id, vial::request& req) {{ (void)id; (void)req.cookie(\"session\"); }}",
                        f'vial::del<"/r{r}/<uuid:id>", h{r}>()'))
    return out


def main():
    variant, path = sys.argv[1], sys.argv[2]
    lines = []
    if variant == "untyped":
        lines.append("#include <vial/json.hpp>  // nlohmann::json results and req.json()\n#include <vial/vial.hpp>\n")
    else:
        lines.append("#include <vial/openapi.hpp>\n#include <vial/typed.hpp>\n#include <vial/vial.hpp>\n")
    lines.append("#include <cstdint>\n#include <optional>\n#include <string>\n#include <vector>\n\nnamespace api {\n")
    if variant != "untyped":
        lines += [struct(i) for i in range(STRUCTS)]
        lines += [filt(i) for i in range(5)]
        lines.append("struct problem {\n    BOOST_HANA_DEFINE_STRUCT(problem, (std::string, detail));\n};\n")
    if variant == "structs":
        lines.append("}  // namespace api\nint main() { return 0; }\n")
    else:
        lines.append("struct store {\n    int n = 0;\n};\n")
        routes = untyped_routes() if variant == "untyped" else typed_routes()
        lines += [h + "\n" for h, _ in routes]
        lines.append("constexpr auto app = vial::app(\n    " + ",\n    ".join(r for _, r in routes) + ");\n")
        lines.append("}  // namespace api\n\nint main() {\n    api::store st;\n    vial::test_client client(api::app, st);\n")
        lines.append("    int status = static_cast<int>(client.get(\"/r1\").status());\n")
        if variant == "typed":
            lines.append("    status += static_cast<int>(vial::openapi::document(api::app).size());\n")
        lines.append("    return status == 0;\n}\n")
    with open(path, "w") as f:
        f.write("".join(lines))


main()
