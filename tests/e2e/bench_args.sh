#!/bin/sh
# bench_args.sh FB_BENCH — fb_bench's option errors: a bad --threads is a usage error (status 2)
# with a message naming what was expected, before anything is measured; an unknown scenario is
# named once (not again by each of its runs), status 1. The header names the CPU's vector path.
. "$(dirname "$0")/../expect.sh"
B=$1
expect 2 'needs a number \(1 to 64\)' "$B" --threads
expect 2 '--threads 0: not a number between 1 and 64' "$B" --threads 0
expect 2 '--threads 65: not a number between 1 and 64' "$B" --threads 65
expect 2 '--threads 2x: not a number between 1 and 64' "$B" --threads 2x
expect 2 '--threads : not a number between 1 and 64' "$B" --threads ''
expect 1 'no-such-scenario: no such file, and no shipped scenario' "$B" no-such-scenario
n=$(grep -c 'no-such-scenario: no such file' "$tmp/out")
if [ "$n" -eq 1 ]; then ok; else bad "the unknown scenario was named $n times, not once"; fi
has "$tmp/out" '^cpu: .*; widest vector path: (AVX-512|AVX2 \(no AVX-512\)|plain C)$'
fb_test_end bench_args
