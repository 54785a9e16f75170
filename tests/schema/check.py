#!/usr/bin/python3
"""check.py — validates output files against docs/schema/ and finds what the schemas miss.

  check.py results=out/results.json report=eval/report.json ...

Each file must validate against its schema (Draft 2020-12, Debian's python3-jsonschema), and
every key it holds must be declared by the schema: the schemas leave additional keys open for
readers, so a field added to the bench without its schema entry would pass validation; this
check fails it as a stale schema, naming the key's path. Prints one summary line; exit 1 on any
failure, 2 on bad usage.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("check.py: needs Debian's python3-jsonschema for /usr/bin/python3 (scripts/install-deps.sh installs it)\n")
    sys.exit(2)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schema")


def resolve(s, root):
    if isinstance(s, dict) and "$ref" in s:
        t = dict(resolve(root["$defs"][s["$ref"][len("#/$defs/"):]], root))
        t.update({k: v for k, v in s.items() if k != "$ref"})
        return t
    return s


def undeclared(inst, s, root, path, out):
    """Paths of keys in inst that schema s does not name (a map's additionalProperties schema
    names every key)."""
    s = resolve(s, root)
    if isinstance(inst, dict):
        props = s.get("properties", {})
        extra = s.get("additionalProperties", True)
        for k, v in inst.items():
            p = f"{path}.{k}" if path else k
            if k in props:
                undeclared(v, props[k], root, p, out)
            elif isinstance(extra, dict):
                undeclared(v, extra, root, p, out)
            else:
                out.append(p)
    elif isinstance(inst, list) and "items" in s:
        for i, v in enumerate(inst):
            undeclared(v, s["items"], root, f"{path}[{i}]", out)
    return out


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    schemas, passed, failed = {}, 0, 0
    for arg in sys.argv[1:]:
        kind, _, path = arg.partition("=")
        if kind not in ("results", "report") or not path:
            sys.stderr.write(f"check.py: {arg}: expected results=FILE or report=FILE\n")
            return 2
        if kind not in schemas:
            with open(os.path.join(SCHEMA_DIR, kind + ".schema.json"), encoding="utf-8") as f:
                schemas[kind] = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schemas[kind])
        root = schemas[kind]
        try:
            with open(path, encoding="utf-8") as f:
                inst = json.load(f)
        except (OSError, ValueError) as e:
            print(f"FAIL: {path}: {e}")
            failed += 1
            continue
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(inst), key=lambda e: list(e.path))
        for e in errors[:5]:
            where = ".".join(str(p) for p in e.path) or "(top)"
            print(f"FAIL: {path}: {where}: {e.message}")
        missing = undeclared(inst, root, root, "", [])
        for p in missing[:5]:
            print(f"FAIL: {path}: {p}: not in docs/schema/{kind}.schema.json (stale schema: declare and document it)")
        if errors or missing:
            failed += 1
        else:
            passed += 1
    print(f"schema_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
