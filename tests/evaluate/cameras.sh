#!/bin/sh
# cameras.sh — `feverbench evaluate --camera`: candidates are (DUT, camera) pairs, the report names
# each candidate's camera, the resume key includes it; an unknown camera is bad usage (exit 2).
# Two tests at quick scale, so it stays short (evaluate_ranking runs the whole battery).
# usage: cameras.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"
has() { grep -q -- "$2" "$1" && ok || bad "$1 has no $2"; }

TESTS="--battery lab-range,field-glasses --scale quick --jobs 2"
# shellcheck disable=SC2086
"$FB" evaluate $TESTS --camera lepton-160 --camera turret-384 --out "$tmp/a" >"$tmp/a.out" 2>"$tmp/a.err"
st=$?
[ $st -le 1 ] && ok || bad "evaluate --camera x2: exit $st; $(tail -3 "$tmp/a.err")"
# only --camera: the default DUT on each camera, labelled DUT@CAMERA
for cam in lepton-160:160:120 turret-384:384:288; do
    name=${cam%%:*} wh=${cam#*:}
    w=${wh%:*} h=${wh#*:}
    has "$tmp/a/report.json" "\"label\":	\"inproc:reference@$name\""
    has "$tmp/a/report.json" "\"frame_width_px\":	$w,"
    has "$tmp/a/report.json" "\"frame_height_px\":	$h,"
    has "$tmp/a/junit.xml" "<testsuite name=\"inproc:reference@$name\" tests=\"2\""
    has "$tmp/a/report.html" ">inproc:reference@$name</td><td><span class=\"nw\" data-json=\"candidates.[01].camera\">$name</span>"
    has "$tmp/a/runs/reference@$name/lab-range/results.json" "\"camera\":	\"$name\""
    has "$tmp/a/runs/reference@$name/field-glasses/evaluate.key" "^camera $name\$"
done
n=$(grep -c '"camera_source":	"--camera"' "$tmp/a/report.json")
[ "$n" -eq 2 ] && ok || bad "report.json: $n candidates with camera_source --camera (expected 2)"
n=$(grep -c '"camera":	"lepton-160"' "$tmp/a/report.json") # the candidate and its 2 results
[ "$n" -eq 3 ] && ok || bad "report.json names lepton-160 $n times (expected 3)"
grep -qE '^ +[12]  inproc:reference@lepton-160 ' "$tmp/a.out" && ok || bad "summary: $(cat "$tmp/a.out")"

# resume: the same command redoes nothing; adding a DUT makes the cross product and runs only the
# new candidates; a camera's runs are not taken for another camera's
# shellcheck disable=SC2086
"$FB" evaluate $TESTS --camera lepton-160 --camera turret-384 --out "$tmp/a" >"$tmp/b.out" 2>/dev/null
grep -q '4 runs, 4 resumed' "$tmp/b.out" && ok || bad "resume: $(tail -1 "$tmp/b.out")"
# shellcheck disable=SC2086
"$FB" evaluate $TESTS --dut inproc:reference --dut inproc:flawed-slow --camera lepton-160 --camera turret-384 \
    --out "$tmp/a" >"$tmp/c.out" 2>/dev/null
grep -q '8 runs, 4 resumed' "$tmp/c.out" && ok || bad "cross product resume: $(tail -1 "$tmp/c.out")"
has "$tmp/a/report.json" '"label":	"inproc:flawed-slow@turret-384"'
# shellcheck disable=SC2086
"$FB" evaluate $TESTS --camera turret-256 --out "$tmp/a" >"$tmp/d.out" 2>/dev/null
grep -q '2 runs, 0 resumed' "$tmp/d.out" && ok || bad "another camera resumed: $(tail -1 "$tmp/d.out")"

# without --camera: each scenario's own camera, shown in the report; labels stay the DUT spec
"$FB" evaluate --battery lab-range --scale quick --quiet --out "$tmp/e"
has "$tmp/e/report.json" '"label":	"inproc:reference",'
has "$tmp/e/report.json" '"camera":	"turret-256",'
has "$tmp/e/report.json" '"camera_source":	"scenario"'

# usage
"$FB" evaluate --help | grep -q -- '--camera NAME' && ok || bad "--help does not describe --camera"
"$FB" evaluate --camera lepton-999 --out "$tmp/u" >"$tmp/u.out" 2>&1
st=$?
[ $st -eq 2 ] && grep -q 'expected one of: core-640, lepton-160, turret-256, turret-384' "$tmp/u.out" && ok ||
    bad "unknown camera: exit $st, $(cat "$tmp/u.out")"
[ ! -d "$tmp/u/runs" ] && ok || bad "an unknown camera started runs"

fb_test_end evaluate_cameras
