#!/usr/bin/env bash
# virtkitd --libvirt-sockets (and libvirt_sockets = 1): libvirt's own socket paths, so that
# virsh with its default URI reaches virtkitd; refused clearly when another daemon holds them.
# Runs in a private mount namespace with an empty tmpfs on /run/libvirt, so that the host's
# libvirtd, if any, is never touched. Needs root. TAP output.
# usage: libvirt-sockets.sh VIRTKIT VIRTKITD
set -u
if [ "${1:-}" != --inner ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP needs root for a mount namespace"
        exit 0
    fi
    for tool in virsh unshare; do
        if ! command -v "$tool" >/dev/null; then
            echo "1..0 # SKIP $tool is not installed"
            exit 0
        fi
    done
    exec unshare --mount --propagation private bash "$(realpath "$0")" --inner "$@"
fi
shift
mount -t tmpfs tmpfs /run/libvirt 2>/dev/null || {
    mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt
} || {
    echo "1..0 # SKIP cannot mount a tmpfs on /run/libvirt"
    exit 0
}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init libvirt-sockets "$1" "$2"
export LIBVIRT_DEFAULT_URI=
unset LIBVIRT_DEFAULT_URI

g=${prefix}l
vkr define "$(domxml "$g")" >/dev/null

if vkd_start --libvirt-sockets; then
    pass "starts with --libvirt-sockets"
else
    fail "starts with --libvirt-sockets" "$(tail -n 5 "$root/virtkitd.log")"
fi
for s in libvirt-sock libvirt-sock-ro; do
    if [ -S "/run/libvirt/$s" ]; then
        pass "/run/libvirt/$s is there"
    else
        fail "/run/libvirt/$s is there"
    fi
done
out=$(virsh -c qemu:///system list --all --name 2>&1)
if grep -qxF "$g" <<<"$out"; then
    pass "virsh -c qemu:///system reaches virtkitd"
else
    fail "virsh -c qemu:///system reaches virtkitd" "$out"
fi
out=$(virsh list --all --name 2>&1)
if grep -qxF "$g" <<<"$out"; then
    pass "virsh with its default URI reaches virtkitd"
else
    fail "virsh with its default URI reaches virtkitd" "$out"
fi
out=$(virsh -r -c qemu:///system undefine "$g" 2>&1)
if grep -qF "read only access prevents virDomainUndefine" <<<"$out"; then
    pass "virsh -r goes to the read-only socket"
else
    fail "virsh -r goes to the read-only socket" "$out"
fi
assert "virtkit's own socket serves too" vsh list --all
vkd_stop
if [ ! -e /run/libvirt/libvirt-sock ] && [ ! -e /run/libvirt/libvirt-sock-ro ]; then
    pass "libvirt's sockets removed at exit"
else
    fail "libvirt's sockets removed at exit"
fi

# the configuration key does the same
mkdir -p "$root/etc"
echo "libvirt_sockets = 1" >"$root/etc/virtkitd.conf"
vkd_start
out=$(virsh -c qemu:///system list --all --name 2>&1)
if grep -qxF "$g" <<<"$out"; then
    pass "libvirt_sockets = 1 in virtkitd.conf"
else
    fail "libvirt_sockets = 1 in virtkitd.conf" "$out"
fi
vkd_stop
rm -f "$root/etc/virtkitd.conf"

# someone else (a libvirtd, here a stand-in) listens there already
/usr/bin/python3 - <<'EOF' &
import os, socket, time
s = socket.socket(socket.AF_UNIX)
s.bind("/run/libvirt/libvirt-sock")
s.listen(1)
open("/run/libvirt/taken", "w").close()
time.sleep(600)
EOF
holder=$!
vkq_pids+=("$holder")
for _ in $(seq 200); do
    [ -e /run/libvirt/taken ] && break
    sleep 0.05
done
out=$("$vkd" --root "$root" --libvirt-sockets 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -qF "cannot take libvirt's sockets in /run/libvirt (is a libvirtd running?" <<<"$out" &&
    grep -qF "another process already listens on '/run/libvirt/libvirt-sock'" <<<"$out"; then
    pass "refused clearly when libvirt's socket is taken"
    sed 's/^/# /' <<<"$out"
else
    fail "refused clearly when libvirt's socket is taken" "rc=$rc" "$out"
fi
if [ ! -e "$root/run/virtkit-sock" ] && [ -S /run/libvirt/libvirt-sock ]; then
    pass "nothing left behind, the other daemon's socket untouched"
else
    fail "nothing left behind, the other daemon's socket untouched"
fi
kill "$holder"
vkr undefine "$g" >/dev/null
vkq_done
