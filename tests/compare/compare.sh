#!/bin/sh
# compare.sh — `feverbench compare`: hand-worked tolerances on small results.json and report.json
# files (a change of exactly the tolerance is "same", beyond it better or worse by the metric's
# direction), verdict flags, --tol / --tolerances / --exact, JUnit, bad input (exit 2); then real
# runs: the same seed twice is "same", the reference against a firmware reading the forehead is
# "worse" on skin accuracy, and two evaluations.
# usage: compare.sh FEVERBENCH
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$1
# results.json with the values the cases below change: res NAME MAE DET SENS PASS CRIT_K1 [AUC]
res() {
    mkdir -p "$tmp/$1"
    cat >"$tmp/$1/results.json" <<J
{"feverbench": "t", "scenario": {"name": "s", "hash": "0123456789abcdef"}, "seed": 7,
 "detection": {"detection_rate": $3, "latency_p95_s": 0.5},
 "accuracy": {"skin": {"mae_c": $2, "bias_c": -0.05}, "body": {"mae_c": 0.2}},
 "classification": {"sensitivity": $4, "specificity": 1, "auc": ${7:-null}, "false_alarms": 0},
 "events": {"unmatched_measurements": 0}, "faults": {"count": 0}, "complete": true,
 "criteria": [{"key": "k1", "pass": $6}], "pass": $5}
J
}
res base 0.10 0.90 0.5 true true
# 1. skin MAE +0.02 (the default tolerance, lower is better): same; +0.0201: worse
res eq 0.12 0.90 0.5 true true
expect 0 'compare: same \(0 worse, 0 better' "$fb" compare "$tmp/base" "$tmp/eq"
res w 0.1201 0.90 0.5 true true
expect 1 'worse +skin_mae_c +0\.1 -> 0\.1201 \(\+0\.0201; tolerance 0\.02, lower is better\)' \
    "$fb" compare "$tmp/base/results.json" "$tmp/w/results.json"
expect 1 'compare: worse \(1 worse, 0 better' "$fb" compare "$tmp/base" "$tmp/w"
# 1b. the noise rule: with both intervals, worse only when the MOVER interval of the difference,
# L = d - sqrt((n - ln)^2 + (ub - b)^2), U = d + sqrt((un - n)^2 + (b - lb)^2), excludes 0.
# resci NAME MAE LO HI [P95 P95LO P95HI]
resci() {
    mkdir -p "$tmp/$1"
    cat >"$tmp/$1/results.json" <<J
{"feverbench": "t", "scenario": {"name": "s", "hash": "0123456789abcdef"}, "seed": 7,
 "detection": {"detection_rate": 0.9, "latency_p95_s": ${5:-0.5}, "latency_p95_ci95_s": [${6:-0.3}, ${7:-null}]},
 "accuracy": {"skin": {"mae_c": $2, "bias_c": -0.05, "mae_ci95_c": [$3, $4]}, "body": {"mae_c": 0.2}},
 "classification": {"sensitivity": 0.5, "specificity": 1, "auc": null, "false_alarms": 0},
 "events": {"unmatched_measurements": 0}, "faults": {"count": 0}, "complete": true,
 "criteria": [{"key": "k1", "pass": true}], "pass": true}
J
}
resci cb 0.10 0.08 0.12
# 0.10 [0.08, 0.12] -> 0.15 [0.12, 0.18]: d 0.05, L = 0.05 - sqrt(0.03² + 0.02²) = +0.01394: worse
resci cw 0.15 0.12 0.18
expect 1 'worse +skin_mae_c +0\.1 -> 0\.15 \(\+0\.05; tolerance 0\.02, lower is better; difference 95 % CI \+0\.01394\.\.\+0\.08606\)' \
    "$fb" compare "$tmp/cb" "$tmp/cw"
# 0.10 -> 0.13 [0.10, 0.16]: d 0.03 beyond the tolerance, but L = 0.03 - 0.03606 = -0.006056 < 0 < U
resci cn 0.13 0.10 0.16
expect 0 'noise +skin_mae_c +0\.1 -> 0\.13 \(\+0\.03; tolerance 0\.02, lower is better; difference 95 % CI -0\.006056\.\.\+0\.06606, holds 0: within noise\)' \
    "$fb" compare "$tmp/cb" "$tmp/cn"
expect 0 'compare: same \(0 worse, 0 better, [0-9]+ same, 0 notes, 1 within noise\)' "$fb" compare "$tmp/cb" "$tmp/cn"
# the same the other way round is not "better" either; --no-intervals and --exact judge on the tolerance alone
expect 0 'noise +skin_mae_c +0\.13 -> 0\.1 ' "$fb" compare "$tmp/cn" "$tmp/cb"
expect 1 'worse +skin_mae_c +0\.1 -> 0\.13 \(\+0\.03; tolerance 0\.02, lower is better\)' "$fb" compare "$tmp/cb" "$tmp/cn" --no-intervals
expect 1 'compare: worse \(1 worse' "$fb" compare "$tmp/cb" "$tmp/cn" --exact
# a p95 unbounded above (fewer than 72 latencies) cannot be told from noise: 0.5 -> 0.7 s
resci cp 0.10 0.08 0.12 0.7 0.4
expect 0 'noise +latency_p95_s +0\.5 -> 0\.7 .*-inf\.\.unbounded, holds 0: within noise' "$fb" compare "$tmp/cb" "$tmp/cp"
resci cq 0.10 0.08 0.12 0.7 0.6 0.8
resci cr 0.10 0.08 0.12 0.5 0.3 0.52
# bounded: 0.5 [0.3, 0.52] -> 0.7 [0.6, 0.8]: L = 0.2 - sqrt(0.1² + 0.02²) = +0.098: worse
expect 1 'worse +latency_p95_s +0\.5 -> 0\.7 .*difference 95 % CI \+0\.098' "$fb" compare "$tmp/cr" "$tmp/cq"
# only one side with an interval (an older results.json): the tolerance alone
expect 1 'worse +skin_mae_c +0\.1 -> 0\.1201 \(\+0\.0201; tolerance 0\.02, lower is better\)' "$fb" compare "$tmp/cb" "$tmp/w"
# JUnit: noise passes, with the reason as system-out
expect 0 '' "$fb" compare "$tmp/cb" "$tmp/cn" --junit "$tmp/n.xml" --quiet
expect 0 'ok 0 within noise' /usr/bin/python3 -c "
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
t = [c for c in r.iter('testcase') if c.get('name') == 'skin_mae_c'][0]
print('ok', r.get('failures'), t.find('system-out').text.split(': ')[-1].rstrip(')'))" "$tmp/n.xml"
# 2. detection 0.90 -> 0.92 (higher is better, tolerance 0.01): better, exit 0; the reverse worse
res b 0.10 0.92 0.5 true true
expect 0 'better +detection_rate +0\.9 -> 0\.92' "$fb" compare "$tmp/base" "$tmp/b"
expect 0 'compare: better \(0 worse, 1 better' "$fb" compare "$tmp/base" "$tmp/b"
expect 1 'worse +detection_rate +0\.92 -> 0\.9 \(-0\.02' "$fb" compare "$tmp/b" "$tmp/base"
# 3. a sensitivity that is no longer defined is worse; an AUC that is now defined is a note
res nul 0.10 0.90 null true true 0.9
res nul2 0.10 0.90 0.5 true true 0.9
expect 1 'worse +sensitivity +0\.5 -> null \(no longer defined\)' "$fb" compare "$tmp/base" "$tmp/nul"
expect 0 'note +sensitivity +null -> 0\.5 \(now defined\)' "$fb" compare "$tmp/nul" "$tmp/nul2"
# 4. verdicts: pass -> fail is worse whatever the numbers, fail -> pass better
res f 0.10 0.90 0.5 false false
expect 1 'worse +criterion k1 +true -> false' "$fb" compare "$tmp/base" "$tmp/f"
expect 0 'compare: better \(0 worse, 2 better' "$fb" compare "$tmp/f" "$tmp/base"
# 5. tolerances: --tol, a file (then --tol over it), --exact
expect 0 'compare: same' "$fb" compare "$tmp/base" "$tmp/w" --tol skin_mae_c=0.03
printf '{"skin_mae_c": 0.00001, "detection_rate": 0.05}\n' >"$tmp/tol.json"
expect 1 'worse +skin_mae_c' "$fb" compare "$tmp/base" "$tmp/w" --tolerances "$tmp/tol.json"
expect 0 'compare: same' "$fb" compare "$tmp/base" "$tmp/b" --tolerances "$tmp/tol.json"
expect 0 'compare: same' "$fb" compare "$tmp/base" "$tmp/w" --tolerances "$tmp/tol.json" --tol skin_mae_c=0.03
expect 1 'worse +skin_mae_c +0\.1 -> 0\.12 \(\+0\.02; tolerance 0,' "$fb" compare "$tmp/base" "$tmp/eq" --exact
# 6. JUnit: one testcase per comparison, the worse one failed, properties
expect 1 '' "$fb" compare "$tmp/base" "$tmp/w" --junit "$tmp/c.xml" --quiet
expect 0 'ok 1 failures, skin_mae_c, seed 7' /usr/bin/python3 -c "
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
f = [c.get('name') for c in r.iter('testcase') if c.find('failure') is not None]
p = {q.get('name'): q.get('value') for q in r.iter('property')}
print('ok', r.get('failures'), 'failures,', ','.join(f) + ', seed', p['new_seed'])" "$tmp/c.xml"
# 7. bad input: exit 2, located
expect 2 'unknown metric "skin_mea_c" \(expected one of: detection_rate' "$fb" compare "$tmp/base" "$tmp/w" --tol skin_mea_c=1
expect 2 '"-1" is not a tolerance' "$fb" compare "$tmp/base" "$tmp/w" --tol skin_mae_c=-1
printf '{"skin_mae_c": "x"}' >"$tmp/badtol.json"
expect 2 'badtol.json: "skin_mae_c": expected a number >= 0' "$fb" compare "$tmp/base" "$tmp/w" --tolerances "$tmp/badtol.json"
printf '{\n "seed": 1,\n oops\n}\n' >"$tmp/broken.json"
expect 2 'NEW: .*broken.json:3: not valid JSON' "$fb" compare "$tmp/base" "$tmp/broken.json"
expect 2 'BASE: .*nosuch: No such file' "$fb" compare "$tmp/nosuch" "$tmp/w"
mkdir "$tmp/empty"
expect 2 'a folder without report.json or results.json' "$fb" compare "$tmp/empty" "$tmp/w"
printf '{"seed": 1}' >"$tmp/other.json"
expect 2 'neither a results.json \(run\) nor a report.json' "$fb" compare "$tmp/base" "$tmp/other.json"
expect 2 'one BASE and one NEW' "$fb" compare "$tmp/base" "$tmp/w" "$tmp/b"
expect 2 'unknown option --tolerance ' "$fb" compare "$tmp/base" "$tmp/w" --tolerance x

# 8. real runs: same seed, same numbers; a forehead reader is worse on skin accuracy
"$fb" run default --duration 30 --quiet --out "$tmp/r1" >/dev/null
"$fb" run default --duration 30 --quiet --out "$tmp/r2" >/dev/null
"$fb" run default --duration 30 --quiet --out "$tmp/r3" --dut inproc:flawed-forehead >/dev/null
expect 0 'compare: same \(0 worse, 0 better, [0-9]+ same, 0 notes\)' "$fb" compare "$tmp/r1" "$tmp/r2" --exact
expect 1 'worse +skin_mae_c' "$fb" compare "$tmp/r1" "$tmp/r3"
expect 1 'note +dut +feverbench-reference 0.1 -> feverbench-flawed-forehead' "$fb" compare "$tmp/r1" "$tmp/r3"
# 9. evaluations: like with like; a candidate missing from NEW and a failed test are worse
"$fb" evaluate --dut inproc:reference --dut inproc:flawed-forehead --battery lab-accuracy --scale quick \
    --jobs 2 --quiet --out "$tmp/e1" >/dev/null
"$fb" evaluate --dut inproc:flawed-forehead --battery lab-accuracy --scale quick --jobs 2 --quiet \
    --out "$tmp/e2" >/dev/null
expect 0 'compare: same \(0 worse, 0 better' "$fb" compare "$tmp/e1" "$tmp/e1/report.json" --exact
expect 1 'worse +inproc:reference / candidate +in BASE, missing in NEW' "$fb" compare "$tmp/e1" "$tmp/e2"
expect 2 'BASE is a report.json \(evaluation\), NEW a results.json \(run\)' "$fb" compare "$tmp/e1" "$tmp/r1"
/usr/bin/python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d['candidates']
a['label'], b['label'] = b['label'], a['label']
json.dump(d, open(sys.argv[2], 'w'))" "$tmp/e1/report.json" "$tmp/swapped.json"
expect 1 'worse +inproc:reference / lab-accuracy: verdict +pass -> fail' "$fb" compare "$tmp/e1" "$tmp/swapped.json"
echo "compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
