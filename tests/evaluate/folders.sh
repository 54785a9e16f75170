#!/bin/sh
# folders.sh — evaluate names each candidate's runs/ folder by the name its DUT announced in HELLO
# (file-safe, de-duplicated), keeps --dut NAME=SPEC's name, leaves the spec's name as a link, and
# resumes through it when run again.
# usage: folders.sh FEVERBENCH FBFW_HOST   (run from the source root)
FB=$1
HOST=$2
. "$(dirname "$0")/../expect.sh"

# the reference linked in and as a process both announce "feverbench-reference 0.1"
ARGS="--dut inproc:reference --dut exec:$HOST --dut mine=inproc:reference --battery lab-accuracy --scale quick --jobs 2"
# shellcheck disable=SC2086
"$FB" evaluate $ARGS --quiet --out "$tmp/e" >/dev/null 2>"$tmp/e.err"
st=$?
[ $st -eq 0 ] && ok || bad "evaluate: exit $st; $(cat "$tmp/e.err")"
r=$tmp/e/runs
[ -f "$r/feverbench-reference_0.1/lab-accuracy/results.json" ] && ok || bad "no runs/feverbench-reference_0.1: $(ls "$r")"
[ -f "$r/feverbench-reference_0.1-2/lab-accuracy/results.json" ] && ok || bad "the second announcer not de-duplicated: $(ls "$r")"
grep -q '^dut exec:' "$r/feverbench-reference_0.1-2/lab-accuracy/evaluate.key" && ok || bad "-2 is not the exec DUT's"
[ -d "$r/mine" ] && [ ! -L "$r/mine" ] && ok || bad "--dut NAME=SPEC did not keep its name: $(ls "$r")"
[ "$(readlink "$r/reference")" = "feverbench-reference_0.1" ] && ok || bad "runs/reference is not a link to the announced name"
[ "$(readlink "$r/fbfw_host")" = "feverbench-reference_0.1-2" ] && ok || bad "runs/fbfw_host is not a link"
[ "$(ls "$r" | wc -l)" -eq 5 ] && ok || bad "runs/ holds $(ls "$r")"
# the same again resumes every run through the links and renames nothing further
cp "$tmp/e/report.json" "$tmp/report1.json"
# shellcheck disable=SC2086
"$FB" evaluate $ARGS --out "$tmp/e" >/dev/null 2>"$tmp/e2.err"
st=$?
[ $st -eq 0 ] && ok || bad "again: exit $st"
grep -q 'resuming: 3 of 3 runs already done' "$tmp/e2.err" && ok || bad "did not resume: $(cat "$tmp/e2.err")"
[ "$(ls "$r" | wc -l)" -eq 5 ] && ok || bad "again: runs/ holds $(ls "$r")"
cmp -s "$tmp/e/report.json" "$tmp/report1.json" && ok || bad "report.json differs after resuming"

fb_test_end evaluate_folders
