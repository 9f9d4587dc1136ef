#!/usr/bin/env bash
# Runs the same net-* command lines through Debian's virsh on libvirt's own network driver and
# through virtkit on qemu:///embed, and compares stdout, stderr and exit status (TAP). Each side
# runs in a network namespace of its own; libvirtd also gets a private mount namespace with empty
# /etc/libvirt, /run/libvirt and /var/lib/libvirt, so nothing of the host is touched. Only
# randomly generated MAC addresses are masked. With VIRTKITD, the lines also run through Debian's
# virsh against virtkitd (on a root of its own, in a third namespace), which must print what
# virtkit prints. Needs root. KEEP=1 keeps the outputs in /tmp.
#
# usage: network-virsh-compare.sh VIRTKIT DATADIR CASES [VIRTKITD]
set -u

vk=${1:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}
data=${2:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}
cases=${3:?usage: network-virsh-compare.sh VIRTKIT DATADIR CASES}
vkd=${4:-}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for network and mount namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed" \
            "(Debian packages libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients)"
        exit 0
    fi
done

vk=$(realpath "$vk")
data=$(realpath "$data")
tmp=$(mktemp -d /tmp/vkcompare-XXXXXX)
nslv=vkcmp-lv-$$
nsvk=vkcmp-vk-$$
nsd=vkcmp-d-$$

cleanup() {
    local ns pids
    for ns in "$nslv" "$nsvk" "$nsd"; do
        pids=$(ip netns pids "$ns" 2>/dev/null)
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
        ip netns delete "$ns" 2>/dev/null
    done
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$nslv" && ip netns add "$nsvk" && ip netns add "$nsd" || {
    echo "1..0 # SKIP cannot create network namespaces here"
    exit 0
}
export LC_ALL=C HOME=$tmp/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI
mkdir -p "$HOME"

# The command lines, one per line, DATA replaced.
grep -v -e '^#' -e '^[[:space:]]*$' "$cases" | sed "s|DATA|$data|g" >"$tmp/lines"

# The libvirt side, run inside the private namespaces: libvirtd needs the accounts Debian's
# packages create, which we add to a private copy of the account files.
cat >"$tmp/libvirt-side.sh" <<'EOF'
set -u
tmp=$1
mount --make-rprivate /
for d in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
    mkdir -p "$d" && mount -t tmpfs tmpfs "$d" || exit 1
done
cp /etc/passwd "$tmp/passwd" && cp /etc/group "$tmp/group"
for user in libvirt-qemu:64055 libvirt-dnsmasq:64056; do
    name=${user%%:*} id=${user#*:}
    grep -q "^$name:" /etc/passwd ||
        echo "$name:x:$id:$id::/var/lib/libvirt:/usr/sbin/nologin" >>"$tmp/passwd"
    grep -q "^$name:" /etc/group || echo "$name:x:$id:" >>"$tmp/group"
done
for group in kvm:64057 libvirt:64058; do
    grep -q "^${group%%:*}:" /etc/group || echo "${group%%:*}:x:${group#*:}:" >>"$tmp/group"
done
mount --bind "$tmp/passwd" /etc/passwd && mount --bind "$tmp/group" /etc/group || exit 1
libvirtd -p "$tmp/libvirtd.pid" >"$tmp/libvirtd.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
    [ -S /run/libvirt/libvirt-sock ] && break
    sleep 0.1
done
i=0
while IFS= read -r line; do
    i=$((i + 1))
    eval "set -- $line"
    virsh -c qemu:///system "$@" >"$tmp/virsh.$i.out" 2>"$tmp/virsh.$i.err" </dev/null
    echo $? >"$tmp/virsh.$i.rc"
done <"$tmp/lines"
kill "$daemon"
wait "$daemon"
EOF
ip netns exec "$nslv" unshare --mount bash "$tmp/libvirt-side.sh" "$tmp"

uri="qemu:///embed?root=$tmp/root"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    eval "set -- $line"
    ip netns exec "$nsvk" "$vk" -c "$uri" "$@" >"$tmp/virtkit.$i.out" 2>"$tmp/virtkit.$i.err" \
        </dev/null
    echo $? >"$tmp/virtkit.$i.rc"
done <"$tmp/lines"

# The same through virsh and virtkitd: the daemon serves a root of its own.
if [ -n "$vkd" ]; then
    vkd=$(realpath "$vkd")
    droot=$tmp/droot
    mkdir -p "$droot"
    ip netns exec "$nsd" "$vkd" --root "$droot" >"$tmp/virtkitd.log" 2>&1 &
    dpid=$!
    for _ in $(seq 100); do
        [ -S "$droot/run/virtkit-sock" ] && break
        sleep 0.1
    done
    duri="qemu+unix:///system?socket=$droot/run/virtkit-sock"
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        eval "set -- $line"
        ip netns exec "$nsd" virsh -c "$duri" "$@" >"$tmp/daemon.$i.out" 2>"$tmp/daemon.$i.err" \
            </dev/null
        echo $? >"$tmp/daemon.$i.rc"
    done <"$tmp/lines"
    kill "$dpid"
    wait "$dpid"
fi

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
        if [ -n "$vkd" ] &&
            ! diff <(normalize "$tmp/daemon.$n.$s") <(normalize "$tmp/virtkit.$n.$s") \
                >"$tmp/ddiff.$s"; then
            diffs="$diffs daemon-$s"
            cp "$tmp/ddiff.$s" "$tmp/diff.daemon-$s"
        fi
    done
    desc=${line//$data/DATA}
    if [ -z "$diffs" ]; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc (differs in:$diffs; < virsh or virsh->virtkitd, > virtkit)"
        for s in $diffs; do
            sed 's/^/# /' "$tmp/diff.$s"
        done
    fi
done <"$tmp/lines"
echo "1..$n"
[ "$failed" -eq 0 ]
