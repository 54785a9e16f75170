#!/bin/sh
# evaluate.sh — `feverbench evaluate --executor slurm` through a real single-node cluster
# (cluster.sh): report.json and report.html equal the local pool's byte for byte; a run killed on
# its first attempt (a lost node) is submitted again; an interrupted evaluation cancels its job
# and the same command resumes it; an evaluation finished locally is not run again on Slurm; a
# relative exec: path still reaches the runs; several runs per array task (--batch), a failed one
# resubmitted alone, each reported as it ends while its array task runs on. Exit 77 only when the
# daemons cannot run here.
# usage: evaluate.sh FEVERBENCH FBFW_HOST
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
host=$2
c="$tmp/cluster"
"$here/cluster.sh" start "$c" >"$tmp/start" 2>&1
rc=$?
if [ $rc -eq 77 ]; then cat "$tmp/start" >&2; exit 77; fi
[ $rc -eq 0 ] || { cat "$tmp/start" >&2; exit 1; }
trap '"$here/cluster.sh" stop "$c"; rm -rf "$tmp"' EXIT
export SLURM_CONF="$c/slurm.conf"
expect_rc() { # expect_rc CODE CMD...: CMD exits CODE
    code=$1
    shift
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$code" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL: $* -> exit $got (expected $code)" >&2
    fi
}
# flat CMD...: CMD's output on one line, then "exit N"
flat() {
    "$@" >"$tmp/flat" 2>&1
    rc=$?
    tr '\n' ' ' <"$tmp/flat"
    echo "exit $rc"
}
same_report() { # same_report DIR: DIR's report equals the local one
    for f in report.json report.html; do
        if cmp -s "$tmp/local/$f" "$1/$f"; then pass=$((pass + 1)); else
            fail=$((fail + 1))
            echo "FAIL: $1/$f differs from the local executor's" >&2
        fi
    done
}
ev="--dut inproc:reference --dut inproc:flawed-forehead --battery lab-accuracy,lab-febrile --scale quick"

# the reference: evaluate's local pool (exit 1: the forehead reader fails)
expect 1 'report: ' "$fb" evaluate $ev --jobs 2 --out "$tmp/local"

# 1. the same evaluation as one job array; a run killed on its first attempt goes round again
cat >"$tmp/flaky.sh" <<W
#!/bin/sh
if [ "\$2" = lab-febrile ] && [ "\$4" = inproc:flawed-forehead ] && [ ! -e "$tmp/killed-once" ]; then
    touch "$tmp/killed-once"
    kill -KILL \$\$
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/flaky.sh"
# shellcheck disable=SC2086
expect 0 'slurm: submitted job [0-9]+: 4 task.*1 task\(s\) of job [0-9]+ failed or were lost: submitting them again.*submitted job [0-9]+: 1 task\(s\), attempt 2.*4 run\(s\) on slurm: 4 done, 0 failed.*exit 1$' \
    flat "$fb" evaluate $ev --executor slurm --poll 0.3 --bin "$tmp/flaky.sh" --out "$tmp/s1"
expect_rc 0 test -e "$tmp/killed-once"
same_report "$tmp/s1"
expect 0 '^exit 1$' head -1 "$tmp/s1/runs/flawed-forehead/lab-febrile/exit_status"
# JUnit: the same test cases, each with its wall time and the run's properties
expect 0 '<testcase classname="inproc:flawed-forehead" name="lab-febrile" time="[0-9]+\.[0-9]{3}">' cat "$tmp/s1/junit.xml"
expect 0 '<property name="scenario_hash" value="[0-9a-f]{16}"/>' cat "$tmp/s1/junit.xml"

# 1b. the same in batches of two runs per array task (--batch 2: 2 array tasks); a run killed
#     first in its batch does not stop the batch: only it goes round again, alone; the report
#     is still the local one; progress ends with the counts
cat >"$tmp/flaky2.sh" <<W
#!/bin/sh
if [ "\$2" = lab-accuracy ] && [ "\$4" = inproc:flawed-forehead ] && [ ! -e "$tmp/killed-twice" ]; then
    touch "$tmp/killed-twice"
    kill -KILL \$\$
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/flaky2.sh"
# shellcheck disable=SC2086
expect 0 'slurm: submitted job [0-9]+: 4 task\(s\) in 2 array task\(s\) of up to 2, attempt 1.*1 task\(s\) of job [0-9]+ failed or were lost: submitting them again.*submitted job [0-9]+: 1 task\(s\), attempt 2.*queued 0, running 0, done 4, failed 0.*4 run\(s\) on slurm: 4 done, 0 failed.*exit 1$' \
    flat "$fb" evaluate $ev --executor slurm --batch 2 --poll 0.3 --bin "$tmp/flaky2.sh" --out "$tmp/s1b"
expect_rc 0 test -e "$tmp/killed-twice"
expect 0 '^1 flawed-forehead/lab-accuracy$' sh -c "cat '$tmp/s1b/slurm/'tasks-*-2.txt | cut -f1 | sed 's/^/1 /'; [ \$(cat '$tmp/s1b/slurm/'tasks-*-2.txt | wc -l) -eq 1 ] || echo more"
same_report "$tmp/s1b"
expect 2 '--batch: "0" is not an integer' "$fb" evaluate $ev --executor slurm --batch 0 --out "$tmp/s1x"

# 1c. a batch's runs are reported as each ends, not when their array task does: in batches of two
#     (reference: lab-accuracy then lab-febrile; flawed-forehead: the same) a wrapper holds both
#     lab-febrile runs until a gate file appears; both lab-accuracy verdicts come while both array
#     tasks still run, with the held runs not ended; then the gate opens and all four finish
cat >"$tmp/held.sh" <<W
#!/bin/sh
if [ "\$2" = lab-febrile ]; then
    n=0
    while [ ! -e "$tmp/gate1c" ] && [ \$n -lt 1800 ]; do sleep 0.1; n=\$((n + 1)); done
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/held.sh"
# shellcheck disable=SC2086
"$fb" evaluate $ev --executor slurm --batch 2 --poll 0.2 --bin "$tmp/held.sh" --out "$tmp/s1c" \
    >"$tmp/s1c.log" 2>&1 &
pid=$!
n=0
while ! grep -q '^\[2/4' "$tmp/s1c.log" && kill -0 $pid 2>/dev/null && [ $n -lt 1200 ]; do sleep 0.1; n=$((n + 1)); done
expect 0 '\[1/4[^]]*\] [^ ]+ x lab-accuracy: .*\[2/4[^]]*\] [^ ]+ x lab-accuracy: ' tr '\n' ' ' <"$tmp/s1c.log"
expect 0 '^R R $' sh -c "squeue -h -r -o %t | tr '\n' ' '"
expect 0 '^0$' sh -c "ls '$tmp/s1c/runs/'*/lab-febrile/exit_status 2>/dev/null | wc -l"
touch "$tmp/gate1c"
wait $pid
expect 0 '^1$' echo $?
expect 0 '\[4/4[^]]*\] [^ ]+ x lab-febrile: .*4 run\(s\) on slurm: 4 done, 0 failed' tr '\n' ' ' <"$tmp/s1c.log"
same_report "$tmp/s1c"
# each exit_status names the job that ran it and its node
expect 0 '^exit 0 elapsed_s [0-9.]+ job [0-9]+ node [^ ]+ $' tr '\n' ' ' <"$tmp/s1c/runs/reference/lab-accuracy/exit_status"

# 2. interrupted: a wrapper holds lab-febrile until a gate file appears; SIGINT once the other
#    runs are done cancels the job (nothing left in the queue) and exits 130; the same command
#    resumes, running only what was not done
cat >"$tmp/gated.sh" <<W
#!/bin/sh
if [ "\$2" = lab-febrile ]; then
    n=0
    while [ ! -e "$tmp/gate" ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/gated.sh"
"$fb" evaluate $ev --executor slurm --poll 0.3 --bin "$tmp/gated.sh" --out "$tmp/s2" >"$tmp/s2.log" 2>&1 &
pid=$!
n=0
while [ "$(ls "$tmp/s2/runs/"*/lab-accuracy/exit_status 2>/dev/null | wc -l)" -lt 2 ] && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 0.5
kill -INT $pid
wait $pid
expect 0 '^130$' echo $?
expect 0 'interrupted; run the same command again to resume' cat "$tmp/s2.log"
expect_rc 1 test -e "$tmp/s2/report.json"
sleep 1
expect 0 '^0$' sh -c "squeue -h -u '$(id -un)' | wc -l"
touch "$tmp/gate"
# shellcheck disable=SC2086
expect 0 'resuming: 2 of 4 runs already done.*submitted job [0-9]+: 2 task\(s\), attempt 1.*exit 1$' \
    flat "$fb" evaluate $ev --executor slurm --poll 0.3 --bin "$tmp/gated.sh" --out "$tmp/s2"
same_report "$tmp/s2"

# 3. finished locally, asked again on Slurm: nothing is submitted
expect 1 'resuming: 4 of 4 runs already done' "$fb" evaluate $ev --executor slurm --poll 0.3 --out "$tmp/local"
expect_rc 1 grep -q submitted "$tmp/out"

# 4. a DUT and a camera file named by relative paths: the runs start in the evaluation's folder,
#    still found
rel=$(realpath --relative-to=. "$host")
expect_rc 0 "$fb" evaluate --dut "exec:$rel" --battery lab-accuracy --scale quick --executor slurm --poll 0.3 \
    --quiet --out "$tmp/s4"
expect 0 '"verdict":[[:space:]]*"pass"' cat "$tmp/s4/report.json"
cp scenarios/cameras/turret-384.json "$tmp/cam.json"
(cd "$tmp" && "$fb" evaluate --camera cam.json --battery lab-accuracy --scale quick --executor slurm \
    --poll 0.3 --quiet --out s4c >/dev/null 2>&1)
expect 0 '"camera":[[:space:]]*"turret-384"' cat "$tmp/s4c/report.json"
expect 0 '"complete":[[:space:]]*true' cat "$tmp/s4c/report.json"

# 5. bad executor options: exit 2 before anything runs
expect 2 '--executor: "slurmm" is not local\|slurm' "$fb" evaluate $ev --executor slurmm --out "$tmp/s5"
expect_rc 1 test -e "$tmp/s5"
echo "slurm_evaluate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
