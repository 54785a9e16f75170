#!/bin/sh
# fever.sh — one fever definition throughout an evaluation: the run's results.json, the report's
# result and pooled columns and report.html state the same truth threshold and device setting, and
# the pooled sensitivity/specificity equal the test's own over the same people, both recounted here
# from the people's true core temperatures (febrile: core ≥ the stated fever threshold).
# usage: fever.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

"$FB" evaluate --dut inproc:reference --battery field-entrance --scale quick --jobs 1 --quiet \
    --out "$tmp/e" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -le 1 ] && ok || bad "evaluate exit $st: $(tail -3 "$tmp/err")"
res=$(find "$tmp/e" -name results.json | head -1)
[ -s "$res" ] && ok || bad "no results.json under $tmp/e"

if python3 - "$res" "$tmp/e/report.json" "scenarios/default.json" >"$tmp/py" 2>&1 <<'PY'; then ok; else bad "$(cat "$tmp/py")"; fi
import json, sys
res = json.load(open(sys.argv[1], encoding="utf-8"))
rep = json.load(open(sys.argv[2], encoding="utf-8"))
scn = json.load(open(sys.argv[3], encoding="utf-8"))
bad = []
def same(what, a, b):
    if a != b:
        bad.append(f"{what}: {a!r} != {b!r}")
fever = scn["screening"]["fever_threshold_c"]
alarm = scn["dut"]["alarm_threshold_c"]
same("scenario's two thresholds differ (the case this test is about)", fever != alarm, True)
cls = res["classification"]
same("results.json fever_threshold_c", cls["fever_threshold_c"], fever)
same("results.json alarm_threshold_c", cls["alarm_threshold_c"], alarm)
cand = rep["candidates"][0]
r0 = cand["results"][0]
same("report.json result fever_threshold_c", r0["fever_threshold_c"], fever)
same("report.json result alarm_threshold_c", r0["alarm_threshold_c"], alarm)
same("report.json pooled fever_threshold_c", cand["pooled"]["fever_threshold_c"], fever)
same("report.json pooled alarm_threshold_c", cand["pooled"]["alarm_threshold_c"], alarm)
# recount: scored, measured people; febrile from the core temperature, not the file's flag
tp = fn = tn = fp = between = 0
for s in res["subjects"]:
    feb = s["core_c"] >= fever
    same(f"subject {s['id']} febrile flag", s["febrile"], feb)
    if s["status"] != "measured" or s["screenable_frames"] < res["detection"]["min_screenable_frames"]:
        continue
    if feb:
        tp, fn = (tp + 1, fn) if s["alarm"] else (tp, fn + 1)
        between += s["core_c"] < alarm
    else:
        fp, tn = (fp + 1, tn) if s["alarm"] else (fp, tn + 1)
same("results.json tp/fn/tn/fp", (cls["tp"], cls["fn"], cls["tn"], cls["fp"]), (tp, fn, tn, fp))
if tp + fn == 0:
    bad.append("no febrile person measured: the test shows nothing")
else:
    sens = round(tp / (tp + fn), 4)
    same("per-test sensitivity", round(cls["sensitivity"], 4), sens)
    same("pooled sensitivity (one test: the same people)", cand["pooled"]["sensitivity"], sens)
    same("pooled sensitivity k/n", (cand["pooled"]["sensitivity_k"], cand["pooled"]["sensitivity_n"]), (tp, tp + fn))
if tp + fp + tn:
    same("pooled specificity", cand["pooled"]["specificity"], round(tn / (tn + fp), 4))
print(f"febrile {tp + fn} (core between the fever line and the alarm setting: {between}), afebrile {tn + fp}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
cat "$tmp/py"

# report.html says both, apart, once above the summary table, and the ROC caption refers to it
grep -q 'id="fever"><b>Fever, in this report:</b> a person is febrile when the true core temperature is at least <span data-json="candidates.0.pooled.fever_threshold_c">37.50</span> °C' "$tmp/e/report.html" && ok ||
    bad "report.html: no fever definition at 37.50 °C"
grep -q 'alarm at a body estimate of <span data-json="candidates.0.pooled.alarm_threshold_c">38.00</span> °C: that is the device' "$tmp/e/report.html" && ok ||
    bad "report.html: no device setting at 38.00 °C"
grep -q 'febrile as defined <a href="#fever">above</a>' "$tmp/e/report.html" && ok || bad "ROC caption"
grep -q '38.0 °C in most' "$tmp/e/report.html" && bad "report.html still has the old caption" || ok

fb_test_end evaluate_fever
