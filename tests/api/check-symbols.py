#!/usr/bin/env python3
"""Checks libvirtkit.so's dynamic symbols against the public headers (TAP output).

Every exported symbol must be declared in include/virtkit/*.h, and every function or variable
the headers declare must be exported: a program built against the headers then links. The one
exception is the private version node, which exports what the remote driver module calls and
nothing more. The library itself must not need libtirpc or GnuTLS (only the module does), so
that embedded use never pays for mapping them.
"""
import re
import subprocess
import sys
from pathlib import Path


PRIVATE_NODE = "VIRTKIT_PRIVATE_0"


def nm(*args):
    return subprocess.run(["nm", "-D", *args], check=True, capture_output=True,
                          text=True).stdout.splitlines()


def exported(lib):
    """(public, private): the names the library defines, split by version node."""
    public, private = set(), set()
    for line in nm("--defined-only", lib):
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRVW" and not parts[2].startswith("VIRTKIT_"):
            name, _, node = parts[2].partition("@")
            (private if node.lstrip("@") == PRIVATE_NODE else public).add(name)
    return public, private


def module_imports(module):
    """The private names the remote driver module takes from the library."""
    names = set()
    for line in nm("--undefined-only", module):
        parts = line.split()
        if parts and parts[-1].endswith("@" + PRIVATE_NODE):
            names.add(parts[-1].split("@")[0])
    return names


def module_exports(module):
    return {line.split()[2].split("@")[0] for line in nm("--defined-only", module)
            if len(line.split()) == 3 and line.split()[1] in "TDBRVW"}


def needed(lib):
    out = subprocess.run(["readelf", "-d", lib], check=True, capture_output=True,
                         text=True).stdout
    return re.findall(r"\(NEEDED\).*\[(.*)\]", out)


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
    lib, headers, module = sys.argv[1], sys.argv[2], sys.argv[3]
    (have, private), want = exported(lib), declared(headers)
    imports = module_imports(module)
    heavy = ("libtirpc", "libgnutls")
    checks = [
        ("every exported symbol is public API", sorted(have - want)),
        ("every declared function is exported", sorted(want - have)),
        ("the public API is not empty", [] if len(want) >= 90 else ["only %d" % len(want)]),
        ("every private export is used by the remote module", sorted(private - imports)),
        ("the remote module takes only private exports", sorted(imports - private)),
        ("the remote module exports its driver and nothing else",
         sorted(module_exports(module) ^ {"vkRemoteConnectDriver"})),
        ("libvirtkit.so does not need libtirpc or GnuTLS",
         [n for n in needed(lib) if n.startswith(heavy)]),
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
