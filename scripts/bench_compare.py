#!/usr/bin/python3
"""bench_compare.py — fb_bench of this tree against a base commit, alternated in one run.

Speed figures on a shared machine drift with its load, so a figure is only worth comparing with
one taken in the same run: this builds fb_bench at the base commit (a detached git worktree under
build/bench-base/, reused while that commit's build is there), then runs the base's and this
tree's fb_bench in turns (base, this, this, base, ... so that a drift over the run hits both
alike) and prints, per scenario and people model, the whole loop's real-time factor, the render
time a frame and the four pixel stages' ns a pixel: best and median of each side and the ratio
of the medians, with the load average before and after. `make bench-compare` runs it
(docs/architecture.md, "Measuring a change"). Standard library only.

usage: bench_compare.py [--base REV] [--rounds N] [--build DIR] [SCENARIO[@CAMERA] ...]
       bench_compare.py --parse FILE     (what it reads of one fb_bench output, as JSON)
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HEADER = re.compile(r"^(\S+)\s+(\d+x\d+) @ .*people (template|3d)\b")
WHOLE = re.compile(r"^\s+whole loop\s+([\d.]+) frames/s\s+real-time factor\s+([\d.]+)x")
PER_FRAME = re.compile(r"^\s+per frame .*\|\s*render\s+([\d.]+) us")
PER_PIXEL = re.compile(r"^\s+per pixel .*the four\s+([\d.]+) ns/px")
PEOPLE = re.compile(r"^\s+people\s+lod and pose\s+([\d.]+) us \| vertices\s+([\d.]+) us .*"
                    r"triangles\s+([\d.]+) us")
THREADS = re.compile(r"^(\S+)\s+(\d+x\d+), people (template|3d), .*--threads 1\s+([\d.]+)x, "
                     r"--threads 2\s+([\d.]+)x.*speed-up\s+([\d.]+)x")

# What the table shows, in order: (key, label, unit, whether more is better)
FIGURES = [
    ("rtf", "whole loop", "x real time", True),
    ("render_us", "render", "us a frame", False),
    ("triangles_us", "people's triangles", "us a frame", False),
    ("vertices_us", "vertices", "us a frame", False),
    ("lod_pose_us", "lod and pose", "us a frame", False),
    ("four_ns_px", "the four pixel stages", "ns a pixel", False),
    ("speedup_2", "--threads 2 speed-up", "x", True),
]


def parse(text):
    """{'crowd 256x192 3d': {'rtf': 19.5, 'render_us': 1812.2, ...}, ...} from fb_bench's output."""
    out, key = {}, None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            key = f"{m.group(1)} {m.group(2)} {m.group(3)}"
            out[key] = {}
            continue
        m = THREADS.match(line)
        if m:
            out.setdefault(f"{m.group(1)} {m.group(2)} {m.group(3)}", {})["speedup_2"] = float(
                m.group(6))
            key = None
            continue
        if key is None:
            continue
        for rx, names in ((WHOLE, (None, "rtf")), (PER_FRAME, ("render_us",)),
                          (PER_PIXEL, ("four_ns_px",)),
                          (PEOPLE, ("lod_pose_us", "vertices_us", "triangles_us"))):
            m = rx.match(line)
            if m:
                for name, val in zip(names, m.groups()):
                    if name:
                        out[key][name] = float(val)
    return out


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def build_base(root, rev):
    """fb_bench of commit rev, built in a detached worktree; returns its path."""
    sha = git("rev-parse", "--verify", rev + "^{commit}", cwd=root)
    src = os.path.join(root, "build", "bench-base", sha[:12])
    exe = os.path.join(src, "build", "release", "fb_bench")
    if not os.path.isdir(src):
        os.makedirs(os.path.dirname(src), exist_ok=True)
        git("worktree", "add", "--detach", src, sha, cwd=root)
    if not os.access(exe, os.X_OK):
        print(f"bench_compare: building fb_bench at {sha[:12]} in {src}", file=sys.stderr)
        subprocess.run(["cmake", "--preset", "release"], cwd=src, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", "release", "-j2", "--target", "fb_bench"],
                       cwd=src, check=True, stdout=subprocess.DEVNULL)
    return sha, exe


def run_bench(exe, scenarios):
    r = subprocess.run([exe, *scenarios], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench_compare: {exe} exited {r.returncode}: {r.stderr.strip()[-400:]}")
    return parse(r.stdout)


def table(base_runs, this_runs, base_name, this_name):
    keys = []
    for run in base_runs + this_runs:
        for k in run:
            if k not in keys:
                keys.append(k)
    lines = [f"{'':34} {base_name:>24} {this_name:>24}   this / base (medians)",
             f"{'':34} {'best':>11} {'median':>12} {'best':>11} {'median':>12}"]
    for k in keys:
        lines.append(k)
        for fig, label, unit, more_better in FIGURES:
            b = [r[k][fig] for r in base_runs if fig in r.get(k, {})]
            t = [r[k][fig] for r in this_runs if fig in r.get(k, {})]
            if not b and not t:
                continue
            best = max if more_better else min

            def cell(v):
                return (f"{best(v):11.2f} {statistics.median(v):12.2f}" if v
                        else f"{'-':>11} {'-':>12}")
            ratio = (f"{statistics.median(t) / statistics.median(b):8.3f}"
                     if b and t and statistics.median(b) > 0 else f"{'-':>8}")
            lines.append(f"  {label + ' (' + unit + ')':32} {cell(b)} {cell(t)}   {ratio}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", help="the commit to compare with (default: HEAD when the tree "
                    "has changes, else HEAD^)")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each side (default 3)")
    ap.add_argument("--build", default="build/release", help="this tree's build directory")
    ap.add_argument("--parse", metavar="FILE", help="print what is read of one fb_bench output")
    ap.add_argument("scenarios", nargs="*", default=["crowd"],
                    help="passed to fb_bench (default: crowd)")
    a = ap.parse_args()
    if a.parse:
        with open(a.parse, encoding="utf-8") as f:
            print(json.dumps(parse(f.read()), indent=1, sort_keys=True))
        return 0
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    root = git("rev-parse", "--show-toplevel")
    this_exe = os.path.join(root, a.build, "fb_bench")
    if not os.access(this_exe, os.X_OK):
        ap.error(f"{this_exe}: not built (make build)")
    base = a.base or ("HEAD" if git("status", "--porcelain", "--untracked-files=no", cwd=root)
                      else "HEAD^")
    sha, base_exe = build_base(root, base)
    head = git("rev-parse", "--short=12", "HEAD", cwd=root)
    dirty = " + changes" if git("status", "--porcelain", "--untracked-files=no", cwd=root) else ""
    load0 = os.getloadavg()
    base_runs, this_runs = [], []
    for r in range(a.rounds):
        order = [(base_exe, base_runs), (this_exe, this_runs)]
        if r % 2:
            order.reverse()
        for exe, runs in order:
            print(f"bench_compare: round {r + 1}/{a.rounds}: {exe}", file=sys.stderr)
            runs.append(run_bench(exe, a.scenarios))
    load1 = os.getloadavg()
    print(f"fb_bench {' '.join(a.scenarios)}: base {sha[:12]} against this tree ({head}{dirty}), "
          f"{a.rounds} rounds each, alternated; load average {load0[0]:.2f} before, "
          f"{load1[0]:.2f} after")
    print(table(base_runs, this_runs, "base " + sha[:12], "this " + head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
