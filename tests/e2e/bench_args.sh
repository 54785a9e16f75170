#!/bin/sh
# bench_args.sh FB_BENCH — fb_bench's option errors: a bad --threads is a usage error (status 2)
# with a message naming what was expected, before anything is measured.
. "$(dirname "$0")/../expect.sh"
B=$1
expect 2 'needs a number \(1 to 64\)' "$B" --threads
expect 2 '--threads 0: not a number between 1 and 64' "$B" --threads 0
expect 2 '--threads 65: not a number between 1 and 64' "$B" --threads 65
expect 2 '--threads 2x: not a number between 1 and 64' "$B" --threads 2x
expect 2 '--threads : not a number between 1 and 64' "$B" --threads ''
fb_test_end bench_args
