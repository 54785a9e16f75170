#!/bin/sh
# outputs.sh — the bench's real outputs against docs/schema/ (tests/schema/check.py): every shipped
# scenario's results.json (cut to 60 s; blackbody-occluded whole, for its episodes), runs through
# exec: (the sandbox audit), a faulting and an interrupted run, and an evaluation's report.json with
# a passing and a failing candidate. Fails on an invalid file and on a key the schema lacks.
# usage: outputs.sh FEVERBENCH FBFW_HOST
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$1 host=$2
files=""
n=0
for s in $("$fb" list | awk '/^[^ ]/{on=/^scenarios/; next} on && NF {print $1}'); do
    d="--duration 60"
    [ "$s" = blackbody-occluded ] && d=""
    # exit 0 or 1 (criteria) is a result; anything else is not what this test is about
    # shellcheck disable=SC2086
    "$fb" run "$s" $d --quiet --out "$tmp/run/$s" >"$tmp/log" 2>&1
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "FAIL: run $s exited $rc" >&2
        cat "$tmp/log" >&2
        fail=$((fail + 1))
    fi
    files="$files results=$tmp/run/$s/results.json"
    n=$((n + 1))
done
[ "$n" -ge 20 ] || { echo "FAIL: only $n shipped scenarios listed" >&2; fail=$((fail + 1)); }
# a process DUT in its sandbox, a DUT fault found while scoring, a run stopped by SIGTERM
expect 0 'exit 0' sh -c "'$fb' run single-slow --dut 'exec:$host' --quiet --out '$tmp/exec'; echo exit \$?"
expect 0 'exit 3' sh -c "'$fb' run default --duration 30 --dut inproc:cheat-bad-frame --quiet --out '$tmp/fault'; echo exit \$?"
"$fb" run lab-stability --quiet --out "$tmp/stopped" >/dev/null 2>&1 &
pid=$!
k=0
while [ ! -s "$tmp/stopped/truth.jsonl" ] && [ $k -lt 300 ]; do sleep 0.05; k=$((k + 1)); done
sleep 0.3
kill -TERM $pid
wait $pid
expect 0 '^143$' echo $?
expect 0 '"complete":[[:space:]]*false' cat "$tmp/stopped/results.json"
files="$files results=$tmp/exec/results.json results=$tmp/fault/results.json results=$tmp/stopped/results.json"
# an evaluation: the reference and a firmware that measures nobody (nulls, fails, n/a)
"$fb" evaluate --dut inproc:reference --dut inproc:cheat-measure-nobody --battery lab-accuracy,field-bb-occluded \
    --scale quick --jobs 2 --quiet --out "$tmp/eval" >"$tmp/log" 2>&1
expect 0 '^1$' echo $?
"$fb" evaluate --camera lepton-160 --battery lab-febrile --scale quick --seed 3 --jobs 2 --quiet \
    --out "$tmp/eval2" >/dev/null 2>&1
files="$files report=$tmp/eval/report.json report=$tmp/eval2/report.json"
# the checker itself: a key the schema lacks and a value of the wrong type both fail
sed 's/"detection":[[:space:]]*{/"detection": {"new_key": 1,/' "$tmp/run/default/results.json" >"$tmp/stale.json"
expect 1 'detection.new_key: not in docs/schema/results.schema.json' /usr/bin/python3 "$here/check.py" results="$tmp/stale.json"
sed 's/"seed":[[:space:]]*[0-9]*/"seed": "one"/' "$tmp/run/default/results.json" >"$tmp/wrong.json"
expect 1 "seed: 'one' is not of type 'integer'" /usr/bin/python3 "$here/check.py" results="$tmp/wrong.json"
# shellcheck disable=SC2086
expect 0 "schema_check: $((n + 5)) passed, 0 failed" /usr/bin/python3 "$here/check.py" $files
grep FAIL "$tmp/out" >&2
echo "schema_outputs: $pass passed, $fail failed ($n scenarios)"
[ "$fail" -eq 0 ]
