#!/bin/sh
# check_layers.sh — layers.py on a fixture with one violation of each kind (exact report, exit 1),
# on malformed layers.txt files (exit 2, located), and on this tree (exit 0). Usage: SOURCE_DIR
set -u
SRC=$1
PY=/usr/bin/python3
L="$SRC/tests/arch/layers.py"
F="$SRC/tests/arch/fixture"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
check() { # name want_status got_status want_file got_file
    if [ "$2" != "$3" ] || ! cmp -s "$4" "$5"; then
        echo "FAIL $1: exit $3 (want $2)"; diff "$4" "$5"; fails=$((fails + 1))
    else
        echo "ok   $1"
    fi
}

# the fixture: upward from models/, upward between sim layers, an internal header, a stray file
cat > "$T/want" <<'OUT'
models/bad.h:2: includes sim/low/pub.h: low is above models in sim/layers.txt
sim/low/up.c:4: includes sim/high/top.h: high is above low in sim/layers.txt
sim/high/x.c:3: includes sim/low/priv.h: priv.h is internal to low (its public headers: pub.h)
sim/stray.c:1: in no layer of sim/layers.txt
7 files in 3 layers, 4 against the layering
OUT
$PY "$L" "$F" > "$T/got" 2>&1
check fixture 1 $? "$T/want" "$T/got"

# malformed declarations: the line named, exit 2
mkdir -p "$T/bad/sim/a" "$T/bad/models"
bad_decl() { # name line message
    printf 'models models/ *\n%s\n' "$2" > "$T/bad/sim/layers.txt"
    printf '%s\n' "$3" > "$T/want"
    $PY "$L" "$T/bad" > "$T/got" 2>&1
    check "$1" 2 $? "$T/want" "$T/got"
}
bad_decl no-slash 'a sim/a pub.h' \
    "$T/bad/sim/layers.txt:2: expected \"NAME FOLDER/ HEADER... | * | -\", got 'a sim/a pub.h'"
bad_decl no-folder 'a sim/zz/ -' "$T/bad/sim/layers.txt:2: no folder sim/zz/"
bad_decl no-header 'a sim/a/ pub.h' "$T/bad/sim/layers.txt:2: no header sim/a/pub.h"
bad_decl twice 'models sim/a/ -' "$T/bad/sim/layers.txt:2: layer models or folder sim/a/ listed twice"
rm "$T/bad/sim/layers.txt"
printf '%s\n' "$T/bad/sim/layers.txt: No such file or directory" > "$T/want"
$PY "$L" "$T/bad" > "$T/got" 2>&1
check missing 2 $? "$T/want" "$T/got"

# this tree keeps its layering (the offending FILE:LINE are printed when not)
$PY "$L" "$SRC" > "$T/got" 2>&1
st=$?
grep -q ', 0 against the layering$' "$T/got" && [ $st -eq 0 ] && echo "ok   tree: $(tail -n 1 "$T/got")" ||
    { cat "$T/got"; echo "FAIL tree: exit $st"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "all layering checks passed" || echo "$fails layering checks failed"
[ $fails -eq 0 ]
