#!/bin/sh
# signals.sh — `feverbench evaluate` and signals: SIGTERM to the evaluation alone reaches its
# runs (each writes its results marked interrupted; nothing is left running), and a run killed by
# a signal nobody in the bench sent — what a crashing in-process firmware does to its run — is
# that candidate's fault in the report, never the evaluation's end; a run killed outright is
# tried again; a vendor library that calls exit() ends only its host process, never the run.
# usage: signals.sh FEVERBENCH FW_BROKEN HOSTILE_EXIT_LIB
FB=$1
BROKEN=$2
EXITLIB=$3
. "$(dirname "$0")/../expect.sh"
tag="fbevalsig$$x"
printf '%s\n' "$tag" >"$tmp/tag"
leftovers() {
    grep -lsaFf "$tmp/tag" /proc/[0-9]*/cmdline | sed 's|^/proc/||; s|/cmdline$||'
}
trap 'for p in $(leftovers); do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
now_ms() { date +%s%3N; }

# A DUT that stops answering at frame 5 (the battery's 5 s frame timeout would end it later).
HANG="exec:$BROKEN --broken hang@5 --tag $tag"

# 1. SIGTERM to evaluate only (not its process group): the runs get it too.
"$FB" evaluate --dut "$HANG" --battery lab-accuracy --scale quick --jobs 1 --quiet \
    --out "$tmp/term" >"$tmp/term.log" 2>&1 &
ev=$!
# SIGTERM once the run has started its DUT: three tagged processes, evaluate, the run and the
# DUT (a fixed sleep raced a slow start under load)
i=0
while [ "$(leftovers | wc -l)" -lt 3 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
t0=$(now_ms)
kill -TERM $ev
wait $ev
st=$?
t1=$(now_ms)
[ $st -eq 143 ] && ok || bad "evaluate after SIGTERM: exit $st (expected 143); $(tail -3 "$tmp/term.log")"
echo "evaluate: exit $st $((t1 - t0)) ms after SIGTERM"
[ $((t1 - t0)) -lt 3000 ] && ok || bad "evaluate took $((t1 - t0)) ms to stop"
run=$(ls -d "$tmp"/term/runs/*/lab-accuracy)
has "$run/results.json" '"stop_reason":[[:space:]]*"interrupted by signal 15'
[ -z "$(leftovers)" ] && ok || bad "processes left after the evaluation: $(leftovers)"

# 2. A run killed by SIGSEGV from outside: the evaluation goes on and reports it. (Under
# AddressSanitizer the run's SIGSEGV would be caught by the sanitizer, which reports and exits 1;
# handle_segv=0 leaves it the plain signal a release build dies of.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" "$FB" evaluate --dut "$HANG" --dut inproc:reference --battery lab-accuracy --scale quick \
    --jobs 2 --quiet --out "$tmp/crash" >"$tmp/crash.log" 2>&1 &
ev=$!
i=0
victim=""
while [ -z "$victim" ] && [ $i -lt 100 ]; do
    sleep 0.05
    for p in $(leftovers); do # the run of the hanging candidate: evaluate's child
        ppid=$(sed 's/.*) . //; s/ .*//' "/proc/$p/stat" 2>/dev/null)
        [ "$ppid" = "$ev" ] && victim=$p
    done
    i=$((i + 1))
done
# once it has started its DUT (a tagged process that is not evaluate's child): killed earlier, it
# dies before it has a folder's worth to report
dut=""
while [ -n "$victim" ] && [ -z "$dut" ] && [ $i -lt 600 ]; do
    for p in $(leftovers); do
        ppid=$(sed 's/.*) . //; s/ .*//' "/proc/$p/stat" 2>/dev/null)
        [ "$p" != "$ev" ] && [ "$p" != "$victim" ] && dut=$p
    done
    [ -z "$dut" ] && sleep 0.05
    i=$((i + 1))
done
[ -n "$victim" ] && kill -SEGV "$victim"
wait $ev
st=$?
[ $st -eq 1 ] && ok || bad "evaluate with a crashed run: exit $st (expected 1: the candidate fails); $(tail -3 "$tmp/crash.log")"
has "$tmp/crash/report.json" '"exit_status":[[:space:]]*139'
has "$tmp/crash/report.html" 'DUT fault or incomplete run'
[ -s "$tmp/crash/junit.xml" ] && ok || bad "no junit.xml after a crashed run"
[ -z "$(leftovers)" ] && ok || bad "processes left after the evaluation: $(leftovers)"

# 3. A run killed by SIGKILL (what the OOM killer or a time limit does) did not finish: the
# executor tries it again and the evaluation reports as if nothing happened; the progress says
# so and ends with the executor's counts.
"$FB" evaluate --dut "inproc:reference" --battery lab-accuracy --scale quick --jobs 1 \
    --out "$tmp/kill" >"$tmp/kill.out" 2>"$tmp/kill.log" &
ev=$!
i=0
victim=""
while [ -z "$victim" ] && [ $i -lt 200 ]; do
    sleep 0.02
    for p in $(grep -lsa 'lab-accuracy' /proc/[0-9]*/cmdline | sed 's|^/proc/||; s|/cmdline$||'); do
        ppid=$(sed 's/.*) . //; s/ .*//' "/proc/$p/stat" 2>/dev/null)
        [ "$ppid" = "$ev" ] && victim=$p
    done
    i=$((i + 1))
done
[ -n "$victim" ] && kill -KILL "$victim"
wait $ev
st=$?
[ $st -le 1 ] && ok || bad "evaluate with a run killed once: exit $st; $(tail -3 "$tmp/kill.log")"
has "$tmp/kill.log" 'x lab-accuracy: run failed with status 137; trying again'
has "$tmp/kill.log" '^\[1/1\] inproc:reference x lab-accuracy: (pass|FAIL)'
has "$tmp/kill.log" '^queued 0, running 0, done 1, failed 0$'
has "$tmp/kill/report.json" '"exit_status":[[:space:]]*[01],'

# 4. A vendor library that calls exit(3) at frame 5, even with --sandbox off: libraries always run
# in a host process of their own, so it ends that process, not the run; the run reports a DUT
# fault at frame 5 with the frames before it scored (exit 3), and the evaluation scores the other
# candidate and writes the report for both.
if [ -n "$EXITLIB" ] && [ -f "$EXITLIB" ]; then
    "$FB" evaluate --dut "lib:$EXITLIB" --dut inproc:reference --battery lab-accuracy \
        --scale quick --jobs 1 --sandbox off --out "$tmp/exit" >"$tmp/exit.out" 2>"$tmp/exit.log"
    st=$?
    [ $st -eq 1 ] && ok || bad "evaluate with a library that exits: exit $st (expected 1); $(tail -3 "$tmp/exit.log")"
    has "$tmp/exit.log" 'hostile_exit.so x lab-accuracy: FAIL \(DUT fault or incomplete'
    # (runs/ holds a folder per firmware name, and a link to it per --dut label)
    has "$tmp/exit/runs/hostile-exit_0.1/lab-accuracy/log.txt" \
        'DUT fault at frame 5: DUT closed the link .*process exited with status 3'
    has "$tmp/exit/report.json" '"exit_status":[[:space:]]*3,'
    has "$tmp/exit/report.html" 'DUT fault or incomplete run'
    has "$tmp/exit.out" '^ +1  inproc:reference +1/1 '
    [ "$(grep -c '<testcase ' "$tmp/exit/junit.xml")" -eq 2 ] && ok || bad "junit.xml: $(grep -c '<testcase ' "$tmp/exit/junit.xml") testcases (expected 2)"
else
    bad "no hostile exit library at '$EXITLIB'"
fi
fb_test_end evaluate-signals
