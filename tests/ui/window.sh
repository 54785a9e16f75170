#!/bin/sh
# window.sh — the viewer's real window under Xvfb: it opens, draws, answers keys typed by xdotool
# (pause, palette, overlays, help), follows a resize, reads itself back for a screenshot and quits.
# usage: window.sh FEVERBENCH IMGSTAT   (exit 77 = skipped: no Xvfb or xdotool)
FB=$1
IMGSTAT=$2
for t in Xvfb xdotool; do
    command -v "$t" >/dev/null 2>&1 || { echo "ui_window: $t not installed: skipped"; exit 77; }
done
pass=0
fail=0
tmp=$(mktemp -d)
xpid=""
vpid=""
cleanup() {
    [ -n "$vpid" ] && kill "$vpid" 2>/dev/null
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# A private X server on the first free display (Xvfb writes its number to fd 3).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xpid=$!
i=0
while [ ! -s "$tmp/display" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$tmp/display" ] || { echo "ui_window: Xvfb did not start: skipped"; cat "$tmp/xvfb.log"; exit 77; }
DISPLAY=:$(cat "$tmp/display")
export DISPLAY
unset SDL_VIDEODRIVER
# The software renderer, as headless pictures use: the same pixels, and no Mesa/GLX stack, which
# SDL unloads at exit leaving allocations that LeakSanitizer cannot attribute (ASan builds).
SDL_RENDER_DRIVER=software
SDL_FRAMEBUFFER_ACCELERATION=0
export SDL_RENDER_DRIVER SDL_FRAMEBUFFER_ACCELERATION

"$FB" view single-slow --trace --size 900x600 --shot-dir "$tmp" >"$tmp/trace" 2>"$tmp/err" &
vpid=$!

# wait_for PATTERN: until the trace has a line matching it (5 s at most)
wait_for() {
    i=0
    while ! grep -qE -- "$1" "$tmp/trace" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    if grep -qE -- "$1" "$tmp/trace"; then ok; else bad "no trace line matching: $1"; fi
}

wait_for '^state start .*palette=iron .*size=900x600'
wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^feverbench view: single-slow$' | head -1)
if [ -n "$wid" ]; then ok; else bad "no window titled 'feverbench view: single-slow'"; cat "$tmp/err" >&2; exit 1; fi
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
sleep 0.3

# keys, typed as a user would (XTEST), and the state they must produce
xdotool key space
wait_for '^state pause .*paused=1'
xdotool key period
wait_for '^state step .*paused=1'
xdotool key p
wait_for '^state palette .*palette=rainbow'
xdotool key t
wait_for '^state overlay .*overlays=dut,blackbody,zone '
xdotool key i
wait_for '^state overlay .*overlays=dut,blackbody,zone,isotherm '
xdotool key question
wait_for '^state help .*help=1'
xdotool key Escape
wait_for '^state help .*help=0'
xdotool key plus
wait_for '^state faster .*speed=2 '
xdotool key space
wait_for '^state resume .*paused=0'

# a resize reaches the viewer, which lays itself out again
xdotool windowsize "$wid" 800 500
wait_for '^state resize .*size=800x500'
sleep 0.3

# the screenshot key reads the window back (SDL_RenderReadPixels) into a PNG
xdotool key s
wait_for 'wrote .*feverbench-single-slow-f[0-9]+\.png'
shot=$(sed -n 's/^feverbench view: wrote //p' "$tmp/trace" | head -1)
stat=$("$IMGSTAT" "$shot" 2>&1)
case "$stat" in
800x500\ colours=*) n=${stat#*colours=}; if [ "$n" -gt 200 ]; then ok; else bad "screenshot looks empty: $stat"; fi ;;
*) bad "screenshot: $stat" ;;
esac

# and the X server has the same window on screen (xwd grabs it independently of SDL)
if command -v xwd >/dev/null 2>&1; then
    xwd -silent -id "$wid" >"$tmp/win.xwd" 2>/dev/null
    stat=$("$IMGSTAT" "$tmp/win.xwd" 2>&1)
    case "$stat" in
    800x500\ colours=*) n=${stat#*colours=}; if [ "$n" -gt 200 ]; then ok; else bad "xwd grab looks empty: $stat"; fi ;;
    *) bad "xwd grab: $stat" ;;
    esac
fi

# q quits with status 0
xdotool key q
i=0
while kill -0 "$vpid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 "$vpid" 2>/dev/null; then
    bad "the viewer did not quit on q"
else
    wait "$vpid"
    rc=$?
    vpid=""
    if [ "$rc" -eq 0 ]; then ok; else bad "the viewer exited with $rc"; cat "$tmp/err" >&2; fi
fi
wait_for '^state quit'

echo "ui_window: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "--- trace:" >&2; cat "$tmp/trace" >&2; echo "--- stderr:" >&2; cat "$tmp/err" >&2; }
[ "$fail" -eq 0 ]
