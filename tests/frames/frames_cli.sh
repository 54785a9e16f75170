#!/bin/sh
# frames_cli.sh — `feverbench frames` as a user meets it: usage errors, files written, the same
# frames as `run` sends the DUT (frames_hash), byte-identical output for the same seed.
# usage: frames_cli.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

expect 0 'usage: feverbench frames' "$FB" frames --help
expect 0 'frames SCENARIO --out DIR' "$FB" --help
expect 2 'which SCENARIO' "$FB" frames --out "$tmp/x"
expect 2 '--out DIR is required' "$FB" frames default
expect 2 '--out needs a value' "$FB" frames default --out
expect 2 'unknown option --bogus' "$FB" frames default --out "$tmp/x" --bogus
expect 2 '--every: "0" is not an integer' "$FB" frames default --out "$tmp/x" --every 0
expect 2 '--every: "x" is not an integer' "$FB" frames default --out "$tmp/x" --every x
expect 2 '--frames: "5" is not A:B' "$FB" frames default --out "$tmp/x" --frames 5
expect 2 '--frames: "9:3" is not A:B' "$FB" frames default --out "$tmp/x" --frames 9:3
expect 2 '--seed: "-1" is not an integer' "$FB" frames default --out "$tmp/x" --seed -1
expect 2 '--duration: "0" is not a number' "$FB" frames default --out "$tmp/x" --duration 0
expect 2 'the run has 25 frames' "$FB" frames default --out "$tmp/x" --duration 1 --frames 0:30
expect 2 'no frames selected' "$FB" frames default --out "$tmp/x" --duration 1 --frames 25:
expect 2 'no-such: no such file, and no shipped scenario' "$FB" frames no-such --out "$tmp/x"
expect 2 'one scenario at a time' "$FB" frames default drift --out "$tmp/x"
expect 2 '--camera' "$FB" frames default --out "$tmp/x" --camera no-such-camera
: >"$tmp/afile"
expect 2 'afile/out: cannot create directory: Not a directory' "$FB" frames default --out "$tmp/afile/out" --duration 1

# A short export: the files are there, the PNG is 16-bit grayscale with units in a tEXt chunk.
expect 0 'wrote 5 frames \(256x192, centikelvin\)' "$FB" frames checkpoint --out "$tmp/a" --duration 2 --every 10
for n in 000000 000010 000020 000030 000040; do
    if [ -s "$tmp/a/frames/$n.png" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: no frames/$n.png" >&2; fi
done
if [ -e "$tmp/a/frames/000001.png" ] || [ -e "$tmp/a/annotations.json.tmp" ]; then
    fail=$((fail + 1)); echo "FAIL: --every 10 wrote frame 1, or left the temporary file" >&2
else pass=$((pass + 1)); fi
# bytes 24-25 of a PNG: bit depth 16, colour type 0 (grayscale)
if [ "$(od -An -tu1 -j24 -N2 "$tmp/a/frames/000000.png" | tr -s ' \n' ' ')" = " 16 0 " ] &&
    grep -aq 'units.centikelvin' "$tmp/a/frames/000000.png"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: frames/000000.png is not 16-bit grayscale with units=centikelvin" >&2
fi

# The same seed gives byte-identical files; another seed does not.
"$FB" frames checkpoint --out "$tmp/b" --duration 2 --every 10 2>/dev/null
"$FB" frames checkpoint --out "$tmp/c" --duration 2 --every 10 --seed 99 2>/dev/null
if diff -r "$tmp/a" "$tmp/b" >/dev/null; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: two exports with the same seed differ" >&2; fi
if cmp -s "$tmp/a/frames/000040.png" "$tmp/c/frames/000040.png"; then
    fail=$((fail + 1)); echo "FAIL: --seed 99 gave the same frame as seed 1" >&2
else pass=$((pass + 1)); fi

# The frames are the ones `run` sends the DUT: the frames hash of the whole run agrees.
"$FB" run checkpoint --duration 2 --quiet --out "$tmp/run" >/dev/null 2>&1
h_run=$(sed -n 's/.*"frames_hash":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$tmp/run/results.json")
h_fr=$(sed -n 's/.*"frames_hash":"\([0-9a-f]*\)".*/\1/p' "$tmp/a/annotations.json")
if [ -n "$h_run" ] && [ "$h_run" = "$h_fr" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: frames_hash of run ($h_run) and frames ($h_fr) differ" >&2; fi

# Another camera: the image size follows.
expect 0 'wrote 1 frame \(160x120' "$FB" frames single-slow --out "$tmp/l" --duration 1 --every 20 --camera lepton-160
grep -q '"width":160,"height":120' "$tmp/l/annotations.json" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: lepton-160 export does not say 160x120" >&2; }

echo "frames_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
