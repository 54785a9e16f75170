#!/usr/bin/env python3
"""layers.py — checks the include graph of models/, sim/ and ui/ against sim/layers.txt.

Each #include "..." is resolved as the compiler does (the including file's folder, then the
include roots) and must name a file of the same layer, or a public header of a lower layer.
Files outside the listed layers (proto/, firmware-under-test/, rtl/, generated ones) are free to
include; a source under sim/ outside every listed folder is an error. Prints every offending FILE:LINE and exits 1; exits 2 when layers.txt is malformed.
Usage: layers.py SOURCE_DIR
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
# where the build looks for quoted includes after the including file's folder (CMake's include dirs)
ROOTS = ('sim', 'models', 'proto', 'firmware-under-test/include', 'ui', 'rtl')


def fail(msg):
    """A malformed layers.txt: the located message, exit status 2."""
    print(msg, file=sys.stderr)
    sys.exit(2)


def read_layers(src):
    """[(name, folder, public headers or None for all)], lowest layer first."""
    path = os.path.join(src, 'sim', 'layers.txt')
    layers = []
    try:
        f = open(path, encoding='utf-8')
    except OSError as e:
        fail(f'{path}: {e.strerror}')
    with f:
        for n, line in enumerate(f, 1):
            words = line.split('#', 1)[0].split()
            if not words:
                continue
            if len(words) < 3 or not words[1].endswith('/'):
                fail(f'{path}:{n}: expected "NAME FOLDER/ HEADER... | * | -", got {line.strip()!r}')
            name, folder, pub = words[0], words[1].rstrip('/'), words[2:]
            if not os.path.isdir(os.path.join(src, folder)):
                fail(f'{path}:{n}: no folder {folder}/')
            if pub == ['*']:
                public = None
            elif pub == ['-']:
                public = set()
            else:
                public = set(pub)
                for h in public:
                    if not os.path.isfile(os.path.join(src, folder, h)):
                        fail(f'{path}:{n}: no header {folder}/{h}')
            if any(name == l[0] or folder == l[1] for l in layers):
                fail(f'{path}:{n}: layer {name} or folder {folder}/ listed twice')
            layers.append((name, folder, public))
    return layers


def layer_of(rel, layers):
    """Index of the layer whose folder holds rel (a path relative to the source dir), or None."""
    for i, (_, folder, _) in enumerate(layers):
        if os.path.dirname(rel) == folder:
            return i
    return None


def resolve(src, rel_file, inc):
    """The included file, relative to src, or None when it is not in the tree (system, generated)."""
    for base in (os.path.dirname(rel_file),) + ROOTS:
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(src, cand)):
            return cand
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src = sys.argv[1]
    layers = read_layers(src)
    bad = 0
    files = 0
    for i, (name, folder, _) in enumerate(layers):
        d = os.path.join(src, folder)
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(('.c', '.h', '.cpp')):
                continue
            rel = os.path.join(folder, fn)
            files += 1
            with open(os.path.join(src, rel), encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = resolve(src, rel, m.group(1))
                    j = None if target is None else layer_of(target, layers)
                    if j is None or j == i:
                        continue
                    tname, tfolder, tpublic = layers[j]
                    hdr = os.path.basename(target)
                    why = None
                    if j > i:
                        why = f'{tname} is above {name} in sim/layers.txt'
                    elif tpublic is not None and hdr not in tpublic:
                        why = f'{hdr} is internal to {tname} (its public headers: ' \
                              f'{" ".join(sorted(tpublic)) or "none"})'
                    if why:
                        print(f'{rel}:{n}: includes {target}: {why}')
                        bad += 1
    # every source under sim/ belongs to a layer: a new folder is declared before it is used
    folders = {l[1] for l in layers}
    for dp, dn, fn in os.walk(os.path.join(src, 'sim')):
        dn.sort()
        rel_dir = os.path.relpath(dp, src)
        for f in sorted(fn):
            if f.endswith(('.c', '.h', '.cpp')) and rel_dir not in folders:
                print(f'{os.path.join(rel_dir, f)}:1: in no layer of sim/layers.txt')
                bad += 1
    print(f'{files} files in {len(layers)} layers, {bad} against the layering')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
