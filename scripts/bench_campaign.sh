#!/bin/sh
# bench_campaign.sh — one campaign six ways: local --jobs 1, local --jobs 2, a one-node Slurm
# cluster (tests/slurm/cluster.sh, 1 node x all processors) and a two-node one on the same machine
# (2 nodes x half the processors each), each with one run per array task and with batches of SEEDS
# runs (--batch); prints runs per minute, the efficiency against one core, the per-run cost and
# which nodes took the runs (figures, not a test).
#   scripts/bench_campaign.sh FEVERBENCH [SEEDS] [DURATION_S]
set -u
fb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
seeds=${2:-4}
dur=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap '"$here/../tests/slurm/cluster.sh" stop "$tmp/cluster" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
grid="default --set camera.netd_mk=30:90:20 --seeds $seeds --duration $dur --quiet"
runs=$((4 * seeds))
now() { date +%s.%N; }
measure() { # label cores args...
    label=$1 cores=$2
    shift 2
    t0=$(now)
    "$fb" sweep $grid "$@" >/dev/null 2>"$tmp/err" || { echo "$label: failed:" >&2; cat "$tmp/err" >&2; return 1; }
    t1=$(now)
    awk -v l="$label" -v c="$cores" -v n="$runs" -v a="$t0" -v b="$t1" -v base="${base:-0}" 'BEGIN {
        s = b - a; rpm = n * 60 / s
        eff = base > 0 ? rpm / (base * c) : 1
        printf "%-22s %3d runs %7.1f s %7.1f runs/min  efficiency %.2f  %.2f core-s/run\n", l, n, s, rpm, eff, s * c / n }'
    [ -n "${base:-}" ] || base=$(awk -v n="$runs" -v a="$t0" -v b="$t1" 'BEGIN { print n * 60 / (b - a) }')
}
echo "campaign: default, 4 NETD values x $seeds seeds, $dur s simulated each ($(nproc) processors, load $(cut -d' ' -f1 /proc/loadavg))"
base=
measure "local --jobs 1" 1 --executor local --jobs 1 --out "$tmp/j1"
measure "local --jobs 2" 2 --executor local --jobs 2 --out "$tmp/j2"
cores=$(nproc)
for nodes in 1 2; do
    cl="$tmp/cluster"
    if "$here/../tests/slurm/cluster.sh" start "$cl" "$nodes" >/dev/null 2>"$tmp/cl"; then
        export SLURM_CONF="$cl/slurm.conf"
        measure "slurm ($nodes node(s))" "$cores" --executor slurm --poll 0.5 --out "$tmp/sl$nodes"
        measure "slurm $nodes, --batch $seeds" "$cores" --executor slurm --poll 0.5 --batch "$seeds" --out "$tmp/sb$nodes"
        for d in sl$nodes sb$nodes; do
            printf '  %s: runs per node: %s\n' "$d" "$(sed -n 's/^node //p' "$tmp/$d/runs/"*/exit_status |
                sort | uniq -c | awk '{ printf "%s %s  ", $2, $1 }')"
        done
        cmp -s "$tmp/j1/study.json" "$tmp/sl$nodes/study.json" && cmp -s "$tmp/j1/study.json" "$tmp/sb$nodes/study.json" &&
            echo "  study.json: slurm on $nodes node(s) (both) = local, byte for byte"
        "$here/../tests/slurm/cluster.sh" stop "$cl" >/dev/null 2>&1
        rm -rf "$cl"
    else
        echo "slurm ($nodes node(s)): skipped: $(cat "$tmp/cl")"
    fi
done
