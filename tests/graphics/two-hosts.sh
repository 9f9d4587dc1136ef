#!/usr/bin/env bash
# Issue 6 §4, the end-to-end proof: two hosts (network namespaces), a network example-net on each
# and the same domain XML on each; every guest's VNC server answers on its own host's address only.
#
# usage: two-hosts.sh VIRTKIT
set -u
. "$(dirname "$0")/lib.sh"
gfx_init "${1:-}" two-hosts

# must CMD...: a setup step; the test cannot go on without it.
must() {
    if ! "$@"; then
        echo "Bail out! setup step failed: $*"
        exit 1
    fi
}

# ---- two hosts ----
# A: br0 (with a port, one end of a veth pair, so it has carrier) at 198.51.100.1/24, IPv4.
# B: br0 at 2001:db8:b::1/64 only, IPv6.
# A link between them (A 192.0.2.1 / 2001:db8:ab::1, B 192.0.2.2 / 2001:db8:ab::2) with routes
# to the other's br0, so that each host can reach the other's guest, and the other addresses of
# each host are places where its guests must NOT answer.
host_add A
host_add B
for h in A B; do
    must on "$h" ip link add br0 type bridge
    must on "$h" ip link add uplink0 type veth peer name uplink0p
    must on "$h" ip link set uplink0 master br0
    must on "$h" ip link set uplink0 up
    must on "$h" ip link set uplink0p up
    must on "$h" ip link set br0 up
done
must on A ip addr add 198.51.100.1/24 dev br0
must on B ip -6 addr add 2001:db8:b::1/64 dev br0 nodad
must ip link add "vkgfx$$a" netns "${gfx_ns[A]}" type veth peer name "vkgfx$$b" netns "${gfx_ns[B]}"
must on A ip link set "vkgfx$$a" name link0
must on B ip link set "vkgfx$$b" name link0
must on A ip addr add 192.0.2.1/24 dev link0
must on A ip -6 addr add 2001:db8:ab::1/64 dev link0 nodad
must on B ip addr add 192.0.2.2/24 dev link0
must on B ip -6 addr add 2001:db8:ab::2/64 dev link0 nodad
must on A ip link set link0 up
must on B ip link set link0 up
must on A ip -6 route add 2001:db8:b::/64 via 2001:db8:ab::2
must on B ip route add 198.51.100.0/24 via 192.0.2.1

declare -A addr=([A]=198.51.100.1 [B]=2001:db8:b::1)
declare -A uaddr=([A]=198.51.100.1 [B]="[2001:db8:b::1]")
declare -A other=([A]=B [B]=A)
declare -A linkaddrs=([A]="192.0.2.1 2001:db8:ab::1" [B]="192.0.2.2 2001:db8:ab::2")

# ---- one network, one pair of domain files, for both hosts ----
cat >"$gfx_tmp/example-net.xml" <<'EOF'
<network>
  <name>example-net</name>
  <forward mode='bridge'/>
  <bridge name='br0'/>
</network>
EOF
domxml "$gfx_tmp/fixed.xml" gfixed 3d1c2a60-6f1e-4f7b-9c55-1a2b3c4d5e01 \
    "<graphics type='vnc' port='5922'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
domxml "$gfx_tmp/auto.xml" gauto 3d1c2a60-6f1e-4f7b-9c55-1a2b3c4d5e02 \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"

for h in A B; do
    vkok "$h" "host $h: net-define and net-start example-net" \
        "net-define $gfx_tmp/example-net.xml; net-start example-net"
    vkok "$h" "host $h: define both guests from the shared files" \
        "define $gfx_tmp/fixed.xml; define $gfx_tmp/auto.xml"
    vkok "$h" "host $h: start gfixed (port 5922)" start gfixed
    vkok "$h" "host $h: start gauto (autoport)" start gauto
done

# ---- what each host shows ----
for h in A B; do
    a=${addr[$h]}
    o=${other[$h]}

    # Where the servers answer, and where not.
    answers_rfb "host $h: gfixed's VNC answers at $a port 5922" "$h" "$a" 5922
    answers_rfb "host $h: gauto's VNC answers at $a port 5900" "$h" "$a" 5900
    answers_rfb "host $o reaches host $h's gfixed at $a port 5922" "$o" "$a" 5922
    for port in 5922 5900; do
        refuses "host $h: nothing at 127.0.0.1 port $port" "$h" 127.0.0.1 "$port"
        refuses "host $h: nothing at ::1 port $port" "$h" ::1 "$port"
        for la in ${linkaddrs[$h]}; do
            refuses "host $h: nothing at its other address $la port $port" "$h" "$la" "$port"
            unreachable "host $o: nothing at host $h's other address $la port $port" \
                "$o" "$la" "$port"
        done
    done

    # domdisplay, vncdisplay (virsh prints an IPv6 address there without brackets).
    vkrun "$h" -q domdisplay gfixed
    is "host $h: domdisplay gfixed" "vnc://${uaddr[$h]}:22" "$out"
    vkrun "$h" -q domdisplay gauto
    is "host $h: domdisplay gauto" "vnc://${uaddr[$h]}:0" "$out"
    vkrun "$h" -q vncdisplay gfixed
    is "host $h: vncdisplay gfixed" "$a:22" "$out"
    vkrun "$h" -q vncdisplay gauto
    is "host $h: vncdisplay gauto" "$a:0" "$out"

    # The live XML: the resolved address on the listen, mirrored in listen=, and the port.
    vkrun "$h" dumpxml gfixed
    contains "host $h: live gfixed graphics has port, address mirror" \
        "<graphics type='vnc' port='5922' autoport='no' listen='$a'>" "$out"
    contains "host $h: live gfixed listen has the resolved address" \
        "<listen type='network' address='$a' network='example-net'/>" "$out"
    vkrun "$h" dumpxml gauto
    contains "host $h: live gauto graphics has the allocated port" \
        "<graphics type='vnc' port='5900' autoport='yes' listen='$a'>" "$out"
    contains "host $h: live gauto listen has the resolved address" \
        "<listen type='network' address='$a' network='example-net'/>" "$out"

    # The persistent and migratable forms: nothing of this host.
    for flag in --inactive --migratable; do
        vkrun "$h" dumpxml $flag gfixed
        contains "host $h: dumpxml $flag gfixed keeps the fixed port, no address" \
            "<graphics type='vnc' port='5922' autoport='no'>" "$out"
        contains "host $h: dumpxml $flag gfixed listen names only the network" \
            "<listen type='network' network='example-net'/>" "$out"
        lacks "host $h: dumpxml $flag gfixed has no host address" "$a" "$out"
        vkrun "$h" dumpxml $flag gauto
        contains "host $h: dumpxml $flag gauto has no allocated port" \
            "<graphics type='vnc' port='-1' autoport='yes'>" "$out"
        contains "host $h: dumpxml $flag gauto listen names only the network" \
            "<listen type='network' network='example-net'/>" "$out"
        lacks "host $h: dumpxml $flag gauto has no host address" "$a" "$out"
        lacks "host $h: dumpxml $flag gauto has no port 5900" "5900" "$out"
    done

    # qemu's command line.
    vnc=$(qemu_opt "$h" gfixed -vnc)
    is "host $h: gfixed's qemu has -vnc ${uaddr[$h]}:22" "${uaddr[$h]}:22" "${vnc%%,*}"
    vnc=$(qemu_opt "$h" gauto -vnc)
    is "host $h: gauto's qemu has -vnc ${uaddr[$h]}:0" "${uaddr[$h]}:0" "${vnc%%,*}"

    schema_dumps "$h" gfixed
    schema_dumps "$h" gauto
done

# ---- the same persistent definition on both hosts ----
for g in gfixed gauto; do
    vkon A dumpxml --inactive "$g" >"$gfx_tmp/$g.A.xml" 2>&1
    vkon B dumpxml --inactive "$g" >"$gfx_tmp/$g.B.xml" 2>&1
    if cmp -s "$gfx_tmp/$g.A.xml" "$gfx_tmp/$g.B.xml"; then
        pass "$g: dumpxml --inactive is byte-identical on A and B"
    else
        fail "$g: dumpxml --inactive is byte-identical on A and B" \
            "$(diff "$gfx_tmp/$g.A.xml" "$gfx_tmp/$g.B.xml")"
    fi
    vkon A dumpxml --migratable "$g" >"$gfx_tmp/$g.A.xml" 2>&1
    vkon B dumpxml --migratable "$g" >"$gfx_tmp/$g.B.xml" 2>&1
    if cmp -s "$gfx_tmp/$g.A.xml" "$gfx_tmp/$g.B.xml"; then
        pass "$g: dumpxml --migratable is byte-identical on A and B"
    else
        fail "$g: dumpxml --migratable is byte-identical on A and B" \
            "$(diff "$gfx_tmp/$g.A.xml" "$gfx_tmp/$g.B.xml")"
    fi
done

# ---- an address that changes: the next start picks it up (§3) ----
must on A ip addr del 198.51.100.1/24 dev br0
must on A ip addr add 198.51.100.2/24 dev br0
vkok A "host A: destroy gfixed after br0 moved to 198.51.100.2" destroy gfixed
vkok A "host A: start gfixed again" start gfixed
answers_rfb "host A: gfixed now answers at 198.51.100.2 port 5922" A 198.51.100.2 5922
answers_rfb "host B reaches it at 198.51.100.2 port 5922" B 198.51.100.2 5922
unreachable "host A: nothing at the old 198.51.100.1 port 5922" A 198.51.100.1 5922
refuses "host A: nothing at 127.0.0.1 port 5922" A 127.0.0.1 5922
vkrun A -q domdisplay gfixed
is "host A: domdisplay follows the new address" "vnc://198.51.100.2:22" "$out"
vkrun A dumpxml gfixed
contains "host A: live XML shows the new address" \
    "<listen type='network' address='198.51.100.2' network='example-net'/>" "$out"
vnc=$(qemu_opt A gfixed -vnc)
is "host A: qemu has -vnc 198.51.100.2:22" 198.51.100.2:22 "${vnc%%,*}"

# ---- stopping ----
for h in A B; do
    vkok "$h" "host $h: destroy both guests" "destroy gfixed; destroy gauto"
    if qemu_alive "$h" gfixed || qemu_alive "$h" gauto; then
        fail "host $h: no qemu left after destroy"
    else
        pass "host $h: no qemu left after destroy"
    fi
    is "host $h: no port reservation left" "" "$(reservations "$h")"
done

gfx_done
