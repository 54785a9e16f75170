#!/bin/sh
# args.sh — evaluate checks every --dut and --camera before it runs anything: a misspelled one is
# exit 2 with a message naming it, and no output folder is made (nothing was run).
# usage: args.sh FEVERBENCH
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"
fb=$1
nothing_made() {
    if [ -e "$tmp/$1" ]; then
        fail=$((fail + 1))
        echo "FAIL: $tmp/$1 was made" >&2
    else pass=$((pass + 1)); fi
}
expect 2 '--dut inproc:referense: inproc DUT "referense": unknown firmware' \
    "$fb" evaluate --dut inproc:reference --dut inproc:referense --out "$tmp/e1"
expect 2 'nothing was run' sh -c "'$fb' evaluate --dut inproc:referense --out '$tmp/e1' 2>&1"
nothing_made e1
# every bad one is named, not only the first
expect 0 'exec:/no/such/fw: exec DUT: program /no/such/fw: No such file.*lib:/no/lib.so: firmware library "/no/lib.so": cannot load.*--dut foo:bar: DUT spec "foo:bar": unknown transport "foo" \(expected one of: inproc, exec, lib.* exit 2$' \
    sh -c "'$fb' evaluate --dut exec:/no/such/fw --dut lib:/no/lib.so --dut foo:bar --out '$tmp/e2' >'$tmp/e2.log' 2>&1; rc=\$?; tr '\n' ' ' <'$tmp/e2.log'; echo exit \$rc"
nothing_made e2
expect 2 'program "no-such-firmware-xyz" not found on PATH' \
    "$fb" evaluate --dut exec:no-such-firmware-xyz --out "$tmp/e3"
nothing_made e3
expect 2 '--camera: .*lepton-16' "$fb" evaluate --camera lepton-16 --out "$tmp/e4"
nothing_made e4
# a bare name is an inproc fixture; a program found on PATH passes the check
expect 2 'inproc DUT "flawed-hotest": unknown firmware' "$fb" evaluate --dut flawed-hotest --out "$tmp/e5"
nothing_made e5
echo "evaluate_args: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
