#!/bin/sh
# python_dut.sh — the DUT in Python from docs/dut-other-languages.md: its codec matches the
# protocol vectors byte for byte, and it runs a scenario through `feverbench run` over exec:,
# sandboxed, with a clean audit.
# usage: python_dut.sh PATH/TO/feverbench   (run from the source root)
FB=$1
. "$(dirname "$0")/../expect.sh"
PY=/usr/bin/python3
if [ ! -x "$PY" ]; then
    echo "SKIPPED: no $PY (scripts/install-deps.sh installs python3)"
    exit 77
fi
DUT=$PWD/examples/dut-python/null_dut.py
if "$PY" - "$DUT" proto/vectors <<'PYEOF'; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the Python codec against the vectors" >&2; fi
import importlib.util, struct, sys
spec = importlib.util.spec_from_file_location("dut", sys.argv[1])
d = importlib.util.module_from_spec(spec)
spec.loader.exec_module(d)
vec = sys.argv[2]
def wire(name):
    text = open(f"{vec}/{name}").read()
    return bytes.fromhex(" ".join(l for l in text.splitlines() if not l.startswith("#")))
assert d.crc32c(b"123456789") == 0xE3069283 and d.crc32c(b"a") == 0xC1D04330
# what the DUT sends, encoded as the vectors say
assert d.packet(d.HELLO_ACK, struct.pack("<IBBHI", d.MAGIC, 1, 0, 1032, 0)
                + b"feverbench-reference 0.1") == wire("hello_ack.hex")
assert d.packet(d.FRAME_DONE, struct.pack("<IHhI", 1234, 1, 0, 850)) == wire("frame_done.hex")
assert d.packet(d.STATUS, struct.pack("<IIIIII", 0x5EEDF00D, 61000, 1500, 1503, 0, 1510)) \
    == wire("status.hex")
# what the bench sends, decoded: every message vector round-trips through COBS and the CRC
for line in open(f"{vec}/MANIFEST"):
    if line.startswith("#") or "\t" not in line:
        continue
    name, expected = line.rstrip("\n").split("\t")
    if expected.startswith(("error:", "frame:")):
        continue
    w = wire(name)
    pkt = d.cobs_decode(w[:-1])
    n = struct.unpack_from("<H", pkt, 2)[0]
    assert len(pkt) == 8 + n and struct.unpack_from("<I", pkt, 4 + n)[0] == d.crc32c(pkt[:4 + n]), name
    assert d.cobs_encode(pkt) == w or len(pkt) % 254 == 0, name
print("python codec: vectors match")
PYEOF
# measures nobody, so the criteria fail (exit 1); the session itself is clean
expect 1 'RESULT: FAIL' "$FB" run single-slow --duration 3 --out "$tmp/py" --dut "exec:$PY $DUT"
has() { if grep -qE -- "$2" "$1"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1 does not match: $2" >&2; fi; }
has "$tmp/py/results.json" '"dut":[[:space:]]*"python-null 1.0"'
has "$tmp/py/results.json" '"complete":[[:space:]]*true'
has "$tmp/py/results.json" '"clean":[[:space:]]*true'
has "$tmp/py/results.json" '"frames":[[:space:]]*75,'
echo "link_python_dut: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
