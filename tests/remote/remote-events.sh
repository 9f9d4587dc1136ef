#!/usr/bin/env bash
# Events through the remote driver: `virtkit event --all --loop` and `virtkit net-event
# --event lifecycle --loop` listen to a private Debian libvirtd (tests/lib/libvirtd-private.sh)
# beside Debian's virsh doing the same, while virsh changes a real guest (define, start, suspend,
# resume, destroy, a kill -9 of its qemu, undefine) and a network; virtkit must print what virsh
# prints. Given VIRTKITD, the same against virtkitd on a fresh root. TAP; needs root.
# usage: remote-events.sh VIRTKIT GUEST-XML NETWORK-XML [VIRTKITD]
set -u
here=$(dirname "$(realpath "$0")")

if [ "${1:-}" = --inner ]; then
    server=$2 dir=$3 vk=$4 vkd=$5
    out=$dir/out-$server
    mkdir -p "$out"
    . "$here/../lib/libvirtd-private.sh"
    lv_private_setup "$dir/ns" || exit 1
    if [ "$server" = virtkitd ]; then
        root=$dir/ns/vkroot
        mkdir -p "$root"
        "$vkd" --root "$root" >"$dir/ns/virtkitd.log" 2>&1 &
        for _ in $(seq 300); do
            [ -S "$root/run/virtkit-sock" ] && break
            sleep 0.1
        done
        uri="qemu+unix:///system?socket=$root/run/virtkit-sock"
        pidfile() { echo "$root/run/qemu/$1.pid"; }
    else
        lv_start || exit 1
        uri="qemu+unix:///system?socket=$LV_SOCK"
        pidfile() { echo "/run/libvirt/qemu/$1.pid"; }
    fi
    guest=$(sed -n 's|.*<name>\(.*\)</name>.*|\1|p' "$dir/guest.xml")

    listeners=()
    for client in virsh virtkit; do
        prog=virsh
        [ "$client" = virtkit ] && prog=$vk
        "$prog" -c "$uri" event --all --loop >"$out/$client.domain" 2>&1 &
        listeners+=($!)
        "$prog" -c "$uri" net-event --event lifecycle --loop >"$out/$client.network" 2>&1 &
        listeners+=($!)
    done

    # seen PATTERN: every listener has printed a line matching PATTERN.
    seen() {
        local f
        for f in "$out"/*.domain "$out"/*.network; do
            grep -q -- "$1" "$f" || return 1
        done
    }
    # marker NAME: a guest NAME and a network NAMEnet defined and undefined again.
    marker() {
        sed "s/vksync/$1/" "$dir/sync.xml" >"$dir/marker.xml"
        sed "s/vksync/$1/" "$dir/syncnet.xml" >"$dir/markernet.xml"
        virsh -q -c "$uri" "define $dir/marker.xml; undefine $1;
            net-define $dir/markernet.xml; net-undefine ${1}net" >/dev/null 2>&1
    }
    # Until every listener has registered: markers until each listener has reported one. Then
    # a marker that all of them see begins what is compared, and another one ends it.
    for _ in $(seq 100); do
        marker vksync
        seen "vksync[^:]*: Undefined" && break
        sleep 0.2
    done
    marker vkbegin

    virsh -q -c "$uri" "define $dir/guest.xml; start $guest; suspend $guest; resume $guest;
        destroy $guest; start $guest" >"$out/actor" 2>&1
    pid=$(cat "$(pidfile "$guest")" 2>/dev/null)
    [ -n "$pid" ] && kill -9 "$pid"
    for _ in $(seq 100); do
        seen "'$guest': Stopped Failed" && break
        sleep 0.2
    done
    virsh -q -c "$uri" "undefine $guest; net-define $dir/net.xml; net-start vkevnet;
        net-destroy vkevnet; net-undefine vkevnet" >>"$out/actor" 2>&1
    marker vkend
    for _ in $(seq 100); do
        seen "vkend[^:]*: Undefined" && break
        sleep 0.2
    done
    kill -INT "${listeners[@]}"
    wait "${listeners[@]}"
    exit 0
fi

vk=${1:?usage: remote-events.sh VIRTKIT GUEST-XML NETWORK-XML [VIRTKITD]}
guestxml=${2:?usage: remote-events.sh VIRTKIT GUEST-XML NETWORK-XML [VIRTKITD]}
netxml=${3:?usage: remote-events.sh VIRTKIT GUEST-XML NETWORK-XML [VIRTKITD]}
vkd=${4:-}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare ip qemu-system-x86_64; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed"
        exit 0
    fi
done

vk=$(realpath "$vk")
dir=$(mktemp -d /tmp/vkremote-events-XXXXXX)
chmod 755 "$dir"
trap '[ -n "${KEEP:-}" ] && echo "# kept $dir" || rm -rf "$dir"' EXIT
export LC_ALL=C HOME=$dir/home
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI VIRTKIT_DEFAULT_URI
mkdir -p "$HOME"

# The guest's name is this run's own (its qemu is seen by the whole machine); the network lives
# in the private network namespace.
sed "s/\bcmp1\b/cmp1-vkev$$/" "$guestxml" >"$dir/guest.xml"
sed -e "s|<name>[^<]*</name>|<name>vkevnet</name>|" -e '/<uuid>/d' \
    -e "s|<bridge name='[^']*'|<bridge name='vkevbr0'|" "$netxml" >"$dir/net.xml"
# The markers' templates (vksync is replaced by each marker's name).
echo "<domain type='qemu'><name>vksync</name><memory>65536</memory>" \
    "<os><type>hvm</type></os></domain>" >"$dir/sync.xml"
echo "<network><name>vksyncnet</name></network>" >"$dir/syncnet.xml"

servers=(libvirtd)
if [ -n "$vkd" ] && [ -x "$vkd" ]; then
    vkd=$(realpath "$vkd")
    servers+=(virtkitd)
fi

# The lifecycle events between the markers. Only those: libvirtd may also send others that
# virsh --all prints (a 'control-error' when it loses the monitor of the killed qemu), and the
# remote driver delivers lifecycle events only so far; "events received" counts the markers.
strip() {
    awk '/vkbegin[^:]*: Undefined/ {on=1; next} /vkend/ {on=0} on' "$1" | grep "^event 'lifecycle'"
}

n=0
failed=0
for server in "${servers[@]}"; do
    rm -rf "$dir/ns" && mkdir -p "$dir/ns" "$dir/cache"
    ln -sfn "$dir/cache" "$dir/ns/cache"
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        bash "$here/remote-events.sh" --inner "$server" "$dir" "$vk" "$vkd" >"$dir/inner.log" 2>&1
    for kind in domain network; do
        n=$((n + 1))
        a=$dir/out-$server/virsh.$kind b=$dir/out-$server/virtkit.$kind
        if [ -s "$a" ] && diff <(strip "$a") <(strip "$b") >"$dir/diff"; then
            echo "ok $n - $server: $kind events as virsh prints them ($(strip "$a" | wc -l) events)"
        else
            failed=$((failed + 1))
            echo "not ok $n - $server: $kind events (< virsh, > virtkit)"
            sed 's/^/# /' "$dir/diff"
            sed 's/^/# inner: /' "$dir/inner.log" | tail -n 5
            sed 's/^/# actor: /' "$dir/out-$server/actor" 2>/dev/null | tail -n 5
        fi
    done
done
[ "${#servers[@]}" -lt 2 ] && echo "# against virtkitd: not run (no virtkitd given)"
echo "1..$n"
[ "$failed" -eq 0 ]
