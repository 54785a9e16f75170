#!/usr/bin/python3
"""calibrate_sse.py — fits the reference firmware's two size-of-source constants from bench runs.

The reference firmware adds (FBFW_SSE_K_CKPX + FBFW_SSE_C_PX * (c - FBFW_SSE_C0_CK)) / w
centikelvin to every canthus sample taken from a head w pixels wide whose canthus pixel stands
c ck above the mean of the 7 x 7 pixels around it (firmware-under-test/reference/fbfw_internal.h,
docs/firmware.md). This script does what a vendor does in the laboratory: it runs the firmware on
calibration seeds that no shipped scenario or test uses, compares each reading with the truth, and
fits the two constants by least squares.

What each reading owes to each constant is measured, not guessed: the firmware's sources are
built three times as a shared library (the C compiler, --cc) — with no compensation, with a probe
K only and with a probe C only — and every run is repeated with each (`feverbench run --dut
lib:...`). The compensation changes no decision of the firmware (which faces, when it settles),
only the readings, so the same people are measured at the same frames and, per measurement,

    reading(K, C) = r0 + K * x1 + C * x2        x1 = (r_K - r0) / K_probe, x2 = (r_C - r0) / C_probe

(exactly, but for which of the samples is the median). The fit minimises the sum of
(r0 - truth + K x1 + C x2)^2. It uses the command line and the firmware's sources only, never the
truth inside the firmware.

    /usr/bin/python3 scripts/calibrate_sse.py --feverbench build/release/feverbench
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

K_PROBE = 10000.0  # ck px
C_PROBE = 100.0  # px
OUTLIER_K = 0.75


def current(repo, name):
    path = os.path.join(repo, "firmware-under-test", "reference", "fbfw_internal.h")
    with open(path, encoding="utf-8") as f:
        m = re.search(r"#define %s (-?\d+)" % name, f.read())
    if not m:
        sys.exit("calibrate_sse: %s not found in %s" % (name, path))
    return int(m.group(1))


def build(cc, repo, out, k, c):
    src = os.path.join(repo, "firmware-under-test", "reference")
    files = sorted(os.path.join(src, n) for n in os.listdir(src) if n.endswith(".c"))
    cmd = [cc, "-std=c11", "-O2", "-shared", "-fPIC",
           "-I" + os.path.join(repo, "firmware-under-test", "include"),
           "-DFBFW_SSE_K_CKPX=%d" % k, "-DFBFW_SSE_C_PX=%d" % c, "-o", out] + files
    if subprocess.run(cmd).returncode != 0:
        sys.exit("calibrate_sse: building the probe library failed: " + " ".join(cmd))


def readings(feverbench, lib, scen, seed, out):
    """{subject id: (frame measured, box width px, reported skin, true skin)} of one run."""
    rc = subprocess.run([feverbench, "run", scen, "--seed", str(seed), "--quiet",
                         "--dut", "lib:" + lib, "--out", out]).returncode
    if rc not in (0, 1):
        sys.exit("calibrate_sse: %s seed %d (%s): exit %d" % (scen, seed, lib, rc))
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        res = json.load(f)
    boxes = {}
    with open(os.path.join(out, "events.jsonl"), encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("kind") == "measurement":
                boxes[ev["arrival_frame"]] = ev["box"][2]
    got = {}
    for s in res["subjects"]:
        if s["status"] != "measured" or s.get("skin_reported_c") is None:
            continue
        frame = round(s["measured_at_s"] * res["fps"])
        if frame in boxes:
            got[s["id"]] = (frame, boxes[frame], s["skin_reported_c"], s["skin_true_c"])
    return got


def fit(rows, use_c):
    """Least-squares (K, C) for rows of (scen, w, e0, x1, x2); C = 0 when not use_c."""
    s11 = sum(r[3] * r[3] for r in rows)
    s12 = sum(r[3] * r[4] for r in rows)
    s22 = sum(r[4] * r[4] for r in rows)
    b1 = -sum(r[2] * r[3] for r in rows)
    b2 = -sum(r[2] * r[4] for r in rows)
    if not use_c:
        return b1 / s11, 0.0
    det = s11 * s22 - s12 * s12
    return (b1 * s22 - b2 * s12) / det, (s11 * b2 - s12 * b1) / det


def stats(errs):
    n = len(errs)
    mean = sum(errs) / n
    sd = (sum((e - mean) ** 2 for e in errs) / max(n - 1, 1)) ** 0.5
    return mean, sd, sum(abs(e) for e in errs) / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feverbench", required=True, help="the feverbench binary")
    ap.add_argument("--scenarios", default="default,drift,crowd,confounder-cold-entry")
    ap.add_argument("--seeds", default="1001:1011", help="A:B, calibration seeds A..B-1")
    ap.add_argument("--cc", default="cc", help="the C compiler for the probe libraries")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rows", help="write every measurement (scenario, seed, id, w, e0, x1, x2) here")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    a, b = (int(x) for x in args.seeds.split(":"))
    c0 = current(repo, "FBFW_SSE_C0_CK")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        libs = [os.path.join(tmp, n) for n in ("none.so", "k.so", "c.so")]
        build(args.cc, repo, libs[0], 0, 0)
        build(args.cc, repo, libs[1], int(K_PROBE), 0)
        build(args.cc, repo, libs[2], 0, int(C_PROBE))
        jobs = [(scen, seed, i) for scen in args.scenarios.split(",") for seed in range(a, b)
                for i in range(3)]
        with ThreadPoolExecutor(args.jobs) as pool:
            got = list(pool.map(lambda j: readings(args.feverbench, libs[j[2]], j[0], j[1],
                                                   os.path.join(tmp, "%s-%d-%d" % j)), jobs))
        for n in range(0, len(jobs), 3):
            r0, rk, rc = got[n], got[n + 1], got[n + 2]
            for sid, (frame, w, rep, truth) in sorted(r0.items()):
                if sid not in rk or sid not in rc or rk[sid][0] != frame or rc[sid][0] != frame:
                    sys.exit("calibrate_sse: %s seed %d %s measured differently by the probes" %
                             (jobs[n][0], jobs[n][1], sid))
                rows.append((jobs[n][0], w, rep - truth, (rk[sid][2] - rep) / K_PROBE,
                             (rc[sid][2] - rep) / C_PROBE, jobs[n][1], sid))
    if not rows:
        sys.exit("calibrate_sse: no measurements")
    if args.rows:
        with open(args.rows, "w", encoding="utf-8") as f:
            f.write("scenario,seed,id,w_px,e0_K,x1,x2\n")
            for r in rows:
                f.write("%s,%d,%s,%d,%.3f,%.7f,%.7f\n" % (r[0], r[5], r[6], r[1], r[2], r[3], r[4]))
    k_now, c_now = current(repo, "FBFW_SSE_K_CKPX"), current(repo, "FBFW_SSE_C_PX")
    # A reading far off is not the lens's doing (a face in pieces, a neighbour's skin): fit,
    # leave out what the fit leaves more than OUTLIER_K off, and fit again.
    k1, _ = fit(rows, False)
    k2, c2 = fit(rows, True)
    kept = [r for r in rows if abs(r[2] + k2 * r[3] + c2 * r[4]) <= OUTLIER_K]
    print("left out %d measurement(s) more than %.2f K off after the first fit: %s" %
          (len(rows) - len(kept), OUTLIER_K, ", ".join(
              "%s %d %s %+.2f" % (r[0], r[5], r[6], r[2] + k2 * r[3] + c2 * r[4])
              for r in rows if r not in kept)))
    rows = kept
    k1, _ = fit(rows, False)
    k2, c2 = fit(rows, True)

    def err(r, k, c):
        return r[2] + k * r[3] + c * r[4]

    print("measurements %d (%s), seeds %d..%d, box widths %d..%d px" %
          (len(rows), ", ".join("%s %d" % (s, sum(1 for r in rows if r[0] == s))
                                for s in args.scenarios.split(",")),
           a, b - 1, min(r[1] for r in rows), max(r[1] for r in rows)))
    print("FBFW_SSE_C0_CK %d; now K %d, C %d" % (c0, k_now, c_now))
    print("fitted, K alone:  FBFW_SSE_K_CKPX %.0f" % k1)
    print("fitted, K and C:  FBFW_SSE_K_CKPX %.0f, FBFW_SSE_C_PX %.2f" % (k2, c2))
    print("%-24s %5s  %-22s %-22s %-22s" % ("error (K): mean/sd/MAE", "n", "now", "K alone",
                                             "K and C"))
    for scen in args.scenarios.split(",") + ["all"]:
        sub = [r for r in rows if scen in ("all", r[0])]
        if not sub:
            continue
        cols = [stats([err(r, k, c) for r in sub]) for k, c in
                ((k_now, c_now), (k1, 0.0), (k2, c2))]
        print("%-24s %5d  %s" % (scen, len(sub), "  ".join(
            "%+.3f/%.3f/%.3f    " % m for m in cols)))
    # The error left without the contrast term and with it, against the canthus's contrast c
    # (x2 * w + C0 above C0, in K; the median sample's, as the firmware counted it).
    print("contrast c (K)     n   mean error, K alone   K and C")
    edges = [c0 / 100.0, 1.7, 2.0, 2.3, 9.9]
    bins = [("<= %.2f (C0)" % (c0 / 100.0), [r for r in rows if r[4] <= 0.0])]
    for lo, hi in zip(edges, edges[1:]):
        bins.append(("%.2f .. %.2f" % (lo, hi), [
            r for r in rows if r[4] > 0.0 and lo <= (r[4] * r[1] * 100.0 + c0) / 100.0 < hi]))
    for name, sub in bins:
        if sub:
            print("%-14s %5d   %+.3f               %+.3f" %
                  (name, len(sub), stats([err(r, k1, 0.0) for r in sub])[0],
                   stats([err(r, k2, c2) for r in sub])[0]))


if __name__ == "__main__":
    main()
