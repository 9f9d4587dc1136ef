#!/usr/bin/env bash
# `virsh console` through virtkitd: a TCG guest whose boot sector (tests/data/daemon/
# echo-boot.S, assembled here with GNU as) echoes its serial port; console.py drives virsh on a
# pseudo-terminal. TCG because qemu under this kind of nested KVM starves the pty's input.
# usage: console.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init console "$1" "$2"
src=$(dirname "$(realpath "$0")")/../data/daemon/echo-boot.S
for tool in virsh as ld qemu-system-x86_64; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
as --32 -o "$root/boot.o" "$src" &&
    ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$root/boot.img" "$root/boot.o" || {
    echo "Bail out! cannot assemble the boot sector"
    exit 1
}
g=${prefix}con
domxml "$g" qemu "<disk type='file' device='disk'><driver name='qemu' type='raw'/>
    <source file='$root/boot.img'/><target dev='hda' bus='ide'/></disk>
    <serial type='pty'/><console type='pty'/>" >/dev/null
vkd_start || {
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
}
vsh define "$root/$g.xml" >/dev/null
/usr/bin/python3 "$(dirname "$0")/console.py" "$duri" "$g"
rc=$?
vsh destroy "$g" >/dev/null 2>&1
vkd_stop || rc=1
exit $rc
