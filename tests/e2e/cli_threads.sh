#!/bin/sh
# cli_threads.sh — `feverbench run --threads N` (and `frames`): results.json (frames_hash
# included), events, truth and the recording are byte-identical for N = 1, 2, 3 on crowd, default,
# crowd at 640x512 and a template-people run; bad values exit 2 naming the option and the range.
# usage: cli_threads.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"

expect 0 '--threads N +draw each frame' "$FB" run --help
expect 0 '\[--threads N\]' "$FB" frames --help

# same_runs NAME ARGS...: the run with --threads 1, 2 and 3, every output file compared byte for byte
same_runs() {
    name=$1
    shift
    for n in 1 2 3; do
        "$FB" run "$@" --threads "$n" --quiet --out "$tmp/$name$n" --record "$tmp/$name$n/rec.fbrec" \
            >/dev/null 2>&1
        st=$?
        [ "$st" -le 1 ] || bad "$name --threads $n: exit $st"
    done
    grep -q '"frames_hash"' "$tmp/${name}1/results.json" && ok || bad "$name: no frames_hash"
    for f in results.json events.jsonl truth.jsonl junit.xml rec.fbrec; do
        for n in 2 3; do
            if cmp -s "$tmp/${name}1/$f" "$tmp/$name$n/$f"; then ok; else bad "$name: $f differs with --threads $n"; fi
        done
    done
}
same_runs crowd crowd --duration 6
same_runs default default --duration 8
same_runs crowd640 crowd --camera core-640 --duration 1.2
same_runs template crowd --people template --duration 4

# frames: the PNGs and annotations the same with two threads
"$FB" frames crowd --duration 1 --every 5 --quiet --out "$tmp/f1" >/dev/null 2>&1
"$FB" frames crowd --duration 1 --every 5 --quiet --threads 2 --out "$tmp/f2" >/dev/null 2>&1
if [ -s "$tmp/f1/annotations.json" ] && diff -r "$tmp/f1" "$tmp/f2" >/dev/null; then ok; else bad "frames --threads 2 differ"; fi

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
