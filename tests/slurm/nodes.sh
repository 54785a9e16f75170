#!/bin/sh
# nodes.sh — a campaign across two nodes: cluster.sh starts a real two-node cluster on this
# machine (two slurmd, `slurmd -N`, each its node name, port and spool); an evaluation of four
# runs, one per array task, runs on both nodes (the node each exit_status names, and sinfo's two
# node names) and its report.json and report.html equal the local pool's byte for byte.
# Exit 77 (skipped) only when cluster.sh says the daemons cannot run here.
# usage: nodes.sh FEVERBENCH
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
c="$tmp/cluster"
"$here/cluster.sh" start "$c" 2 >"$tmp/start" 2>&1
rc=$?
if [ $rc -eq 77 ]; then cat "$tmp/start" >&2; exit 77; fi
[ $rc -eq 0 ] || { cat "$tmp/start" >&2; exit 1; }
trap '"$here/cluster.sh" stop "$c"; rm -rf "$tmp"' EXIT
export SLURM_CONF="$c/slurm.conf"

# the cluster: two nodes, both idle, one processor each on a 2-processor machine
expect 0 '^fbnode1 idle fbnode2 idle $' sh -c "sinfo -h -N -o '%N %t' | sort | tr '\n' ' '"
expect 0 '^fbnode1 [0-9]+ fbnode2 [0-9]+ $' sh -c "sinfo -h -N -o '%N %c' | sort | tr '\n' ' '"

ev="--dut inproc:reference --dut inproc:flawed-forehead --battery lab-accuracy,lab-febrile --scale quick"
# shellcheck disable=SC2086
expect 1 'report: ' "$fb" evaluate $ev --jobs 2 --out "$tmp/local"
# shellcheck disable=SC2086
"$fb" evaluate $ev --executor slurm --poll 0.3 --out "$tmp/two" >"$tmp/two.log" 2>&1
expect 0 '^1$' echo $?
expect 0 'submitted job [0-9]+: 4 task\(s\), attempt 1 .*4 run\(s\) on slurm: 4 done, 0 failed' tr '\n' ' ' <"$tmp/two.log"
for f in report.json report.html; do
    expect 0 '^same$' sh -c "cmp '$tmp/local/$f' '$tmp/two/$f' && echo same"
done
# where the runs ran: each exit_status names its node; both nodes took some
expect 0 '^fbnode1 fbnode2 $' sh -c "cat '$tmp/two/runs/'*/*/exit_status | sed -n 's/^node //p' | sort -u | tr '\n' ' '"
fb_test_end slurm_nodes
