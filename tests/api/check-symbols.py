#!/usr/bin/env python3
"""Checks libvirtkit.so's dynamic symbols against the public headers (TAP output).

Every exported symbol must be declared in include/virtkit/*.h, and every function or variable
the headers declare must be exported: a program built against the headers then links.
"""
import re
import subprocess
import sys
from pathlib import Path


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRVW" and not parts[2].startswith("VIRTKIT_"):
            names.add(parts[2].split("@")[0])
    return names


def declared(headers):
    names = set()
    for header in sorted(Path(headers).glob("*.h")):
        text = re.sub(r"/\*.*?\*/", "", header.read_text(), flags=re.S).replace("\\\n", " ")
        text = re.sub(r"^\s*#.*$", "", text, flags=re.M)
        for stmt in text.split(";"):
            stmt = " ".join(re.split(r"[{}]", stmt)[-1].split())
            if stmt.startswith("typedef"):
                continue
            m = re.match(r"^(?:extern )?[\w\s*]+?\b(vir\w+)\s*\(", stmt) or \
                re.match(r"^extern [\w\s*]+?\b(vir\w+)$", stmt)
            if m:
                names.add(m.group(1))
    return names


def main():
    lib, headers = sys.argv[1], sys.argv[2]
    have, want = exported(lib), declared(headers)
    checks = [
        ("every exported symbol is public API", sorted(have - want)),
        ("every declared function is exported", sorted(want - have)),
        ("the public API is not empty", [] if len(want) >= 90 else ["only %d" % len(want)]),
    ]
    print("1..%d" % len(checks))
    failed = False
    for i, (what, bad) in enumerate(checks, 1):
        if bad:
            failed = True
            print("not ok %d - %s" % (i, what))
            for name in bad:
                print("# %s" % name)
        else:
            print("ok %d - %s" % (i, what))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
