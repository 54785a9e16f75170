#!/bin/sh
# cli_view.sh — `feverbench view` as a user meets it: help, option errors, headless pictures.
# usage: cli_view.sh FEVERBENCH IMGSTAT   (run from the source root)
FB=$1
IMGSTAT=$2
. "$(dirname "$0")/../expect.sh"
picture() { # picture FILE WxH: a PNG of that size with more than 200 colours
    s=$("$IMGSTAT" "$1" 2>&1)
    case "$s" in
    "$2 colours="*) n=${s#*colours=}; if [ "$n" -gt 200 ]; then pass=$((pass + 1)); return; fi ;;
    esac
    fail=$((fail + 1))
    echo "FAIL: $1: $s (expected $2 with more than 200 colours)" >&2
}

expect 0 'usage: feverbench view' "$FB" view --help
expect 0 'view \[SCENARIO\]' "$FB" --help
expect 2 'unknown option --bogus' "$FB" view --bogus
expect 2 '--palette: "sepia" is not iron, rainbow' "$FB" view --palette sepia --screenshot 0 "$tmp/x.png"
expect 2 '--span: "40:20" is not auto or LO:HI' "$FB" view --span 40:20 --screenshot 0 "$tmp/x.png"
expect 2 '--overlays: "truth,ghosts"' "$FB" view --overlays truth,ghosts --screenshot 0 "$tmp/x.png"
expect 2 '--size: "10x10"' "$FB" view --size 10x10
expect 2 '--threads: "0" is not an integer in 1\.\.64' "$FB" view --threads 0 --screenshot 0 "$tmp/x.png"
expect 2 '--threads: "two" is not an integer in 1\.\.64' "$FB" view --threads two --screenshot 0 "$tmp/x.png"
expect 2 '--screenshot: "1.5" is not a frame number' "$FB" view --screenshot 1.5 "$tmp/x.png"
expect 2 '--screenshot needs AT and OUT.png' "$FB" view --screenshot 3
expect 2 'no-such: no such file, and no shipped scenario' "$FB" view no-such --screenshot 0 "$tmp/x.png"
expect 2 'frame 999 is past its end' "$FB" view single-slow --duration 2 --screenshot 999 "$tmp/x.png"
expect 2 '--replay shows a recording as it was' "$FB" view default --replay "$tmp/r.fbrec"
expect 2 'cannot open the recording' "$FB" view --replay "$tmp/none.fbrec" --screenshot 0 "$tmp/x.png"

# headless pictures: at a time, at a frame, a sequence; no display needed
unset DISPLAY
expect 0 'frame 250 -> .*/t.png' "$FB" view single-slow --screenshot 10s "$tmp/t.png"
picture "$tmp/t.png" 1280x720
expect 0 'frame 100 -> .*/f.png' "$FB" view single-slow --size 800x500 --palette black-hot --screenshot 100 "$tmp/f.png"
picture "$tmp/f.png" 800x500
# --threads 2 draws the same picture, byte for byte
expect 0 'frame 250 -> .*/t2.png' "$FB" view single-slow --threads 2 --screenshot 10s "$tmp/t2.png"
if cmp -s "$tmp/t.png" "$tmp/t2.png"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: view --threads 2 picture differs" >&2; fi
expect 0 '3 pictures in' "$FB" view single-slow --duration 3 --sequence 1s "$tmp/seq"
for f in 000000 000025 000050; do
    picture "$tmp/seq/frame-$f.png" 1280x720
done
# with threads the session draws frame n + 1 while frame n is scored: each picture (the image,
# the truth's boxes, the DUT's reports, the running scores) is still frame n's, byte for byte
expect 0 '4 pictures in' "$FB" view crowd --duration 2 --overlays all --sequence 0.5s "$tmp/cs1"
expect 0 '4 pictures in' "$FB" view crowd --duration 2 --overlays all --threads 2 --sequence 0.5s "$tmp/cs2"
if diff -r "$tmp/cs1" "$tmp/cs2" >/dev/null; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: view --threads 2 sequence differs" >&2; fi
# a recording replayed headless
expect 1 'RESULT: FAIL' "$FB" run single-slow --duration 4 --record "$tmp/r.fbrec"
expect 0 'frame 60 -> ' "$FB" view --replay "$tmp/r.fbrec" --screenshot 60 "$tmp/r.png"
picture "$tmp/r.png" 1280x720
# judged by the scenario it was made from, never by its own criteria (as `replay`): a changed
# scenario file is refused, the original named with --scenario is accepted
cat >"$tmp/judge.json" <<'EOF'
{ "name": "judge", "duration_s": 2, "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 }, "criteria": { "detection_rate_min": 0.5 } }
EOF
cp "$tmp/judge.json" "$tmp/judge-orig.json"
"$FB" run "$tmp/judge.json" --record "$tmp/j.fbrec" >/dev/null 2>&1
expect 0 'frame 10 -> ' "$FB" view --replay "$tmp/j.fbrec" --screenshot 10 "$tmp/j.png"
sed 's/"detection_rate_min": 0.5/"detection_rate_min": 0.9/' "$tmp/judge-orig.json" >"$tmp/judge.json"
expect 2 'j.fbrec: scenario .*judge.json has hash [0-9a-f]+, the recording says [0-9a-f]+: it is not the scenario the run used' \
    "$FB" view --replay "$tmp/j.fbrec" --screenshot 10 "$tmp/j.png"
expect 0 'frame 10 -> ' "$FB" view --replay "$tmp/j.fbrec" --scenario "$tmp/judge-orig.json" \
    --screenshot 10 "$tmp/j.png"
expect 2 'it is not the scenario the run used' "$FB" view --replay "$tmp/j.fbrec" \
    --scenario single-slow --screenshot 10 "$tmp/j.png"
expect 2 '--scenario and --camera choose what judges a recording' "$FB" view --scenario single-slow \
    --screenshot 0 "$tmp/x.png"
# a damaged recording: --sequence stops at the damaged frame with an error, never silently
size=$(stat -c %s "$tmp/r.fbrec")
head -c $((size * 6 / 10)) "$tmp/r.fbrec" >"$tmp/cut.fbrec"
expect 2 'sequence: frame [0-9]+: .*cut.fbrec: offset [0-9]+: .*truncated.*pictures written' \
    "$FB" view --replay "$tmp/cut.fbrec" --sequence 1s "$tmp/seq-cut"
cp "$tmp/r.fbrec" "$tmp/flip.fbrec"
printf '\377' | dd of="$tmp/flip.fbrec" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect 2 'sequence: frame [0-9]+: .*flip.fbrec: offset [0-9]+: .*' \
    "$FB" view --replay "$tmp/flip.fbrec" --sequence 1s "$tmp/seq-flip"
# a window without a display: a clear message
expect 2 "cannot open a window .*--screenshot" env SDL_VIDEODRIVER=x11 "$FB" view single-slow
# ... and with SDL left to choose (Debian 12's SDL falls back to an invisible driver): exit 2,
# not a window nobody sees (timeout: a hang fails the test instead of the suite)
expect 2 "(no display|cannot open a window) .*--screenshot" env -u SDL_VIDEODRIVER -u DISPLAY \
    -u WAYLAND_DISPLAY timeout 60 "$FB" view single-slow

echo "ui_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
