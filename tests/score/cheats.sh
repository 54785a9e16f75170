#!/bin/sh
# cheats.sh — the cheating firmware fixtures (firmware-under-test/cheating/) against every shipped
# scenario: each fails every scenario it should (docs/scoring.md, "What every shipped scenario
# checks"), the reference's verdicts stay what docs/scenarios.md says, and a fault found while
# scoring exits 3.
# usage: cheats.sh PATH/TO/feverbench SCENARIO_DIR
FB=$1
DIR=$2
. "$(dirname "$0")/../expect.sh"

# expect DUT STATUS SCENARIO...: `run` must exit STATUS on each (queued; run two at a time below).
# lab-stability runs its first minute (--duration 60): the hour adds nothing a cheat could hide in.
expect() {
    dut=$1 want=$2
    shift 2
    for s in "$@"; do echo "$dut $want $s"; done >>"$tmp/jobs"
}
one() { # DUT STATUS SCENARIO -> a line "ok" or "FAIL: ..." in $tmp/res.DUT-SCENARIO
    d=$1 w=$2 s=$3
    extra=""
    [ "$s" = lab-stability ] && extra="--duration 60"
    # shellcheck disable=SC2086
    "$FB" run "$DIR/$s.json" --dut "inproc:$d" $extra --out "$tmp/$d-$s" >"$tmp/out.$d-$s" 2>&1
    st=$?
    if [ "$st" -eq "$w" ]; then echo ok; else
        echo "FAIL: $d on $s: exit $st, expected $w; $(grep -E 'FAIL|RESULT' "$tmp/out.$d-$s" | head -4 | tr '\n' ' ')"
    fi >"$tmp/res.$d-$s"
}

all=$(cd "$DIR" && ls *.json | sed 's/\.json$//')
without() { # the scenarios except those named
    for s in $all; do
        keep=1
        for x in "$@"; do [ "$s" = "$x" ] && keep=0; done
        [ $keep -eq 1 ] && echo "$s"
    done
}
# (lab-stability has no febrile phantom either; never-alarm's detections are the reference's, which
# measure all of its first minute's phantoms since the reference finds parted fringes)
febrile_free="confounder-exercise lab-distance lab-stability lab-uniformity single-slow"
bb="blackbody-drift blackbody-moved blackbody-occluded blackbody-off blackbody-warmup"

# shellcheck disable=SC2046,SC2086
{
    # the reference's documented failures (docs/scenarios.md, docs/firmware.md)
    ref_fails="confounder-face-wipe lab-range"
    expect reference 0 $(without $ref_fails)
    expect reference 1 $ref_fails
    expect cheat-blanket 1 $all
    expect cheat-measure-nobody 1 $all
    expect cheat-first-constant 1 $(without single-slow lab-distance)
    expect cheat-never-alarm 1 $(without $febrile_free lab-mrtd)
    expect cheat-never-alarm 0 $febrile_free lab-mrtd
    expect cheat-lost-once 1 $bb
    # blackbody-drift-slow: its one LOST comes as the creeping plate's fault begins and the fault
    # lasts to the end, so never saying OK is right there; its readings are the reference's
    expect cheat-lost-once 0 blackbody-drift-slow
    expect cheat-bad-frame 3 default
}
while read -r d w s; do
    while [ "$(jobs -p | wc -l)" -ge 2 ]; do sleep 0.2; done
    one "$d" "$w" "$s" &
done <"$tmp/jobs"
wait
for f in "$tmp"/res.*; do
    if [ "$(cat "$f")" = ok ]; then ok; else bad "$(sed 's/^FAIL: //' "$f")"; fi
done
# what caught them: the right criterion
grep -q '"key":[[:space:]]*"unmatched_max",[^}]*"pass":[[:space:]]*false' "$tmp/cheat-blanket-default/results.json" 2>/dev/null ||
    tr -d '\n' <"$tmp/cheat-blanket-default/results.json" | grep -q '"key":[[:space:]]*"unmatched_max",[^}]*"pass":[[:space:]]*false' && ok ||
    bad "cheat-blanket on default: unmatched_max did not fail"
tr -d '\n' <"$tmp/cheat-lost-once-blackbody-occluded/results.json" |
    grep -q '"key":[[:space:]]*"bb_recovery_max_s",[^}]*"pass":[[:space:]]*false' && ok ||
    bad "cheat-lost-once on blackbody-occluded: bb_recovery_max_s did not fail"
tr -d '\n' <"$tmp/cheat-first-constant-default/results.json" |
    grep -q '"key":[[:space:]]*"auc_min",[^}]*"actual":[[:space:]]*0.5,' && ok ||
    bad "cheat-first-constant on default: AUC is not 0.5"
grep -q 'event for frame [0-9]* outside the window' "$tmp/cheat-bad-frame-default/results.json" && ok ||
    bad "cheat-bad-frame: the fault's message is not in results.json"

fb_test_end cheats
