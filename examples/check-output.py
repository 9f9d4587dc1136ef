#!/usr/bin/env python3
"""Runs an example program and compares its standard output with the expected file."""
import difflib
import subprocess
import sys


def main():
    program, expected_path = sys.argv[1], sys.argv[2]
    run = subprocess.run([program], capture_output=True, text=True)
    with open(expected_path) as f:
        expected = f.read()
    if run.returncode != 0:
        sys.stderr.write("%s exited with %d\n%s" % (program, run.returncode, run.stderr))
        return 1
    if run.stdout != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True),
                                                   run.stdout.splitlines(True),
                                                   "expected", "actual"))
        return 1
    if run.stderr:
        sys.stderr.write("unexpected output on stderr:\n" + run.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
