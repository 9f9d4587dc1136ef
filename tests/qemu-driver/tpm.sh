#!/usr/bin/env bash
# Emulated TPMs: the guest's swtpm is started with it and owned like its qemu. It outlives the
# process that started the guest, its state lives under the root (ROOT/lib/qemu/swtpm/UUID) and
# is kept across restarts, qemu sees the TPM (query-tpm), and no swtpm is left after destroy or
# after qemu is killed. Undefine removes the state, unless --keep-tpm; --tpm removes it even
# with persistent_state='yes'.
#
# usage: tpm.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init tpm "${1:-}"

if ! command -v swtpm >/dev/null; then
    echo "1..0 # SKIP swtpm is not installed (scripts/setup-deps.sh)"
    exit 0
fi
if ! have_python; then
    echo "1..0 # SKIP python3 is missing (QMP checks)"
    exit 0
fi
vkq_private_net

name=${prefix}g
uuid=7b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8
statedir=$root/lib/qemu/swtpm/$uuid
swtpms() {
    pgrep -c -f -- "swtpm socket --ctrl type=unixio,path=$root/"
}
no_swtpm() {
    [ "$(swtpms)" -eq 0 ]
}
define() {
    cat >"$root/g.xml" <<XML
<domain type='$virt_type'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>128</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <tpm model='tpm-crb'>
      <backend type='emulator'$1/>
    </tpm>
    <graphics type='vnc' autoport='yes'/>
  </devices>
</domain>
XML
    vkr define "$root/g.xml" >/dev/null
}

define ""
has_line "the emulator's version defaults to 2.0 for tpm-crb" \
    "      <backend type='emulator' version='2.0'/>" dumpxml "$name"
assert "the guest starts" vkr start "$name"
# The shell that started the guest has exited: its swtpm lives on with the guest.
expect "one swtpm runs for the guest after start returned" "$(swtpms)" 1
expect "qemu has the TPM on swtpm's socket (query-tpm)" \
    "$(qmp_call "$root/run/qemu/$name.monitor" query-tpm 2>&1)" \
    '[{"id": "tpm-tpm0", "model": "tpm-crb", "options": {"data": {"chardev": "chrtpm"}, "type": "emulator"}}]'
if [ -f "$statedir/tpm2/tpm2-00.permall" ]; then
    pass "the TPM's state is under the root"
else
    fail "the TPM's state is under the root" "$(ls -laR "$root/lib" 2>&1)"
fi
cp "$statedir/tpm2/tpm2-00.permall" "$root/permall.1"
assert "destroy" vkr destroy "$name"
expect "destroy leaves no swtpm" "$(swtpms)" 0
if [ ! -e "$root/run/qemu/$name.swtpm.sock" ] && [ ! -e "$root/run/qemu/$name.swtpm" ]; then
    pass "destroy leaves no swtpm socket or record"
else
    fail "destroy leaves no swtpm socket or record" "$(ls -la "$root/run/qemu")"
fi

# The state stays across restarts (the TPM keeps its seeds: swtpm would otherwise make new).
assert "the guest starts again" vkr start "$name"
if cmp -s "$statedir/tpm2/tpm2-00.permall" "$root/permall.1"; then
    pass "a restart keeps the TPM's state"
else
    fail "a restart keeps the TPM's state" "the permanent state changed"
fi

# A qemu that dies takes its swtpm with it.
pid=$(status_pid "$name")
kill -9 "$pid"
wait_until 10 no_swtpm
expect "kill -9 of qemu leaves no swtpm" "$(swtpms)" 0
has_re "the guest is seen shut off" "^shut off" domstate "$name"
assert "and starts again with a new swtpm" vkr start "$name"
expect "one swtpm again" "$(swtpms)" 1
vkr destroy "$name" >/dev/null 2>&1

# Undefine and the TPM's state, as libvirt.
assert "undefine --keep-tpm" vkr undefine --keep-tpm "$name"
if [ -d "$statedir" ]; then
    pass "undefine --keep-tpm keeps the state"
else
    fail "undefine --keep-tpm keeps the state"
fi
define ""
assert "undefine" vkr undefine "$name"
if [ ! -e "$statedir" ]; then
    pass "undefine removes the state"
else
    fail "undefine removes the state" "$(ls -la "$statedir")"
fi
define " persistent_state='yes'"
vkr start "$name" >/dev/null 2>&1
vkr destroy "$name" >/dev/null 2>&1
assert "undefine with persistent_state" vkr undefine "$name"
if [ -d "$statedir" ]; then
    pass "persistent_state='yes' keeps the state at undefine"
else
    fail "persistent_state='yes' keeps the state at undefine"
fi
define " persistent_state='yes'"
assert "undefine --tpm" vkr undefine --tpm "$name"
if [ ! -e "$statedir" ]; then
    pass "undefine --tpm removes even a persistent state"
else
    fail "undefine --tpm removes even a persistent state" "$(ls -la "$statedir")"
fi
expect "no swtpm left" "$(swtpms)" 0
vkq_done
