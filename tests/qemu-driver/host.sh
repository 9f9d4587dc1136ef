#!/usr/bin/env bash
# Host queries of the qemu driver: the capabilities document (valid for libvirt's schema, built
# from the probed emulator), the hypervisor version, and the probe cache that answers them.
# usage: host.sh VIRTKIT
# shellcheck source=tests/qemu-driver/lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init host "${1:-}"

caps=$root/caps.xml
vkr capabilities >"$caps" 2>&1
cmd_re "capabilities validate against libvirt's capability.rng" "validates" \
    xmllint --noout --relaxng /usr/share/libvirt/schemas/capability.rng "$caps"
cmd_re "they name the emulator" "<emulator>/usr/bin/qemu-system-x86_64</emulator>" cat "$caps"
cmd_re "the default machine is listed with its alias" \
    "<machine canonical='pc-i440fx-[0-9.]+' maxCpus='[0-9]+'>pc</machine>" cat "$caps"
if [ "$virt_type" = kvm ]; then
    cmd_re "kvm is offered where /dev/kvm works" "<domain type='kvm'/>" cat "$caps"
else
    lacks() { ! grep -q "<domain type='kvm'/>" "$caps"; }
    assert "kvm is not offered without /dev/kvm" lacks
fi

qemu_version=$(qemu-system-x86_64 --version | sed -nE '1s/.*version ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p')
has_line "version reports qemu's own version" "Running hypervisor: QEMU $qemu_version" version
expect "one probe cached" "$(find "$root/cache/qemu/capabilities" -name '*.json' | wc -l)" 1
stamp=$(stat -c %y "$root"/cache/qemu/capabilities/*.json)
vkr version >/dev/null 2>&1
expect "a second query reuses the cache" "$(stat -c %y "$root"/cache/qemu/capabilities/*.json)" \
    "$stamp"

vkq_done
