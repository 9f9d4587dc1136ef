#!/usr/bin/env bash
# The goldens of tests/qemu/data/postparse against libvirt itself: each CASE.xml is defined on
# libvirt 9.0's embedded qemu driver (Debian's virsh, qemu:///embed in a scratch root) and its
# `dumpxml --inactive` must be CASE.out.xml byte for byte.
# qemupostparsetest compares our output with the same files, so both agree with libvirt.
# usage: postparse-libvirt.sh DATADIR [--regenerate]   (--regenerate writes CASE.out.xml)
# TAP output. Needs root: libvirt's embedded driver, run as root, wants its 'libvirt-qemu' user,
# which a private mount namespace provides without touching the host's /etc.
set -u
datadir=$(realpath "${1:?usage: postparse-libvirt.sh DATADIR [--regenerate]}")
regenerate=${2:-}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root (libvirt's embedded qemu driver with KVM)"
    exit 0
fi
for tool in virsh unshare xmllint qemu-system-x86_64; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
if [ ! -c /dev/kvm ]; then
    echo "1..0 # SKIP no /dev/kvm (the cases are KVM guests)"
    exit 0
fi

work=$(mktemp -d /tmp/vkpp-XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export LC_ALL=C
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI

cp /etc/passwd "$work/passwd"
cp /etc/group "$work/group"
if ! getent passwd libvirt-qemu >/dev/null; then
    echo 'libvirt-qemu:x:64055:64055::/nonexistent:/usr/sbin/nologin' >>"$work/passwd"
    echo 'libvirt-qemu:x:64055:' >>"$work/group"
fi

# qemu probes as root too, so that it can reach the scratch root (libvirt caches what it learns
# there, and probes only once for all cases).
mkdir -p "$work/root/etc"
printf 'user = "root"\ngroup = "root"\n' >"$work/root/etc/qemu.conf"

# Runs inside the private mount namespace: every case on one root, so that qemu is probed once.
cat >"$work/run.sh" <<'EOF'
set -u
work=$1 datadir=$2 regenerate=$3
mount --bind "$work/passwd" /etc/passwd && mount --bind "$work/group" /etc/group || exit 1
uri="qemu:///embed?root=$work/root"
n=0 failed=0
for input in "$datadir"/*.xml; do
    case $input in *.out.xml) continue ;; esac
    n=$((n + 1))
    case=$(basename "$input" .xml)
    name=$(xmllint --xpath 'string(/domain/name)' "$input")
    if ! virsh -q -c "$uri" define "$input" >"$work/define.log" 2>&1; then
        failed=$((failed + 1))
        echo "not ok $n - $case: libvirt refuses it"
        grep -v ' info : ' "$work/define.log" | sed 's/^/# /'
        continue
    fi
    virsh -q -c "$uri" dumpxml --inactive "$name" 2>/dev/null >"$work/out.xml"
    virsh -q -c "$uri" undefine "$name" >/dev/null 2>&1
    if [ "$regenerate" = --regenerate ]; then
        cp "$work/out.xml" "$datadir/$case.out.xml"
        echo "ok $n - $case (written)"
    elif diff -u "$datadir/$case.out.xml" "$work/out.xml" >"$work/diff"; then
        echo "ok $n - $case"
    else
        failed=$((failed + 1))
        echo "not ok $n - $case differs from libvirt's output"
        sed 's/^/# /' "$work/diff"
    fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
EOF
unshare -m bash "$work/run.sh" "$work" "$datadir" "$regenerate"
