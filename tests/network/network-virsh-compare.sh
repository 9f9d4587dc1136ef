#!/usr/bin/env bash
# Runs the same net-* command lines through Debian's virsh on libvirt's own network driver and
# through virtkit on qemu:///embed, and compares stdout, stderr and exit status (TAP). Each side
# runs in a network namespace of its own; libvirtd runs fully private (its own mount, network and
# pid namespaces, config, sockets, pid file, runtime and state directories), so nothing of the
# host is touched and a libvirtd of the machine's own does not matter. Only randomly generated
# MAC addresses are masked. Needs root. KEEP=1 keeps the outputs in /tmp.
#
# usage: network-virsh-compare.sh VIRTKIT DATADIR CASES
set -u

vk=${1:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}
data=${2:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}
cases=${3:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for network and mount namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare ip; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed" \
            "(Debian packages libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients)"
        exit 0
    fi
done

here=$(dirname "$(realpath "$0")")
. "$here/../lib/libvirtd-private.sh"
vk=$(realpath "$vk")
data=$(realpath "$data")
tmp=$(mktemp -d /tmp/vkcompare-XXXXXX)
chmod 755 "$tmp"
nsvk=vkcmp-vk-$$

cleanup() {
    local pids
    pids=$(ip netns pids "$nsvk" 2>/dev/null)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip netns delete "$nsvk" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$nsvk" || {
    echo "1..0 # SKIP cannot create network namespaces here"
    exit 0
}
export LC_ALL=C HOME=$tmp/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI
mkdir -p "$HOME"

# The command lines, one per line, DATA replaced.
grep -v -e '^#' -e '^[[:space:]]*$' "$cases" | sed "s|DATA|$data|g" >"$tmp/lines"

# The libvirt side: Debian's libvirtd fully private (tests/lib/libvirtd-private.sh) in
# namespaces of its own, whether or not the machine runs a libvirtd.
cat >"$tmp/libvirt-side.sh" <<'EOF'
set -u
lib=$1 tmp=$2
. "$lib"
lv_private_setup "$tmp/ns" || exit 1
lv_start || exit 1
i=0
while IFS= read -r line; do
    i=$((i + 1))
    eval "set -- $line"
    virsh -c "qemu:///system?socket=$LV_SOCK" "$@" >"$tmp/virsh.$i.out" 2>"$tmp/virsh.$i.err" \
        </dev/null
    echo $? >"$tmp/virsh.$i.rc"
done <"$tmp/lines"
lv_stop
EOF
mkdir -p "$tmp/ns"
lv_unshare bash "$tmp/libvirt-side.sh" "$here/../lib/libvirtd-private.sh" "$tmp" ||
    echo "# the libvirt side failed"

uri="qemu:///embed?root=$tmp/root"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    eval "set -- $line"
    ip netns exec "$nsvk" "$vk" -c "$uri" "$@" >"$tmp/virtkit.$i.out" 2>"$tmp/virtkit.$i.err" \
        </dev/null
    echo $? >"$tmp/virtkit.$i.rc"
done <"$tmp/lines"

normalize() {
    sed -E 's/52:54:00(:[0-9a-f]{2}){3}/52:54:00:XX:XX:XX/g' "$1"
}

n=0
failed=0
while IFS= read -r line; do
    n=$((n + 1))
    diffs=""
    for s in out err rc; do
        if ! diff <(normalize "$tmp/virsh.$n.$s") <(normalize "$tmp/virtkit.$n.$s") \
            >"$tmp/diff.$s"; then
            diffs="$diffs $s"
        fi
    done
    desc=${line//$data/DATA}
    if [ -z "$diffs" ]; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc (differs in:$diffs; < virsh, > virtkit)"
        for s in $diffs; do
            sed 's/^/# /' "$tmp/diff.$s"
        done
    fi
done <"$tmp/lines"
echo "1..$n"
[ "$failed" -eq 0 ]
