#!/usr/bin/python3
"""calibrate_sse.py — fits the reference firmware's size-of-source constant from bench runs.

The reference firmware adds FBFW_SSE_K_CKPX / w centikelvin to every canthus sample taken from a
head w pixels wide (firmware-under-test/reference/fbfw_internal.h, docs/firmware.md). This script
does what a vendor does in the laboratory: it runs the firmware as built on calibration seeds that
no shipped scenario uses, compares each reading with the truth, and fits what is left of the error
as a / w (least squares through the origin, w = the reported box width):

    K_new = K_now - 100 * sum(e / w) / sum(1 / w^2)        e = reported - true skin, in K

It uses only the command line (`feverbench run ... --out`), never the firmware's internals.

    /usr/bin/python3 scripts/calibrate_sse.py --feverbench build/release/feverbench
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def current_k(repo):
    path = os.path.join(repo, "firmware-under-test", "reference", "fbfw_internal.h")
    with open(path, encoding="utf-8") as f:
        m = re.search(r"#define FBFW_SSE_K_CKPX (\d+)", f.read())
    if not m:
        sys.exit("calibrate_sse: FBFW_SSE_K_CKPX not found in " + path)
    return int(m.group(1))


def pairs(out_dir):
    """(box width px, reported - true skin K) for every measured, screenable person."""
    with open(os.path.join(out_dir, "results.json"), encoding="utf-8") as f:
        res = json.load(f)
    boxes = {}
    with open(os.path.join(out_dir, "events.jsonl"), encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("kind") == "measurement":
                boxes[ev["frame"]] = ev["box"][2]
    fps = res["fps"]
    for s in res["subjects"]:
        if s["status"] != "measured" or s.get("skin_reported_c") is None:
            continue
        w = boxes.get(round(s["measured_at_s"] * fps))
        if w:
            yield w, s["skin_reported_c"] - s["skin_true_c"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feverbench", required=True, help="the feverbench binary")
    ap.add_argument("--scenarios", default="default,drift,crowd")
    ap.add_argument("--seeds", default="1001:1011", help="A:B, calibration seeds A..B-1")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    a, b = (int(x) for x in args.seeds.split(":"))
    data = []
    with tempfile.TemporaryDirectory() as tmp:
        for scen in args.scenarios.split(","):
            for seed in range(a, b):
                out = os.path.join(tmp, "%s-%d" % (scen, seed))
                rc = subprocess.run([args.feverbench, "run", scen, "--seed", str(seed), "--quiet",
                                     "--out", out]).returncode
                if rc not in (0, 1):
                    sys.exit("calibrate_sse: %s seed %d: exit %d" % (scen, seed, rc))
                data.extend(pairs(out))
    if not data:
        sys.exit("calibrate_sse: no measurements")
    k_now = current_k(repo)
    num = sum(e / w for w, e in data)
    den = sum(1.0 / (w * w) for w, _ in data)
    mean = sum(e for _, e in data) / len(data)
    k_new = k_now - 100.0 * num / den
    print("measurements %d, mean error %+.3f K, box widths %d..%d px" %
          (len(data), mean, min(w for w, _ in data), max(w for w, _ in data)))
    print("FBFW_SSE_K_CKPX now %d, fitted %.0f" % (k_now, k_new))


if __name__ == "__main__":
    main()
