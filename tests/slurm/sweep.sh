#!/bin/sh
# sweep.sh — `feverbench sweep --executor slurm` through a real single-node cluster
# (cluster.sh): a run that fails once is resubmitted, a sweep interrupted with SIGINT cancels
# its job and the same command resumes it, and the study files equal the local executor's byte
# for byte. Exit 77 (skipped) only when cluster.sh says the daemons cannot run here.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
expect_rc() {
    code=$1
    shift
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$code" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL: $* -> exit $got (expected $code)" >&2
        sed 's/^/    /' "$tmp/out" | head -20 >&2
    fi
}
c="$tmp/cluster"
"$here/cluster.sh" start "$c" >"$tmp/start" 2>&1
rc=$?
if [ $rc -eq 77 ]; then cat "$tmp/start" >&2; exit 77; fi
[ $rc -eq 0 ] || { cat "$tmp/start" >&2; exit 1; }
trap '"$here/cluster.sh" stop "$c"; rm -rf "$tmp"' EXIT
export SLURM_CONF="$c/slurm.conf"

grid="default --set camera.netd_mk=40,80 --set mount.height_m=1.8,2.2 --seeds 2 --seed 7 --duration 12"

# the reference: the local executor
expect_rc 0 "$fb" sweep $grid --jobs 2 --quiet --out "$tmp/local"

# 1. a run that fails on its first attempt (a wrapper in place of the binary exits 1 once for
#    p0001-s8) is submitted again in a second job array; the study equals the local one
cat >"$tmp/flaky.sh" <<W
#!/bin/sh
if [ "\$2" = points/p0001.json ] && [ "\$4" = 8 ] && [ ! -e "$tmp/failed-once" ]; then
    touch "$tmp/failed-once"
    echo "flaky.sh: failing on purpose" >&2
    exit 1
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/flaky.sh"
expect 0 'submitted job [0-9]+: 8 task.*1 task\(s\) of job [0-9]+ failed or were lost: submitting them again.*submitted job [0-9]+: 1 task\(s\), attempt 2' \
    sh -c "'$fb' sweep $grid --executor slurm --poll 0.3 --bin '$tmp/flaky.sh' --out '$tmp/s1' 2>&1 | tr '\n' ' '"
expect_rc 0 test -e "$tmp/failed-once"
expect 0 'failing on purpose' cat "$tmp/s1/runs/p0001-s8/log.txt"
for f in study.json study.csv study.html; do
    expect_rc 0 cmp "$tmp/local/$f" "$tmp/s1/$f"
done

# 2. interrupted: a wrapper holds p0003-s8 until a gate file appears; once two runs are done the
#    sweep gets SIGINT, cancels its job (nothing of it left in the queue) and exits 130
cat >"$tmp/gated.sh" <<W
#!/bin/sh
if [ "\$2" = points/p0003.json ] && [ "\$4" = 8 ]; then
    n=0
    while [ ! -e "$tmp/gate" ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/gated.sh"
"$fb" sweep $grid --executor slurm --poll 0.3 --bin "$tmp/gated.sh" --out "$tmp/s2" >"$tmp/s2.log" 2>&1 &
pid=$!
n=0
while [ "$(ls "$tmp/s2/runs/"*/results.json 2>/dev/null | wc -l)" -lt 2 ] && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 0.5
kill -INT $pid
wait $pid
expect 0 '^130$' echo $?
expect 0 'interrupted \(signal 2\); [0-9] of 8 runs done.*the same command resumes' cat "$tmp/s2.log"
expect_rc 1 test -e "$tmp/s2/study.json"
sleep 1
expect 0 '^0$' sh -c "squeue -h -u '$(id -un)' | wc -l"
before=$(ls "$tmp/s2/runs/"*/results.json | wc -l)
for f in "$tmp/s2/runs/"*/results.json; do touch -d 2000-01-01 "$f"; done
touch "$tmp/gate"
expect 0 "sweep: $before run\\(s\\) already done, $((8 - before)) done now, 0 failed" \
    "$fb" sweep $grid --executor slurm --poll 0.3 --bin "$tmp/gated.sh" --out "$tmp/s2"
expect 0 "^$before\$" sh -c "ls -l --time-style=+%Y '$tmp/s2/runs/'*/results.json | grep -c ' 2000 '"
for f in study.json study.csv study.html; do
    expect_rc 0 cmp "$tmp/local/$f" "$tmp/s2/$f"
done

# 3. sbatch refusing the job (an unknown partition) is exit 2 with sbatch's reason
expect 2 'sbatch refused the job: .*[Pp]artition' "$fb" sweep $grid --executor slurm --partition nosuch --quiet --out "$tmp/s3"
echo "slurm_sweep: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
