#!/usr/bin/python3
"""pool_trace.py — sums up the timeline FB_POOL_TRACE=FILE writes (sim/util/pool.c).

Per thread: the time in tasks, side tasks, the spawned task and each kind of wait; per labelled
stretch (world step, people job, bands job, pixel stages, ...): its count, total and mean; and
per job of the pool, how far apart its threads finished their last tasks (the time the first
one then spent waiting), grouped by the labelled stretch the job ran in. Standard library only.

usage: FB_POOL_TRACE=/tmp/t.txt feverbench run crowd --duration 20 --threads 2 --out DIR --quiet
       scripts/pool_trace.py /tmp/t.txt
"""
import collections
import sys

WAITS = ("wait for work", "wait for tasks", "wait for side tasks", "wait in join")


def read(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            th, job, t0, t1, what = line.rstrip("\n").split(" ", 4)
            out.append((int(th), int(job), float(t0), float(t1), what))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ev = read(sys.argv[1])
    if not ev:
        sys.exit("pool_trace.py: no events")
    span = max(e[3] for e in ev) - min(e[2] for e in ev)
    frames = sum(1 for e in ev if e[4] == "draw") or 1
    print(f"{span:.3f} s traced, {frames} frames drawn; microseconds a frame:")
    per = collections.defaultdict(float)
    for th, _, t0, t1, what in ev:
        per[(th, what)] += t1 - t0
    for (th, what), t in sorted(per.items()):
        print(f"  thread {th}  {what:<22} {t / frames * 1e6:9.1f}")
    # a job's tasks: who ran them, when each thread finished its last one
    tasks = collections.defaultdict(list)
    for th, job, t0, t1, what in ev:
        if what == "task":
            tasks[job].append((th, t0, t1))
    stretches = sorted((e for e in ev if e[4] not in WAITS and not e[4].endswith("task")),
                       key=lambda e: e[2])
    spread = collections.defaultdict(list)
    for job, ts in tasks.items():
        start = min(t[1] for t in ts)
        end = {}
        for th, _, t1 in ts:
            end[th] = max(end.get(th, 0.0), t1)
        where = "?"
        for s in stretches:  # the innermost labelled stretch the job began in
            if s[2] <= start < s[3] and s[4] not in ("draw", "spawned task"):
                where = s[4]
        gap = max(end.values()) - min(end.values()) if len(end) > 1 else None
        spread[where].append(gap)
    print("jobs: the threads' last tasks ended this far apart (one thread alone: not counted)")
    for where, gaps in sorted(spread.items()):
        two = sorted(g for g in gaps if g is not None)
        if not two:
            print(f"  {where:<22} {len(gaps):5d} jobs, none shared")
            continue
        print(f"  {where:<22} {len(gaps):5d} jobs, {len(two):5d} shared: median "
              f"{two[len(two) // 2] * 1e6:7.1f} us, mean {sum(two) / len(two) * 1e6:7.1f} us")


if __name__ == "__main__":
    main()
