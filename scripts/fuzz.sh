#!/usr/bin/env bash
# Fuzzes each XML parser, the wire protocol's frame decoding and virtkitd's dispatch with
# libFuzzer (clang,
# ASan+UBSan) for SECONDS (default 60) in build-fuzz/; every crash, leak or timeout found is
# saved into fuzz/corpus/<target>/ and fails the run.
# Usage: scripts/fuzz.sh [SECONDS] [domain|network|rpc|daemon...]   (FUZZ_SECONDS: the time)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-60}}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(domain network rpc daemon)
builddir="${FUZZ_BUILDDIR:-build-fuzz}"
outdir="fuzz-out"

if [ ! -f "$builddir/build.ninja" ]; then
    CC=clang meson setup "$builddir" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false >/dev/null
fi
# The executable of a target: the XML parsers' are fuzz_<kind>_xml, the frames' fuzz_rpc_frame,
# the daemon's fuzz_daemon_dispatch.
exe() {
    case $1 in
    rpc) echo "fuzz/fuzz_rpc_frame" ;;
    daemon) echo "fuzz/fuzz_daemon_dispatch" ;;
    *) echo "fuzz/fuzz_$1_xml" ;;
    esac
}
exes=()
for t in "${targets[@]}"; do
    exes+=("$(exe "$t")")
done
mkdir -p "$outdir"
if ! ninja -C "$builddir" "${exes[@]}" >"$outdir/build.log" 2>&1; then
    tail -n 40 "$outdir/build.log"
    echo "fuzz: build failed (full log: $outdir/build.log)"
    exit 1
fi

symbolizer=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null |
    tail -n1 || true)
[ -z "$symbolizer" ] || export ASAN_SYMBOLIZER_PATH="$symbolizer"

# What tells one bug from another: the sanitizer's summary, the first stack frame in our own
# sources, and the round-trip check's message, with addresses and sizes left out.
signature() {
    # glib lacks frame pointers: unwind slowly so that leak stacks reach our code
    { ASAN_OPTIONS=fast_unwind_on_malloc=0 "$1" -timeout=10 "$2" 2>&1 || true; } | awk '
        /^fuzz_[a-z_]+: / && !w { w = $0 }
        /^SUMMARY: / && !s {
            s = $0; sub(/^SUMMARY: /, "", s); sub(/ [^ ]*:[0-9].*$/, "", s); sub(/ \(.*$/, "", s)
            if ($4 == "byte(s)") s = $2 " leak"
        }
        /^ *#[0-9]+ 0x[0-9a-f]+ in / && $5 ~ /(^|\/)src\/.*\.c:/ && !f {
            file = $5; sub(/^.*src\//, "src/", file); sub(/:[0-9]+$/, "", file)
            f = $4 " " file
        }
        # a round-trip mismatch: remember both outputs to name the first element that differs
        /^--- first format:/ { sec = 1; next }
        /^--- second format:/ { sec = 2; next }
        /^==[0-9]+==/ { sec = 0 }
        sec == 1 { one[n1++] = $0 }
        sec == 2 { two[n2++] = $0 }
        END {
            for (i = 0; n2 && i < n1; i++) {
                if (one[i] != two[i]) {
                    if (match(one[i], /<\/?[A-Za-z_:-]+/))
                        d = " at " substr(one[i], RSTART, RLENGTH)
                    break
                }
            }
            printf "%s%s%s%s", (s ? s : "no report"), (f ? " in " f : ""), (w ? "; " w : ""), d
        }'
}

status=0
for t in "${targets[@]}"; do
    work="$outdir/$t"
    rm -rf "$work/artifacts"
    mkdir -p "$work/corpus" "$work/artifacts" "fuzz/corpus/$t"
    echo "fuzz: $t for $seconds s (log: $work/fuzz.log)"
    # New inputs go to the first corpus directory (scratch); the saved corpus and the test
    # corpora only seed. Fork mode keeps going after a crash, so one run reports them all.
    rc=0
    bin="$builddir/$(exe "$t")"
    extra=()
    [ ! -f "fuzz/$t.dict" ] || extra+=(-dict="fuzz/$t.dict")
    seeds=("fuzz/corpus/$t")
    # the daemon reads frames too: the rpc target's seeds start it off
    [ "$t" != daemon ] || seeds+=("fuzz/corpus/rpc")
    for d in tests/data/"$t"*; do
        [ ! -d "$d" ] || seeds+=("$d")
    done
    "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        "${extra[@]}" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
        "$work/corpus" "${seeds[@]}" >"$work/fuzz.log" 2>&1 || rc=$?
    grep -E '^#[0-9]+: cov:' "$work/fuzz.log" | tail -n1 | sed 's/^/fuzz:   /' || true

    # Fork mode hits one bug through many inputs: keep the smallest input per signature
    # (sanitizer summary, first frame in our sources, our own round-trip message).
    declare -A keep=()
    for a in "$work"/artifacts/{crash,leak,timeout,oom}-*; do
        [ -f "$a" ] || continue
        sig=$(signature "$bin" "$a")
        old=${keep[$sig]:-}
        if [ -z "$old" ] || [ "$(stat -c %s "$a")" -lt "$(stat -c %s "$old")" ]; then
            keep[$sig]=$a
        fi
    done
    found=${#keep[@]}
    for sig in "${!keep[@]}"; do
        a=${keep[$sig]}
        saved="fuzz/corpus/$t/$(basename "$a")"
        note="new"
        [ ! -e "$saved" ] || note="already saved, still failing"
        cp "$a" "$saved"
        echo "fuzz:   FOUND $saved ($(stat -c %s "$a") bytes, $note): $sig"
        head -c 600 "$a" | cat -v | sed 's/^/fuzz:   | /'
        echo
    done
    unset keep
    if [ "$found" -gt 0 ]; then
        echo "fuzz:   $t: $found problem input(s); see $work/fuzz.log"
        status=1
    elif [ "$rc" -ne 0 ]; then
        echo "fuzz:   $t: fuzzer exited with status $rc; see $work/fuzz.log"
        tail -n 20 "$work/fuzz.log" | sed 's/^/fuzz:   | /'
        status=1
    else
        echo "fuzz:   $t: nothing found"
    fi
done
exit $status
