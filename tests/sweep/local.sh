#!/bin/sh
# local.sh — `feverbench sweep` on the local executor: a 2-point x 2-seed grid of 12-s runs,
# study files checked against the runs' own results.json (pooled by hand here), resume after
# a run is removed, and bad input (unknown key with the nearest names, bad values) as exit 2.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
# status only: runs CMD, checks its exit status
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
fb="$1"
out="$tmp/s"
args="default --set camera.netd_mk=40,80 --seeds 2 --seed 7 --duration 12 --jobs 2 --quiet"
expect_rc 0 "$fb" sweep $args --out "$out"
for f in study.json study.csv study.html points/p0000.json points/p0001.json runs/p0000-s7/results.json runs/p0001-s8/results.json; do
    expect_rc 0 test -s "$out/$f"
done
# the grid point's scenario differs from default by the camera's NETD only
expect 0 '"netd_mk":	80' cat "$out/points/p0001.json"
# skin MAE of p0001: the mean of its two runs' values (python3 recomputes from results.json)
expect 0 '^ok$' python3 -c '
import json, statistics, sys
d = sys.argv[1]
st = json.load(open(d + "/study.json"))
for i, p in enumerate(st["points"]):
    xs = [json.load(open("%s/runs/p%04d-s%d/results.json" % (d, i, s)))["accuracy"]["skin"]["mae_c"] for s in (7, 8)]
    m = p["metrics"]["accuracy.skin.mae_c"]
    assert abs(m["mean"] - statistics.mean(xs)) < 1e-5 * max(1, abs(m["mean"])), (m, xs)
    h = 12.706 * statistics.stdev(xs) / 2 ** 0.5
    assert abs(m["ci95_hi"] - m["mean"] - h) < 1e-5 * max(1, h), (m, h)
    assert p["values"]["camera.netd_mk"] == [40, 80][i] and p["runs"] == 2
print("ok")' "$out"
expect 0 '^point,camera.netd_mk,runs,complete_runs,pass_rate,' head -n 1 "$out/study.csv"
expect 0 '<svg' cat "$out/study.html"
# the HTML is self-contained: no script, nothing fetched
expect_rc 1 grep -Eq '<script|src=|href="http' "$out/study.html"
cp "$out/study.json" "$tmp/first.json"
cp "$out/study.html" "$tmp/first.html"
# resume: one run removed, the rest kept (their results.json untouched), same study
touch -d '2000-01-01' "$out/runs/p0000-s7/results.json"
rm -r "$out/runs/p0001-s8"
expect 0 '1 run\(s\) already done|3 run\(s\) already done, 1 done now' "$fb" sweep $(echo "$args" | sed 's/ --quiet//') --out "$out"
# progress off a terminal: the executor's counts, the last line when all are done
cp "$tmp/out" "$tmp/resume.out"
expect 0 '^queued 0, running 0, done 1, failed 0$' cat "$tmp/resume.out"
expect 0 '^2000' sh -c "date -r '$out/runs/p0000-s7/results.json' +%Y"
expect_rc 0 cmp "$tmp/first.json" "$out/study.json"
expect_rc 0 cmp "$tmp/first.html" "$out/study.html"
# a run that fails on its first attempt (a wrapper in place of the binary exits 1 once) is run
# again; with --attempts 1 it stays failed: exit 3, the study written from the rest
cat >"$tmp/flaky.sh" <<W
#!/bin/sh
if [ "\$2" = points/p0001.json ] && [ "\$4" = 8 ] && [ ! -e "\$(dirname "\$0")/failed-once" ]; then
    touch "\$(dirname "\$0")/failed-once"
    echo "flaky.sh: failing on purpose" >&2
    exit 1
fi
exec "$fb" "\$@"
W
chmod +x "$tmp/flaky.sh"
expect_rc 0 "$fb" sweep $args --bin "$tmp/flaky.sh" --out "$tmp/retry"
expect 0 'failing on purpose' cat "$tmp/retry/runs/p0001-s8/log.txt"
expect_rc 0 cmp "$tmp/first.json" "$tmp/retry/study.json"
rm "$tmp/failed-once"
expect 3 '1 run\(s\) failed after 1 attempt' "$fb" sweep $args --bin "$tmp/flaky.sh" --attempts 1 --out "$tmp/once"
expect 0 '"complete":	false' cat "$tmp/once/study.json"
expect 0 '"complete_runs":	1' cat "$tmp/once/study.json"
# bad input: nothing runs
expect 2 'unknown key "camera.netd_mK" \(nearest: camera.netd_mk' "$fb" sweep default --set camera.netd_mK=1 --out "$tmp/bad"
expect 2 'population.arrival_rate_per_min' "$fb" sweep default --set population.arival_rate_per_min=5 --out "$tmp/bad"
expect 2 'p0000.json:[0-9]+:[0-9]+: camera.netd_mk: must be' "$fb" sweep default --set camera.netd_mk=-5 --out "$tmp/bad"
expect_rc 1 test -d "$tmp/bad/runs"
expect 2 'range' "$fb" sweep default --set camera.netd_mk=9:1:1 --out "$tmp/bad"
expect 2 'executor' "$fb" sweep default --set camera.netd_mk=1 --executor pbs --out "$tmp/bad"
expect 2 'seeds' "$fb" sweep default --set camera.netd_mk=1 --seeds 0 --out "$tmp/bad"
echo "sweep_local: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
