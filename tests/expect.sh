# expect.sh — shared by the CLI test scripts: counters, a temp dir, and `expect`.
# Source it after setting nothing; it defines pass, fail, tmp (removed at exit) and:
#   expect CODE PATTERN CMD...  runs CMD, checks its exit status and that stdout+stderr match
#                               the extended regex PATTERN; prints the output on failure.
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
