#!/usr/bin/env bash
# The pool-* and vol-* command lines of CASES, run three ways on identical private storage:
#   1. Debian's virsh against a private libvirtd (tests/lib/libvirtd-private.sh: its own pid
#      file, config, sockets and runtime/state directories, in private mount, network and pid
#      namespaces), so the test passes whether or not the machine runs a libvirtd of its own;
#   2. the virtkit shell on qemu:///embed (the embedded storage driver);
#   3. Debian's virsh against virtkitd on the same kind of root, once the daemon is built
#      (until then this leg is reported as skipped).
# stdout, stderr and exit status must be identical. Each side sees the same paths: ROOT (the
# embedded root; the libvirt side gets a pool 'default' at ROOT/images defined as virt-install
# defines it, which virtkit creates by itself) and POOLS, each a tmpfs of the same size so that
# capacities and allocations match. UUIDs the drivers generate and volume timestamps are masked.
# TAP output. Needs root (namespaces, tmpfs). KEEP=1 keeps the outputs.
#
# usage: storage-virsh-compare.sh VIRTKIT DATADIR CASES
set -u

vk=${1:?usage: storage-virsh-compare.sh VIRTKIT DATADIR CASES}
data=${2:?usage: storage-virsh-compare.sh VIRTKIT DATADIR CASES}
cases=${3:?usage: storage-virsh-compare.sh VIRTKIT DATADIR CASES}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount namespaces and tmpfs"
    exit 0
fi
for prog in libvirtd virsh unshare ip qemu-img; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed (Debian packages libvirt-daemon, libvirt-clients," \
            "qemu-utils)"
        exit 0
    fi
done
if [ ! -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_storage.so ] &&
    ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_storage.so >/dev/null 2>&1; then
    echo "1..0 # SKIP libvirt's storage driver is not installed"
    exit 0
fi

here=$(dirname "$(realpath "$0")")
. "$here/../lib/libvirtd-private.sh"
vk=$(realpath "$vk")
data=$(realpath "$data")
daemon=$(dirname "$(dirname "$vk")")/daemon/virtkitd
tmp=$(mktemp -d /tmp/vkstcmp-XXXXXX)
chmod 755 "$tmp"
root=$tmp/root
pools=$tmp/pools
cleanup() {
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C HOME=$tmp/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI
mkdir -p "$HOME" "$root" "$pools" "$tmp/data"

# The data files with the paths filled in, and the command lines, one per line.
for f in "$data"/*; do
    sed -e "s|POOLS|$pools|g" -e "s|ROOT|$root|g" "$f" >"$tmp/data/$(basename "$f")"
done
grep -v -e '^#' -e '^[[:space:]]*$' "$cases" |
    sed -e "s|DATA|$tmp/data|g" -e "s|POOLS|$pools|g" -e "s|ROOT|$root|g" >"$tmp/lines"

# What every side starts with: empty tmpfs of one size where the pools live.
cat >"$tmp/storage.sh" <<'EOF'
mount --make-rprivate / || exit 1
mkdir -p "$ROOTDIR/images" "$POOLSDIR"
mount -t tmpfs -o size=256m,mode=0755 tmpfs "$ROOTDIR/images" || exit 1
mount -t tmpfs -o size=256m,mode=0755 tmpfs "$POOLSDIR" || exit 1
# Runs the command lines with $1 (a command prefix) and leaves outputs as $tmp/$2.N.*
run_lines() {
    local prefix=$1 tag=$2 i=0 line
    while IFS= read -r line; do
        i=$((i + 1))
        eval "set -- $line"
        $prefix "$@" >"$TMPDIR_CMP/$tag.$i.out" 2>"$TMPDIR_CMP/$tag.$i.err" </dev/null
        echo $? >"$TMPDIR_CMP/$tag.$i.rc"
    done <"$TMPDIR_CMP/lines"
}
EOF
export ROOTDIR=$root POOLSDIR=$pools TMPDIR_CMP=$tmp

# Leg 1: Debian's libvirtd fully private (tests/lib/libvirtd-private.sh), in namespaces of its
# own.
cat >"$tmp/libvirt-side.sh" <<'EOF'
set -u
. "$TMPDIR_CMP/storage.sh"
. "$LV_LIB"
lv_private_setup "$TMPDIR_CMP/ns" || exit 1
lv_start || exit 1
uri="qemu:///system?socket=$LV_SOCK"
# The pool virt-install defines when a host has none, as virtkit has it from the start.
virsh -q -c "$uri" "pool-define-as default dir --target $ROOTDIR/images;
    pool-start default; pool-autostart default" >"$TMPDIR_CMP/setup.log" 2>&1
run_lines "virsh -c $uri" virsh
lv_stop
EOF
mkdir -p "$tmp/ns"
LV_LIB=$here/../lib/libvirtd-private.sh lv_unshare bash "$tmp/libvirt-side.sh" ||
    echo "# the libvirt side failed"

# Leg 2: the virtkit shell, embedded.
cat >"$tmp/virtkit-side.sh" <<'EOF'
set -u
. "$TMPDIR_CMP/storage.sh"
run_lines "$VK -c qemu:///embed?root=$ROOTDIR" virtkit
EOF
VK=$vk unshare --mount --net bash "$tmp/virtkit-side.sh"

# Leg 3: virsh against virtkitd on a root of its own, when the daemon exists.
legs="virtkit"
if [ -x "$daemon" ]; then
    cat >"$tmp/daemon-side.sh" <<'EOF'
set -u
. "$TMPDIR_CMP/storage.sh"
"$DAEMON" --root "$ROOTDIR" >"$TMPDIR_CMP/virtkitd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    [ -S "$ROOTDIR/run/virtkit-sock" ] && break
    sleep 0.1
done
run_lines "virsh -c qemu+unix:///system?socket=$ROOTDIR/run/virtkit-sock" virtkitd
kill "$pid"
wait "$pid"
EOF
    DAEMON=$daemon unshare --mount --net bash "$tmp/daemon-side.sh"
    legs="virtkit virtkitd"
fi

normalize() {
    sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
        -e '/<(atime|mtime|ctime|btime)>/d' -e '/ (info|warning) : /d' "$1"
}

n=0
t=0
failed=0
while IFS= read -r line; do
    n=$((n + 1))
    desc=${line//$tmp\/data/DATA}
    desc=${desc//$root/ROOT}
    desc=${desc//$pools/POOLS}
    for leg in $legs; do
        t=$((t + 1))
        diffs=""
        for s in out err rc; do
            if ! diff <(normalize "$tmp/virsh.$n.$s") <(normalize "$tmp/$leg.$n.$s") \
                >"$tmp/diff.$s"; then
                diffs="$diffs $s"
            fi
        done
        if [ -z "$diffs" ]; then
            echo "ok $t - $leg: $desc"
        else
            failed=$((failed + 1))
            echo "not ok $t - $leg: $desc (differs in:$diffs; < virsh, > $leg)"
            for s in $diffs; do
                sed 's/^/# /' "$tmp/diff.$s"
            done
        fi
    done
done <"$tmp/lines"
[ -x "$daemon" ] || echo "# virtkitd is not built yet: the virsh -> virtkitd leg was skipped"
echo "1..$t"
[ "$failed" -eq 0 ]
