#!/usr/bin/env bash
# Guests with interfaces of type network, bridge and user, in a network namespace of their own:
# taps on the bridge while they run, gone after destroy or a killed qemu. Needs root.
#
# usage: taps.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root to create a network namespace and taps"
    exit 0
fi
vkq_init taps "${1:-}"
vkq_private_net
if [ -z "$vkq_ns" ] || [ ! -c /dev/net/tun ]; then
    echo "1..0 # SKIP cannot create a network namespace or taps here"
    exit 0
fi

net=${prefix}net
gnet=${prefix}n
gbr=${prefix}b
guser=${prefix}u
gnope=${prefix}x
cat >"$root/net.xml" <<EOF
<network>
  <name>$net</name>
  <bridge name='vkt0'/>
  <ip address='10.77.0.1' netmask='255.255.255.0'/>
</network>
EOF
domxml "$gnet" "$virt_type" \
    "<interface type='network'><source network='$net'/><model type='virtio'/></interface>" \
    >/dev/null
domxml "$gbr" "$virt_type" "<interface type='bridge'><source bridge='vkt0'/></interface>" \
    >/dev/null
domxml "$guser" "$virt_type" "<interface type='user'/>" >/dev/null
domxml "$gnope" "$virt_type" \
    "<interface type='network'><source network='${prefix}nope'/></interface>" >/dev/null
for g in "$gnet" "$gbr" "$guser" "$gnope"; do
    vkr define "$root/$g.xml" >/dev/null
done
vkr net-define "$root/net.xml" >/dev/null

# The tap devices in the namespace, one name a line.
taps() {
    innet ip -o link show type tun 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'
}
# The ports of the bridge vkt0.
bridge_ports() {
    innet ip -o link show master vkt0 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'
}
# The live <target dev='...'/> of guest NAME.
target_dev() {
    vkr dumpxml "$1" 2>/dev/null | sed -nE "s/.*<target dev='([^']+)'\/>.*/\1/p"
}

# ---- an inactive network ----
check "start on an inactive network fails, naming it" 1 start "$gnet" <<EOF

error: Failed to start domain '$gnet'
error: Requested operation is not valid: network '$net' is not active
EOF
expect "no qemu was left" "$(qemu_count "$gnet")" 0
expect "no tap was left" "$(taps)" ""
assert "no run files" no_run_files "$gnet"
expect "still shut off" "$(vkr domstate "$gnet" 2>&1 | head -n 1)" "shut off"
check "start on an undefined network fails, naming it" 1 start "$gnope" <<EOF

error: Failed to start domain '$gnope'
error: Network not found: no network with matching name '${prefix}nope'
EOF
expect "no qemu was left" "$(qemu_count "$gnope")" 0
expect "no tap was left" "$(taps)" ""

# ---- running guests ----
check "net-start" 0 net-start "$net" <<EOF
Network $net started

EOF
for g in "$gnet" "$gbr" "$guser"; do
    check "start $g" 0 start "$g" <<EOF
Domain '$g' started

EOF
done
tnet=$(target_dev "$gnet")
tbr=$(target_dev "$gbr")
if [[ "$tnet" =~ ^vnet[0-9]+$ ]] && [[ "$tbr" =~ ^vnet[0-9]+$ ]] && [ "$tnet" != "$tbr" ]; then
    pass "dumpxml shows <target dev='vnetN'/> ($tnet, $tbr)"
else
    fail "dumpxml shows <target dev='vnetN'/>" "network: '$tnet', bridge: '$tbr'"
fi
expect "the user interface has no tap" "$(target_dev "$guser")" ""
expect "the bridge's ports are exactly the two taps" "$(bridge_ports | sort)" \
    "$(printf '%s\n' "$tnet" "$tbr" | sort)"
expect "no other tap exists" "$(taps | sort)" "$(printf '%s\n' "$tnet" "$tbr" | sort)"
cmd_re "$tnet is a tun device of type tap" "tun type tap" innet ip -d link show dev "$tnet"
cmd_re "$tnet is up" "state UP|,UP[,>]" innet ip link show dev "$tnet"
mac=$(vkr dumpxml "$gnet" 2>/dev/null | sed -nE "s/.*<mac address='([^']+)'.*/\1/p")
cmd_re "$tnet has the guest's MAC with fe: first" "link/ether fe:${mac#*:} " \
    innet ip link show dev "$tnet"
cmd_re "the virtio interface's tap has vnet_hdr" "vnet_hdr on" innet ip -d link show dev "$tnet"
assert "the status file records the taps" grep -q "<tap name='$tnet' bridge='vkt0'/>" \
    "$(status_file "$gnet")"
cmd_re "qemu of the network guest gets a tap fd" "^tap,.*fd=|\"type\":\"tap\"" \
    qemu_arg "$(status_pid "$gnet")" -netdev
cmd_re "qemu of the user guest uses user networking" "^user,|\"type\":\"user\"" \
    qemu_arg "$(status_pid "$guser")" -netdev

# ---- destroy removes the tap ----
vkr destroy "$gnet" >/dev/null 2>&1
expect "after destroy: its tap is gone" "$(taps | grep -cx "$tnet")" 0
expect "after destroy: the other tap stays on the bridge" "$(bridge_ports)" "$tbr"

# ---- a killed qemu takes its tap along ----
kill -9 "$(status_pid "$gbr")"
expect "after kill -9 of qemu: the next look says crashed" "$(state_of "$gbr")" \
    "shut off (crashed)"
expect "and no tap is left" "$(taps)" ""
expect "and the bridge has no ports" "$(bridge_ports)" ""
assert "and the status file is gone" no_run_files "$gbr"

# ---- start again, same names are fine ----
check "restart the network guest" 0 start "$gnet" <<EOF
Domain '$gnet' started

EOF
expect "it gets a tap on the bridge again" "$(bridge_ports)" "$(target_dev "$gnet")"
for g in "$gnet" "$guser"; do
    vkr destroy "$g" >/dev/null 2>&1
done
expect "no tap left at the end" "$(taps)" ""
expect "no qemu left" "$(pgrep -fc -- "guest=$prefix")" 0
check "net-destroy" 0 net-destroy "$net" <<EOF
Network $net destroyed

EOF

vkq_done
