#!/bin/sh
# docs_studies.sh — regenerates the example studies in docs/studies/ (make docs-studies):
# accuracy vs NETD and the distance a walker is last seen at (single-slow), accuracy vs the
# measuring distance and NETD (docs/studies/measuring-distance/measuring-distance.json: a person standing
# at the distance), and detection vs crowd density (default's arrival rate); each plot of
# interest is also saved as an SVG picture.
#   scripts/docs_studies.sh FEVERBENCH
set -eu
fb=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fb" sweep single-slow --set camera.netd_mk=30:120:30 --set subjects[0].exit_distance_m=1:2.5:0.5 \
    --seeds 5 --quiet --out "$tmp/netd-distance"
"$fb" sweep "$root/docs/studies/measuring-distance/measuring-distance.json" \
    --set subjects[0].start_distance_m=1.5:4:0.25 --set camera.netd_mk=30,60,120 --seeds 10 --quiet \
    --out "$tmp/measuring-distance"
"$fb" sweep default --set population.arrival_rate_per_min=10:40:10 --seeds 5 --quiet \
    --out "$tmp/crowd-density"
for s in netd-distance measuring-distance crowd-density; do
    mkdir -p "$root/docs/studies/$s"
    cp "$tmp/$s/study.json" "$tmp/$s/study.csv" "$tmp/$s/study.html" "$root/docs/studies/$s/"
done
# pictures: the n-th <svg> of a study page (the order is fixed: pass rate per parameter, then
# each metric per parameter)
svg() { # study n out
    awk -v n="$2" 'BEGIN { RS = "<svg"; ORS = "" } NR == n + 1 { sub(/<\/svg>.*/, "</svg>"); print "<svg" $0 "\n" }' \
        "$root/docs/studies/$1/study.html" >"$root/docs/img/$3"
}
svg netd-distance 7 study-netd-skin-mae.svg       # skin MAE vs camera.netd_mk
svg netd-distance 8 study-distance-skin-mae.svg   # skin MAE vs exit distance
svg measuring-distance 3 study-measuring-distance-detection.svg # detection rate vs distance
svg measuring-distance 7 study-measuring-distance-skin-mae.svg  # skin MAE vs distance
svg measuring-distance 9 study-measuring-distance-skin-bias.svg # skin bias vs distance
svg crowd-density 2 study-crowd-detection.svg     # detection rate vs arrival rate
svg crowd-density 1 study-crowd-pass-rate.svg     # criteria pass rate vs arrival rate
