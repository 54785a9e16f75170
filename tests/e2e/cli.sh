#!/bin/sh
# cli.sh — the feverbench command line as a user meets it: exit statuses, messages, files written.
# usage: cli.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

expect 0 '^feverbench [0-9]+\.[0-9]+\.[0-9]+' "$FB" --version
expect 0 'usage: feverbench' "$FB" --help
expect 2 'usage: feverbench' "$FB"
expect 2 'unknown command "frobnicate"' "$FB" frobnicate
expect 0 'usage: feverbench run' "$FB" run --help
expect 0 'usage: feverbench validate' "$FB" validate --help
expect 0 'default .*shift change' "$FB" list
expect 0 'turret-256' "$FB" list
expect 0 'inproc' "$FB" list
expect 2 'unknown option --bogus' "$FB" run --bogus
expect 2 '--people: "cartoon" is not template or 3d' "$FB" run --people cartoon
expect 2 '--people needs a value' "$FB" run --people
# 3D people on a short run: the same scorecard, the people drawn in 3D (docs/people.md)
expect 0 'wrote 1 frame ' "$FB" frames single-slow --people 3d --frames 0:1 --out "$tmp/frames3d"
expect 2 '--seed: "abc" is not an integer' "$FB" run --seed abc
expect 2 '--duration: "-5" is not a number' "$FB" run --duration -5
expect 2 '--out needs a value' "$FB" run --out
expect 2 'no-such\.json: no such file, and no shipped scenario' "$FB" run no-such.json
expect 2 'one scenario at a time' "$FB" run default drift
expect 2 'unknown transport "bogus" \(expected one of: inproc, exec, lib, serial, qemu-mcu\)' "$FB" run default --duration 1 --dut bogus:x
# paths that are no file: said so at once (a FIFO without a writer is never opened)
mkfifo "$tmp/fifo.json"
expect 2 'fifo.json: not a scenario file: it is a FIFO' timeout 10 "$FB" validate "$tmp/fifo.json"
expect 2 'fifo.json: not a scenario file: it is a FIFO' timeout 10 "$FB" run "$tmp/fifo.json"
expect 2 'scenarios: not a scenario file: it is a directory' "$FB" validate scenarios
expect 2 '/dev/zero: not a scenario file: it is a device' "$FB" validate /dev/zero
expect 2 'unknown firmware \(expected "reference"' "$FB" run default --duration 1 --dut inproc:nothing

# validate: every shipped scenario and camera profile is valid; a broken file names line:col.
for f in scenarios/*.json scenarios/cameras/*.json; do
    expect 0 "^ok  $f" "$FB" validate "$f"
done
printf '{\n  "name": "x",\n  "duration_s": 10,\n  "camera": "turret-256",\n  "durration_s": 3\n}\n' >"$tmp/typo.json"
expect 2 "typo.json:5:3: durration_s: unknown key" "$FB" validate "$tmp/typo.json"
expect 2 "typo.json:5:3" "$FB" run "$tmp/typo.json"

# Every shipped scenario runs from its file with --out (shortened: the full runs are in
# e2e_session) and leaves a results.json with its seed and scenario hash.
for f in scenarios/*.json; do
    n=$(basename "$f" .json)
    "$FB" run "$f" --duration 2 --quiet --out "$tmp/all/$n" >/dev/null 2>"$tmp/all-$n.err"
    got=$?
    if [ $got -le 1 ] && grep -q '"seed"' "$tmp/all/$n/results.json" && grep -q '"hash"' "$tmp/all/$n/results.json"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: run $f --out: exit $got" >&2
        sed 's/^/    /' "$tmp/all-$n.err" | head -5 >&2
    fi
done

# A blackbody failure shows in every output: the scorecard's "Blackbody status" lists the coat's
# episode (60-75 s here), results.json has it under "blackbody", truth.jsonl the state per frame.
"$FB" run blackbody-occluded --duration 75 --out "$tmp/bb" >"$tmp/bb.out" 2>&1
if grep -qE '^  occluded +60\.00 \.\. end +s  LOST in 373 of 375 frames  reported after 0\.08 s' "$tmp/bb.out" &&
    grep -q '"reason":[[:space:]]*"occluded"' "$tmp/bb/results.json" &&
    grep -q '"detection_rate":[[:space:]]*1' "$tmp/bb/results.json" &&
    grep -q '"blackbody_state":"occluded","blackbody_fault":true' "$tmp/bb/truth.jsonl" &&
    grep -q '"blackbody_state":"ok","blackbody_fault":false,"blackbody_visible":1' "$tmp/bb/truth.jsonl"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: blackbody status missing from the outputs of run blackbody-occluded:" >&2
    sed -n '/Blackbody status/,/^$/p' "$tmp/bb.out" | sed 's/^/    /' >&2
fi

# run: a short run of the single walker writes every output file; the scorecard has a verdict.
expect 0 'PASS' "$FB" run single-slow --out "$tmp/slow"
for f in results.json junit.xml events.jsonl truth.jsonl; do
    if [ -s "$tmp/slow/$f" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $f not written" >&2; fi
done
if grep -q '<testcase' "$tmp/slow/junit.xml"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: junit.xml has no testcase" >&2; fi
lines=$(wc -l <"$tmp/slow/truth.jsonl")
# 16 s at 25 fps = 400 frames, one truth line each.
if [ "$lines" -eq 400 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: truth.jsonl has $lines lines, expected 400" >&2; fi

# A criterion that cannot be met exits 1 with the failing criterion named, files still written.
sed 's/"detection_rate_min": 1.0/"detection_rate_min": 1.0, "latency_mean_max_s": 0.0001/' \
    scenarios/single-slow.json >"$tmp/strict.json"
mkdir -p "$tmp/cameras" && cp scenarios/cameras/turret-256.json "$tmp/cameras/"
expect 1 'FAIL +latency_mean_max_s' "$FB" run "$tmp/strict.json" --out "$tmp/strict"
if grep -q '"pass":[[:space:]]*false' "$tmp/strict/results.json"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: results.json does not say pass false" >&2; fi

# Same seed -> byte-identical results; another seed -> different frames.
"$FB" run default --duration 20 --seed 5 --quiet --out "$tmp/a" >/dev/null 2>&1
"$FB" run default --duration 20 --seed 5 --quiet --out "$tmp/b" >/dev/null 2>&1
"$FB" run default --duration 20 --seed 6 --quiet --out "$tmp/c" >/dev/null 2>&1
for f in results.json junit.xml events.jsonl truth.jsonl; do
    if cmp -s "$tmp/a/$f" "$tmp/b/$f"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $f differs between two runs with seed 5" >&2; fi
done
ha=$(grep -o '"frames_hash":[[:space:]]*"[0-9a-f]*"' "$tmp/a/results.json")
hc=$(grep -o '"frames_hash":[[:space:]]*"[0-9a-f]*"' "$tmp/c/results.json")
if [ -n "$ha" ] && [ "$ha" != "$hc" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: frames_hash '$ha' vs '$hc' (seeds 5 and 6)" >&2; fi

# SIGINT mid-run: exit 130, results so far written and marked incomplete with the reason.
"$FB" run crowd --duration 3600 --quiet --out "$tmp/int" >/dev/null 2>"$tmp/int.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
got=$?
if [ $got -eq 130 ] && grep -q '"complete":[[:space:]]*false' "$tmp/int/results.json" &&
    grep -q 'interrupted by signal 2' "$tmp/int/results.json" && grep -q 'marked incomplete' "$tmp/int.err"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: SIGINT: exit $got (expected 130) or results.json not marked incomplete" >&2
fi

# Progress: one line redrawn on a terminal (script(1) gives the run one), nothing when stderr is
# a file or with --quiet.
"$FB" run single-slow --duration 4 >/dev/null 2>"$tmp/prog.err"
if grep -q 'real time' "$tmp/prog.err"; then
    fail=$((fail + 1))
    echo "FAIL: a progress line went to a stderr that is not a terminal" >&2
else
    pass=$((pass + 1))
fi
if command -v script >/dev/null 2>&1; then
    expect 1 'run single-slow: frame [0-9]+ / 100 \([0-9.]+ of 4\.0 s simulated\)' \
        script -qec "'$FB' run single-slow --duration 4 --people template" /dev/null
    expect 0 'frames single-slow: frame [0-9]+ / 50 ' \
        script -qec "'$FB' frames single-slow --frames 0:50 --every 25 --out '$tmp/pf'" /dev/null
    script -qec "'$FB' run single-slow --duration 4 --quiet" /dev/null >"$tmp/progq" 2>&1
    if grep -q 'real time' "$tmp/progq"; then
        fail=$((fail + 1))
        echo "FAIL: run --quiet drew a progress line" >&2
    else
        pass=$((pass + 1))
    fi
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
