#!/bin/sh
# install.sh — the installed feverbench, as a user and a vendor meet it (docs/install.md).
#
#   install.sh sdk BUILD_DIR EXAMPLE_DIR CC CFLAGS LDFLAGS
#       cmake --install into a temporary prefix, then moved elsewhere (everything must be
#       relocatable); the files in their places; the installed CLI run
#       from an empty folder (shipped scenarios by name and from share/); the example firmware
#       copied out of the tree and built against the prefix with pkg-config (its Makefile) and with
#       find_package (its CMakeLists.txt); each build run by the installed feverbench as a program
#       (--dut exec:fever_dut) and in process (--dut inproc:libfever_fw.so): the run completes, the
#       DUT's name is in results.json, people are measured, a clean link audit, the same events.
#   install.sh man FEVERBENCH MAN_DIR COMPLETION
#       man -l renders both pages without warnings, with the program's version; every command of
#       `feverbench --help` and every option of each `feverbench CMD --help` is in feverbench.1 (in
#       the command's section) and in the bash completion; the completion completes.
#   install.sh deb BUILD_DIR
#       cpack -G DEB builds the package: its control fields declare the shared libraries it needs
#       and it holds the CLI, the SDK, the manual pages and the completion under /usr; unpacked,
#       its program validates and runs a shipped scenario.
# Prints "install-MODE: N passed, M failed"; exit status 1 when anything failed.
mode=$1
shift
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
# check DESCRIPTION CMD...: CMD succeeds (its output shown when it does not).
check() {
    what=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then ok; else
        bad "$what: $* -> exit $?"
        sed 's/^/    /' "$tmp/out" | tail -20 >&2
    fi
}
# has FILE PATTERN: FILE matches the extended regex PATTERN.
has() { if grep -qE -- "$2" "$1"; then ok; else bad "$1 does not match: $2"; fi; }

case $mode in
sdk)
    BUILD=$(cd "$1" && pwd) EXAMPLE=$(cd "$2" && pwd) CC=$3 CFLAGS=$4 LDFLAGS=$5
    check "cmake --install" cmake --install "$BUILD" --prefix "$tmp/prefix"
    # moved after installing: the program, the .pc files and the CMake package are relocatable
    P=$tmp/moved
    mv "$tmp/prefix" "$P"
    for f in bin/feverbench include/feverbench/fbfw.h include/feverbench/fbp.h lib/libfbp.a \
        lib/libfbp.so.1 lib/pkgconfig/feverbench-fbp.pc lib/pkgconfig/feverbench-fbfw.pc \
        lib/cmake/feverbench/feverbenchConfig.cmake share/man/man1/feverbench.1 \
        share/man/man5/feverbench-scenario.5 share/bash-completion/completions/feverbench \
        share/feverbench/scenarios/default.json share/feverbench/scenarios/cameras/turret-256.json \
        share/feverbench/scenarios/schema/scenario.schema.json \
        share/feverbench/schema/results.schema.json share/feverbench/schema/report.schema.json \
        share/feverbench/protocol-vectors/MANIFEST share/doc/feverbench/install.md \
        share/feverbench/src/fbp.c share/feverbench/src/fbp_crc_tables.h \
        share/doc/feverbench/examples/dut-c/fever_dut.c \
        share/doc/feverbench/examples/dut-c/screen.c; do
        if [ -e "$P/$f" ]; then ok; else bad "not installed: $f"; fi
    done
    # the shared library carries its ABI version
    if readelf -d "$P/lib/libfbp.so.1" | grep -q 'SONAME.*libfbp\.so\.1\]'; then ok; else
        bad "libfbp.so.1 has no SONAME libfbp.so.1"
    fi
    # the codec's installed source compiles on its own (what an MCU build does with it)
    check "installed fbp.c compiles alone" "$CC" -std=c11 -Wall -Wextra -Werror -c \
        "$P/share/feverbench/src/fbp.c" -o "$tmp/fbp.o"
    # as many shipped scenarios installed as compiled in
    n_files=$(ls "$P/share/feverbench/scenarios/"*.json | wc -l)
    n_list=$("$P/bin/feverbench" list | awk '/^[^ ]/{on=/^scenarios/; next} on && NF' | wc -l)
    if [ "$n_files" -gt 0 ] && [ "$n_files" -eq "$n_list" ]; then ok; else
        bad "$n_files scenario files installed, $n_list listed by feverbench list"
    fi

    # the installed CLI, from an empty folder away from the source tree
    mkdir "$tmp/work"
    cd "$tmp/work" || exit 2
    FB=$P/bin/feverbench
    check "installed validate" "$FB" validate "$P/share/feverbench/scenarios/default.json" \
        "$P/share/feverbench/scenarios/cameras/lepton-160.json"

    # the example DUT, copied out of the tree, built both ways against the prefix only
    cp -R "$EXAMPLE" "$tmp/src"
    rm -f "$tmp/src/fever_dut" "$tmp/src/libfever_fw.so"
    check "example with pkg-config" env PKG_CONFIG_PATH="$P/lib/pkgconfig" \
        make -C "$tmp/src" CC="$CC" CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS"
    check "example with find_package: configure" cmake -S "$tmp/src" -B "$tmp/build" \
        -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
        -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" -DCMAKE_BUILD_TYPE=Release
    check "example with find_package: build" cmake --build "$tmp/build"
    # the CMake build found the installed package, not some other copy
    has "$tmp/build/CMakeCache.txt" "feverbench_DIR:PATH=$P/lib/cmake/feverbench"

    # each build, as a program over the link (exec:) and as a library in process (inproc:)
    first=""
    for spec in "exec:$tmp/src/fever_dut" "exec:$tmp/build/fever_dut" \
        "inproc:$tmp/src/libfever_fw.so" "inproc:$tmp/build/libfever_fw.so"; do
        out=$tmp/out$(echo "$spec" | tr ':/' '__')
        # --sandbox off: the sandbox (docs/security.md) shows a DUT the files its command line
        # names and nothing of /tmp or /work, so neither these builds nor the shared libfbp.so.1
        # of this temporary prefix would be there (docs/install.md, "The example DUT")
        "$FB" run default --duration 30 --seed 3 --quiet --sandbox off --dut "$spec" --out "$out" \
            >"$tmp/run.log" 2>&1
        rc=$?
        # 0 or 1: the run completed and was scored (this toy firmware fails the accuracy criteria)
        if [ $rc -le 1 ] && [ -s "$out/results.json" ]; then ok; else
            bad "run --dut $spec -> exit $rc"
            sed 's/^/    /' "$tmp/run.log" | tail -20 >&2
            continue
        fi
        has "$out/results.json" '"complete":[[:space:]]+true'
        has "$out/results.json" '"dut":[[:space:]]+"example-c-dut 0\.1"'
        has "$out/results.json" '"measured":[[:space:]]+[1-9]'
        has "$out/results.json" '"findings":[[:space:]]+\[\]'
        has "$out/events.jsonl" '"kind":"measurement".*"skin_c":3[0-9]\.'
        # one firmware, built two ways, over the link and in process: the same events
        if [ -z "$first" ]; then
            first=$out/events.jsonl
        elif cmp -s "$first" "$out/events.jsonl"; then ok; else
            bad "--dut $spec reported other events than the first build ($first)"
        fi
    done
    ;;
man)
    FB=$1 MAN=$2 COMP=$3
    for page in "$MAN/feverbench.1" "$MAN/feverbench-scenario.5"; do
        MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings=w -E UTF-8 -l "$page" >"$tmp/page" 2>"$tmp/warn"
        if [ -s "$tmp/page" ] && [ ! -s "$tmp/warn" ]; then ok; else
            bad "man -l $page: $(head -5 "$tmp/warn")"
        fi
    done
    # the pages name the program's version
    ver=$("$FB" --version | awk '{print $2}' | sed 's/+.*//')
    for page in "$MAN/feverbench.1" "$MAN/feverbench-scenario.5"; do
        has "$page" "^\.TH .*\"feverbench $ver\""
    done
    # the completion at work (plain bash, no bash-completion package needed)
    cat >"$tmp/comp.sh" <<'EOS'
. "$1"
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _feverbench; echo "${COMPREPLY[*]}"; }
c feverbench ev
c feverbench run --ca
c feverbench run --camera turret-
c feverbench frames sing
c feverbench run --dut ex
c feverbench view --palette wh
EOS
    PATH=$(dirname "$FB"):$PATH bash "$tmp/comp.sh" "$COMP" >"$tmp/comp.out" 2>&1
    printf '%s\n' evaluate --camera "turret-256 turret-384" single-slow exec: white-hot >"$tmp/comp.want"
    if cmp -s "$tmp/comp.want" "$tmp/comp.out"; then ok; else
        bad "bash completion: got $(tr '\n' '|' <"$tmp/comp.out"), expected $(tr '\n' '|' <"$tmp/comp.want")"
    fi
    cmds=$("$FB" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
    [ -n "$cmds" ] || bad "no commands found in feverbench --help"
    for c in $cmds; do
        grep -q "^\.SS $c\b" "$MAN/feverbench.1" && ok || bad "feverbench.1 has no section for $c"
        grep -qE "^    $c\)|^    [a-z |]*\b$c\b.*\)" "$COMP" && ok || bad "completion misses command $c"
        # the options the command documents: in its usage lines and at the start of a help line
        for o in $("$FB" "$c" --help | grep -oE -- '(^ +|\[|\| )--[a-z][a-z-]*' |
            sed 's/^[][ |]*//' | sort -u); do
            [ "$o" = "--help" ] && continue
            # roff writes - as \-
            # in the command's own section of the page (.SS CMD up to the next .SS or .SH)
            awk -v c="$c" '/^\.S[SH]/ {on = ($1 == ".SS" && $2 == c)} on' "$MAN/feverbench.1" |
                grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" && ok ||
                bad "feverbench.1 does not mention $c $o"
            awk -v c="$c" '$1 == c ")" {print}' "$COMP" | grep -qE -- "[\" ]$o[\" ]" && ok ||
                bad "completion of $c misses $o"
        done
    done
    ;;
deb)
    BUILD=$(cd "$1" && pwd)
    cd "$tmp" || exit 2
    check "cpack -G DEB" cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$tmp/pkg"
    deb=$(ls "$tmp"/pkg/feverbench_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then ok; else
        bad "no feverbench_*.deb in $tmp/pkg"
        echo "install-$mode: $pass passed, $fail failed"
        exit 1
    fi
    dpkg-deb -f "$deb" Package Version Architecture Depends >"$tmp/control"
    has "$tmp/control" '^Package: feverbench$'
    has "$tmp/control" '^Version: [0-9]+\.[0-9]+\.[0-9]+'
    # what dpkg-shlibdeps found the program linked with
    for lib in libc6 libcjson1 libxxhash0; do has "$tmp/control" "^Depends: .*\b$lib\b"; done
    dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/files"
    for f in ./usr/bin/feverbench ./usr/include/feverbench/fbp.h ./usr/include/feverbench/fbfw.h \
        ./usr/share/man/man1/feverbench.1 ./usr/share/man/man5/feverbench-scenario.5 \
        ./usr/share/feverbench/scenarios/default.json ./usr/share/bash-completion/completions/feverbench \
        ./usr/lib/.*/?libfbp\.so\.1\.0\.0 ./usr/lib/.*/?pkgconfig/feverbench-fbp\.pc \
        ./usr/lib/.*/?cmake/feverbench/feverbenchConfig\.cmake; do
        has "$tmp/files" "^$f\$"
    done
    # the pkg-config file points inside /usr, wherever the package puts it
    dpkg-deb -x "$deb" "$tmp/root"
    pc=$(find "$tmp/root" -name feverbench-fbp.pc | head -1)
    inc=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags feverbench-fbp | sed 's/^-I//; s/ *$//')
    if [ -f "$inc/fbp.h" ]; then ok; else bad "pkg-config --cflags of the package: $inc has no fbp.h"; fi
    # the packaged program runs from the unpacked tree
    check "packaged feverbench validate" "$tmp/root/usr/bin/feverbench" validate \
        "$tmp/root/usr/share/feverbench/scenarios/default.json"
    "$tmp/root/usr/bin/feverbench" run single-slow --duration 2 --quiet --out "$tmp/run" \
        >"$tmp/run.log" 2>&1
    rc=$?
    if [ $rc -le 1 ] && grep -qE '"complete":[[:space:]]+true' "$tmp/run/results.json"; then ok; else
        bad "packaged feverbench run single-slow -> exit $rc"
        sed 's/^/    /' "$tmp/run.log" | tail -10 >&2
    fi
    ;;
*)
    echo "usage: install.sh sdk|man|deb ARGS" >&2
    exit 2
    ;;
esac
echo "install-$mode: $pass passed, $fail failed"
[ $fail -eq 0 ]
