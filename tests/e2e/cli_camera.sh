#!/bin/sh
# cli_camera.sh — `feverbench run --camera` and `validate --camera`: the override is honoured (the
# scorecard and results.json name the profile and its frame size), an unknown camera exits 2 naming
# the shipped profiles (docs: `feverbench run --help`).
# usage: cli_camera.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

expect 0 '--camera C +run on camera profile C' "$FB" run --help
expect 0 'usage: feverbench validate \[--camera' "$FB" validate --help

# A shipped name: the scorecard, results.json and the frame count follow the profile (8.7 fps).
# 4 s is too short for the criteria (exit 1); the identity is what is checked.
expect 1 'camera +lepton-160  \(160x120\)' "$FB" run single-slow --camera lepton-160 --duration 4 --out "$tmp/l"
grep -q '"camera":[[:space:]]*"lepton-160"' "$tmp/l/results.json" &&
    grep -q '"frame_width_px":[[:space:]]*160,' "$tmp/l/results.json" &&
    grep -q '"frame_height_px":[[:space:]]*120,' "$tmp/l/results.json" &&
    grep -q '"fps":[[:space:]]*8.7,' "$tmp/l/results.json" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: results.json of run --camera lepton-160:" >&2; head -20 "$tmp/l/results.json" >&2; }
lines=$(wc -l <"$tmp/l/truth.jsonl") # ceil(4 s x 8.7 fps) = 35 frames
[ "$lines" -eq 35 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: truth.jsonl has $lines lines, expected 35" >&2; }
grep -q '<property name="camera" value="lepton-160"' "$tmp/l/junit.xml" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: junit.xml does not name lepton-160" >&2; }

# A profile file (--camera=PATH form); the scenario hash records the change, the seed does not move.
expect 1 'camera +core-640  \(640x512\)' "$FB" run single-slow --camera=scenarios/cameras/core-640.json --duration 0.5 --out "$tmp/c"
"$FB" run single-slow --duration 0.5 --quiet --out "$tmp/own" >/dev/null 2>&1
h_own=$(grep -o '"hash":[[:space:]]*"[0-9a-f]*"' "$tmp/own/results.json" | head -1)
h_cam=$(grep -o '"hash":[[:space:]]*"[0-9a-f]*"' "$tmp/c/results.json" | head -1)
s_own=$(grep -o '"seed":[[:space:]]*[0-9]*' "$tmp/own/results.json")
s_cam=$(grep -o '"seed":[[:space:]]*[0-9]*' "$tmp/c/results.json")
[ -n "$h_own" ] && [ "$h_own" != "$h_cam" ] && [ "$s_own" = "$s_cam" ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: scenario hash '$h_own' vs '$h_cam', seed '$s_own' vs '$s_cam'" >&2; }

# Unknown camera: exit 2 (bad input), the shipped profiles named, nothing run.
expect 2 'camera "lepton-999": no such file, and no shipped camera profile .*expected one of: core-640, lepton-160, turret-256, turret-384' \
    "$FB" run single-slow --camera lepton-999 --out "$tmp/u"
[ ! -e "$tmp/u/results.json" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: results.json written for an unknown camera" >&2; }
expect 2 '--camera needs a value' "$FB" run single-slow --camera

# validate --camera checks the scenarios as run --camera would run them.
expect 0 'ok  scenarios/default.json  scenario default, 120 s, camera turret-384 \(384x288\)' \
    "$FB" validate --camera turret-384 scenarios/default.json
expect 2 'camera "nope": no such file' "$FB" validate --camera nope scenarios/default.json
expect 2 'unknown option --bogus' "$FB" validate --bogus scenarios/default.json

echo "cli_camera: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
