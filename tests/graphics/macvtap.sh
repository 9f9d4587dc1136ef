#!/usr/bin/env bash
# Issue 6 §1 and §4 for macvtap-style networks (forward over a host device, no bridge): the VNC
# server listens on the device's address, in every such mode; a device without one fails cleanly.
#
# usage: macvtap.sh VIRTKIT
set -u
. "$(dirname "$0")/lib.sh"
gfx_init "${1:-}" macvtap

host_add A
# vethx: the uplink, 203.0.113.5/24. vethn: a device without any address. vethv6: IPv6 only.
# vethgone: removed once its network is active.
for step in \
    "ip link add vethx type veth peer name vethx-peer" \
    "ip addr add 203.0.113.5/24 dev vethx" \
    "ip link add vethn type veth peer name vethn-peer" \
    "ip link add vethv6 type veth peer name vethv6-peer" \
    "ip -6 addr add 2001:db8:5::5/64 dev vethv6 nodad" \
    "ip link add vethgone type veth peer name vethgone-peer" \
    "ip addr add 198.18.0.1/24 dev vethgone" \
    "ip addr add 192.0.2.1/24 dev lo"; do
    # shellcheck disable=SC2086 # each step is a command line
    on A $step || {
        echo "Bail out! setup step failed: $step"
        exit 1
    }
done
for dev in vethx vethx-peer vethn vethn-peer vethv6 vethv6-peer; do
    on A ip link set "$dev" up
done

# netxml NAME FORWARD...: a network over host devices.
netxml() {
    local name=$1
    shift
    {
        echo "<network>"
        echo "  <name>$name</name>"
        printf '  %s\n' "$@"
        echo "</network>"
    } >"$gfx_tmp/$name.xml"
}
netxml mv-dev "<forward mode='bridge' dev='vethx'/>"
netxml mv-iface "<forward mode='bridge'>" "  <interface dev='vethx'/>" "</forward>"
netxml mv-private "<forward mode='private' dev='vethx'/>"
netxml mv-vepa "<forward mode='vepa'>" "  <interface dev='vethx'/>" "</forward>"
netxml mv-passthrough "<forward mode='passthrough'>" "  <interface dev='vethx'/>" "</forward>"
netxml mv-v6 "<forward mode='bridge' dev='vethv6'/>"
netxml mv-noaddr "<forward mode='bridge' dev='vethn'/>"
netxml mv-gone "<forward mode='private' dev='vethgone'/>"

for net in mv-dev mv-iface mv-private mv-vepa mv-passthrough mv-v6 mv-noaddr mv-gone; do
    vkok A "net-define and net-start $net" "net-define $gfx_tmp/$net.xml; net-start $net"
done

# ---- every mode resolves to the device's address ----
for net in mv-dev mv-iface mv-private mv-vepa mv-passthrough; do
    g=g-$net
    domxml "$gfx_tmp/$g.xml" "$g" "" \
        "<graphics type='vnc' autoport='yes'>" \
        "  <listen type='network' network='$net'/>" \
        "</graphics>"
    vkok A "$net: define and start $g" "define $gfx_tmp/$g.xml; start $g"
    answers_rfb "$net: VNC answers at 203.0.113.5 port 5900" A 203.0.113.5 5900
    refuses "$net: nothing at 127.0.0.1 port 5900" A 127.0.0.1 5900
    refuses "$net: nothing at the host's other address 192.0.2.1 port 5900" A 192.0.2.1 5900
    vnc=$(qemu_opt A "$g" -vnc)
    is "$net: qemu has -vnc 203.0.113.5:0" 203.0.113.5:0 "${vnc%%,*}"
    vkrun A -q domdisplay "$g"
    is "$net: domdisplay" vnc://203.0.113.5:0 "$out"
    vkrun A dumpxml "$g"
    contains "$net: live XML listen has the device's address" \
        "<listen type='network' address='203.0.113.5' network='$net'/>" "$out"
    vkrun A dumpxml --inactive "$g"
    lacks "$net: inactive XML has no address" 203.0.113.5 "$out"
    [ "$net" = mv-dev ] && schema_dumps A "$g"
    vkok A "$net: destroy $g" destroy "$g"
done

# ---- an IPv6-only device ----
domxml "$gfx_tmp/g-v6.xml" g-v6 "" \
    "<graphics type='vnc' port='5933'>" \
    "  <listen type='network' network='mv-v6'/>" \
    "</graphics>"
vkok A "mv-v6: define and start g-v6" "define $gfx_tmp/g-v6.xml; start g-v6"
answers_rfb "mv-v6: VNC answers at [2001:db8:5::5] port 5933" A 2001:db8:5::5 5933
refuses "mv-v6: nothing at ::1 port 5933" A ::1 5933
refuses "mv-v6: nothing at 203.0.113.5 port 5933" A 203.0.113.5 5933
vnc=$(qemu_opt A g-v6 -vnc)
is "mv-v6: qemu has -vnc [2001:db8:5::5]:33" "[2001:db8:5::5]:33" "${vnc%%,*}"
vkrun A -q domdisplay g-v6
is "mv-v6: domdisplay brackets the address" "vnc://[2001:db8:5::5]:33" "$out"
vkok A "mv-v6: destroy g-v6" destroy g-v6

# ---- a device without an address: refused, nothing left ----
# The VNC server resolves and reserves 5900 before the SPICE server's listen fails: the failed
# start must give that port back.
domxml "$gfx_tmp/g-noaddr.xml" g-noaddr "" \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='network' network='mv-dev'/>" \
    "</graphics>" \
    "<graphics type='spice' autoport='yes'>" \
    "  <listen type='network' network='mv-noaddr'/>" \
    "</graphics>"
vkok A "define g-noaddr" define "$gfx_tmp/g-noaddr.xml"
vkrun A start g-noaddr
printf '%s\n' "$err" | sed 's/^/# /'
is "mv-noaddr: start fails with exit status 1" 1 "$rc"
contains "mv-noaddr: the error names the interface" "'vethn'" "$err"
contains "mv-noaddr: the error names the network" "'mv-noaddr'" "$err"
like "mv-noaddr: virsh's first error line" "^error: Failed to start domain 'g-noaddr'$" \
    "$(printf '%s\n' "$err" | head -n1)"
if qemu_alive A g-noaddr; then
    fail "mv-noaddr: no qemu runs"
else
    pass "mv-noaddr: no qemu runs"
fi
if [ -e "${gfx_root[A]}/run/qemu/g-noaddr.xml" ] || [ -e "${gfx_root[A]}/run/qemu/g-noaddr.pid" ]; then
    fail "mv-noaddr: no status or pid file" "$(ls "${gfx_root[A]}/run/qemu")"
else
    pass "mv-noaddr: no status or pid file"
fi
is "mv-noaddr: no port reservation left" "" "$(reservations A)"
vkrun A domstate g-noaddr
is "mv-noaddr: the guest is shut off" "shut off" "$out"

# The next guest gets the first port again.
vkok A "start g-mv-dev after the failure" start g-mv-dev
vkrun A dumpxml g-mv-dev
is "g-mv-dev gets the first port, 5900" 5900 \
    "$(printf '%s' "$out" | xml_attr "devices/graphics@port")"
answers_rfb "g-mv-dev answers at 203.0.113.5 port 5900" A 203.0.113.5 5900
vkok A "destroy g-mv-dev" destroy g-mv-dev

# ---- a device that went away after its network started ----
on A ip link del vethgone
domxml "$gfx_tmp/g-gone.xml" g-gone "" \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='network' network='mv-gone'/>" \
    "</graphics>"
vkok A "define g-gone" define "$gfx_tmp/g-gone.xml"
vkrun A start g-gone
printf '%s\n' "$err" | sed 's/^/# /'
is "mv-gone: start fails with exit status 1" 1 "$rc"
contains "mv-gone: the error names the interface" "'vethgone'" "$err"
contains "mv-gone: the error names the network" "'mv-gone'" "$err"
if qemu_alive A g-gone; then
    fail "mv-gone: no qemu runs"
else
    pass "mv-gone: no qemu runs"
fi
is "mv-gone: no port reservation left" "" "$(reservations A)"

# ---- an address added later is found at the next start ----
on A ip addr add 203.0.113.77/24 dev vethn
vkok A "mv-noaddr: g-noaddr starts once vethn has 203.0.113.77" start g-noaddr
vkrun A dumpxml g-noaddr
contains "g-noaddr: its SPICE listen resolved to 203.0.113.77" \
    "<listen type='network' address='203.0.113.77' network='mv-noaddr'/>" "$out"
port=$(printf '%s' "$out" | xml_attr "devices/graphics[@type='spice']@port")
is "g-noaddr: the SPICE server answers at 203.0.113.77 port $port" REDQ \
    "$(probe A spice 203.0.113.77 "$port")"
vkok A "destroy g-noaddr" destroy g-noaddr
is "no port reservation left at the end" "" "$(reservations A)"

gfx_done
