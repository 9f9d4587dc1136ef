#!/usr/bin/env bash
# The guests people create with virt-install: for each OS id, what Debian's virt-install 4.1
# prints (--print-xml --import --osinfo OS, generated here against libvirt's own embedded qemu
# driver) must be accepted by `virtkit define`, dump schema-valid, and start under KVM with a
# blank qcow2 disk added; the guest agent's socket is where the live XML says, and destroy
# leaves no qemu and no socket behind.
# The guests are generated with --disk none --network user: libvirt's embedded driver has no
# storage or network driver to resolve the defaults with, so the disk is added here.
# This host's nested KVM cannot run the host CPU model, the Hyper-V MSRs nor SMM (which the
# Secure Boot firmware virt-install picks for Windows 11 needs); a guest that
# fails to start for that reason is started again without its <cpu> (and Windows guests are
# then reported as skipped).
#
# usage: virt-install.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init vinst "${1:-}"

# VKQ_VINST_OSES narrows the list (the sanitized run takes four of each kind: see meson.build).
oses="${VKQ_VINST_OSES:-debian11 debian10 ubuntu22.04 ubuntu20.04 fedora37 fedora36 rhel9.1 rhel8.6
centos-stream9 centos-stream8 rocky9 almalinux9 opensuse15.4 opensusetumbleweed archlinux
alpinelinux3.17 alpinelinux3.16 freebsd13.1 freebsd12.3 win10 win11 win2k22}"
schema=/usr/share/libvirt/schemas/domain.rng

why=
if [ "$(id -u)" -ne 0 ]; then
    why="needs root (libvirt's embedded driver as root, a mount namespace)"
elif ! command -v virt-install >/dev/null; then
    why="virt-install is not installed (scripts/setup-deps.sh)"
elif ! /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    why="python3-libvirt is not installed"
elif ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    why="no usable /dev/kvm"
elif ! command -v xmllint >/dev/null || ! [ -r "$schema" ]; then
    why="xmllint or libvirt's schemas are missing"
fi
if [ -n "$why" ]; then
    echo "1..0 # SKIP $why"
    exit 0
fi
vkq_private_net

lv_embed_init

# print_xml OS NAME: virt-install's XML for OS on stdout.
print_xml() {
    vinst_print "$1" "$2"
}

# add_disk FILE QCOW2: a blank qcow2 disk into the guest's <devices>.
add_disk() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
path, image = sys.argv[1], sys.argv[2]
xml = open(path).read()
disk = ("    <disk type=\"file\" device=\"disk\">\n"
        "      <driver name=\"qemu\" type=\"qcow2\"/>\n"
        "      <source file=\"%s\"/>\n"
        "      <target dev=\"vda\" bus=\"virtio\"/>\n"
        "    </disk>\n" % image)
end = xml.index("</emulator>\n") + len("</emulator>\n")
open(path, "w").write(xml[:end] + disk + xml[end:])
PY
}

# drop_cpu FILE: the guest without its <cpu> element (qemu's default model).
drop_cpu() {
    sed -i '/<cpu mode=.*\/>/d; /<cpu /,/<\/cpu>/d' "$1"
}

# start_guest NAME: 0 running, 2 refused by this host's KVM (MSRs, or SMM that a Secure Boot
# firmware needs), 1 otherwise.
start_guest() {
    vkr start "$1" >"$root/start.out" 2>"$root/start.err" && return 0
    grep -qE "failed to set MSR|System Management Mode not supported" "$root/start.err" &&
        return 2
    return 1
}

for os in $oses; do
    name=${prefix}$os
    xml=$root/$os.xml
    if ! print_xml "$os" "$name" >"$xml" || ! grep -q '^<domain' "$xml"; then
        fail "$os: virt-install prints the guest" "$(cat "$root/vi.err")"
        continue
    fi
    qemu-img create -q -f qcow2 "$root/$os.qcow2" 1G
    add_disk "$xml" "$root/$os.qcow2"
    if ! vkr define "$xml" >/dev/null 2>"$root/define.err"; then
        fail "$os: define accepts virt-install's guest" "$(cat "$root/define.err")"
        continue
    fi
    pass "$os: define accepts virt-install's guest"
    vkr dumpxml --inactive "$name" >"$root/$os.out.xml" 2>&1
    if xmllint --noout --relaxng "$schema" "$root/$os.out.xml" 2>"$root/schema.err"; then
        pass "$os: dumpxml --inactive is valid against domain.rng"
    else
        fail "$os: dumpxml --inactive is valid against domain.rng" "$(cat "$root/schema.err")"
    fi
    start_guest "$name"
    rc=$?
    how=
    if [ "$rc" -eq 2 ]; then
        # Nested KVM here cannot run the host's CPU model: qemu's default instead.
        vkr undefine "$name" >/dev/null 2>&1
        drop_cpu "$xml"
        vkr define "$xml" >/dev/null 2>&1
        start_guest "$name"
        rc=$?
        how=" (without <cpu>: this host's KVM cannot run the host CPU model)"
    fi
    if [ "$rc" -eq 2 ]; then
        skip "$os: the guest starts under KVM" "this host's KVM lacks the MSRs or SMM the guest needs"
        vkr undefine "$name" >/dev/null 2>&1
        continue
    elif [ "$rc" -ne 0 ]; then
        fail "$os: the guest starts under KVM$how" "$(cat "$root/start.err")"
        vkr undefine "$name" >/dev/null 2>&1
        continue
    fi
    pass "$os: the guest starts under KVM$how"
    vkr dumpxml "$name" >"$root/$os.live.xml" 2>&1
    if ! grep -q "org.qemu.guest_agent.0" "$xml"; then
        # osinfo-db knows no guest agent for some OSes (FreeBSD 12): virt-install adds none.
        vkr destroy "$name" >/dev/null 2>&1
        expect "$os: destroy leaves no qemu" "$(qemu_count "$name")" 0
        vkr undefine "$name" >/dev/null 2>&1
        continue
    fi
    agent=$(sed -n "s|.*<source mode='bind' path='\([^']*org.qemu.guest_agent.0\)'/>.*|\1|p" \
        "$root/$os.live.xml")
    if [ -n "$agent" ] && [ -S "$agent" ]; then
        pass "$os: the guest agent's socket is where the live XML says"
    else
        fail "$os: the guest agent's socket is where the live XML says" "path: '$agent'"
    fi
    # The path belongs to this run of the guest, not to its definition.
    vkr dumpxml --inactive "$name" >"$root/$os.inactive.xml" 2>&1
    if ! grep -q "path='[^']*guest_agent" "$root/$os.inactive.xml"; then
        pass "$os: the inactive XML of the running guest names no socket path"
    else
        fail "$os: the inactive XML of the running guest names no socket path" \
            "$(grep -n "guest_agent" "$root/$os.inactive.xml")"
    fi
    vkr destroy "$name" >/dev/null 2>&1
    expect "$os: destroy leaves no qemu" "$(qemu_count "$name")" 0
    if [ -n "$agent" ] && [ ! -e "$agent" ] && [ ! -e "$(dirname "$agent")" ]; then
        pass "$os: destroy leaves no channel socket"
    else
        fail "$os: destroy leaves no channel socket" "$(ls -la "$(dirname "$agent")" 2>&1)"
    fi
    vkr undefine "$name" >/dev/null 2>&1
    rm -f "$root/$os.qcow2"
done
vkq_done
