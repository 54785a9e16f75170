#!/bin/sh
# cheats.sh — `feverbench evaluate` (quick scale) over the reference and the cheating firmwares
# (firmware-under-test/cheating/): each fails the battery tests that should catch it
# (docs/evaluation.md, docs/scoring.md) and the reference passes every test.
# usage: cheats.sh PATH/TO/feverbench   (FB_EVAL_PRINT=1: print the actual table and stop)
FB=$1
. "$(dirname "$0")/../expect.sh"

DUTS="--dut inproc:reference --dut inproc:cheat-blanket --dut inproc:cheat-first-constant
      --dut inproc:cheat-never-alarm --dut inproc:cheat-lost-once --dut inproc:cheat-measure-nobody"
# shellcheck disable=SC2086
"$FB" evaluate --scale quick --jobs 2 $DUTS --out "$tmp/a" >"$tmp/a.out" 2>"$tmp/a.err"
st=$?
[ "$st" -eq 1 ] && ok || bad "evaluate exit $st (expected 1: the cheats fail); $(tail -3 "$tmp/a.err")"

# (a testcase holding a <failure>)
sed -n 's/.*<testcase classname="\([^"]*\)" name="\([^"]*\)".*/\1 \2/p; s/.*<failure .*/FAILED/p' "$tmp/a/junit.xml" |
    awk '$1 == "FAILED" {print last; next} {last = $0}' |
    awk '{f[$1]=f[$1] " " $2} END{for(d in f) print d ":" f[d]}' | sort >"$tmp/table"
if [ -n "$FB_EVAL_PRINT" ]; then cat "$tmp/a.out" "$tmp/table"; exit 0; fi
# cheat-blanket: false-detections everywhere. cheat-measure-nobody: detection or accuracy
# everywhere. cheat-first-constant: ranking-auc and accuracy (lab-distance's 35.5 °C phantom is
# read right by its constant 35.5). cheat-never-alarm: every test with a sensitivity check
# (lab-febrile and the field tests). cheat-lost-once: reference-trusted-again in
# field-bb-occluded (at quick scale the heater of field-bb-off is still off when the run ends:
# no recovery to judge; at full scale it fails there too). The reference passes every test at
# quick scale on 3D people, and cheat-lost-once (the reference's readings) every one but
# field-bb-occluded: field-masks passes since masks are left out of the eye window,
# field-cold-entry since the size-of-source compensation counts the canthus's local contrast,
# field-crowd since a nearer head is split from the farther face whose side it joins (its
# febrile person read 1.55 °C low before), field-warm-up since a soft hairline is traced as a
# rounded head (its person measured 1.04 s after screenable, now 0.88 s; ranking.sh,
# docs/evaluation.md).
cat >"$tmp/expected" <<'TABLE'
inproc:cheat-blanket: lab-accuracy lab-range lab-uniformity lab-mrtd lab-distance lab-stability lab-febrile field-entrance field-drift field-warm-up field-crowd field-masks field-hot-drinks field-distractors field-glasses field-cold-entry field-checkpoint field-bb-off field-bb-occluded
inproc:cheat-first-constant: lab-accuracy lab-range lab-uniformity lab-mrtd lab-stability lab-febrile field-entrance field-drift field-warm-up field-crowd field-masks field-hot-drinks field-distractors field-glasses field-cold-entry field-checkpoint field-bb-off field-bb-occluded
inproc:cheat-lost-once: field-bb-occluded
inproc:cheat-measure-nobody: lab-accuracy lab-range lab-uniformity lab-mrtd lab-distance lab-stability lab-febrile field-entrance field-drift field-warm-up field-crowd field-masks field-hot-drinks field-distractors field-glasses field-cold-entry field-checkpoint field-bb-off field-bb-occluded
inproc:cheat-never-alarm: lab-febrile field-entrance field-drift field-warm-up field-crowd field-masks field-hot-drinks field-distractors field-glasses field-cold-entry field-checkpoint field-bb-off field-bb-occluded
TABLE
if diff "$tmp/expected" "$tmp/table" >"$tmp/diff"; then ok; else bad "failing tests per candidate differ (expected < > actual):"; cat "$tmp/diff" >&2; fi
grep -qE '^ +1  inproc:reference +19/19 ' "$tmp/a.out" && ok || bad "the reference does not pass 19 of 19: $(cat "$tmp/a.out")"

# the checks that caught them, from report.json (candidate label, test, check -> verdict)
verdict() {
    python3 - "$tmp/a/report.json" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["candidates"]:
    if c["label"] == sys.argv[2]:
        for r in c["results"]:
            if r["test"] == sys.argv[3]:
                print(r["checks"].get(sys.argv[4], "absent"))
PY
}
want() { # CANDIDATE TEST CHECK VERDICT
    v=$(verdict "$1" "$2" "$3")
    [ "$v" = "$4" ] && ok || bad "$1 $2 $3: $v, expected $4"
}
want inproc:cheat-blanket field-entrance false-detections fail
want inproc:cheat-blanket lab-distance false-detections fail
want inproc:cheat-first-constant field-entrance ranking-auc fail
want inproc:cheat-never-alarm field-entrance sensitivity fail
want inproc:cheat-never-alarm field-checkpoint fever-alarms fail
want inproc:cheat-lost-once field-bb-occluded reference-trusted-again fail
want inproc:cheat-lost-once field-bb-off reference-trusted-again n/a
want inproc:cheat-measure-nobody field-glasses detection fail
want inproc:reference field-bb-occluded reference-trusted-again pass
want inproc:reference field-entrance false-detections pass

fb_test_end "evaluate cheats"
