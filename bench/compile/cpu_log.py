#!/usr/bin/env python3
"""Sums the CPU log that rebuild.sh writes with CPU_LOG (one line per compile or link:
`compile|link user sys output source`), by part of the tree, and compares two builds object by
object (the objects both builds have, matched by their path in the build directory, so by
target and source file).

usage: cpu_log.py LOG BUILD_DIR SOURCE_DIR [LOG2 BUILD_DIR2 SOURCE_DIR2]
Prints markdown tables: CPU seconds (user+sys) and counts per part; with two builds, the same
for the objects present in both, and the objects whose CPU changed most."""
import collections
import os
import sys


def part(kind, out, src):
    """Which part of the tree a compile or link belongs to."""
    if kind == "link":
        return "links"
    if "/vial_vial.dir/" in out:
        return "library (libvial)"
    if src.startswith("@build/tests/headers/"):
        return "header tests (generated)"
    for prefix, name in (("tests/", "tests"), ("examples/", "examples"), ("bench/", "bench"), ("fuzz/", "fuzz")):
        if src.startswith(prefix):
            return name
    return "other"


def load(log, build, source):
    build, source = os.path.realpath(build) + "/", os.path.realpath(source) + "/"
    objects = {}
    for line in open(log):
        fields = line.split()
        if len(fields) != 5:
            continue
        kind, user, sys_, out, src = fields
        out = os.path.realpath(out)
        src = os.path.realpath(src) if src != "-" else src
        out = out[len(build):] if out.startswith(build) else out
        if src.startswith(source):
            src = src[len(source):]
        elif src.startswith(build):
            src = "@build/" + src[len(build):]
        key = (kind, out)
        cpu = float(user) + float(sys_)
        # A file built twice (a failed step retried) counts once: the last time.
        objects[key] = (cpu, part(kind, out, src), src)
    return objects


def by_part(objects):
    sums = collections.defaultdict(lambda: [0.0, 0])
    for cpu, p, _ in objects.values():
        sums[p][0] += cpu
        sums[p][1] += 1
    return sums


def main(argv):
    if len(argv) not in (4, 7):
        sys.exit(__doc__)
    builds = [load(*argv[i:i + 3]) for i in range(1, len(argv), 3)]
    parts = sorted({p for b in builds for _, p, _ in b.values()})
    head = "| part | " + " | ".join(f"build {i + 1}: CPU s (files)" for i in range(len(builds))) + " |"
    print(head)
    print("|---|" + "---:|" * len(builds))
    sums = [by_part(b) for b in builds]
    for p in parts:
        print(f"| {p} | " + " | ".join(f"{s[p][0]:.1f} ({s[p][1]})" for s in sums) + " |")
    print("| **all** | " + " | ".join(
        f"**{sum(v[0] for v in s.values()):.1f}** ({sum(v[1] for v in s.values())})" for s in sums) + " |")
    if len(builds) == 1:
        return
    before, after = builds
    common = sorted(set(before) & set(after))
    print()
    print("In both builds (same target, same source file):")
    print()
    print("| part | files | build 1: CPU s | build 2: CPU s | ratio |")
    print("|---|---:|---:|---:|---:|")
    per = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for k in common:
        p = after[k][1]
        per[p][0] += 1
        per[p][1] += before[k][0]
        per[p][2] += after[k][0]
    for p in sorted(per):
        n, b, a = per[p]
        print(f"| {p} | {n} | {b:.1f} | {a:.1f} | {a / b if b else 0:.2f} |")
    n = len(common)
    b = sum(before[k][0] for k in common)
    a = sum(after[k][0] for k in common)
    print(f"| **all in both** | {n} | **{b:.1f}** | **{a:.1f}** | **{a / b if b else 0:.2f}** |")
    print()
    print("Largest changes among them (CPU s):")
    print()
    print("| object | build 1 | build 2 |")
    print("|---|---:|---:|")
    for k in sorted(common, key=lambda k: -abs(after[k][0] - before[k][0]))[:15]:
        print(f"| `{k[1]}` | {before[k][0]:.2f} | {after[k][0]:.2f} |")
    only = [k for k in before if k not in after]
    if only:
        print()
        print(f"Only in build 1: {len(only)} files, {sum(before[k][0] for k in only):.1f} s; "
              f"only in build 2: {len([k for k in after if k not in before])} files, "
              f"{sum(after[k][0] for k in after if k not in before):.1f} s.")


if __name__ == "__main__":
    main(sys.argv)
