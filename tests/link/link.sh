#!/bin/sh
# link.sh — the DUT links end to end, as a user meets them (run from the source root).
#
#   link.sh transports FEVERBENCH FW_HOST LIBFBFW SHIM RESULTS_CMP MCU_ELF ARMHF
#       the same scenario and seed over every build of the firmware and every transport gives
#       byte-identical events.jsonl and results.json (but for the "dut" and "audit" fields)
#   link.sh broken FEVERBENCH FW_BROKEN
#       each deliberately broken DUT ends with its exact verdict: exit status and message
#   link.sh cli FEVERBENCH FW_HOST MCU_ELF
#       DUT specs a user can get wrong, realtime pacing, the audit in results.json
# MCU_ELF / ARMHF may be "" when the cross toolchain is missing: those cases are skipped (said so).
# Prints "link-MODE: N passed, M failed".
mode=$1
shift
FB=$1
pass=0
fail=0
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}

# expect CODE PATTERN CMD...: runs CMD, checks its exit status and that stdout+stderr match PATTERN.
expect() {
    code=$1 pattern=$2
    shift 2
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$code" ] && grep -qE -- "$pattern" "$tmp/out"; then
        ok
    else
        bad "$* -> exit $got (expected $code), output:"
        sed 's/^/    /' "$tmp/out" | head -20 >&2
        echo "    (expected to match: $pattern)" >&2
    fi
}

# has FILE PATTERN: FILE matches the extended regex PATTERN.
has() {
    if grep -qE -- "$2" "$1"; then ok; else bad "$1 does not match: $2"; fi
}

# serve_pty LINK [ARGS]: starts the host firmware on a new pty linked at LINK, waits for the link.
serve_pty() {
    link=$1
    shift
    "$FW_HOST" --pty "$link" "$@" 2>>"$tmp/pty.log" &
    pids="$pids $!"
    i=0
    while [ ! -e "$link" ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

case $mode in
transports)
    FW_HOST=$2 LIB=$3 SHIM=$4 CMP=$5 MCU=$6 ARMHF=$7
    RUN_ENV=""
    # 10 s of the default scenario: 250 frames, the first people measured.
    run() {
        name=$1
        shift
        env $RUN_ENV "$FB" run default --duration 10 --quiet --out "$tmp/$name" "$@" \
            >"$tmp/$name.log" 2>&1
        rc=$?
        if [ $rc -le 1 ] && [ -s "$tmp/$name/results.json" ]; then
            ok
        else
            bad "$name: exit $rc"
            sed 's/^/    /' "$tmp/$name.log" | head -20 >&2
        fi
    }
    run inproc --dut inproc:reference
    run dlopen --dut "inproc:$LIB"
    run exec --dut "exec:$FW_HOST"
    serve_pty "$tmp/tty-termios"
    run pty-termios --dut "serial:$tmp/tty-termios@921600"
    serve_pty "$tmp/tty-sp"
    # The libserialport code path on a pty needs the test-only shim (tests/link/pty_shim.c).
    RUN_ENV="LD_PRELOAD=$SHIM ASAN_OPTIONS=verify_asan_link_order=0"
    run pty-libserialport --dut "serial:$tmp/tty-sp@921600,driver=libserialport"
    RUN_ENV=""
    names="dlopen exec pty-termios pty-libserialport"
    if [ -n "$ARMHF" ] && command -v qemu-arm >/dev/null; then
        run qemu-user --dut "exec:qemu-arm $ARMHF"
        names="$names qemu-user"
    else
        echo "SKIPPED: qemu-user (no arm-linux-gnueabihf-gcc build or no qemu-arm)" >&2
    fi
    if [ -n "$MCU" ] && command -v qemu-system-arm >/dev/null; then
        run qemu-mcu --dut "qemu-mcu:$MCU"
        names="$names qemu-mcu"
    else
        echo "SKIPPED: qemu-mcu (no arm-none-eabi-gcc build or no qemu-system-arm)" >&2
    fi
    for p in $pids; do kill "$p" 2>/dev/null; done # served and gone, or never reached
    pids=""
    has "$tmp/inproc/results.json" '"complete":[[:space:]]*true'
    n=$(wc -l <"$tmp/inproc/events.jsonl")
    if [ "$n" -ge 2 ]; then ok; else bad "inproc: only $n events in 10 s (expected a few)"; fi
    for t in $names; do
        if cmp -s "$tmp/inproc/events.jsonl" "$tmp/$t/events.jsonl"; then ok; else
            bad "$t: events.jsonl differs from inproc's"
            diff "$tmp/inproc/events.jsonl" "$tmp/$t/events.jsonl" | head -5 >&2
        fi
        if "$CMP" "$tmp/inproc/results.json" "$tmp/$t/results.json"; then ok; else
            bad "$t: results.json differs from inproc's (dut and audit aside)"
        fi
        has "$tmp/$t/results.json" '"clean":[[:space:]]*true'
    done
    has "$tmp/exec/results.json" '"transport":[[:space:]]*"exec"'
    # a vendor's library runs in its sandboxed host process, never in the bench
    has "$tmp/dlopen/results.json" '"transport":[[:space:]]*"lib"'
    has "$tmp/dlopen/results.json" '"mode":[[:space:]]*"on"'
    has "$tmp/exec/results.json" '"mode":[[:space:]]*"on"'
    has "$tmp/inproc/results.json" '"mode":[[:space:]]*"none"'
    has "$tmp/exec/results.json" '"FRAME_CHUNK":[[:space:]]*24000'
    has "$tmp/pty-libserialport/results.json" '"transport":[[:space:]]*"serial"'
    if [ -s "$tmp/qemu-mcu/results.json" ]; then
        # the MCU takes frames on its frame port: 250 frames of 256x192x2 bytes
        has "$tmp/qemu-mcu/results.json" '"frame_port_bytes":[[:space:]]*24576000'
    fi
    ;;

broken)
    BROKEN=$2
    cat >"$tmp/fast.json" <<'EOF'
{
  "name": "fast-timeouts",
  "duration_s": 4,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 1, "handshake_timeout_s": 1 },
  "criteria": { "audit_clean": 1 }
}
EOF
    # verdict MODE CODE PATTERN: the broken DUT MODE (misbehaving from frame 5) ends with CODE
    # and a message matching PATTERN (stdout: the scorecard, stderr: the verdict).
    verdict() {
        m=$1
        shift
        expect "$@" "$FB" run "$tmp/fast.json" --out "$tmp/$m" --dut "exec:$BROKEN --broken $m@5"
        if [ "$1" -eq 3 ]; then
            has "$tmp/$m/results.json" '"complete":[[:space:]]*false'
            has "$tmp/$m/results.json" '"stop_reason":[[:space:]]*"DUT fault'
        fi
    }
    verdict hang 3 'DUT fault at frame 5: DUT sent no FRAME_DONE for frame 5 within 1 s \(dut.frame_timeout_s\)'
    verdict crash 3 'DUT fault at frame 5: DUT closed the link .*process was killed by signal 11'
    verdict exit 3 'DUT fault at frame 5: DUT closed the link .*process exited with status 0'
    # Bytes that make no packet whose CRC held are outside the protocol: a finding, and the run
    # goes on (the framing resynchronises at the delimiter). A 1500-byte EVENT before each
    # FRAME_DONE from frame 5 on: frames 5..99 of 4 s at 25 fps, 95 runs; each is the raw packet
    # 83 00 DC 05 + 1500 x 5A + CRC COBS-encoded: 02 83 (the block ended by the 00), then 1506
    # bytes without a zero = 5 blocks of FF + 254 bytes and one of ED + 236 bytes: 1514 bytes
    # (its CRC holds no zero byte).
    verdict oversize 1 'FAIL +audit_clean'
    has "$tmp/oversize/results.json" '"complete":[[:space:]]*true'
    has "$tmp/oversize/results.json" '"runs":[[:space:]]*95,'
    has "$tmp/oversize/results.json" '"bytes":[[:space:]]*143830,'
    has "$tmp/oversize/results.json" '"first_hex":[[:space:]]*"02 83 ff dc 05 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a"'
    has "$tmp/oversize/results.json" '"first_frame":[[:space:]]*5,'
    # A log line on stdout before FRAME_DONE of frame 5 ("fw: frame 5 ok\r\n" and a 0x00) and
    # of frame 6 (no 0x00: it runs into the FRAME_DONE, which is found at its end): 2 x 16
    # bytes in 2 runs; every frame scored, the same events as a clean run's.
    verdict chatter 1 'FAIL +audit_clean'
    has "$tmp/chatter/results.json" 'DUT sent 32 bytes outside the protocol in 2 runs \(the first at frame 5: 66 77 3a 20 66 72 61 6d 65 20 35 20 6f 6b 0d 0a\)'
    has "$tmp/chatter/results.json" '"complete":[[:space:]]*true'
    "$FB" run "$tmp/fast.json" --quiet --out "$tmp/clean" --dut "exec:$BROKEN --broken chatter@1000000" \
        >/dev/null 2>&1
    if cmp -s "$tmp/clean/events.jsonl" "$tmp/chatter/events.jsonl"; then ok; else
        bad "chatter: events.jsonl differs from a clean run's"
    fi
    # The same on a serial link (a pty; the MCU's UART is the other such link: contain.sh
    # hostile-mcu): a finding, the run goes on.
    FW_HOST=$BROKEN
    serve_pty "$tmp/tty-chatter" --broken chatter@5
    expect 1 'FAIL +audit_clean' "$FB" run "$tmp/fast.json" --out "$tmp/serial-chatter" \
        --dut "serial:$tmp/tty-chatter@921600"
    has "$tmp/serial-chatter/results.json" 'DUT sent 32 bytes outside the protocol in 2 runs \(the first at frame 5: 66 77 3a 20 66 72 61 6d 65 20 35 20 6f 6b 0d 0a\)'
    has "$tmp/serial-chatter/results.json" '"complete":[[:space:]]*true'
    has "$tmp/serial-chatter/results.json" '"transport":[[:space:]]*"serial"'
    for p in $pids; do kill "$p" 2>/dev/null; done
    pids=""
    # Random bytes without end: each run a finding, until the flood limit ends the run.
    verdict garbage 3 'DUT fault at frame 5: DUT flooded the link: more than 1048576 bytes without a FRAME_DONE'
    has "$tmp/garbage/results.json" 'bytes outside the protocol in [0-9]+ runs \(the first at frame 5: '
    verdict wrong-frame 3 'DUT fault at frame 5: DUT sent FRAME_DONE for frame 8, but frame 5 was the one outstanding'
    verdict flood 3 'DUT fault at frame 5: DUT flooded the link: more than 1048576 bytes without a FRAME_DONE'
    verdict silent 3 'DUT fault before the first frame: DUT did not answer HELLO within 1 s \(dut.handshake_timeout_s\)'
    verdict bad-version 3 'DUT fault before the first frame: DUT .* speaks protocol version 9.0; the bench speaks 1.0'
    # The event-frame rule on every frame, not only the last: an event naming frame 6 in the
    # answer to frame 5 (the bench had already sent frame 6: lookahead) is a fault at once.
    verdict next-frame 3 'DUT fault at frame 5: DUT reported frame 6 in its answer to frame 5'
    # A malformed HELLO_ACK (CRC right, payload wrong) is reported as malformed at once, not as
    # silence after the handshake timeout.
    sed 's/"handshake_timeout_s": 1/"handshake_timeout_s": 30/' "$tmp/fast.json" >"$tmp/slow-hs.json"
    start=$(date +%s)
    expect 3 'DUT fault before the first frame: DUT sent a malformed packet while the bench waited for HELLO_ACK: bad payload \(packet of 13 bytes, type 0x81\)' \
        "$FB" run "$tmp/slow-hs.json" --out "$tmp/bad-hello" --dut "exec:$BROKEN --broken bad-hello"
    if [ $(($(date +%s) - start)) -lt 15 ]; then ok; else bad "bad-hello took $(($(date +%s) - start)) s (the 30 s handshake timeout?)"; fi
    # What the DUT writes to stderr reaches the terminal escaped: no escape sequence gets through.
    "$FB" run "$tmp/fast.json" --quiet --out "$tmp/esc" --dut "exec:$BROKEN --broken stderr-escape@5" \
        2>"$tmp/esc.log"
    if grep -q "$(printf '\033')" "$tmp/esc.log"; then bad "an ESC byte reached stderr"; else ok; fi
    has "$tmp/esc.log" '\\x1b\[2J\\x1b\[H\\x1b\]0;owned\\x07\\x1b\[31mred'
    # Image data coming back is no fault (the run completes) but the audit finds it.
    verdict images 1 'FAIL +audit_clean'
    has "$tmp/images/results.json" 'DUT sent 9120 FRAME_CHUNK messages, which only the bench sends \(image data coming back\)'
    has "$tmp/images/results.json" '"complete":[[:space:]]*true'
    # What was scored before the fault is kept. A process DUT works one frame behind the bench
    # (lookahead), so the bench had rendered frame 6 when it found frame 5 unanswered.
    has "$tmp/hang/results.json" '"frames":[[:space:]]*7,'
    has "$tmp/hang/truth.jsonl" '"frame":6,'
    ;;

cli)
    FW_HOST=$2 MCU=$3
    expect 2 'unknown transport "bogus" \(expected one of: inproc, exec, lib, serial, qemu-mcu\)' \
        "$FB" run default --duration 1 --dut bogus:x
    expect 0 'qemu-mcu' "$FB" list
    expect 2 'cannot start "/no/such/firmware": No such file or directory' \
        "$FB" run default --duration 1 --dut "exec:/no/such/firmware"
    expect 2 'exec DUT: no program given' "$FB" run default --duration 1 --dut "exec:"
    # 64 words: one more than an exec command line holds (was: the rest dropped silently)
    expect 2 'exec DUT: more than 63 words on the command line' "$FB" run default --duration 1 \
        --dut "exec:echo $(seq -s ' ' 1 63)"
    expect 2 'firmware library "/no/such.so": cannot load: No such file' "$FB" run default --duration 1 --dut "inproc:/no/such.so"
    # a library that is no firmware: its host says so, and it is the DUT's fault
    expect 3 'DUT reported a fatal error 100: does not export fbfw_state_size' "$FB" run default --duration 1 \
        --dut "inproc:$(ldd "$FB" | awk '/libc\.so/ {print $3}')"
    expect 2 'serial DUT /no/such/tty: No such file or directory' \
        "$FB" run default --duration 1 --dut "serial:/no/such/tty"
    expect 2 'unsupported baud rate "fast"' "$FB" run default --duration 1 --dut "serial:/dev/null@fast"
    expect 2 'unknown driver "usb"' "$FB" run default --duration 1 --dut "serial:/dev/null,driver=usb"
    expect 2 'not a terminal' "$FB" run default --duration 1 --dut "serial:/dev/null,driver=termios"
    # libserialport cannot open a pty by itself (the test shim exists for that): a clear message.
    serve_pty "$tmp/tty-nosp"
    expect 2 'libserialport: .* failed: .*\(a pty needs driver=termios\)' \
        "$FB" run default --duration 1 --dut "serial:$tmp/tty-nosp,driver=libserialport"
    expect 2 '--pacing: "fast" is not lockstep or realtime' "$FB" run default --pacing fast
    # A program that is not a firmware: it answers nothing, then the handshake times out.
    printf '{"name":"t","duration_s":1,"camera":"turret-256","population":{},"dut":{"handshake_timeout_s":0.5}}\n' >"$tmp/hs.json"
    expect 3 'DUT fault before the first frame: DUT did not answer HELLO within 0.5 s' \
        "$FB" run "$tmp/hs.json" --quiet --out "$tmp/hs" --dut "exec:sleep 30"
    has "$tmp/hs/results.json" '"frames":[[:space:]]*0,'
    # A program that talks, but not the protocol: its bytes are counted before the handshake.
    expect 3 'DUT fault before the first frame: DUT closed the link' \
        "$FB" run "$tmp/hs.json" --quiet --out "$tmp/echo" --dut "exec:echo hello"
    # Realtime pacing over exec: 2 s take 2 s of wall clock; events stamped on arrival.
    start=$(date +%s)
    expect 1 'Link audit \(exec, realtime\)' "$FB" run default --duration 2 --pacing realtime --dut "exec:$FW_HOST"
    end=$(date +%s)
    if [ $((end - start)) -ge 1 ]; then ok; else bad "realtime 2 s run took $((end - start)) s"; fi
    if [ -n "$MCU" ] && command -v qemu-system-arm >/dev/null; then
        # A file that is no firmware: QEMU refuses it, and the bench says so (a 5 s handshake:
        # QEMU's own start on a loaded machine can take more than the 0.5 s above).
        sed 's/"handshake_timeout_s":0.5/"handshake_timeout_s":5/' "$tmp/hs.json" >"$tmp/hs5.json"
        expect 3 'DUT fault before the first frame: DUT closed the link .*QEMU process (exited|was killed)' \
            "$FB" run "$tmp/hs5.json" --quiet --dut "qemu-mcu:$tmp/hs.json"
        expect 2 'qemu-mcu DUT /no/such.elf: No such file or directory' \
            "$FB" run default --duration 1 --dut "qemu-mcu:/no/such.elf"
    fi
    ;;
*)
    echo "usage: link.sh transports|broken|cli ..." >&2
    exit 2
    ;;
esac

echo "link-$mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
