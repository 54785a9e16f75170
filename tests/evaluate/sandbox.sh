#!/bin/sh
# sandbox.sh — `feverbench evaluate --sandbox on|off` reaches every run: their results.json say
# the mode, the resume key keeps an unsandboxed run from standing in for a sandboxed one.
# usage: sandbox.sh PATH/TO/feverbench PATH/TO/fbfw_host   (run from the source root)
FB=$1 HOST=$2
. "$(dirname "$0")/../expect.sh"
lacks() { if grep -qE -- "$2" "$1"; then fail=$((fail + 1)); echo "FAIL: $1 matches: $2" >&2; else pass=$((pass + 1)); fi; }
ONE="--dut exec:$HOST --battery lab-accuracy --scale quick --jobs 1 --quiet"
expect 2 '--sandbox: "maybe" is not on or off' "$FB" evaluate --sandbox maybe --out "$tmp/x"
# shellcheck disable=SC2086
"$FB" evaluate $ONE --sandbox off --out "$tmp/e" >/dev/null 2>&1
st=$?
if [ $st -le 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: evaluate --sandbox off: exit $st" >&2; fi
run=$tmp/e/runs/fbfw_host/lab-accuracy
has "$run/results.json" '"mode":[[:space:]]*"off"'
has "$run/evaluate.key" '^sandbox off$'
# the same evaluation sandboxed (the default): the unsandboxed run is redone, not reused
# shellcheck disable=SC2086
"$FB" evaluate $ONE --out "$tmp/e" >/dev/null 2>&1
has "$run/results.json" '"mode":[[:space:]]*"(on|partial)"'
lacks "$run/evaluate.key" '^sandbox'
echo "evaluate_sandbox: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
