#!/bin/sh
# cli_threads.sh — `feverbench run --threads N` (and `frames`): results.json (frames_hash
# included), events, truth and the recording are byte-identical for N = 1, 2, 3 on crowd, default,
# crowd at 640x512 and a template-people run; with N > 1 frame n + 1 is drawn while frame n is
# scored (sim/run/run.c), so the same holds where a run ends early: a process DUT that crashes or
# breaks the protocol mid-run, hostile ones, a signal while the bench waits on a hung DUT, a frames
# export stopping short of the run's end; bad values exit 2 naming the option and the range.
# usage: cli_threads.sh PATH/TO/feverbench PATH/TO/fbfw_broken   (run from the source root)
FB=$1
BROKEN=$2
. "$(dirname "$0")/../expect.sh"

expect 0 '--threads N +draw each frame' "$FB" run --help
expect 0 '\[--threads N\]' "$FB" frames --help

# same_as_one NAME FILE...: each FILE of runs NAME2 and NAME3 byte for byte that of run NAME1
same_as_one() {
    name=$1
    shift
    for f in "$@"; do
        for n in 2 3; do
            if cmp -s "$tmp/${name}1/$f" "$tmp/$name$n/$f"; then ok; else bad "$name: $f differs with --threads $n"; fi
        done
    done
}

# same_files NAME: every output file of runs NAME1, NAME2, NAME3 compared byte for byte
same_files() {
    grep -q '"frames_hash"' "$tmp/${1}1/results.json" && ok || bad "$1: no frames_hash"
    same_as_one "$1" results.json events.jsonl truth.jsonl junit.xml rec.fbrec
}

# same_runs NAME ARGS...: the run with --threads 1, 2 and 3 (exit 0 or 1), its files the same
same_runs() {
    name=$1
    shift
    for n in 1 2 3; do
        "$FB" run "$@" --threads "$n" --quiet --out "$tmp/$name$n" --record "$tmp/$name$n/rec.fbrec" \
            >/dev/null 2>&1
        st=$?
        [ "$st" -le 1 ] || bad "$name --threads $n: exit $st"
    done
    same_files "$name"
}

# same_ends NAME CODE PATTERN ARGS...: runs that end with exit CODE and a results.json matching
# PATTERN (the stop reason, the frame it names) for every N, their files the same
same_ends() {
    name=$1 code=$2 pattern=$3
    shift 3
    for n in 1 2 3; do
        "$FB" run "$@" --threads "$n" --quiet --out "$tmp/$name$n" --record "$tmp/$name$n/rec.fbrec" \
            >/dev/null 2>&1
        st=$?
        [ "$st" -eq "$code" ] && ok || bad "$name --threads $n: exit $st (expected $code)"
        has "$tmp/$name$n/results.json" "$pattern"
    done
    same_files "$name"
}
same_runs crowd crowd --duration 6
same_runs default default --duration 8
same_runs crowd640 crowd --camera core-640 --duration 1.2
same_runs template crowd --people template --duration 4

# a short run of people arriving fast, whose DUT is allowed an hour a frame (hangs stay hung)
cat >"$tmp/pipe.json" <<'EOF2'
{
  "name": "pipe",
  "duration_s": 3,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 60 },
  "dut": { "frame_timeout_s": 3600, "handshake_timeout_s": 60 }
}
EOF2
# a process DUT (exec link, one frame behind) that breaks the protocol at frame 30 of 75: the
# fault at frame 30, what was scored before kept, nothing of the frame drawn ahead in the files
same_ends wrong 3 '"stop_reason":[[:space:]]*"DUT fault at frame 30: DUT sent FRAME_DONE for frame 33' \
    "$tmp/pipe.json" --dut "exec:$BROKEN --broken wrong-frame@30"
has "$tmp/wrong2/results.json" '"frames":[[:space:]]*32,'
# one that crashes at frame 40 (whether the bench reads end of stream or a reset is the kernel's
# race, so the stop reason's wording may differ): the same frames, truth and events
for n in 1 2 3; do
    "$FB" run "$tmp/pipe.json" --threads "$n" --quiet --out "$tmp/crash$n" \
        --dut "exec:$BROKEN --broken crash@40" >/dev/null 2>&1
    st=$?
    [ "$st" -eq 3 ] && ok || bad "crash --threads $n: exit $st (expected 3)"
    has "$tmp/crash$n/results.json" '"stop_reason":[[:space:]]*"DUT fault at frame 40: DUT closed the link'
    has "$tmp/crash$n/results.json" '"frames":[[:space:]]*42,'
done
same_as_one crash events.jsonl truth.jsonl
# a hostile one (caught, denied, and the run goes on to the last frame, none drawn past it); the
# attempts' wall-clock times aside, the same files
for n in 1 2 3; do
    "$FB" run "$tmp/pipe.json" --threads "$n" --quiet --out "$tmp/phone$n" --record "$tmp/phone$n/rec.fbrec" \
        --dut "exec:$BROKEN --broken phone-home@5" >/dev/null 2>&1
    st=$?
    [ "$st" -eq 0 ] && ok || bad "phone --threads $n: exit $st (expected 0)"
    has "$tmp/phone$n/results.json" '"egress_attempts":[[:space:]]*2,'
    has "$tmp/phone$n/results.json" '"frames":[[:space:]]*75,'
    grep -v '"t_s":' "$tmp/phone$n/results.json" >"$tmp/phone$n/results.untimed"
done
same_as_one phone results.untimed events.jsonl truth.jsonl junit.xml rec.fbrec

# SIGTERM while the bench waits on a DUT hung at frame 20: the same incomplete report for every N
for n in 1 2 3; do
    "$FB" run "$tmp/pipe.json" --threads "$n" --quiet --out "$tmp/term$n" --record "$tmp/term$n/rec.fbrec" \
        --dut "exec:$BROKEN --broken hang@20" >/dev/null 2>&1 &
    pid=$!
    sleep 3 # past frame 20, even in a sanitizer build on a loaded machine
    kill -TERM "$pid"
    wait "$pid"
    st=$?
    [ "$st" -eq 143 ] && ok || bad "term --threads $n: exit $st (expected 143)"
    has "$tmp/term$n/results.json" '"stop_reason":[[:space:]]*"interrupted by signal 15 .*FRAME_DONE of frame 20'
done
same_files term

# frames: the PNGs and annotations the same with two threads
"$FB" frames crowd --duration 1 --every 5 --quiet --out "$tmp/f1" >/dev/null 2>&1
"$FB" frames crowd --duration 1 --every 5 --quiet --threads 2 --out "$tmp/f2" >/dev/null 2>&1
if [ -s "$tmp/f1/annotations.json" ] && diff -r "$tmp/f1" "$tmp/f2" >/dev/null; then ok; else bad "frames --threads 2 differ"; fi
# a selection ending before the run's end (the frame after it drawn ahead, never written), template
# people too
for m in 3d template; do
    for n in 1 2; do
        "$FB" frames crowd --duration 2 --frames 10:31 --every 4 --people "$m" --quiet --threads "$n" \
            --out "$tmp/g$m$n" >/dev/null 2>&1
    done
    has "$tmp/g${m}2/annotations.json" '"frames_run":31,'
    if diff -r "$tmp/g${m}1" "$tmp/g${m}2" >/dev/null; then ok; else bad "frames 10:31 --people $m --threads 2 differ"; fi
done

# bad values: exit 2, the option and the range named, nothing run
for v in 0 -1 abc 65 1.5 ''; do
    expect 2 "feverbench run: --threads: \"$v\" is not an integer in 1\.\.64" \
        "$FB" run crowd --threads "$v" --out "$tmp/bad"
done
[ ! -e "$tmp/bad/results.json" ] && ok || bad "results.json written for a bad --threads"
expect 2 'feverbench run: --threads needs a value' "$FB" run crowd --threads
expect 2 'feverbench frames: --threads: "x" is not an integer in 1\.\.64' \
    "$FB" frames crowd --out "$tmp/fx" --threads=x

fb_test_end cli_threads
