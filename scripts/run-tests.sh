#!/usr/bin/env bash
# Builds virtkit and runs the whole test suite; --sanitize uses an ASan+UBSan build in build-asan/.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=build
setup_args=()
if [ "${1:-}" = "--sanitize" ]; then
    builddir=build-asan
    setup_args=(-Db_sanitize=address,undefined -Db_lundef=false)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "${setup_args[@]}" >/dev/null
fi
ninja -C "$builddir"
status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
python3 scripts/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit $status
