#!/usr/bin/python3
"""schema_doc.py — the field tables of docs/outputs.md, made from docs/schema/*.schema.json.

  scripts/schema_doc.py --write docs/outputs.md   rewrite the tables between the markers
  scripts/schema_doc.py --check docs/outputs.md   exit 1 (and say where) when they differ

The tables sit between <!-- schema:NAME --> and <!-- /schema:NAME --> (NAME: results, report);
each row is one field by its path in the file (a.b, list[].c), its JSON type and its meaning
(the schema's "description"), so the docs' field names are the schema's, and the schema's are
the files' (tests/schema/check.py). Standard library only.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "..", "docs", "schema")


def resolve(schema, root):
    """Follows a local $ref; sibling keywords (description) win over the target's."""
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        target = dict(resolve(root["$defs"][ref[len("#/$defs/"):]], root))
        target.update({k: v for k, v in schema.items() if k != "$ref"})
        return target
    return schema


def type_of(s):
    if "enum" in s:
        return " \\| ".join(json.dumps(v, ensure_ascii=False) for v in s["enum"])
    t = s.get("type", "any")
    t = t if isinstance(t, list) else [t]
    out = " \\| ".join(t)
    if "pattern" in s:
        out += " (hex)" if "0-9a-f" in s["pattern"] else ""
    if s.get("minimum") == 0 and s.get("maximum") == 1:
        out += " (0–1)"
    return out


def rows(schema, root, path, out):
    s = resolve(schema, root)
    for name, sub in s.get("properties", {}).items():
        sub_r = resolve(sub, root)
        p = f"{path}.{name}" if path else name
        out.append((p, type_of(sub_r), sub_r.get("description", "")))
        if "properties" in sub_r:
            rows(sub_r, root, p, out)
        elif sub_r.get("type") == "array" and "items" in sub_r:
            rows(sub_r["items"], root, p + "[]", out)
    return out


def table(name):
    with open(os.path.join(SCHEMA_DIR, name + ".schema.json"), encoding="utf-8") as f:
        root = json.load(f)
    lines = ["| field | type | meaning |", "|---|---|---|"]
    for p, t, d in rows(root, root, "", []):
        d = d.replace("|", "\\|")
        lines.append(f"| `{p}` | {t} | {d} |")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--write", "--check"):
        sys.stderr.write(__doc__)
        return 2
    doc = sys.argv[2]
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    new = text
    for name in ("results", "report"):
        pat = re.compile(r"(<!-- schema:%s -->\n)(.*?)(<!-- /schema:%s -->)" % (name, name), re.S)
        if not pat.search(new):
            sys.stderr.write(f"{doc}: no <!-- schema:{name} --> ... <!-- /schema:{name} --> block\n")
            return 2
        new = pat.sub(lambda m: m.group(1) + table(name) + m.group(3), new)
    if sys.argv[1] == "--write":
        if new != text:
            with open(doc, "w", encoding="utf-8") as f:
                f.write(new)
        return 0
    if new != text:
        old_l, new_l = text.splitlines(), new.splitlines()
        for i, (a, b) in enumerate(zip(old_l, new_l)):
            if a != b:
                sys.stderr.write(f"{doc}:{i + 1}: stale field table (scripts/schema_doc.py --write {doc})\n"
                                 f"  has:    {a}\n  schema: {b}\n")
                break
        else:
            sys.stderr.write(f"{doc}: stale field table: lengths differ (scripts/schema_doc.py --write {doc})\n")
        return 1
    print(f"schema_doc: {doc} matches docs/schema/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
