#!/usr/bin/env python3
"""Turns the JSON of vial_bench_route_match into the markdown table of docs/performance.md.

usage: match_table.py RESULTS.json
Takes the median of the repetitions (or the single run) of each benchmark, named
`<router>/<routes>/<family>/<position>`, and prints one row per request with vial's and the
naive router's time per match and the ratio.
"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    times = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        router, routes, family, position = name.split("/")[:4]
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[b.get("time_unit", "ns")]
        times[(router, int(routes), family, position)] = b["cpu_time"] * scale
    families = ["static", "int", "string", "uuid", "none"]
    positions = ["first", "middle", "last", "404", "404-deep"]
    rows = sorted({k[1:] for k in times}, key=lambda k: (k[0], families.index(k[1]), positions.index(k[2])))
    print("| routes | request | vial (ns) | naive (ns) | naive / vial |")
    print("|---:|---|---:|---:|---:|")
    for routes, family, position in rows:
        v = times.get(("vial", routes, family, position))
        n = times.get(("naive", routes, family, position))
        ratio = f"{n / v:.1f}x" if v and n else "-"
        label = f"{family} {position}" if family != "none" else position
        # A filter (VIAL_BENCH_FILTER=^vial/) may leave one router out: "-" for it.
        vs = f"{v:.1f}" if v is not None else "-"
        ns = f"{n:.1f}" if n is not None else "-"
        print(f"| {routes} | {label} | {vs} | {ns} | {ratio} |")


if __name__ == "__main__":
    main()
