#!/bin/sh
# security.sh — report.json's and report.html's security verdict, column and findings, from the
# hostile fixtures (docs/evaluation.md: Security; docs/security.md): one test (lab-range) on two
# seeds per candidate, so every count below is the fixture's own count (contain.sh hostile) times 2.
# usage: security.sh PATH/TO/feverbench PATH/TO/fbfw_broken PATH/TO/fbfw_host   (from the source root)
FB=$1 BROKEN=$2 HOST=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../expect.sh"

"$FB" evaluate --battery lab-range --scale quick --seeds 2 --jobs 2 --quiet --out "$tmp/e" \
    --dut builtin=inproc:reference --dut "host=exec:$HOST" \
    --dut "phone=exec:$BROKEN --broken phone-home@5" --dut "snoop=exec:$BROKEN --broken snoop@5" \
    --dut "hoard=exec:$BROKEN --broken hoard@5" --dut "litter=exec:$BROKEN --broken litter@5" \
    --dut "remove=exec:$BROKEN --broken remove@5" \
    >"$tmp/log" 2>&1
st=$?
# lab-range's measurements pass for all of them; the check "contained" fails the four that tried
# something (exit 1), is n/a for the firmware built into the bench
expect 0 '^1$' echo $st
# report.json, by candidate name: the hand-counted figures (per run: phone-home a connect and a
# sendto, its two sockets being allowed in its network namespace; snoop 2 reads; hoard a write denied and one 256 x 192 x 2 = 98304-byte frame
# kept; litter 20 files of 1..20 bytes = 210 bytes kept, no violation; remove 5 name changes
# outside scratch denied and a 1-byte file kept)
python3 - "$tmp/e/report.json" >"$tmp/py.out" 2>&1 <<'PY'
import json, sys
rep = json.load(open(sys.argv[1], encoding="utf-8"))
sec = {c["name"]: c["security"] for c in rep["candidates"]}
res = {c["name"]: c["results"][0]["security"] for c in rep["candidates"]}
fails = []
def want(what, got, exp):
    if got != exp:
        fails.append(f"{what}: {got!r}, expected {exp!r}")
def finding(name, what):
    return next((f for f in sec[name]["findings"] if f["what"] == what), None)
want("builtin verdict", sec["builtin"]["verdict"], "unchecked")
want("builtin why", sec["builtin"]["why"], "built into the bench: trusted, not sandboxed")
want("builtin sandbox", sec["builtin"]["sandbox"], "in-process")
want("host verdict", sec["host"]["verdict"], "clean")
want("host sandbox", (sec["host"]["sandbox"], sec["host"]["tests_sandboxed"], sec["host"]["violations"]), ("on", 1, 0))
p = sec["phone"]
want("phone verdict", p["verdict"], "flagged")
want("phone counts", (p["egress_attempts"], p["violations"], p["tests_flagged"], p["attempts_listed"]), (4, 4, 1, 4))
want("phone kinds", [f["kind"] for f in p["findings"]], ["network"] * 2)
c = finding("phone", "connect to 203.0.113.9:443, denied")
want("phone connect", c and (c["count"], c["tests"], c["first_test"], c["first_frame"]), (2, 1, "lab-range", 5))
want("phone sendto", (finding("phone", "sendto to 198.51.100.7:53, denied") or {}).get("count"), 2)
want("phone result", (res["phone"]["sandbox"], res["phone"]["egress_attempts"]), ("on", 4))
s = sec["snoop"]
want("snoop", (s["verdict"], s["egress_attempts"], s["violations"]), ("flagged", 0, 4))
want("snoop passwd", (finding("snoop", "open /etc/passwd for reading, denied") or {}).get("kind"), "read")
want("snoop hostname", (finding("snoop", "open /etc/hostname for reading, denied") or {}).get("count"), 2)
h = sec["hoard"]
want("hoard", (h["verdict"], h["violations"], h["scratch_files"], h["scratch_bytes"]), ("flagged", 2, 2, 196608))
want("hoard write", (finding("hoard", "open /var/tmp/fbhoard-f5.raw for writing, denied") or {}).get("kind"), "write")
want("hoard files", h["scratch"], [{"test": "lab-range", "path": "/tmp/f5.raw", "size_b": 98304}] * 2)
l = sec["litter"]
want("litter", (l["verdict"], l["violations"], l["scratch_files"], l["scratch_bytes"]), ("clean", 0, 40, 420))
want("litter listed", [x["path"] for x in l["scratch"]], ["/tmp/litter/%02d" % i for i in range(1, 9)])
r = sec["remove"]
want("remove", (r["verdict"], r["egress_attempts"], r["violations"], r["scratch_files"], r["scratch_bytes"]),
     ("flagged", 0, 10, 2, 2))
want("remove kinds", [f["kind"] for f in r["findings"]], ["write"] * 5)
want("remove unlink", (finding("remove", "unlink /var/tmp/fbbroken-keep.txt, denied") or {}).get("count"), 2)
want("remove rename", (finding("remove", "rename /tmp/mine2.txt to /var/tmp/fbbroken-moved.txt, denied") or {}).get("first_frame"), 5)
verdict = {c["name"]: (c["results"][0]["verdict"], c["results"][0]["checks"]["contained"],
                       c["results"][0]["metrics"]["sandbox_denied"]) for c in rep["candidates"]}
want("contained", verdict, {"builtin": ("pass", "n/a", None), "host": ("pass", "pass", 0),
                            "phone": ("fail", "fail", 4), "snoop": ("fail", "fail", 4),
                            "hoard": ("fail", "fail", 2), "litter": ("pass", "pass", 0),
                            "remove": ("fail", "fail", 10)})
want("ranks of the flagged", sorted(c["rank"] for c in rep["candidates"] if c["name"] in ("phone", "snoop", "hoard", "remove")), [4, 5, 6, 7])
for f in fails:
    print("FAIL:", f)
print(len(fails), "mismatches")
sys.exit(1 if fails else 0)
PY
expect 0 '^0 mismatches' cat "$tmp/py.out"
# the schema knows every key
expect 0 'schema_check: 1 passed, 0 failed' /usr/bin/python3 "$here/../schema/check.py" report="$tmp/e/report.json"
# report.html: the column, the section, and their numbers are report.json's
html=$tmp/e/report.html
has "$html" '<th>security</th>'
has "$html" '<h2 id="security">Security: what the firmware tried</h2>'
has "$html" '<td class="fail"><span data-json="candidates.[0-9].security.verdict">flagged</span>'
has "$html" '<td class="pass"><span data-json="candidates.[0-9].security.verdict">clean</span>'
has "$html" 'built into the bench: trusted, not sandboxed'
has "$html" '— <span class="fail" data-verdict="flagged">flagged</span></h3>'
has "$html" '<td>network</td><td><code data-json="candidates.[0-9].security.findings.0.what">connect to 203.0.113.9:443, denied</code></td><td class="n" data-json="candidates.[0-9].security.findings.0.count">2</td><td class="n">1</td><td>lab-range, frame 5, '
has "$html" '<td>read a file outside its view</td><td><code[^>]*>open /etc/passwd for reading, denied</code>'
has "$html" '<td>write outside its scratch folder</td><td><code[^>]*>open /var/tmp/fbhoard-f5.raw for writing, denied'
has "$html" '<tr><td><code>/tmp/f5.raw</code></td><td class="n">98304</td><td>lab-range</td></tr>'
has "$html" 'The first 8 of 40 files'
has "$html" 'data-verdict="fail">FAIL<span class="why">contained 4; </span>'
python3 - "$html" "$tmp/e/report.json" >"$tmp/py.out" 2>&1 <<'PY'
import html as h, json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2], encoding="utf-8"))
n = bad = 0
for path, text in re.findall(r'data-json="(candidates\.\d+\.security\.[^"]+)"[^>]*>([^<]*)<', html):
    v = rep
    for k in path.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    n += 1
    if str(v) != h.unescape(text.strip()):
        bad += 1
        print("mismatch", path, text, v)
print(n, "security cells,", bad, "mismatches")
PY
expect 0 'security cells, 0 mismatches' cat "$tmp/py.out"
# --sandbox off: nobody is vouched for
"$FB" evaluate --battery lab-range --scale quick --jobs 1 --quiet --sandbox off --out "$tmp/off" \
    --dut "phone=exec:$BROKEN --broken phone-home@5" >/dev/null 2>&1
expect 0 '"verdict":[[:space:]]*"unchecked"' cat "$tmp/off/report.json"
expect 0 '"contained":[[:space:]]*"n/a"' cat "$tmp/off/report.json"
expect 0 '"why":[[:space:]]*"--sandbox off in 1 run"' cat "$tmp/off/report.json"
echo "evaluate_security: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
