#!/usr/bin/env bash
# Issue 6 §1-§3 for SPICE: autoport on a network listen, qemu's -spice options, domdisplay, and
# VNC plus SPICE in one guest on distinct ports.
#
# usage: spice.sh VIRTKIT
set -u
. "$(dirname "$0")/lib.sh"
gfx_init "${1:-}" spice

if ! timeout 20 qemu-system-x86_64 -spice help 2>/dev/null | grep -q '^spice options'; then
    echo "1..0 # SKIP this qemu has no SPICE support"
    exit 0
fi

host_add A
for step in "ip link add br0 type bridge" "ip addr add 198.51.100.1/24 dev br0" \
    "ip addr add 192.0.2.1/24 dev lo" "ip link set br0 up"; do
    # shellcheck disable=SC2086 # each step is a command line
    on A $step || {
        echo "Bail out! setup step failed: $step"
        exit 1
    }
done
cat >"$gfx_tmp/example-net.xml" <<'EOF'
<network>
  <name>example-net</name>
  <forward mode='bridge'/>
  <bridge name='br0'/>
</network>
EOF
vkok A "net-define and net-start example-net" \
    "net-define $gfx_tmp/example-net.xml; net-start example-net"

# ---- SPICE alone, autoport, on the network ----
domxml "$gfx_tmp/spice.xml" sp "" \
    "<graphics type='spice' autoport='yes'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
vkok A "define and start sp (SPICE, autoport, network listen)" \
    "define $gfx_tmp/spice.xml; start sp"

vkrun A dumpxml sp
port=$(printf '%s' "$out" | xml_attr "devices/graphics[@type='spice']@port")
like "sp: live XML has an allocated port from 5900 on" '^59[0-9][0-9]$' "$port"
is "sp: the first free port, 5900" 5900 "$port"
contains "sp: live XML graphics has port, autoport and the address mirror" \
    "<graphics type='spice' port='$port' autoport='yes' listen='198.51.100.1'>" "$out"
contains "sp: live XML listen has the resolved address" \
    "<listen type='network' address='198.51.100.1' network='example-net'/>" "$out"

spice=$(qemu_opt A sp -spice)
like "sp: qemu has -spice port=$port,addr=198.51.100.1" \
    "^port=$port,addr=198\\.51\\.100\\.1(,|$)" "$spice"
like "sp: no ticketing without a password" '(^|,)disable-ticketing=on(,|$)' "$spice"
unlike "sp: no TLS port was asked for" 'tls-port=' "$spice"

is "sp: the SPICE port accepts connections at 198.51.100.1" open "$(probe A tcp 198.51.100.1 "$port")"
is "sp: the SPICE server answers a link message with REDQ" REDQ \
    "$(probe A spice 198.51.100.1 "$port")"
refuses "sp: nothing at 127.0.0.1 port $port" A 127.0.0.1 "$port"
refuses "sp: nothing at ::1 port $port" A ::1 "$port"
refuses "sp: nothing at the host's other address 192.0.2.1 port $port" A 192.0.2.1 "$port"

vkrun A -q domdisplay sp
is "sp: domdisplay" "spice://198.51.100.1:$port" "$out"
vkrun A -q domdisplay --type spice sp
is "sp: domdisplay --type spice" "spice://198.51.100.1:$port" "$out"
vkrun A vncdisplay sp
is "sp: vncdisplay fails for a SPICE-only guest" 1 "$rc"

for flag in --inactive --migratable; do
    vkrun A dumpxml $flag sp
    contains "sp: dumpxml $flag keeps autoport, no port" "<graphics type='spice' autoport='yes'>" \
        "$out"
    contains "sp: dumpxml $flag listen names only the network" \
        "<listen type='network' network='example-net'/>" "$out"
    lacks "sp: dumpxml $flag has no host address" 198.51.100.1 "$out"
done
schema_dumps A sp

# ---- VNC and SPICE in one guest, both autoport, both on the network ----
domxml "$gfx_tmp/both.xml" both "" \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>" \
    "<graphics type='spice' autoport='yes'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
vkok A "define and start both (VNC + SPICE, autoport)" "define $gfx_tmp/both.xml; start both"
vkrun A dumpxml both
vport=$(printf '%s' "$out" | xml_attr "devices/graphics[@type='vnc']@port")
sport=$(printf '%s' "$out" | xml_attr "devices/graphics[@type='spice']@port")
like "both: VNC got a port" '^59[0-9][0-9]$' "$vport"
like "both: SPICE got a port" '^59[0-9][0-9]$' "$sport"
if [ -n "$vport" ] && [ "$vport" != "$sport" ] && [ "$vport" != "$port" ] &&
    [ "$sport" != "$port" ]; then
    pass "both: VNC ($vport), SPICE ($sport) and sp's SPICE ($port) all differ"
else
    fail "both: VNC ($vport), SPICE ($sport) and sp's SPICE ($port) all differ"
fi
vnc=$(qemu_opt A both -vnc)
is "both: qemu has -vnc 198.51.100.1:DISPLAY" "198.51.100.1:$((vport - 5900))" "${vnc%%,*}"
spice=$(qemu_opt A both -spice)
like "both: qemu has -spice port=$sport,addr=198.51.100.1" \
    "^port=$sport,addr=198\\.51\\.100\\.1(,|$)" "$spice"
answers_rfb "both: VNC answers at 198.51.100.1 port $vport" A 198.51.100.1 "$vport"
is "both: SPICE answers at 198.51.100.1 port $sport" REDQ "$(probe A spice 198.51.100.1 "$sport")"
refuses "both: nothing at 127.0.0.1 port $vport" A 127.0.0.1 "$vport"
refuses "both: nothing at 127.0.0.1 port $sport" A 127.0.0.1 "$sport"
vkrun A -q domdisplay both
is "both: domdisplay shows VNC first, as virsh does" "vnc://198.51.100.1:$((vport - 5900))" "$out"
vkrun A -q domdisplay --type spice both
is "both: domdisplay --type spice" "spice://198.51.100.1:$sport" "$out"
vkrun A domdisplay --all both
is "both: domdisplay --all" \
    "$(printf 'vnc://198.51.100.1:%s\nspice://198.51.100.1:%s' "$((vport - 5900))" "$sport")" \
    "$out"
vkrun A -q vncdisplay both
is "both: vncdisplay" "198.51.100.1:$((vport - 5900))" "$out"
schema_dumps A both

# ---- a fixed SPICE port with a TLS port left to the driver, on the default address ----
domxml "$gfx_tmp/fixed.xml" spfixed "" "<graphics type='spice' port='5990'/>"
vkok A "define and start spfixed (SPICE port 5990, no listen)" \
    "define $gfx_tmp/fixed.xml; start spfixed"
spice=$(qemu_opt A spfixed -spice)
like "spfixed: qemu listens on the default 127.0.0.1" '^port=5990,addr=127\.0\.0\.1(,|$)' "$spice"
is "spfixed: port 5990 accepts connections at 127.0.0.1" open "$(probe A tcp 127.0.0.1 5990)"
refuses "spfixed: nothing at 198.51.100.1 port 5990" A 198.51.100.1 5990
vkrun A -q domdisplay spfixed
is "spfixed: domdisplay" "spice://127.0.0.1:5990" "$out"

# ---- stopping frees the ports ----
vkok A "destroy all three" "destroy sp; destroy both; destroy spfixed"
is "no port reservation left" "" "$(reservations A)"
refuses "the SPICE port is closed after destroy" A 198.51.100.1 "$port"

# ---- TLS ports: only with spice_tls in qemu.conf, as in libvirt ----
domxml "$gfx_tmp/tlsauto.xml" sptls "" \
    "<graphics type='spice' port='5991' tlsPort='-1'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
vkrun A "define $gfx_tmp/tlsauto.xml; start sptls"
is "sptls: a TLS port to pick without spice_tls fails" 1 "$rc"
contains "sptls: with libvirt's error" "error: unsupported configuration: Auto allocation of \
spice TLS port requested but spice TLS is disabled in qemu.conf" "$err"
is "sptls: nothing reserved after the refused start" "" "$(reservations A)"
domxml "$gfx_tmp/tlsfixed.xml" sptlsfixed "" "<graphics type='spice' port='5992' tlsPort='5993'/>"
vkrun A "define $gfx_tmp/tlsfixed.xml; start sptlsfixed"
contains "sptlsfixed: a fixed TLS port without spice_tls fails" "error: unsupported \
configuration: spice TLS port set in XML configuration, but TLS is disabled in qemu.conf" "$err"

pki=$gfx_tmp/pki
mkdir -p "$pki"
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca-key.pem" -out "$pki/ca-cert.pem" \
    -days 2 -subj "/CN=virtkit test CA" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -keyout "$pki/server-key.pem" -out "$pki/server.csr" \
        -subj "/CN=virtkit-spice-test" 2>/dev/null &&
    openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca-cert.pem" -CAkey "$pki/ca-key.pem" \
        -CAcreateserial -out "$pki/server-cert.pem" -days 2 2>/dev/null; then
    mkdir -p "${gfx_root[A]}/etc/qemu"
    printf 'spice_tls = 1\nspice_tls_x509_cert_dir = "%s/missing"\n' "$pki" \
        >"${gfx_root[A]}/etc/qemu/qemu.conf"
    vkrun A start sptls
    contains "sptls: a missing certificate directory is named" \
        "spice_tls_x509_cert_dir directory '$pki/missing' does not exist" "$err"
    printf 'spice_tls = 1\nspice_tls_x509_cert_dir = "%s"\n' "$pki" \
        >"${gfx_root[A]}/etc/qemu/qemu.conf"
    vkok A "sptls: starts with spice_tls" "start sptls"
    vkrun A dumpxml sptls
    tls=$(printf '%s' "$out" | xml_attr "devices/graphics[@type='spice']@tlsPort")
    is "sptls: the TLS port is the first free one" 5900 "$tls"
    spice=$(qemu_opt A sptls -spice)
    like "sptls: qemu gets port, tls-port, the address and the certificates" \
        "^port=5991,tls-port=5900,addr=198\\.51\\.100\\.1,.*x509-dir=$pki(,|\$)" "$spice"
    subject=$(echo | on A timeout 10 openssl s_client -connect "198.51.100.1:$tls" 2>/dev/null |
        sed -n 's/^subject=//p')
    like "sptls: the TLS port speaks TLS with the configured certificate" \
        "CN ?= ?virtkit-spice-test" "$subject"
    vkrun A -q domdisplay sptls
    is "sptls: domdisplay names both ports" "spice://198.51.100.1:5991?tls-port=5900" "$out"
    vkrun A dumpxml --inactive sptls
    contains "sptls: the config keeps tlsPort='-1'" "tlsPort='-1'" "$out"
    vkok A "sptls: destroy" "destroy sptls"
    is "sptls: no port reservation left" "" "$(reservations A)"
else
    skip "sptls: TLS start" "openssl cannot make a test certificate"
fi

gfx_done
