#!/bin/sh
# cli_record.sh — `run --record` and `replay` as a user meets them: files, exit statuses, messages.
# usage: cli_record.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

expect 0 'usage: feverbench replay FILE' "$FB" replay --help
expect 0 '--record FILE' "$FB" run --help
expect 0 'replay FILE' "$FB" --help
expect 2 'usage: feverbench replay' "$FB" replay
expect 2 'unknown option --bogus' "$FB" replay x.fbrec --bogus
expect 2 'one recording at a time' "$FB" replay a.fbrec b.fbrec
expect 2 'nope.fbrec: cannot open the recording' "$FB" replay "$tmp/nope.fbrec"
mkfifo "$tmp/fifo.fbrec"
expect 2 'fifo.fbrec: not a recording file: it is a FIFO' timeout 10 "$FB" replay "$tmp/fifo.fbrec"
expect 2 ': not a recording file: it is a directory' "$FB" replay "$tmp"
expect 2 '--record needs a value' "$FB" run single-slow --record
expect 2 "cannot create the recording" "$FB" run single-slow --duration 1 --record "$tmp/no/such/dir/r.fbrec"

# a run with --record, then its replay: same verdict, same scorecard numbers
expect 0 'PASS' "$FB" run single-slow --record "$tmp/slow.fbrec"
grep -E '^(  skin|  latency|  TP)' "$tmp/out" >"$tmp/card-run"
expect 0 'replay of .*slow.fbrec' "$FB" replay "$tmp/slow.fbrec"
grep -E '^(  skin|  latency|  TP)' "$tmp/out" >"$tmp/card-replay"
if [ -s "$tmp/card-run" ] && cmp -s "$tmp/card-run" "$tmp/card-replay"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: replay scorecard differs from the run's" >&2
    diff "$tmp/card-run" "$tmp/card-replay" >&2
fi
expect 0 'PASS' "$FB" replay "$tmp/slow.fbrec" --out "$tmp/rep"
for f in results.json junit.xml events.jsonl truth.jsonl; do
    if [ -s "$tmp/rep/$f" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: replay did not write $f" >&2; fi
done

# criteria come from the scenario: another scenario is refused, the right one named works
expect 2 'not the scenario the run used' "$FB" replay "$tmp/slow.fbrec" --scenario default
expect 0 'criteria from embedded:single-slow.json' "$FB" replay "$tmp/slow.fbrec" --scenario single-slow
expect 2 '--scenario needs a value' "$FB" replay "$tmp/slow.fbrec" --scenario
# a run on another camera: the replay finds the recorded camera's shipped profile by itself
expect 1 'FAIL' "$FB" run single-slow --duration 2 --camera lepton-160 --record "$tmp/lepton.fbrec"
expect 1 'criteria from embedded:single-slow.json' "$FB" replay "$tmp/lepton.fbrec"
expect 2 'not the scenario the run used' "$FB" replay "$tmp/lepton.fbrec" --camera turret-256

# damaged files: a clear message and exit 2
head -c 5000 "$tmp/slow.fbrec" >"$tmp/cut.fbrec"
expect 2 'cut.fbrec: offset [0-9]+: .*truncated' "$FB" replay "$tmp/cut.fbrec"
printf 'hello, world\n' >"$tmp/text.fbrec"
expect 2 'not a feverbench recording' "$FB" replay "$tmp/text.fbrec"

echo "record_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
