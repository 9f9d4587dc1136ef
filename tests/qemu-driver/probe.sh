#!/usr/bin/env bash
# The capability probe's qemu dies with the virtkit that started it: SIGTERM, SIGINT, SIGHUP or
# SIGKILL of `define` on a fresh root while its probe runs leaves no qemu and no file behind,
# and the next run probes again normally.
#
# usage: probe.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init probe "${1:-}"

d=${prefix}a
xml=$(domxml "$d")
# Scratch files of the probe would land here (g_get_tmp_dir): none may appear.
export TMPDIR=$root/tmp
mkdir -p "$TMPDIR"

# The probe of the virtkit with pid $1: a qemu of ours with -machine none.
probe_of() {
    pgrep -P "$1" -f -- "-machine none" | head -n 1
}

# kill_during_probe SIGNAL: runs `define` on a fresh root and signals virtkit while its probe
# qemu runs. Sets probe to the probe's pid; fails if no attempt caught the probe running.
kill_during_probe() {
    local sig=$1 vk_pid i
    probe=
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        rm -rf "$root/r"
        # Background jobs of a script ignore SIGINT; env gives virtkit the default action.
        env --default-signal=INT "$vk" -c "qemu:///embed?root=$root/r" define "$xml" \
            >/dev/null 2>&1 &
        vk_pid=$!
        for ((i = 0; i < 400; i++)); do
            probe=$(probe_of "$vk_pid")
            [ -n "$probe" ] && break
            proc_alive "$vk_pid" || break
            sleep 0.002
        done
        if [ -n "$probe" ] && kill "-$sig" "$vk_pid" 2>/dev/null; then
            wait "$vk_pid" 2>/dev/null
            # Caught it only if virtkit died of the signal (not of finishing first).
            [ -d "/proc/$probe" ] && return 0
        fi
        wait "$vk_pid" 2>/dev/null
        probe=
    done
    return 1
}

for sig in TERM INT HUP KILL; do
    if ! kill_during_probe "$sig"; then
        skip "SIG$sig during the probe" "the probe never ran long enough to be caught"
        continue
    fi
    vkq_pids+=("$probe")
    if wait_until 10 proc_dead "$probe"; then
        pass "SIG$sig to virtkit during the probe: the probe's qemu is gone"
    else
        fail "SIG$sig to virtkit during the probe: the probe's qemu is gone" \
            "$(ps -o pid,stat,args -p "$probe")"
    fi
    expect "SIG$sig: no probe directory left" "$(find "$TMPDIR" -mindepth 1 | head -n 5)" ""
    # The next run finds no usable cache and probes again.
    rm -rf "$root/r"
    if vkr_out=$("$vk" -c "qemu:///embed?root=$root/r" define "$xml" 2>&1); then
        pass "SIG$sig: the next define on that root works"
    else
        fail "SIG$sig: the next define on that root works" "$vkr_out"
    fi
    expect "SIG$sig: and leaves nothing in TMPDIR" "$(find "$TMPDIR" -mindepth 1 | head -n 5)" ""
done

# A probe that cannot start reports qemu's own words, and still leaves nothing.
fake=$root/bin/qemu-fake
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "fake qemu refuses to run" >&2\nexit 1\n' >"$fake"
chmod +x "$fake"
badxml=$root/bad.xml
sed "s|<devices>|<devices><emulator>$fake</emulator>|" "$xml" >"$badxml"
rm -rf "$root/r"
out=$("$vk" -c "qemu:///embed?root=$root/r" define "$badxml" 2>&1)
rc=$?
expect "a failing probe fails define" "$rc" 1
if grep -q "fake qemu refuses to run" <<<"$out"; then
    pass "with qemu's message"
else
    fail "with qemu's message" "$out"
fi
expect "a failed probe leaves nothing in TMPDIR" "$(find "$TMPDIR" -mindepth 1 | head -n 5)" ""

vkq_done
