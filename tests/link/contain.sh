#!/bin/sh
# contain.sh — nothing a DUT starts outlives the run, and signals beat a stuck DUT (run from the
# source root).
#
#   contain.sh leftovers FEVERBENCH FW_BROKEN
#       DUTs that fork a daemon holding the link, leave a setsid grandchild, ignore SIGTERM (and
#       have a child that does), or spawn a process as they acknowledge BYE: after the run, the
#       process table holds none of them — with the PID namespace, with the keeper's fallback
#       (FB_SANDBOX_DENY=pid,user: what a kernel without namespaces gets), and when the bench
#       itself is killed with SIGKILL
#   contain.sh hostile FEVERBENCH FW_BROKEN
#       hostile firmwares through exec: each attempt caught, denied, reported with its frame;
#       fork bombs and 2 GiB allocations contained; --sandbox off and missing layers reported
#   contain.sh hostile-lib FEVERBENCH LIBDIR
#       hostile vendor libraries (crash, tamper) in their sandboxed host process
#   contain.sh hostile-qemu FEVERBENCH ARM_BROKEN
#       the hostile firmwares built for ARM Linux, through qemu-user (exec:qemu-arm ...): the same
#       attempts caught and denied (qemu makes them on the guest's behalf), nothing left behind
#       (exit 77 without the ARM build or qemu-arm)
#   contain.sh vendor FEVERBENCH FW_DIR
#       a vendor's build as installed under /opt/VENDOR (bin/fw, lib/libfbfw_reference.so found
#       through RUNPATH $ORIGIN/../lib) runs clean in the sandbox; under /var/tmp (hidden) its
#       library cannot be read (exit 77 where /opt is not writable)
#   contain.sh signals FEVERBENCH FW_BROKEN
#       SIGTERM / SIGINT while the bench waits on a DUT with hour-long deadlines end the run at
#       once: exit 128+N, results.json written, complete false, the signal in stop_reason
# Every fixture process carries a tag unique to this test run in its command line, which is how
# the process table is searched. Prints "contain-MODE: N passed, M failed".
mode=$1
FB=$2
BROKEN=$3
pass=0
fail=0
tmp=$(mktemp -d)
tag="fbcontain$$x"
printf '%s\n' "$tag" >"$tmp/tag"
cleanup() {
    for p in $(leftovers); do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}

# leftovers: the pids of processes whose command line holds the tag (the fixtures and their
# children; grep reads the tag from a file, so it is not one of them).
leftovers() {
    grep -lsaFf "$tmp/tag" /proc/[0-9]*/cmdline | sed 's|^/proc/||; s|/cmdline$||'
}

# none_left WHAT: no tagged process is running (after up to 1 s: the kernel's teardown of a PID
# namespace and a killed bench's keeper take a moment).
none_left() {
    i=0
    while [ -n "$(leftovers)" ] && [ $i -lt 20 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    left=$(leftovers)
    if [ -z "$left" ]; then ok; else
        bad "$1: processes left behind:"
        for p in $left; do
            echo "    $p $(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null) ($(cat /proc/"$p"/comm 2>/dev/null))" >&2
            kill -9 "$p" 2>/dev/null
        done
    fi
}

# expect_status WHAT CODE GOT
expect_status() {
    if [ "$3" -eq "$2" ]; then ok; else
        bad "$1: exit $3 (expected $2)"
        sed 's/^/    /' "$tmp/log" | head -10 >&2
    fi
}

has() {
    if grep -qE -- "$2" "$1"; then ok; else bad "$1 does not match: $2"; fi
}

cat >"$tmp/fast.json" <<'EOF'
{
  "name": "contain",
  "duration_s": 2,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 1, "handshake_timeout_s": 1 }
}
EOF
cat >"$tmp/slow.json" <<'EOF'
{
  "name": "long-deadlines",
  "duration_s": 60,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 3600, "handshake_timeout_s": 3600 }
}
EOF

# run_fixture WHAT CODE MODE [ENV]: a run against the broken DUT MODE (from frame 5).
run_fixture() {
    what=$1 code=$2 m=$3
    shift 3
    env "$@" "$FB" run "$tmp/fast.json" --quiet --out "$tmp/$what" \
        --dut "exec:$BROKEN --broken $m@5 --tag $tag" >"$tmp/log" 2>&1
    expect_status "$what" "$code" $?
    none_left "$what"
}

now_ms() { date +%s%3N; }

case $mode in
leftovers)
    # With the namespace (this machine allows it: root or unprivileged user namespaces) ...
    run_fixture daemon 0 daemon
    run_fixture setsid 0 setsid
    run_fixture late-spawn 0 late-spawn
    run_fixture ignore-term 3 ignore-term
    has "$tmp/ignore-term/results.json" 'DUT sent no FRAME_DONE for frame 5'
    # ... and with the keeper as a subreaper, as on a kernel that refuses namespaces.
    for m in daemon setsid late-spawn; do
        run_fixture "$m-nons" 0 "$m" FB_SANDBOX_DENY=pid,user
    done
    run_fixture ignore-term-nons 3 ignore-term FB_SANDBOX_DENY=pid,user
    # The bench killed outright (no chance to clean up): its keeper dies with it, and so does
    # the namespace. The DUT hangs at frame 5 with its children about.
    for env in "FB_X=1" "FB_SANDBOX_DENY=pid,user"; do
        env $env "$FB" run "$tmp/slow.json" --quiet \
            --dut "exec:$BROKEN --broken ignore-term@5 --tag $tag" >"$tmp/log" 2>&1 &
        fb=$!
        sleep 1
        kill -9 $fb
        wait $fb 2>/dev/null
        none_left "bench killed by SIGKILL ($env)"
    done
    ;;

signals)
    # sig_during WHAT SIGNAL CODE MODE: SIGNAL 1 s into a run whose DUT misbehaves (MODE) with
    # hour-long deadlines ends it with CODE within a fraction of a second.
    sig_during() {
        what=$1 sig=$2 code=$3 m=$4
        "$FB" run "$tmp/slow.json" --quiet --out "$tmp/$what" \
            --dut "exec:$BROKEN --broken $m --tag $tag" >"$tmp/log" 2>&1 &
        fb=$!
        sleep 3 # past frame 5 and its hang, even in a sanitizer build on a loaded machine
        t0=$(now_ms)
        kill -"$sig" $fb
        wait $fb
        got=$?
        t1=$(now_ms)
        expect_status "$what" "$code" $got
        echo "$what: exit $got $((t1 - t0)) ms after SIG$sig"
        # a fraction of a second; 3 s leaves room for a loaded machine (the deadline is 3600 s)
        if [ $((t1 - t0)) -lt 3000 ]; then ok; else bad "$what: took $((t1 - t0)) ms"; fi
        has "$tmp/$what/results.json" '"complete":[[:space:]]*false'
        has "$tmp/$what/results.json" "\"stop_reason\":[[:space:]]*\"interrupted by signal $((code - 128))"
        none_left "$what"
    }
    # waiting for FRAME_DONE of frame 5, which never comes
    sig_during term-frame TERM 143 hang@5
    has "$tmp/term-frame/results.json" 'while the bench waited for FRAME_DONE of frame 5'
    sig_during int-frame INT 130 hang@5
    # a DUT that ignores SIGTERM itself and has a child that does
    sig_during term-noterm TERM 143 ignore-term@5
    # waiting for HELLO_ACK, which never comes: no frames, still a report
    sig_during int-hello INT 130 silent
    has "$tmp/int-hello/results.json" '"frames":[[:space:]]*0,'
    has "$tmp/int-hello/results.json" 'while the bench waited for HELLO_ACK before the first frame'
    # twice in a row: the second signal does not cut the report short
    "$FB" run "$tmp/slow.json" --quiet --out "$tmp/twice" \
        --dut "exec:$BROKEN --broken hang@5 --tag $tag" >"$tmp/log" 2>&1 &
    fb=$!
    sleep 1
    kill -TERM $fb
    kill -TERM $fb 2>/dev/null
    wait $fb
    expect_status twice 143 $?
    has "$tmp/twice/results.json" '"complete":[[:space:]]*false'
    none_left twice
    ;;
hostile)
    # Hostile firmwares (docs/security.md), each trying once at frame 5 and then working on:
    # caught (the attempt, with its frame, in results.json and the scorecard), denied, and the
    # run's criteria fail on it (exit 1); what the limits contain (processes, memory) runs on.
    cat >"$tmp/hostile.json" <<'EOF2'
{
  "name": "hostile",
  "duration_s": 2,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 5, "handshake_timeout_s": 5 },
  "criteria": { "egress_attempts_max": 0, "sandbox_violations_max": 0, "dut_faults_max": 0 }
}
EOF2
    # hostile MODE CODE PATTERN...: the run ends with CODE; results.json matches every PATTERN
    hostile() {
        m=$1 code=$2
        shift 2
        "$FB" run "$tmp/hostile.json" --out "$tmp/$m" \
            --dut "exec:$BROKEN --broken $m@5 --tag $tag" >"$tmp/$m.out" 2>"$tmp/log"
        expect_status "$m" "$code" $?
        for pat in "$@"; do has "$tmp/$m/results.json" "$pat"; done
        none_left "$m"
    }
    hostile phone-home 1 '"what":[[:space:]]*"connect to 203.0.113.9:443, denied"' \
        '"what":[[:space:]]*"sendto to 198.51.100.7:53, denied"' '"egress_attempts":[[:space:]]*2,' \
        '"frame":[[:space:]]*5,'
    has "$tmp/phone-home.out" 'FAIL +egress_attempts_max +2 <= 0'
    has "$tmp/phone-home.out" 'attempt at frame 5 \(.* s\): connect to 203.0.113.9:443, denied'
    has "$tmp/log" 'phone-home: connect: Permission denied'
    # a DUT that talks to itself in its network namespace (TCP and UDP on 127.0.0.1, sendmsg on
    # ::1, an abstract Unix socket) works and is no violation; its one datagram out (sendmsg to
    # 192.0.2.1) is recorded and denied
    hostile loopback 1 '"what":[[:space:]]*"sendmsg to 192.0.2.1:9, denied"' '"egress_attempts":[[:space:]]*1,' \
        '"violations":[[:space:]]*1,'
    has "$tmp/log" 'loopback: tcp 4, udp 4, udp6 4, unix 4 bytes'
    has "$tmp/log" 'loopback: sendmsg out: Permission denied'
    hostile hoard 1 '"what":[[:space:]]*"open /var/tmp/fbhoard-f5.raw for writing, denied"' \
        '"violations":[[:space:]]*1,'
    if [ -e /var/tmp/fbhoard-f5.raw ]; then bad "hoard: /var/tmp/fbhoard-f5.raw was written"; else ok; fi
    # what it kept in its scratch folder is listed: one frame, 256 x 192 px x 2 bytes = 98304
    has "$tmp/hoard/results.json" '"path":[[:space:]]*"/tmp/f5.raw"'
    has "$tmp/hoard/results.json" '"size_b":[[:space:]]*98304'
    has "$tmp/hoard/results.json" '"files":[[:space:]]*1,'
    has "$tmp/hoard.out" 'scratch file /tmp/f5.raw \(98304 bytes\)'
    # reading outside what a DUT needs: recorded and denied, absolute or relative to a folder
    # it moved to; its own home (the scratch folder) it may list
    hostile snoop 1 '"what":[[:space:]]*"open /etc/passwd for reading, denied"' \
        '"what":[[:space:]]*"open /etc/hostname for reading, denied"' '"violations":[[:space:]]*2,' \
        '"egress_attempts":[[:space:]]*0,'
    has "$tmp/log" 'snoop: /etc/passwd: Permission denied'
    has "$tmp/log" 'snoop: hostname: Permission denied'
    has "$tmp/log" 'snoop: home: [0-9]+ entries'
    has "$tmp/snoop.out" 'FAIL +sandbox_violations_max +2 <= 0'
    # scratch files are the DUT's own (no violation), listed up to 16: 20 files of 1..20 bytes
    # hold 20 * 21 / 2 = 210 bytes; the first 16 by name are listed
    hostile litter 0 '"files":[[:space:]]*20,' '"bytes":[[:space:]]*210,' \
        '"path":[[:space:]]*"/tmp/litter/16"' '"violations":[[:space:]]*0,'
    if grep -q '/tmp/litter/17' "$tmp/litter/results.json"; then bad "litter: more than 16 listed"; else ok; fi
    has "$tmp/litter.out" 'scratch: 20 files, 210 bytes left'
    hostile ptrace 1 '"what":[[:space:]]*"ptrace \(request 16, pid 1\), denied"'
    hostile exec 1 '"what":[[:space:]]*"execute /bin/sh, denied"'
    has "$tmp/log" 'exec: /bin/sh: Permission denied'
    # ways around the filter: a ring (io_uring) is refused before it exists; a link the DUT
    # makes in its scratch folder leads nowhere (the scratch tmpfs follows no links) and the
    # attempt is named with the link's target
    hostile io-uring 1 '"what":[[:space:]]*"io_uring_setup \(its ring would bypass the filter\), denied"' \
        '"violations":[[:space:]]*1,' '"egress_attempts":[[:space:]]*0,'
    has "$tmp/log" 'io-uring: setup: Permission denied'
    hostile symlink 1 \
        '"what":[[:space:]]*"open /tmp/passwd-link for reading through the link /tmp/passwd-link -> /etc/passwd, denied"' \
        '"what":[[:space:]]*"open /tmp/etc-link/hostname for reading through the link /tmp/etc-link -> /etc, denied"' \
        '"violations":[[:space:]]*2,' '"path":[[:space:]]*"/tmp/passwd-link"' '"files":[[:space:]]*2,'
    has "$tmp/log" 'symlink: passwd-link: Permission denied'
    has "$tmp/log" 'symlink: etc-link/hostname: Permission denied'
    # the kernel's part, seen through a call the filter does not see (stat): no link followed
    has "$tmp/log" 'symlink: stat passwd-link: Too many levels of symbolic links'
    has "$tmp/log" 'symlink: stat etc-link/hostname: Too many levels of symbolic links'
    if grep -q 'links in scratch' "$tmp/symlink/results.json"; then
        bad "symlink: the scratch folder follows links (its tmpfs lacks MS_NOSYMFOLLOW)"
    else ok; fi
    # names changed outside scratch: recorded and denied with their paths (absolute, relative to
    # /tmp through .., both of a rename, a link's target); a rename inside scratch is its own
    hostile remove 1 '"what":[[:space:]]*"unlink /var/tmp/fbbroken-keep.txt, denied"' \
        '"what":[[:space:]]*"rename /tmp/mine2.txt to /var/tmp/fbbroken-moved.txt, denied"' \
        '"what":[[:space:]]*"mkdir /var/tmp/fbbroken-dir, denied"' \
        '"what":[[:space:]]*"symlink /var/tmp/fbbroken-link -> /etc/passwd, denied"' \
        '"what":[[:space:]]*"chmod /var/tmp/fbbroken-keep.txt, denied"' '"violations":[[:space:]]*5,' \
        '"path":[[:space:]]*"/tmp/mine2.txt"' '"files":[[:space:]]*1,'
    has "$tmp/log" 'remove: rename mine.txt mine2.txt: done'
    has "$tmp/log" 'remove: unlink: Permission denied'
    has "$tmp/log" 'remove: mkdir ../var/tmp/fbbroken-dir: Permission denied'
    has "$tmp/remove.out" 'FAIL +sandbox_violations_max +5 <= 0'
    # contained by the limits: 64 processes, 1 GiB of data
    hostile fork-bomb 0 '"violations":[[:space:]]*0,'
    has "$tmp/log" 'fork-bomb: 6[0-9] processes started before fork failed'
    if grep -q __asan_init "$BROKEN"; then
        # a sanitizer build reserves terabytes of address space: no memory limit (the audit
        # says "memory limit (sanitizer build)"), and touching 2 GiB under it is no test
        echo "SKIPPED: alloc (the fixture is a sanitizer build)" >&2
    else
        hostile alloc 0 '"complete":[[:space:]]*true'
        has "$tmp/log" 'alloc: 2 GiB refused'
    fi
    # The same firmware with --sandbox off: nothing recorded, and every report says so.
    "$FB" run "$tmp/hostile.json" --out "$tmp/off" --sandbox off \
        --dut "exec:$BROKEN --broken phone-home@5 --tag $tag" >"$tmp/off.out" 2>"$tmp/log"
    expect_status sandbox-off 0 $?
    has "$tmp/off/results.json" '"mode":[[:space:]]*"off"'
    has "$tmp/off/results.json" '"missing":[[:space:]]*"all \(--sandbox off\)"'
    has "$tmp/off.out" 'sandbox: off; egress attempts 0'
    has "$tmp/off.out" 'sandbox missing: all \(--sandbox off\)'
    none_left sandbox-off
    # Without a network namespace of its own, a loopback would be the host's: every socket is
    # recorded and denied (6: four to talk to itself, two to get out)
    FB_SANDBOX_DENY=pid,user "$FB" run "$tmp/hostile.json" --out "$tmp/lo-nons" \
        --dut "exec:$BROKEN --broken loopback@5 --tag $tag" >"$tmp/lo-nons.out" 2>"$tmp/log"
    expect_status loopback-no-namespaces 1 $?
    has "$tmp/lo-nons/results.json" '"what":[[:space:]]*"socket \(IPv4, type 1\), denied"'
    has "$tmp/lo-nons/results.json" '"egress_attempts":[[:space:]]*6,'
    has "$tmp/log" 'loopback: tcp -1, udp -1, udp6 -1, unix -1 bytes'
    none_left loopback-no-namespaces
    # A kernel that refuses the namespaces: the missing layers are named, the filter still works.
    FB_SANDBOX_DENY=pid,user "$FB" run "$tmp/hostile.json" --out "$tmp/nons" \
        --dut "exec:$BROKEN --broken phone-home@5 --tag $tag" >"$tmp/nons.out" 2>"$tmp/log"
    expect_status no-namespaces 1 $?
    has "$tmp/nons/results.json" '"missing":[[:space:]]*"user namespace.*PID namespace, network namespace, mount namespace, IPC namespace'
    has "$tmp/nons/results.json" '"what":[[:space:]]*"connect to 203.0.113.9:443, denied"'
    none_left no-namespaces
    "$FB" run "$tmp/hostile.json" --sandbox maybe >"$tmp/log" 2>&1
    expect_status bad-option 2 $?
    has "$tmp/log" '--sandbox: "maybe" is not on or off'
    ;;
hostile-lib)
    # Vendor libraries (BROKEN is the folder of the hostile libraries here) run in their
    # sandboxed host process: a crash is the DUT's fault (exit 3, the bench reports), and the
    # reach for the bench's memory and the network is recorded and denied.
    cat >"$tmp/lib.json" <<'EOF2'
{
  "name": "hostile-lib",
  "duration_s": 2,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 5, "handshake_timeout_s": 5 },
  "criteria": { "egress_attempts_max": 0, "sandbox_violations_max": 0 }
}
EOF2
    "$FB" run "$tmp/lib.json" --out "$tmp/crash" --dut "inproc:$BROKEN/libfbfw_hostile_crash.so" \
        >"$tmp/crash.out" 2>"$tmp/log"
    expect_status lib-crash 3 $?
    has "$tmp/log" 'DUT fault at frame 5: DUT closed the link .*process was killed by signal 11'
    has "$tmp/crash/results.json" '"transport":[[:space:]]*"lib"'
    has "$tmp/crash/results.json" '"complete":[[:space:]]*false'
    "$FB" run "$tmp/lib.json" --out "$tmp/tamper" --dut "lib:$BROKEN/libfbfw_hostile_tamper.so" \
        >"$tmp/tamper.out" 2>"$tmp/log"
    expect_status lib-tamper 1 $?
    has "$tmp/tamper/results.json" '"what":[[:space:]]*"open /proc/1/mem for writing, denied"'
    has "$tmp/tamper/results.json" '"what":[[:space:]]*"process_vm_writev of pid 1, denied"'
    has "$tmp/tamper/results.json" '"what":[[:space:]]*"connect to \[2001:db8::7\]:8443, denied"'
    has "$tmp/tamper.out" 'FAIL +sandbox_violations_max +3 <= 0'
    ;;
hostile-qemu)
    if [ -z "$BROKEN" ] || [ ! -x "$BROKEN" ] || ! command -v qemu-arm >/dev/null; then
        echo "SKIPPED: no ARM build of the fixtures or no qemu-arm"
        exit 77
    fi
    cat >"$tmp/hostile.json" <<'EOF2'
{
  "name": "hostile-qemu",
  "duration_s": 2,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 10, "handshake_timeout_s": 10 },
  "criteria": { "egress_attempts_max": 0, "sandbox_violations_max": 0, "dut_faults_max": 0 }
}
EOF2
    # qemu MODE CODE PATTERN...: the ARM fixture MODE under qemu-arm ends with CODE, results.json
    # matches every PATTERN, and nothing is left running
    qemu() {
        m=$1 code=$2
        shift 2
        "$FB" run "$tmp/hostile.json" --out "$tmp/$m" \
            --dut "exec:qemu-arm $BROKEN --broken $m@5 --tag $tag" >"$tmp/$m.out" 2>"$tmp/log"
        expect_status "qemu $m" "$code" $?
        for pat in "$@"; do has "$tmp/$m/results.json" "$pat"; done
        none_left "qemu $m"
    }
    qemu phone-home 1 '"what":[[:space:]]*"connect to 203.0.113.9:443, denied"' \
        '"what":[[:space:]]*"sendto to 198.51.100.7:53, denied"' '"egress_attempts":[[:space:]]*2,'
    has "$tmp/log" 'phone-home: connect: Permission denied'
    qemu snoop 1 '"what":[[:space:]]*"open /etc/passwd for reading, denied"' \
        '"what":[[:space:]]*"open /etc/hostname for reading, denied"' '"violations":[[:space:]]*2,'
    qemu hoard 1 '"what":[[:space:]]*"open /var/tmp/fbhoard-f5.raw for writing, denied"' \
        '"path":[[:space:]]*"/tmp/f5.raw"' '"size_b":[[:space:]]*98304'
    qemu loopback 1 '"what":[[:space:]]*"sendmsg to 192.0.2.1:9, denied"' '"violations":[[:space:]]*1,'
    has "$tmp/log" 'loopback: tcp 4, udp 4, udp6 4, unix 4 bytes'
    qemu exec 1 '"what":[[:space:]]*"execute /bin/sh, denied"'
    qemu remove 1 '"what":[[:space:]]*"unlink /var/tmp/fbbroken-keep.txt, denied"' \
        '"what":[[:space:]]*"rename /tmp/mine2.txt to /var/tmp/fbbroken-moved.txt, denied"' \
        '"what":[[:space:]]*"mkdir /var/tmp/fbbroken-dir, denied"' \
        '"what":[[:space:]]*"symlink /var/tmp/fbbroken-link -> /etc/passwd, denied"' \
        '"what":[[:space:]]*"chmod /var/tmp/fbbroken-keep.txt, denied"' '"violations":[[:space:]]*5,'
    # qemu-user implements no ptrace for its guest: the call never reaches the host (ENOSYS)
    qemu ptrace 0 '"violations":[[:space:]]*0,'
    has "$tmp/log" 'ptrace: Function not implemented'
    qemu daemon 0 '"complete":[[:space:]]*true'
    ;;
hostile-mcu)
    # BROKEN is the hostile MCU image (firmware-under-test/mcu/hostile.c) here: a boot banner on
    # the UART outside the protocol, then at frame 5 a debug line on the UART, and semihosting
    # reads /etc/passwd and /sys/bus/nd/devices, writes /var/tmp/fbmcu-hostile.txt, removes
    # /var/tmp/fbmcu-keep.txt, renames a file in /var/tmp and runs a shell command. QEMU runs in
    # the exec DUT's sandbox: each is recorded and denied, nothing is written on the host, the
    # frames go on through the frame port in scratch and every frame is scored; the criteria fail
    # on it (exit 1). QEMU's own start-up look-ups are runtime notes, not the firmware's.
    if [ -z "$BROKEN" ] || [ ! -f "$BROKEN" ] || ! command -v qemu-system-arm >/dev/null; then
        echo "SKIPPED: no hostile MCU image (arm-none-eabi-gcc) or no qemu-system-arm"
        exit 77
    fi
    # the image's host paths are fixed: one such test at a time on this machine (other checkouts)
    lock=/var/tmp/fbmcu-test.lock
    if command exec 9>>"$lock" 2>/dev/null; then
        chmod 666 "$lock" 2>/dev/null # another user's run may lock it too
        flock -w 600 9 || bad "cannot lock $lock"
    else
        echo "note: cannot open $lock: running without the lock" >&2
    fi
    elf="$tmp/fbmcu-$tag.elf" # the tag in QEMU's command line, for none_left
    cp "$BROKEN" "$elf"
    cat >"$tmp/hostile.json" <<'EOF2'
{
  "name": "hostile-mcu",
  "duration_s": 2,
  "camera": "turret-256",
  "population": { "arrival_rate_per_min": 20 },
  "dut": { "frame_timeout_s": 10, "handshake_timeout_s": 10 },
  "criteria": { "egress_attempts_max": 0, "sandbox_violations_max": 0, "dut_faults_max": 0 }
}
EOF2
    for f in /var/tmp/fbmcu-hostile.txt /var/tmp/fbmcu-system.txt; do
        if [ -e "$f" ]; then bad "$f is there before the run (remove it)"; fi
    done
    keep=/var/tmp/fbmcu-keep.txt
    echo keep >"$keep" || bad "cannot write $keep"
    trap 'cleanup; rm -f "$keep"' EXIT
    "$FB" run "$tmp/hostile.json" --out "$tmp/mcu" --dut "qemu-mcu:$elf" >"$tmp/mcu.out" 2>"$tmp/log"
    expect_status hostile-mcu 1 $?
    r="$tmp/mcu/results.json"
    has "$r" '"what":[[:space:]]*"open /etc/passwd for reading, denied"'
    has "$r" '"what":[[:space:]]*"open /var/tmp/fbmcu-hostile.txt for writing, denied"'
    has "$r" '"what":[[:space:]]*"execute /bin/sh, denied"'
    has "$r" '"what":[[:space:]]*"unlink /var/tmp/fbmcu-keep.txt, denied"'
    has "$r" '"what":[[:space:]]*"rename /var/tmp/fbmcu-ghost.txt to /var/tmp/fbmcu-moved.txt, denied"'
    # the guest's read under /sys/bus is the firmware's, though QEMU's own there is a note
    has "$r" '"what":[[:space:]]*"open /sys/bus/nd/devices for reading, denied"'
    has "$r" '"violations":[[:space:]]*6,'
    has "$r" '"egress_attempts":[[:space:]]*0,'
    has "$r" '"frame":[[:space:]]*5,'
    has "$r" '"mode":[[:space:]]*"on"'
    # QEMU's own start-up (libnl's classid, its io_uring): notes, no violations
    has "$r" '"QEMU: open /etc/libnl/classid for reading, refused \(no such file\)"'
    has "$r" '"QEMU: io_uring_setup, refused \(not implemented: it polls\)"'
    has "$tmp/mcu.out" 'runtime note QEMU: open /etc/libnl/classid for reading, refused'
    # bytes outside the protocol, a finding, the run goes on: the banner (42 bytes before the
    # first frame: "fbmcu-hostile boot: debug shell on UART0\r\n") and the debug line at frame
    # 5 ("dbg: frame 5\r\n", 14 bytes), each ended by its 0x00: 56 bytes in 2 runs
    has "$r" 'DUT sent 56 bytes outside the protocol in 2 runs \(the first before the first frame: 66 62 6d 63 75 2d 68 6f 73 74 69 6c 65 20 62 6f \.\.\.\)'
    has "$r" '"runs":[[:space:]]*2,'
    # every frame scored (2 s at 25 fps), all through the frame port: 50 x 256 x 192 x 2 bytes
    has "$r" '"complete":[[:space:]]*true'
    has "$r" '"frame_port_bytes":[[:space:]]*4915200,'
    has "$tmp/mcu.out" 'attempt at frame 5 \(.* s\): open /etc/passwd for reading, denied'
    has "$tmp/mcu.out" 'FAIL +sandbox_violations_max +6 <= 0'
    for f in /var/tmp/fbmcu-hostile.txt /var/tmp/fbmcu-system.txt; do
        if [ -e "$f" ]; then bad "$f was written on the host"; rm -f "$f"; else ok; fi
    done
    # its removal recorded and denied (and the view is read-only anyway)
    if [ -f "$keep" ]; then ok; else bad "hostile-mcu: $keep was removed on the host"; fi
    # the frame port is the sandbox's mount point in scratch, not a file the DUT left there
    has "$r" '"files":[[:space:]]*0,'
    none_left hostile-mcu
    # the same image with --sandbox off does what it says (so the checks above are not vacuous):
    # the file written, the command run, the file removed; nothing recorded
    "$FB" run "$tmp/hostile.json" --sandbox off --out "$tmp/off" --dut "qemu-mcu:$elf" \
        >"$tmp/off.out" 2>"$tmp/log"
    expect_status hostile-mcu-sandbox-off 0 $?
    has /var/tmp/fbmcu-hostile.txt '^owned by an MCU$'
    has /var/tmp/fbmcu-system.txt '^owned$'
    if [ -e "$keep" ]; then bad "hostile-mcu --sandbox off: $keep not removed"; else ok; fi
    has "$tmp/off/results.json" '"missing":[[:space:]]*"all \(--sandbox off\)"'
    rm -f /var/tmp/fbmcu-hostile.txt /var/tmp/fbmcu-system.txt
    # without a mount namespace QEMU works in the frame port's own folder and may read it there
    FB_SANDBOX_DENY=pid,user "$FB" run "$tmp/hostile.json" --out "$tmp/nons" \
        --dut "qemu-mcu:$elf" >"$tmp/nons.out" 2>"$tmp/log"
    expect_status hostile-mcu-no-namespaces 1 $?
    has "$tmp/nons/results.json" '"missing":[[:space:]]*"user namespace.*mount namespace'
    has "$tmp/nons/results.json" '"what":[[:space:]]*"execute /bin/sh, denied"'
    has "$tmp/nons/results.json" '"frame_port_bytes":[[:space:]]*4915200,'
    none_left hostile-mcu-no-namespaces
    ;;
vendor)
    # BROKEN is the folder of fbfw_host_vendor and libfbfw_reference.so here
    opt=/opt/fbvendor-$$ hid=/var/tmp/fbvendor-$$
    if ! mkdir -p "$opt/bin" "$opt/lib" 2>/dev/null; then
        echo "SKIPPED: /opt is not writable here"
        exit 77
    fi
    trap 'cleanup; rm -rf "$opt" "$hid"' EXIT
    mkdir -p "$hid/bin" "$hid/lib"
    for d in "$opt" "$hid"; do
        cp "$BROKEN/fbfw_host_vendor" "$d/bin/fw" && cp "$BROKEN/libfbfw_reference.so" "$d/lib/" || bad "copy to $d"
    done
    "$FB" run "$tmp/fast.json" --quiet --out "$tmp/opt" --dut "exec:$opt/bin/fw" >"$tmp/log" 2>&1
    expect_status vendor-opt 0 $?
    has "$tmp/opt/results.json" '"violations":[[:space:]]*0,'
    has "$tmp/opt/results.json" '"complete":[[:space:]]*true'
    "$FB" run "$tmp/fast.json" --quiet --out "$tmp/hid" --dut "exec:$hid/bin/fw" >"$tmp/log" 2>&1
    expect_status vendor-hidden 3 $?
    has "$tmp/log" 'libfbfw_reference.so: cannot open shared object file'
    # a read of its own lib/ recorded and denied (the first listed: under ASan the loader looks
    # for libasan there first, libfbfw_reference.so later)
    has "$tmp/hid/results.json" "\"what\":[[:space:]]*\"open $hid/lib/[^\"]* for reading, denied\""
    ;;
*)
    echo "contain.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
echo "contain-$mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
