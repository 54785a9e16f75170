# expect.sh — shared by the shell test scripts: counters, a temp dir, ok/bad/has, `expect`, the end.
# Source it after setting nothing (`. "$(dirname "$0")/../expect.sh"`); it defines pass, fail,
# tmp (removed at exit; a script with more to clean up sets its own trap after this) and:
#   ok / bad MESSAGE            count a check passed / failed (MESSAGE on stderr)
#   has FILE PATTERN            FILE holds a line matching the extended regex PATTERN
#   expect CODE PATTERN CMD...  runs CMD, checks its exit status and that stdout+stderr match
#                               the extended regex PATTERN; prints the output on failure.
#   fb_test_end NAME            the last line: "NAME: P passed, F failed", status 0 when F is 0
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
has() { if grep -qE -- "$2" "$1"; then ok; else bad "$1 does not match: $2"; fi; }
fb_test_end() {
    echo "${1:+$1: }$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

expect() {
    code=$1 pattern=$2
    shift 2
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$code" ] && grep -qE -- "$pattern" "$tmp/out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $* -> exit $got (expected $code), output:" >&2
        sed 's/^/    /' "$tmp/out" | head -20 >&2
        echo "    (expected to match: $pattern)" >&2
    fi
}
