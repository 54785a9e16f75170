#!/bin/sh
# confidence.sh — `feverbench evaluate --seeds N` and the report's sample sizes and intervals:
# pooled counts are the sums of the seed runs' own results.json, every interval is recomputed
# independently (Wilson in python3), the report is byte-identical run again, the same firmware
# twice is "not distinguishable" and a firmware that measures nobody is told apart; --dut
# NAME=SPEC names candidates; people.csv is report.json's per-person table; progress lines show
# the battery's verdicts with an ETA.
# usage: confidence.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

for v in 0 x 1001; do
    "$FB" evaluate --seeds $v --out "$tmp/u" >/dev/null 2>"$tmp/u.err"
    st=$?
    [ $st -eq 2 ] && grep -q -- "--seeds" "$tmp/u.err" && ok || bad "--seeds $v: exit $st, $(cat "$tmp/u.err")"
done

# --dut NAME=SPEC: a bad or repeated name is bad usage
for d in "=inproc:reference" "v*x=inproc:reference" "a=inproc:reference --dut a=inproc:reference"; do
    # shellcheck disable=SC2086
    "$FB" evaluate --dut $d --out "$tmp/u" >/dev/null 2>"$tmp/u.err"
    st=$?
    [ $st -eq 2 ] && grep -q "name" "$tmp/u.err" && ok || bad "--dut $d: exit $st, $(cat "$tmp/u.err")"
done

ARGS="--battery lab-accuracy,field-entrance --scale quick --seeds 2"
DUTS="--dut ref-a=inproc:reference --dut ref-b=inproc:reference --dut nobody=inproc:cheat-measure-nobody"
# shellcheck disable=SC2086
"$FB" evaluate $ARGS $DUTS --jobs 2 --out "$tmp/a" >"$tmp/a.out" 2>"$tmp/a.err"
st=$?
[ $st -eq 1 ] && ok || bad "evaluate --seeds 2: exit $st (expected 1: cheat-measure-nobody fails); $(tail -3 "$tmp/a.err")"
# progress: one line per run, the battery's verdict (the scenario's own criteria are not shown)
n=$(grep -cE '^\[[0-9]+/12(, ETA [0-9]+m[0-9]{2}s)?\] (ref-a|ref-b|nobody) x (lab-accuracy|field-entrance) seed [0-9]+: (pass|FAIL)' "$tmp/a.err")
[ "$n" -eq 12 ] && ok || bad "progress lines: $n of 12 match; $(cat "$tmp/a.err")"
grep -q '^\[[0-9]*/12.*\] nobody x field-entrance seed [0-9]*: FAIL (.*detection' "$tmp/a.err" && ok ||
    bad "progress: measure-nobody's field-entrance does not fail on detection; $(cat "$tmp/a.err")"
grep -q 'ETA' "$tmp/a.err" && ok || bad "progress: no ETA"
grep -q 'criteria pass\|criteria fail' "$tmp/a.err" && bad "progress shows the scenario's criteria" || ok
[ -d "$tmp/a/runs/ref-a/field-entrance" ] && [ -d "$tmp/a/runs/nobody/lab-accuracy" ] && ok ||
    bad "runs/ not named after the candidates: $(ls "$tmp/a/runs")"
grep -q '<testsuite name="ref-b"' "$tmp/a/junit.xml" && ok || bad "junit.xml does not name ref-b"
# the same again with one job, elsewhere: the same bytes
# shellcheck disable=SC2086
"$FB" evaluate $ARGS $DUTS --jobs 1 --quiet --out "$tmp/b" 2>/dev/null
cmp -s "$tmp/a/people.csv" "$tmp/b/people.csv" && ok || bad "people.csv differs between two runs"
cmp -s "$tmp/a/report.json" "$tmp/b/report.json" && ok || bad "report.json differs between two runs"
cmp -s "$tmp/a/report.html" "$tmp/b/report.html" && ok || bad "report.html differs between two runs"

python3 - "$tmp/a" <<'PY' >"$tmp/py.out" 2>&1 && ok || bad "report.json checks: $(cat "$tmp/py.out")"
import json, math, os, sys
d = sys.argv[1]
rep = json.load(open(os.path.join(d, "report.json")))
z = 1.959963984540054
def wilson(k, n):  # independent of sim/score/interval.c
    p = k / n
    den = 1 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z / den * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, c - h) if k else 0.0, min(1.0, c + h) if k < n else 1.0
def newcombe(a, m, n):  # Newcombe 2006 method 5, bisected here independently of sim/score/interval.c
    ns = (m + n) / 2
    def f(t):
        v = t * (1 - t) / (m * n) * (1 + (ns - 1) * ((1 - t) / (2 - t) + t / (1 + t)))
        return z * z * v - (a - t) ** 2
    def root(i, o):
        for _ in range(200):
            mid = (i + o) / 2
            i, o = (mid, o) if f(mid) >= 0 else (i, mid)
        return i
    return (0.0 if f(0) >= 0 else root(a, 0.0)), (1.0 if f(1) >= 0 else root(a, 1.0))
def quantile_ci(xs, q):  # order statistics from exact binomial sums
    from fractions import Fraction
    xs = sorted(xs); n = len(xs); qf = Fraction(q).limit_denominator(100)
    l = u = 0; c = Fraction(0)
    for r in range(1, n + 1):
        c += math.comb(n, r - 1) * qf ** (r - 1) * (1 - qf) ** (n - r + 1)
        if c <= Fraction(1, 40): l = r
        if c >= Fraction(39, 40): u = r; break
    return (xs[l - 1] if l else 0.0), (xs[u - 1] if u else None)
errs = []
def check(cond, what):
    if not cond:
        errs.append(what)
assert rep["seeds_per_test"] == 2
cands = rep["candidates"]
check([c["name"] for c in cands][2] == "nobody" and cands[2]["label"] == "nobody", "names")
import csv
rows = list(csv.DictReader(open(os.path.join(d, "people.csv"), newline="")))
nsubj = 0
for c in cands:
    slug = c["name"]
    check(c["label"] == c["name"], "label %s" % c["label"])
    for r in c["results"]:
        nsubj += len(r["subjects"])
        mine = [x for x in rows if x["candidate"] == c["label"] and x["test"] == r["test"]]
        check(len(mine) == len(r["subjects"]), "people.csv rows for %s %s" % (c["label"], r["test"]))
        for x, s in zip(mine, r["subjects"]):
            check(x["id"] == s["id"] and x["status"] == s["status"], "people.csv row %s" % x)
            for k in ("skin_reported_c", "skin_true_c", "core_c"):
                check((x[k] == "" and s[k] is None) or abs(float(x[k]) - s[k]) < 1e-9, "people.csv %s %s" % (k, x))
        runs = []
        for seed in r["seeds"]:
            runs.append(json.load(open(os.path.join(d, "runs", slug, r["test"], "seed-%d" % seed, "results.json"))))
        check(len(runs) == 2 and r["seeds"][1] == r["seeds"][0] + 1, "seeds %s" % r["seeds"])
        scr = sum(x["detection"]["screenable"] for x in runs)
        mea = sum(x["detection"]["measured"] for x in runs)
        check(r["people"]["screenable"] == scr, "%s %s screenable %d != %d" % (c["label"], r["test"], r["people"]["screenable"], scr))
        check(r["people"]["measured"] == mea, "%s %s measured" % (c["label"], r["test"]))
        check(r["people"]["missed"] == sum(x["detection"]["missed"] for x in runs), "missed")
        det = r["confidence"]["detection"]
        check(det["k"] == mea and det["n"] == scr, "detection k/n %s" % det)
        lo, hi = wilson(mea, scr)
        check(abs(det["ci95"][0] - lo) < 1e-4 and abs(det["ci95"][1] - hi) < 1e-4, "detection ci %s vs %s" % (det["ci95"], (lo, hi)))
        # pooled skin MAE: the mean over both seeds' readings
        n = sum(x["accuracy"]["skin"]["n"] for x in runs)
        if n:
            mae = sum(x["accuracy"]["skin"]["mae_c"] * x["accuracy"]["skin"]["n"] for x in runs) / n
            check(abs(r["metrics"]["skin_mae_c"] - mae) < 1e-4, "pooled MAE %s vs %s" % (r["metrics"]["skin_mae_c"], mae))
        if "sensitivity" in r["confidence"] and r["confidence"]["sensitivity"]["verdict"] != "n/a":
            s = r["confidence"]["sensitivity"]
            tp = sum(x["classification"]["tp"] for x in runs)
            fn = sum(x["classification"]["fn"] for x in runs)
            check(s["k"] == tp and s["n"] == tp + fn, "sensitivity k/n %s vs %d/%d" % (s, tp, tp + fn))
            lo, hi = wilson(tp, tp + fn)
            check(abs(s["ci95"][0] - lo) < 1e-4 and abs(s["ci95"][1] - hi) < 1e-4, "sensitivity ci")
            # the limit 0.8 inside the interval is inconclusive, outside conclusive
            check((s["verdict"] == "inconclusive") == (lo < 0.8 < hi), "sensitivity verdict %s" % s)
        # the latency check: the p95's order-statistic interval over both seeds' latencies
        if "latency" in r["confidence"] and r["confidence"]["latency"]["verdict"] != "n/a":
            lat = [s["latency_s"] for x in runs for s in x["subjects"] if s["latency_s"] is not None]
            lc = r["confidence"]["latency"]
            lo, hi = quantile_ci(lat, 0.95)
            check(lc["n"] == len(lat) and abs(lc["ci95"][0] - lo) < 1e-4 and
                  (lc["ci95"][1] is None if hi is None else abs(lc["ci95"][1] - hi) < 1e-4),
                  "latency ci %s vs %s over %d" % (lc, (lo, hi), len(lat)))
        # the AUC check: Newcombe over the pooled febrile and afebrile measured people
        if "ranking-auc" in r["confidence"] and r["confidence"]["ranking-auc"]["verdict"] != "n/a":
            ac = r["confidence"]["ranking-auc"]
            m = sum(x["classification"]["auc_n_febrile"] for x in runs)
            nn = sum(x["classification"]["auc_n_afebrile"] for x in runs)
            lo, hi = newcombe(r["metrics"]["auc"], m, nn)
            check(ac["n"] == m + nn and abs(ac["ci95"][0] - lo) < 1e-4 and abs(ac["ci95"][1] - hi) < 1e-4,
                  "auc ci %s vs %s (%d+%d)" % (ac, (lo, hi), m, nn))
            check((ac["verdict"] == "inconclusive") == (lo < 0.75 < hi), "auc verdict %s" % ac)
# ranking: the reference twice cannot be told apart; measuring nobody is told apart
check(len(rows) == nsubj, "people.csv has %d rows, report.json %d people" % (len(rows), nsubj))
check(cands[0]["dut"] == "inproc:reference" and cands[1]["dut"] == "inproc:reference", "ranking %s" % [c["dut"] for c in cands])
check(cands[1]["indistinguishable_from_above"] is True, "reference twice: %s" % cands[1].get("distinguished_by"))
check(cands[2]["indistinguishable_from_above"] is False and "conclusively" in cands[2]["distinguished_by"], "measure-nobody: %s" % cands[2])
p = cands[0]["pooled"]
lo, hi = wilson(p["specificity_k"], p["specificity_n"])
check(abs(p["specificity_ci95"][0] - lo) < 1e-4 and abs(p["specificity_ci95"][1] - hi) < 1e-4, "pooled specificity ci")
check(p["skin_mae_ci95_c"][0] <= p["skin_mae_c"] <= p["skin_mae_ci95_c"][1], "pooled MAE inside its interval")
if p["auc"] is not None:
    lo, hi = newcombe(p["auc"], p["auc_n_febrile"], p["auc_n_afebrile"])
    check(abs(p["auc_ci95"][0] - lo) < 1e-4 and abs(p["auc_ci95"][1] - hi) < 1e-4, "pooled auc ci %s vs %s" % (p["auc_ci95"], (lo, hi)))
check(p["latency_p95_ci95_s"] is not None and p["latency_p95_ci95_s"][0] <= p["latency_p95_s"], "pooled p95 interval %s" % p["latency_p95_ci95_s"])
if errs:
    print("\n".join(errs))
    sys.exit(1)
PY
grep -q "Not distinguishable:</b> #2 ref-b and #1 ref-a" "$tmp/a/report.html" && ok || bad "report.html: no indistinguishable note"
grep -q "inconclusive: " "$tmp/a/report.html" && ok || bad "report.html: no inconclusive check"
grep -q "These results come from simulation" "$tmp/a/report.html" && ok || bad "report.html: no simulation line"
grep -q '<h2 id="cameras">Cameras</h2>' "$tmp/a/report.html" && grep -q '"netd_mk"' "$tmp/a/report.json" && ok ||
    bad "no camera table"

fb_test_end evaluate_confidence
