#!/usr/bin/env bash
# State that cannot be used as it should: a root that is not a directory or cannot be created
# fails the connection; a read-only root still lets destroy stop a running guest; an unreadable
# config directory is warned about, never listed as empty; a symlinked config is treated alike
# by listing and by lookup.
#
# usage: state.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init state "${1:-}"

d=${prefix}a
xml=$(domxml "$d")

# as_nobody COMMAND...: COMMAND as an unprivileged user, where this test can arrange that.
can_drop=no
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$vk" --version >/dev/null 2>&1; then
    can_drop=yes
fi
as_nobody() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# ---- a root that cannot hold state fails the connection, as in libvirt ----
uri_saved=$uri
uri="qemu:///embed?root=/dev/null"
check "root=/dev/null: the connection fails" 1 list --all <<EOF
error: failed to connect to the hypervisor
error: Failed to create state dir /dev/null/run/qemu: Not a directory
EOF
touch "$root/plain-file"
uri="qemu:///embed?root=$root/plain-file/sub"
check "a root under a regular file: the connection fails" 1 list --all <<EOF
error: failed to connect to the hypervisor
error: Failed to create state dir ROOT/plain-file/sub/run/qemu: Not a directory
EOF
uri="qemu:///embed?root=/dev/null"
check "root=/dev/null: a read-only connection fails too" 1 -r list --all <<EOF
error: failed to connect to the hypervisor
error: Failed to create state dir /dev/null/run/qemu: Not a directory
EOF
uri=$uri_saved
if [ "$can_drop" = yes ]; then
    mkdir -m 0700 "$root/private"
    out=$(as_nobody "$vk" -c "qemu:///embed?root=$root/private/r" list --all 2>&1)
    rc=$?
    expect "a root the user may not create: the connection fails" "$rc" 1
    cmd_re "with the state directory named" \
        "Failed to create state dir $root/private/r/run/qemu: Permission denied" echo "$out"
else
    skip "a root the user may not create" "needs root and setpriv"
fi

# ---- an unreadable config directory is warned about ----
vkr define "$xml" >/dev/null 2>&1
has_re "the domain is listed" "^ -  +$d +shut off\$" list --all
mv "$root/etc/qemu" "$root/etc/qemu.real"
touch "$root/etc/qemu"
out=$(vkr list --all 2>&1)
cmd_re "etc/qemu not a directory: list --all warns, naming it" \
    "warning: domains in '$root/etc/qemu' are not listed: cannot open directory '$root/etc/qemu': Not a directory" \
    echo "$out"
rm "$root/etc/qemu"
mv "$root/etc/qemu.real" "$root/etc/qemu"
if [ "$can_drop" = yes ]; then
    chmod 0755 "$root" "$root/etc" "$root/run" "$root/run/qemu"
    chmod 0000 "$root/etc/qemu"
    out=$(as_nobody "$vk" -c "$uri" list --all 2>&1)
    cmd_re "etc/qemu unreadable: list --all warns, naming it" \
        "warning: domains in '$root/etc/qemu' are not listed: cannot open directory '$root/etc/qemu': Permission denied" \
        echo "$out"
    chmod 0700 "$root/etc/qemu"
else
    skip "etc/qemu unreadable" "needs root and setpriv"
fi

# ---- a symlinked config: listing and lookup agree ----
l=${prefix}link
lxml=$(domxml "$l")
mkdir -p "$root/elsewhere"
# A config as define stores it, kept outside the config directory and linked into it.
vkr define "$lxml" >/dev/null 2>&1
mv "$root/etc/qemu/$l.xml" "$root/elsewhere/$l.xml"
ln -s "$root/elsewhere/$l.xml" "$root/etc/qemu/$l.xml"
list=$(vkr list --all 2>&1)
if vkr dumpxml "$l" >/dev/null 2>&1; then
    cmd_re "a symlinked config that dumpxml reads is listed" "^ -  +$l +shut off\$" echo "$list"
else
    cmd_re "a symlinked config that dumpxml refuses is warned about in list, naming it" \
        "warning: domain '$l' skipped: .*$root/etc/qemu/$l.xml" echo "$list"
fi
rm -f "$root/etc/qemu/$l.xml"

# ---- a read-only root: destroy still stops the guest ----
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
    skip "read-only root" "needs root and mount namespaces"
    vkq_done
fi
vkr start "$d" >/dev/null 2>&1
pid=$(status_pid "$d")
if [ -n "$pid" ] && proc_alive "$pid"; then
    pass "the guest runs"
else
    fail "the guest runs" "$(vkr start "$d" 2>&1)"
fi
# in_ro COMMAND...: virtkit with the root mounted read-only, in a mount namespace of its own.
in_ro() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" &&
        shift && exec "$@"' sh "$root" "$vk" -c "$uri" "$@"
}
out=$(in_ro destroy "$d" 2>&1)
rc=$?
expect "read-only root: destroy succeeds" "$rc" 0
cmd_re "and says so" "^Domain '$d' destroyed\$" echo "$out"
if wait_until 10 proc_dead "$pid"; then
    pass "read-only root: qemu is gone"
else
    fail "read-only root: qemu is gone" "$out"
fi
out=$(in_ro list --all 2>&1)
cmd_re "read-only root: list --all shows it shut off" "^ -  +$d +shut off\$" echo "$out"
has_re "writable again: list --all shows it shut off" "^ -  +$d +shut off\$" list --all
expect "and its run files are gone" "$(stale_run_files "$d")" ""
out=$(in_ro destroy "$d" 2>&1)
cmd_re "read-only root: destroy of a shut-off guest says it is not running" \
    "domain is not running" echo "$out"

vkq_done
