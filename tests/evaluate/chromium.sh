#!/bin/sh
# chromium.sh — report.html as a buyer's browser shows it: headless Chromium loads it offline, every
# plot has marks in it, and the summary table's numbers equal report.json's.
# Skipped (exit 77) when chromium is not installed (scripts/install-deps.sh installs it).
# usage: chromium.sh PATH/TO/feverbench [SCREENSHOT.png]
FB=$1
SHOT=$2
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
    echo "chromium not found: skipped"
    exit 77
fi
. "$(dirname "$0")/../expect.sh"
chrome() {
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
        --hide-scrollbars "$@" 2>>"$tmp/chrome.err"
}

"$FB" evaluate --scale quick --battery lab-accuracy,lab-mrtd,lab-distance,lab-stability,field-entrance,field-crowd,field-hot-drinks \
    --dut inproc:reference --dut inproc:flawed-hottest --dut inproc:flawed-slow --dut inproc:flawed-no-blackbody \
    --quiet --out "$tmp/r"
[ -s "$tmp/r/report.html" ] && ok || bad "no report.html"

chrome --dump-dom "file://$tmp/r/report.html" >"$tmp/dom.html"
grep -q 'Summary ranking' "$tmp/dom.html" && ok || bad "the page did not load: $(tail -3 "$tmp/chrome.err")"
n_file=$(grep -o '<svg class="plot"' "$tmp/r/report.html" | wc -l)
n_dom=$(grep -o '<svg class="plot"' "$tmp/dom.html" | wc -l)
[ "$n_dom" -ge 8 ] && [ "$n_dom" -eq "$n_file" ] && ok || bad "plots in the DOM: $n_dom (file: $n_file)"
# every plot has marks (points or lines) in it
empty=$(awk 'BEGIN{RS="</svg>"} /<svg class="plot"/ { if ($0 !~ /<circle|<polyline/) n++ } END{print n+0}' "$tmp/dom.html")
[ "$empty" -eq 0 ] && ok || bad "$empty plots without marks"

# the summary table's numbers are report.json's (python3 reads both; skipped without it)
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$tmp/dom.html" "$tmp/r/report.json" <<'PY'
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2], encoding="utf-8"))
cells = re.findall(r'data-json="([^"]+)"[^>]*>([^<]*)<', dom)
bad = 0
for path, text in cells:
    v = rep
    for k in path.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    if v is None:
        ok = text.strip() in ("–", "")
    elif isinstance(v, str):
        ok = text.strip() == v
    else:
        decimals = len(text.split(".")[1]) if "." in text else 0
        ok = abs(float(text) - float(v)) <= 0.5 * 10 ** -decimals + 1e-9
    if not ok:
        bad += 1
        print("mismatch", path, text, v)
print(len(cells), "cells compared")
sys.exit(1 if bad or len(cells) < 40 else 0)
PY
    then ok; else bad "summary table and report.json disagree"; fi
else
    echo "python3 not found: table comparison skipped"
fi

chrome --screenshot="$tmp/shot.png" --window-size=1400,2000 "file://$tmp/r/report.html" >/dev/null
size=$(wc -c <"$tmp/shot.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] && ok || bad "screenshot $size bytes"
[ -n "$SHOT" ] && cp "$tmp/shot.png" "$SHOT"

fb_test_end evaluate_chromium
