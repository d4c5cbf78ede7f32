#!/usr/bin/env python3
"""Print one line per test and the closing "N passed, N failed, N skipped".

Reads meson's testlog.json.  Exit status 1 if any test failed or none ran.
A skipped test is reported as skipped, never as passed.
"""
import json
import sys


def main(path):
    passed = failed = skipped = 0
    try:
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        records = []
    for rec in records:
        result = rec.get("result", "")
        suite = ",".join(s.split(":")[-1] for s in rec.get("suite", []))
        name = rec.get("name", "?")
        print(f"  {result:<8} {suite:<10} {name} ({rec.get('duration', 0):.1f} s)")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
