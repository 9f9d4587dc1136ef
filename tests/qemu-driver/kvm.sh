#!/usr/bin/env bash
# The accelerator: type='qemu' runs under TCG, type='kvm' under KVM, and a kvm guest on a host
# without usable KVM (simulated as root in a mount namespace) fails cleanly.
#
# usage: kvm.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init kvm "${1:-}"

q=${prefix}q
k=${prefix}k
kt=${prefix}kt
domxml "$q" qemu >/dev/null
domxml "$k" kvm >/dev/null
domxml "$kt" kvm >/dev/null
vkr define "$root/$q.xml" >/dev/null
vkr define "$root/$k.xml" >/dev/null

# ---- no KVM ----
# /dev/null over /dev/kvm, in a mount namespace of this command only.
without_kvm() {
    unshare -m bash -c 'mount --bind /dev/null /dev/kvm && exec "$@"' nokvm "$@"
}
nokvm_ok=
if [ "$(id -u)" -ne 0 ]; then
    nokvm_why="needs root for a mount namespace"
elif [ ! -e /dev/kvm ]; then
    nokvm_why="no /dev/kvm to hide"
elif ! without_kvm true 2>/dev/null; then
    nokvm_why="cannot bind-mount over /dev/kvm here"
else
    nokvm_ok=1
fi
if [ -n "$nokvm_ok" ]; then
    without_kvm "$vk" -c "$uri" start "$k" >"$root/out" 2>"$root/err"
    rc=$?
    expect "kvm domain without KVM: start fails" "$rc" 1
    if grep -qx "error: Failed to start domain '$k'" "$root/err" &&
        grep -q "^error: unsupported configuration: .*kvm" "$root/err"; then
        pass "with a clear error (unsupported configuration ... kvm)"
    else
        fail "with a clear error (unsupported configuration ... kvm)" "$(cat "$root/err")"
    fi
    expect "no qemu was left" "$(qemu_count "$k")" 0
    assert "no run files were left" no_run_files "$k"
    expect "still shut off" "$(vkr domstate "$k" 2>&1 | head -n 1)" "shut off"
else
    for what in "start fails" "with a clear error" "no qemu left" "no run files left" \
        "still shut off"; do
        skip "kvm domain without KVM: $what" "$nokvm_why"
    done
fi

# ---- type='kvm' with KVM ----
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    have_kvm=1
else
    have_kvm=
fi
if [ -n "$have_kvm" ]; then
    # After the failures above, KVM is back: the same root must use it again.
    check "kvm domain starts once KVM is back" 0 start "$k" <<EOF
Domain '$k' started

EOF
    pid=$(status_pid "$k")
    cmd_re "its qemu runs with accel=kvm" "(^|,)accel=kvm(,|\$)" qemu_arg "${pid:-0}" -machine
    vkr destroy "$k" >/dev/null 2>&1
    expect "no qemu left" "$(qemu_count "$k")" 0
else
    # Without KVM on the host the driver must refuse, as it did in the namespace above.
    vkr start "$k" >/dev/null 2>"$root/err"
    rc=$?
    expect "no usable /dev/kvm: a type='kvm' domain fails" "$rc" 1
    cmd_re "with a clear error (unsupported configuration ... kvm)" \
        "^error: unsupported configuration: .*kvm" cat "$root/err"
    expect "and leaves no qemu" "$(qemu_count "$k")" 0
fi

# ---- no KVM in a root whose capabilities were probed with KVM ----
if [ -n "$nokvm_ok" ] && [ -n "$have_kvm" ]; then
    # A second root of its own, so that the outcome above does not matter here.
    uri2="qemu:///embed?root=$root/second"
    "$vk" -c "$uri2" create "$root/$kt.xml" >/dev/null 2>&1
    "$vk" -c "$uri2" destroy "$kt" >/dev/null 2>&1
    without_kvm "$vk" -c "$uri2" create "$root/$kt.xml" >"$root/out" 2>"$root/err"
    rc=$?
    expect "transient kvm domain without KVM: create fails" "$rc" 1
    if grep -qx "error: Failed to create domain from $root/$kt.xml" "$root/err" &&
        grep -q "^error: unsupported configuration: .*kvm" "$root/err"; then
        pass "with a clear error (unsupported configuration ... kvm)"
    else
        fail "with a clear error (unsupported configuration ... kvm)" "$(cat "$root/err")"
    fi
    expect "no qemu was left" "$(qemu_count "$kt")" 0
    if "$vk" -c "$uri2" list --all | grep -q " $kt "; then
        fail "and no domain"
    else
        pass "and no domain"
    fi
else
    for what in "create fails" "with a clear error" "no qemu left" "no domain"; do
        skip "transient kvm domain without KVM: $what" "${nokvm_why:-no usable KVM on this host}"
    done
fi

# ---- type='qemu': TCG ----
check "start a type='qemu' domain" 0 start "$q" <<EOF
Domain '$q' started

EOF
pid=$(status_pid "$q")
cmd_re "its qemu runs with accel=tcg (/proc/PID/cmdline)" "(^|,)accel=tcg(,|\$)" \
    qemu_arg "$pid" -machine
refute "and not with kvm" grep -qa "accel=kvm" "/proc/$pid/cmdline"
assert "the status file says tcg" grep -q "accel='tcg'" "$(status_file "$q")"
has_re "live XML keeps type='qemu'" "^<domain type='qemu' id='[0-9]+'>\$" dumpxml "$q"
check "destroy it" 0 destroy "$q" <<EOF
Domain '$q' destroyed

EOF

vkq_done
