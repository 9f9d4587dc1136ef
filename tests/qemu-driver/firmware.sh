#!/usr/bin/env bash
# UEFI guests on Debian's OVMF, picked from the host's firmware descriptors as libvirt 9.0 picks
# them: domcapabilities offers what libvirt offers on this host; what virt-install --boot uefi
# prints is defined and dumped byte for byte as libvirt's embedded driver dumps it; the guest
# starts with its own NVRAM copy under the root (ROOT/lib/qemu/nvram/NAME_VARS.fd) and both
# pflash devices in the running qemu (QMP); Secure Boot brings SMM; undefine refuses to leave
# the NVRAM behind without --nvram or --keep-nvram, as libvirt does. The TPM virt-install adds
# runs on a swtpm of the guest's, gone with it.
# This host's nested KVM has no SMM: the Secure Boot guest runs under TCG.
#
# usage: firmware.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init fw "${1:-}"
schema=/usr/share/libvirt/schemas
fwdir=/usr/share/qemu/firmware

why=
if [ "$(id -u)" -ne 0 ]; then
    why="needs root (libvirt's embedded driver as root, a mount namespace)"
elif ! ls "$fwdir"/*.json >/dev/null 2>&1; then
    why="no firmware descriptors in $fwdir (Debian's ovmf: scripts/setup-deps.sh)"
elif ! command -v virt-install >/dev/null || ! /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    why="virt-install or python3-libvirt is not installed"
elif ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    why="no usable /dev/kvm"
elif ! command -v xmllint >/dev/null || ! [ -r "$schema/domain.rng" ]; then
    why="xmllint or libvirt's schemas are missing"
fi
if [ -n "$why" ]; then
    echo "1..0 # SKIP $why"
    exit 0
fi
vkq_private_net
lv_embed_init

# file_has DESC STRING FILE: FILE holds STRING.
file_has() {
    if grep -qF -- "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "no '$2' in:" "$(cat "$3")"
    fi
}

# libvirt's side in one connection (its embedded driver probes qemu once per process): the
# domain capabilities, then each CASE.xml defined and dumped inactive to CASE.lv.xml.
lv_side() {
    lv_run /usr/bin/python3 - "qemu:///embed?root=$lroot" "$root" "$@" <<'PY'
import sys
import libvirt

libvirt.virEventRegisterDefaultImpl()
conn = libvirt.open(sys.argv[1])
root = sys.argv[2]
with open(root + "/dc.lv.xml", "w") as f:
    f.write(conn.getDomainCapabilities(None, None, "q35", None, 0) + "\n")
for case in sys.argv[3:]:
    dom = conn.defineXML(open("%s/%s.xml" % (root, case)).read())
    with open("%s/%s.lv.xml" % (root, case), "w") as f:
        f.write(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) + "\n")
PY
}

# What virt-install --boot uefi --tpm emulator prints (without graphics, whose USB devices get
# addresses that are not this test's subject).
uefi=${prefix}uefi
sb=${prefix}sb
if ! vinst_print debian11 "$uefi" --boot uefi --tpm emulator --graphics none >"$root/efi.xml" ||
    ! grep -q '^<domain' "$root/efi.xml"; then
    fail "virt-install --boot uefi prints the guest" "$(cat "$root/vi.err")"
    vkq_done
fi
# Nested KVM here cannot run the host CPU model.
sed -i '/<cpu mode=.*\/>/d; /<cpu /,/<\/cpu>/d' "$root/efi.xml"
# uefi: Secure Boot refused (this host's KVM has no SMM), as
# --boot uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=no writes it.
sed 's|<boot dev="hd"/>|<firmware>\n      <feature enabled="no" name="secure-boot"/>\n    </firmware>\n    &|' \
    "$root/efi.xml" >"$root/uefi.xml"
# secboot: the first descriptor (Secure Boot, SMM) under TCG.
sed "s|<domain type=\"kvm\">|<domain type=\"qemu\">|; s|<name>$uefi</name>|<name>$sb</name>|;
    s|<uuid>.*</uuid>|<uuid>5a1e0d2c-3b4f-4a6e-8d7c-9f0a1b2c3d4e</uuid>|" "$root/efi.xml" \
    >"$root/secboot.xml"
lv_side uefi secboot 2>"$root/lv.err" || fail "libvirt's embedded driver takes the guests" \
    "$(cat "$root/lv.err")"

# ---- domain capabilities: what the descriptors offer, as libvirt reports it ----

vkr domcapabilities --machine q35 >"$root/dc.vk.xml" 2>&1
sed -n '/<os /,/<\/os>/p' "$root/dc.vk.xml" >"$root/os.vk.xml"
sed -n '/<os /,/<\/os>/p' "$root/dc.lv.xml" >"$root/os.lv.xml"
if [ -s "$root/os.vk.xml" ] && cmp -s "$root/os.vk.xml" "$root/os.lv.xml"; then
    pass "domcapabilities: <os> (firmware, loaders, secure) as libvirt's"
else
    fail "domcapabilities: <os> (firmware, loaders, secure) as libvirt's" \
        "$(diff "$root/os.lv.xml" "$root/os.vk.xml")"
fi
file_has "domcapabilities offers efi" "<value>efi</value>" "$root/dc.vk.xml"
if xmllint --noout --relaxng "$schema/domaincaps.rng" "$root/dc.vk.xml" 2>"$root/err"; then
    pass "domcapabilities: valid against domaincaps.rng"
else
    fail "domcapabilities: valid against domaincaps.rng" "$(cat "$root/err")"
fi

# ---- defined and dumped as libvirt does ----

for case in uefi secboot; do
    name=$uefi
    [ "$case" = secboot ] && name=$sb
    if ! vkr define "$root/$case.xml" >/dev/null 2>"$root/err"; then
        fail "$case: define accepts virt-install's guest" "$(cat "$root/err")"
        continue
    fi
    pass "$case: define accepts virt-install's guest"
    vkr dumpxml --inactive "$name" >"$root/$case.vk.xml" 2>&1
    if cmp -s "$root/$case.vk.xml" "$root/$case.lv.xml"; then
        pass "$case: dumpxml --inactive is libvirt's, byte for byte"
    else
        fail "$case: dumpxml --inactive is libvirt's, byte for byte" \
            "$(diff "$root/$case.lv.xml" "$root/$case.vk.xml")"
    fi
    if xmllint --noout --relaxng "$schema/domain.rng" "$root/$case.vk.xml" 2>"$root/err"; then
        pass "$case: valid against domain.rng"
    else
        fail "$case: valid against domain.rng" "$(cat "$root/err")"
    fi
done

# ---- the UEFI guest runs with its own NVRAM ----

nvram=$root/lib/qemu/nvram/${uefi}_VARS.fd
if vkr start "$uefi" >/dev/null 2>"$root/err"; then
    pass "uefi: starts under KVM on OVMF"
else
    fail "uefi: starts under KVM on OVMF" "$(cat "$root/err")"
fi
vkr dumpxml "$uefi" >"$root/uefi.live.xml" 2>&1
file_has "uefi: the live XML names the picked loader" \
    "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>" \
    "$root/uefi.live.xml"
file_has "uefi: the live XML names the NVRAM copy and its template" \
    "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$nvram</nvram>" \
    "$root/uefi.live.xml"
if ! grep -q "firmware='efi'" "$root/uefi.live.xml"; then
    pass "uefi: the live XML no longer asks for autoselection"
else
    fail "uefi: the live XML no longer asks for autoselection" "$(cat "$root/uefi.live.xml")"
fi
has_re "uefi: the inactive XML still does" "<os firmware='efi'>" dumpxml --inactive "$uefi"
if [ -f "$nvram" ] && cmp -s "$nvram" /usr/share/OVMF/OVMF_VARS_4M.fd; then
    pass "uefi: the NVRAM is a copy of the template under the root"
else
    fail "uefi: the NVRAM is a copy of the template under the root" "$(ls -la "$nvram" 2>&1)"
fi
mon=$root/run/qemu/$uefi.monitor
nodes=$(qmp_call "$mon" query-named-block-nodes | python3 -c 'import json, sys
for n in json.load(sys.stdin):
    print(n["node-name"], n["ro"], n["file"])' 2>&1)
cmd_re "uefi: qemu has the code flash read-only" \
    "^libvirt-pflash0-format True /usr/share/OVMF/OVMF_CODE_4M.fd\$" echo "$nodes"
cmd_re "uefi: qemu has the NVRAM flash writable" \
    "^libvirt-pflash1-format False $nvram\$" echo "$nodes"
expect "uefi: the machine's pflash1 is the NVRAM" \
    "$(qmp_call "$mon" qom-get '{"path": "/machine", "property": "pflash1"}' 2>&1)" \
    '"libvirt-pflash1-format"'
expect "uefi: qemu has the emulated TPM (query-tpm)" \
    "$(qmp_call "$mon" query-tpm 2>&1)" \
    '[{"id": "tpm-tpm0", "model": "tpm-crb", "options": {"data": {"chardev": "chrtpm"}, "type": "emulator"}}]'
# A restart keeps what the guest stored in its variables.
vkr destroy "$uefi" >/dev/null 2>&1
printf 'guest-written' | dd of="$nvram" bs=1 seek=500000 conv=notrunc status=none
vkr start "$uefi" >/dev/null 2>&1
if cmp -s "$nvram" /usr/share/OVMF/OVMF_VARS_4M.fd; then
    fail "uefi: a restart keeps the guest's NVRAM" "the NVRAM was copied from its template again"
else
    pass "uefi: a restart keeps the guest's NVRAM"
fi
vkr destroy "$uefi" >/dev/null 2>&1
expect "uefi: destroy leaves no qemu" "$(qemu_count "$uefi")" 0
expect "uefi: destroy leaves no swtpm" "$(pgrep -c -f -- "swtpm socket --ctrl type=unixio,path=$root/")" 0

# ---- undefine and the NVRAM, as libvirt ----

vkr undefine "$uefi" >"$root/out" 2>"$root/err"
expect "uefi: undefine without --nvram is refused" "$(cat "$root/err")" \
    "error: Failed to undefine domain '$uefi'
error: Requested operation is not valid: cannot undefine domain with nvram"
assert "uefi: the refused undefine left the definition" vkr dominfo "$uefi"
refute "uefi: --nvram with --keep-nvram is refused" vkr undefine --nvram --keep-nvram "$uefi"
assert "uefi: undefine --nvram succeeds" vkr undefine --nvram "$uefi"
if [ ! -e "$nvram" ]; then
    pass "uefi: undefine --nvram removed the NVRAM"
else
    fail "uefi: undefine --nvram removed the NVRAM" "$(ls -la "$nvram")"
fi

# ---- Secure Boot: SMM and a secure flash (TCG: this host's nested KVM has no SMM) ----

sbnvram=$root/lib/qemu/nvram/${sb}_VARS.fd
if vkr start "$sb" >/dev/null 2>"$root/err"; then
    pass "secboot: starts on the Secure Boot OVMF"
else
    fail "secboot: starts on the Secure Boot OVMF" "$(cat "$root/err")"
fi
vkr dumpxml "$sb" >"$root/sb.live.xml" 2>&1
file_has "secboot: the first descriptor (MS keys enrolled) is picked, secure" \
    "<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>" \
    "$root/sb.live.xml"
file_has "secboot: SMM is turned on in the live XML" "<smm state='on'/>" "$root/sb.live.xml"
mon=$root/run/qemu/$sb.monitor
expect "secboot: qemu's machine has SMM on" \
    "$(qmp_call "$mon" qom-get '{"path": "/machine", "property": "smm"}' 2>&1)" '"on"'
expect "secboot: qemu's code flash is secure" \
    "$(qmp_call "$mon" qom-get '{"path": "/machine/system.flash0", "property": "secure"}' 2>&1)" \
    'true'
if cmp -s "$sbnvram" /usr/share/OVMF/OVMF_VARS_4M.ms.fd; then
    pass "secboot: the NVRAM comes from the enrolled template"
else
    fail "secboot: the NVRAM comes from the enrolled template" "$(ls -la "$sbnvram" 2>&1)"
fi
vkr destroy "$sb" >/dev/null 2>&1
assert "secboot: undefine --keep-nvram succeeds" vkr undefine --keep-nvram "$sb"
if [ -f "$sbnvram" ]; then
    pass "secboot: undefine --keep-nvram kept the NVRAM"
else
    fail "secboot: undefine --keep-nvram kept the NVRAM"
fi
expect "destroy leaves no qemu" "$(pgrep -c -f -- "guest=$prefix")" 0
expect "destroy leaves no swtpm" "$(pgrep -c -f -- "swtpm socket --ctrl type=unixio,path=$root/")" 0
vkq_done
