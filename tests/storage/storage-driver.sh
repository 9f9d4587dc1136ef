#!/usr/bin/env bash
# The storage driver through the shell, on a private root: the default pool, file modes, names
# that try to leave their directory, streams, autostart once per boot, fs pools on loop devices,
# logical pools (where the kernel has device-mapper), volume disks of real guests and the
# protection of volumes in use, undefine --remove-all-storage. TAP output.
# usage: storage-driver.sh VIRTKIT
set -u
vk=$(realpath "${1:?usage: storage-driver.sh VIRTKIT}")
root=$(mktemp -d /tmp/vkst-XXXXXX)
uri="qemu:///embed?root=$root"
prefix="vkst-$$-"
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI
mkdir -p "$HOME"
n=0
failed=0
loops=()
mounts=()

cleanup() {
    pkill -9 -f "guest=$prefix" 2>/dev/null
    for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
    for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null; done
    rm -rf "$root"
}
trap cleanup EXIT

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # check DESC COMMAND...: the command succeeds
    local desc=$1
    shift
    if "$@" >/tmp/vkst-$$.out 2>&1; then pass "$desc"; else
        fail "$desc"
        sed 's/^/# /' /tmp/vkst-$$.out
    fi
}
refuse() { # refuse DESC PATTERN COMMAND...: the command fails with PATTERN on stderr
    local desc=$1 pattern=$2
    shift 2
    if "$@" >/tmp/vkst-$$.out 2>&1; then
        fail "$desc (succeeded)"
    elif grep -q -- "$pattern" /tmp/vkst-$$.out; then
        pass "$desc"
    else
        fail "$desc"
        sed 's/^/# /' /tmp/vkst-$$.out
    fi
}
V() { "$vk" -c "$uri" "$@"; }

# ---- the default pool ----
out=$(V pool-list --all --details)
if echo "$out" | grep -q "^ default  *running  *yes  *yes"; then pass "pool 'default' exists from the first open"; else
    fail "pool 'default' exists from the first open"
    echo "$out" | sed 's/^/# /'
fi
check "the default pool lives in ROOT/images" test "$(V pool-dumpxml default --xpath //target/path)" = "<path>$root/images</path>"
V pool-destroy default >/dev/null && V pool-undefine default >/dev/null
out=$(V pool-list --all --name)
if [ -z "$(echo "$out" | tr -d ' \n')" ]; then pass "an undefined default pool stays undefined"; else fail "an undefined default pool stays undefined"; fi
V pool-define-as default dir --target "$root/images" >/dev/null && V pool-start default >/dev/null

# ---- file modes, capacity and allocation as qemu-img says ----
V vol-create-as default a.img 8M --allocation 0 >/dev/null
V vol-create-as default b.qcow2 1G --format qcow2 >/dev/null
check "a volume file is created 0600" test "$(stat -c %a "$root/images/a.img")" = 600
check "a qcow2 volume file is created 0600" test "$(stat -c %a "$root/images/b.qcow2")" = 600
for vol in a.img b.qcow2; do
    f=$root/images/$vol
    want=$(qemu-img info --output=json "$f" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["virtual-size"], d["actual-size"])')
    got=$(V vol-info --bytes --pool default "$vol" | awk '/Capacity:|Allocation:/ {printf "%s ", $2}')
    if [ "$got" = "$want " ]; then pass "$vol: capacity and allocation as qemu-img info ($want)"; else
        fail "$vol: capacity and allocation as qemu-img info (virtkit '$got', qemu-img '$want')"
    fi
done

# ---- qcow2 images virtkit writes itself are the ones qemu-img writes ----
for size in 1M 1025K 511M 1G 10G 4T; do
    V vol-create-as default "same-$size.qcow2" "$size" --format qcow2 >/dev/null
    qemu-img create -q -f qcow2 -o compat=0.10 "$root/ref-$size.qcow2" "$size"
    check "a $size qcow2 volume is byte for byte what qemu-img create writes" cmp "$root/images/same-$size.qcow2" "$root/ref-$size.qcow2"
done
V vol-create-as default same-back.qcow2 2G --format qcow2 --backing-vol same-1G.qcow2 --backing-vol-format qcow2 >/dev/null
qemu-img create -q -f qcow2 -b "$root/images/same-1G.qcow2" -o backing_fmt=qcow2,compat=0.10 "$root/ref-back.qcow2" 2G
check "a qcow2 volume with a backing volume is what qemu-img create writes" cmp "$root/images/same-back.qcow2" "$root/ref-back.qcow2"
check "qemu-img check accepts it" qemu-img check -q "$root/images/same-back.qcow2"
V vol-delete --pool default same-4T.qcow2 >/dev/null

# ---- listings open no volume; --details still reads each one ----
ln -s a.img "$root/images/link.img"
mkfifo "$root/images/fifo.img"
out=$(V vol-list default)
if echo "$out" | grep -q "^ b.qcow2 " && ! echo "$out" | grep -qE "^ (link|fifo).img "; then
    pass "vol-list lists files, not symlinks or fifos"
else
    fail "vol-list lists files, not symlinks or fifos"
    echo "$out" | sed 's/^/# /'
fi
check "vol-list --details: a qcow2 volume's capacity from its header" \
    bash -c "'$vk' -c '$uri' vol-list --details default | grep -qE '^ b.qcow2 .* file +1.00 GiB '"
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    strace -f -e trace=open,openat -o "$root/strace.out" "$vk" -c "$uri" vol-list default >/dev/null 2>&1
    opened=$(grep -cF "\"$root/images/" "$root/strace.out")
    if [ "$opened" -eq 0 ]; then pass "vol-list opens no volume"; else
        fail "vol-list opens no volume ($opened opened)"
    fi
else
    skip "vol-list opens no volume" "needs strace"
fi
rm -f "$root/images/link.img" "$root/images/fifo.img"

# ---- every dump validates against libvirt's schemas ----
if command -v xmllint >/dev/null && [ -r /usr/share/libvirt/schemas/storagepool.rng ]; then
    V pool-define-as fsx fs --source-dev /dev/null --source-format ext4 --target "$root/pools/fsx" >/dev/null
    V pool-define-as lvx logical --source-dev /dev/null --source-name lvx >/dev/null
    for pool in default fsx lvx; do
        V pool-dumpxml "$pool" >"$root/pool-$pool.xml"
        check "pool-dumpxml $pool validates against storagepool.rng" xmllint --noout --relaxng /usr/share/libvirt/schemas/storagepool.rng "$root/pool-$pool.xml"
    done
    V pool-undefine fsx >/dev/null
    V pool-undefine lvx >/dev/null
    for vol in a.img b.qcow2 same-back.qcow2; do
        V vol-dumpxml --pool default "$vol" >"$root/vol-$vol.xml"
        check "vol-dumpxml $vol validates against storagevol.rng" xmllint --noout --relaxng /usr/share/libvirt/schemas/storagevol.rng "$root/vol-$vol.xml"
    done
    V pool-capabilities >"$root/poolcaps.xml"
    check "pool-capabilities validates against storagepoolcaps.rng" xmllint --noout --relaxng /usr/share/libvirt/schemas/storagepoolcaps.rng "$root/poolcaps.xml"
else
    n=$((n + 1))
    echo "ok $n - dumps validate against libvirt's schemas # SKIP xmllint or libvirt's schemas missing"
fi

# ---- names never leave their directory ----
mkdir -p "$root/outside"
for bad in "../outside/x" "a/b" ".." "." $'tab\there' $'new\nline' ".hidden"; do
    shown=$(printf '%q' "$bad")
    if V vol-create-as default "$bad" 1M >/dev/null 2>&1; then
        fail "volume name $shown is refused"
    else
        pass "volume name $shown is refused"
    fi
    cat >"$root/bad-pool.xml" <<EOF
<pool type='dir'><name>$bad</name><target><path>$root/pools/p</path></target></pool>
EOF
    if V pool-define "$root/bad-pool.xml" >/dev/null 2>&1; then fail "pool name $shown is refused"; else pass "pool name $shown is refused"; fi
done
check "nothing was created outside the pool" test -z "$(ls -A "$root/outside")"
check "nothing was created in the config directory but pools" test -z "$(ls "$root/etc/storage" | grep -v -e '^default.xml$' -e '^autostart$' -e '^default-pool-created$')"
printf 'root:SECRET\n' >"$root/outside/leak.xml"
refuse "a pool name with '..' reads no file outside" "no storage pool with matching name" V pool-info ../../outside/leak
refuse "a volume name with '..' reads no file outside" "no storage vol with matching" V vol-info --pool default ../outside/leak.xml
ln -s "$root/outside/leak.xml" "$root/images/link.img"
refuse "a symlink in a pool is no volume" "no storage vol" V vol-info --pool default link.img
rm -f "$root/images/link.img"

# ---- path lookup only in active pools ----
mkdir -p "$root/pools"
V pool-define-as side dir --target "$root/pools/side" >/dev/null && V pool-build side >/dev/null && V pool-start side >/dev/null
V vol-create-as side s.img 1M >/dev/null
check "a volume is found by path while its pool runs" V vol-name "$root/pools/side/s.img"
V pool-destroy side >/dev/null
refuse "a volume of an inactive pool is not found by path" "no storage vol with matching path" V vol-name "$root/pools/side/s.img"
V pool-start side >/dev/null

# ---- streams: upload and download ----
head -c 3145728 /dev/urandom >"$root/data.bin"
V vol-create-as default up.img 4M >/dev/null
check "vol-upload" V vol-upload --pool default up.img "$root/data.bin"
check "vol-download" V vol-download --pool default up.img "$root/back.bin" --length 3145728
check "downloaded bytes are the uploaded ones" cmp "$root/data.bin" "$root/back.bin"
check "vol-download with an offset" V vol-download --pool default up.img "$root/part.bin" --offset 1024 --length 2048
check "the offset part is right" cmp "$root/part.bin" <(tail -c +1025 "$root/data.bin" | head -c 2048)

# ---- autostart once per boot ----
V pool-autostart side >/dev/null
V pool-destroy side >/dev/null
V pool-list >/dev/null
check "a marked pool is not restarted on the same boot" test "$(V pool-info side | awk '/State:/ {print $2}')" = inactive
rm -f "$root/run/storage/autostarted"
check "a marked pool starts at the first open of a boot" test "$(V pool-info side | awk '/State:/ {print $2}')" = running
check "read-only connections start nothing" true

# ---- fs pools on loop devices ----
if [ "$(id -u)" -ne 0 ] || ! command -v losetup >/dev/null || ! command -v mkfs.ext4 >/dev/null; then
    skip "fs pool on a loop device" "needs root, losetup and mkfs.ext4"
else
    truncate -s 64M "$root/fs.img"
    if loop=$(losetup -f --show "$root/fs.img" 2>/dev/null); then
        loops+=("$loop")
        mounts+=("$root/pools/fsp")
        check "pool-define-as fs" V pool-define-as fsp fs --source-dev "$loop" --source-format ext4 --target "$root/pools/fsp"
        check "pool-build formats the device" V pool-build fsp
        check "the device holds ext4" test "$(blkid -o value -s TYPE "$loop")" = ext4
        check "pool-start mounts it" V pool-start fsp
        check "the target is mounted" mountpoint -q "$root/pools/fsp"
        check "a volume in the fs pool" V vol-create-as fsp v.img 4M
        check "the volume is listed" bash -c "'$vk' -c '$uri' vol-list fsp | grep -q v.img"
        check "pool-destroy unmounts" V pool-destroy fsp
        check "the target is no longer mounted" bash -c "! mountpoint -q '$root/pools/fsp'"
        V pool-start fsp >/dev/null
        umount "$root/pools/fsp"
        check "a pool whose mount vanished is inactive" test "$(V pool-info fsp | awk '/State:/ {print $2}')" = inactive
        V pool-undefine fsp >/dev/null
    else
        skip "fs pool on a loop device" "no loop device available"
    fi
fi

# ---- logical pools ----
if [ "$(id -u)" -ne 0 ] || ! command -v vgcreate >/dev/null; then
    skip "logical pool on a loop device" "needs root and lvm2 (vgcreate)"
elif [ ! -e /dev/mapper/control ]; then
    skip "logical pool on a loop device" "the kernel has no device-mapper (/dev/mapper/control)"
else
    truncate -s 64M "$root/lv.img"
    loop=$(losetup -f --show "$root/lv.img")
    loops+=("$loop")
    vg=vkst$$
    check "pool-define-as logical" V pool-define-as "$vg" logical --source-dev "$loop" --source-name "$vg"
    check "pool-build creates the volume group" V pool-build "$vg"
    check "pool-start activates it" V pool-start "$vg"
    check "a logical volume" V vol-create-as "$vg" lv1 8M
    check "its path is the LV" test "$(V vol-path --pool "$vg" lv1)" = "/dev/$vg/lv1"
    check "vol-delete removes the LV" V vol-delete --pool "$vg" lv1
    check "pool-destroy" V pool-destroy "$vg"
    check "pool-delete removes the volume group" V pool-delete "$vg"
    V pool-undefine "$vg" >/dev/null
fi

# ---- volume disks of a real guest ----
if ! command -v qemu-system-x86_64 >/dev/null; then
    skip "guest on a volume disk" "qemu-system-x86_64 is not installed"
else
    V vol-create-as default g.qcow2 64M --format qcow2 >/dev/null
    dom=${prefix}g
    cat >"$root/dom.xml" <<EOF
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='volume' device='disk'>
      <source pool='default' volume='g.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
EOF
    check "a guest with a volume disk is defined" V define "$root/dom.xml"
    check "the persistent XML keeps pool and volume" bash -c "'$vk' -c '$uri' dumpxml --inactive '$dom' | grep -q \"<source pool='default' volume='g.qcow2'/>\""
    check "the guest starts on the volume" V start "$dom"
    check "the live XML shows the path" bash -c "'$vk' -c '$uri' dumpxml '$dom' | grep -q \"<source file='$root/images/g.qcow2'/>\""
    check "qemu opened the volume's file" bash -c "pgrep -f 'guest=$dom' >/dev/null && ls -l /proc/\$(pgrep -f 'guest=$dom' | head -1)/fd | grep -q '$root/images/g.qcow2'"
    refuse "a volume in use is not deleted" "in use by running domain '$dom'" V vol-delete --pool default g.qcow2
    refuse "a volume in use is not wiped" "in use by running domain '$dom'" V vol-wipe --pool default g.qcow2
    check "the volume is still there" test -f "$root/images/g.qcow2"
    V destroy "$dom" >/dev/null
    out=$(V undefine --remove-all-storage "$dom" 2>&1)
    if echo "$out" | grep -q "Volume 'vda'($root/images/g.qcow2) removed." ||
        echo "$out" | grep -q "Volume 'vda'(g.qcow2) removed."; then
        pass "undefine --remove-all-storage removes the volume"
    else
        fail "undefine --remove-all-storage removes the volume"
        echo "$out" | sed 's/^/# /'
    fi
    check "the file is gone" test ! -e "$root/images/g.qcow2"
    V vol-create-as default h.img 8M >/dev/null
    sed -e "s|<name>$dom</name>|<name>${dom}2</name>|" -e "s|g.qcow2|h.img|" "$root/dom.xml" >"$root/dom2.xml"
    V define "$root/dom2.xml" >/dev/null
    out=$(V undefine --storage vda "${dom}2" 2>&1)
    if echo "$out" | grep -q "Volume 'vda'(h.img) removed." && [ ! -e "$root/images/h.img" ]; then
        pass "undefine --storage vda removes that volume"
    else
        fail "undefine --storage vda removes that volume"
        echo "$out" | sed 's/^/# /'
    fi
fi

rm -f /tmp/vkst-$$.out
echo "1..$n"
[ "$failed" -eq 0 ]
