#!/usr/bin/env bash
# Debian's virt-install against virtkitd, as a user creates a guest: with a new disk
# (--disk size=1: a qcow2 volume created in the default pool, which the daemon creates on first
# use) and on an existing disk image (--disk path=...), --import, started; the guest runs on
# that disk and its definition is kept.
# This host's nested KVM cannot run virt-install's default CPU (host-passthrough: qemu fails to
# set an MSR), so the guests ask for qemu64; nothing else departs from what virt-install writes.
# usage: virt-install.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init vinst "$1" "$2"
for prog in virt-install virsh qemu-img; do
    if ! command -v $prog >/dev/null; then
        echo "1..0 # SKIP $prog is not installed (scripts/setup-deps.sh)"
        exit 0
    fi
done
vkd_start || {
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
}

# out_re DESC TEXT REGEX: a line of TEXT matches REGEX (ERE).
out_re() {
    if grep -qE -- "$3" <<<"$2"; then
        pass "$1"
    else
        fail "$1" "no line matching '$3' in:" "$2"
    fi
}

vinst() { # NAME DISK-OPTION
    virt-install --connect "$duri" --name "$1" --memory 128 --vcpus 1 --osinfo debian11 \
        --cpu qemu64 --virt-type "$virt_type" --disk "$2" --import --network none \
        --graphics vnc --noautoconsole >"$root/$1.out" 2>&1
}

# A new disk in the default pool.
g=${prefix}new
assert "virt-install --disk size=1 --import" vinst "$g" size=1
expect "the guest runs" "$(vsh_state "$g")" "running (booted)"
path=$(vsh vol-path --pool default "$g.qcow2" 2>&1)
expect "its volume is in the default pool" "$path" "$root/images/$g.qcow2"
out_re "the volume is qcow2 (vol-dumpxml)" "$(vsh vol-dumpxml --pool default "$g.qcow2" 2>&1)" \
    "<format type='qcow2'/>"
out_re "and qemu-img agrees" "$(qemu-img info -U "$path" 2>&1)" "^file format: qcow2$"
out_re "the guest's disk is that volume" "$(vsh domblklist "$g" 2>&1)" "^ vda +$path$"
out_re "the running qemu has it open" "$(ls -l /proc/"$(status_pid "$g")"/fd 2>/dev/null)" \
    " -> $path$"
expect "the definition is kept" "$(vsh list --all --persistent --name 2>&1 | grep -c "^$g$")" 1

# An existing disk image.
g2=${prefix}old
qemu-img create -q -f qcow2 "$root/existing.qcow2" 64M
assert "virt-install --disk path=IMAGE --import" vinst "$g2" "path=$root/existing.qcow2"
expect "that guest runs" "$(vsh_state "$g2")" "running (booted)"
out_re "on the image given" "$(vsh domblklist "$g2" 2>&1)" "^ vda +$root/existing.qcow2$"

# Gone again as virsh removes them.
assert "destroy and undefine --remove-all-storage" vsh "destroy $g; undefine $g --remove-all-storage"
expect "the volume went with it" "$(vsh vol-list default --name 2>&1 | grep -c "$g")" 0
assert "destroy and undefine" vsh "destroy $g2; undefine $g2"
expect "the image given stays" "$(test -e "$root/existing.qcow2" && echo yes)" yes
vkq_done
