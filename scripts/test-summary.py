#!/usr/bin/python3
"""Counts TAP results across meson test logs and prints 'N passed, N failed, N skipped'."""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?", re.IGNORECASE)

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as log:
        for line in log:
            test = json.loads(line)
            lines = [l for l in (test.get("stdout") or "").splitlines() if TAP.match(l)]
            if not lines:
                # a non-TAP test counts once, by its meson result
                result = test.get("result")
                if result == "OK":
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                continue
            if test.get("result") not in ("OK", "SKIP"):
                failed += 1  # crashed or timed out around its subtests
            for l in lines:
                m = TAP.match(l)
                if m.group(3) and m.group(3).upper() == "SKIP":
                    skipped += 1
                elif m.group(1).lower() == "ok":
                    passed += 1
                else:
                    failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
