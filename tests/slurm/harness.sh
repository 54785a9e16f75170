#!/bin/sh
# harness.sh — the test cluster itself works: cluster.sh starts munged, slurmctld and slurmd,
# a 4-task job array runs (each task writes its index), cluster.sh stop leaves no daemon behind.
# Exit 77 (skipped) only when cluster.sh says the daemons cannot run here.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
c="$tmp/cluster"
"$here/cluster.sh" start "$c" >"$tmp/start" 2>&1
rc=$?
if [ $rc -eq 77 ]; then cat "$tmp/start" >&2; exit 77; fi
[ $rc -eq 0 ] || { cat "$tmp/start" >&2; exit 1; }
trap '"$here/cluster.sh" stop "$c"; rm -rf "$tmp"' EXIT
export SLURM_CONF="$c/slurm.conf"
printf '#!/bin/sh\necho "task $SLURM_ARRAY_TASK_ID" >"%s/out.$SLURM_ARRAY_TASK_ID"\n' "$c" >"$c/job.sh"
expect 0 '^[0-9]+$' sbatch --parsable --array=0-3 -o "$c/log.%a" "$c/job.sh"
n=0
while [ $n -lt 300 ] && [ "$(ls "$c" | grep -c '^out\.')" -lt 4 ]; do sleep 0.1; n=$((n + 1)); done
expect 0 '^task 0 task 1 task 2 task 3 $' sh -c "cat '$c/out.0' '$c/out.1' '$c/out.2' '$c/out.3' | tr '\n' ' '"
pids="$(cat "$c/munged.pid" "$c/slurmctld.pid" "$c/slurmd.pid")"
"$here/cluster.sh" stop "$c"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
expect 0 '^0$' echo "$alive"
echo "slurm_harness: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
