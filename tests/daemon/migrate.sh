#!/usr/bin/env bash
# Migration between two hosts (issue 13): two network namespaces on one LAN, a virtkitd in each
# (tests/lib/twohosts.sh), Debian's virsh driving libvirt's version 3 flow with parameters.
# Offline (the definition only, byte-identical on the destination) and live (the guest runs on
# the destination, its VNC on the destination's address of example-net; and back again), and a
# destination without an active example-net refusing in Prepare while the source's guest runs on
# untouched. Needs root. TAP output.
# usage: migrate.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/twohosts.sh
. "$(dirname "$0")/../lib/twohosts.sh"
vkd_init migrate "$1" "$2"
if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for network namespaces"
    exit 0
fi
for tool in virsh python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
# th_setup replaces vkq_init's EXIT trap: tear down both hosts, then the rest
vkq_cleanup_extra() { th_teardown; }
if ! th_setup "$root/hosts" "$vkd" "$vk"; then
    th_teardown
    echo "1..0 # SKIP cannot set up two hosts here"
    exit 0
fi
trap 'th_teardown; vkq_cleanup' EXIT

# ---- the two hosts ----

expect "h1 reaches h2's daemon over the LAN" "$(th_vsh 1 -c "$th_uri2" uri 2>&1)" "$th_uri2"
expect "example-net is active on h1" "$(th_vsh 1 net-info example-net | awk '/^Active:/{print $2}')" yes
expect "example-net is active on h2" "$(th_vsh 2 net-info example-net | awk '/^Active:/{print $2}')" yes
uuid1=$(grep -o '[0-9a-f-]\{36\}' "$th_root1/etc/virtkitd.conf")
uuid2=$(grep -o '[0-9a-f-]\{36\}' "$th_root2/etc/virtkitd.conf")
if [ -n "$uuid1" ] && [ "$uuid1" != "$uuid2" ]; then
    pass "the hosts have distinct host UUIDs"
else
    fail "the hosts have distinct host UUIDs" "$uuid1 $uuid2"
fi

# guest NAME [DEVICES]: a definition file for NAME (64 MiB, no disk), printed
guest() {
    local uuid
    uuid=$(cat /proc/sys/kernel/random/uuid)
    cat >"$root/$1.xml" <<EOF
<domain type='$virt_type'>
  <name>$1</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>${2:-}</devices>
</domain>
EOF
    echo "$root/$1.xml"
}
VNC_NET="<graphics type='vnc' autoport='yes'><listen type='network' network='example-net'/></graphics>"

# migrate FROM TO ARGS...: virsh migrate inside host FROM, from its daemon to TO's
migrate() {
    local from=$1 to=$2 src=th_uri$1 dst=th_uri$2
    shift 2
    th_in "$from" virsh -c "${!src}" migrate "$@" "${!dst}"
}

state() { # HOST NAME
    th_vsh "$1" domstate "$2" 2>&1 | head -n 1
}

# rfb HOST ADDR PORT: the RFB banner of the VNC server at ADDR:PORT, read inside HOST
rfb() {
    th_in "$1" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
print(s.recv(12).decode().strip())' "$2" "$3" 2>/dev/null
}

vnc_port() { # HOST NAME: the port of the guest's VNC server, from its live XML
    th_vsh "$1" dumpxml "$2" | sed -nE "s/.*<graphics type='vnc' port='([0-9]+)'.*/\1/p"
}

# ---- offline: the definition only ----

off=${th_prefix}off
th_vsh 1 define "$(guest "$off" "$VNC_NET")" >/dev/null
th_vsh 1 dumpxml --inactive "$off" >"$root/off-h1.xml"
if migrate 1 2 --offline --persistent "$off" >"$root/out" 2>&1; then
    pass "offline migration succeeds"
else
    fail "offline migration succeeds" "$(cat "$root/out")"
fi
th_vsh 2 dumpxml --inactive "$off" >"$root/off-h2.xml" 2>&1
if cmp -s "$root/off-h1.xml" "$root/off-h2.xml"; then
    pass "the definition on h2 is byte-identical to the one that left h1"
else
    fail "the definition on h2 is byte-identical to the one that left h1" \
        "$(diff "$root/off-h1.xml" "$root/off-h2.xml")"
fi
expect "offline: shut off on h2" "$(state 2 "$off")" "shut off"
expect "offline: still defined on h1 without --undefinesource" "$(state 1 "$off")" "shut off"
th_vsh 2 undefine "$off" >/dev/null
migrate 1 2 --offline --persistent --undefinesource "$off" >/dev/null 2>&1
expect "offline --undefinesource: gone from h1" \
    "$(th_vsh 1 domstate "$off" 2>&1 | grep -c 'failed to get domain')" 1
expect "offline --undefinesource: defined on h2" "$(state 2 "$off")" "shut off"
out=$(migrate 2 1 --offline "$off" 2>&1)
expect "offline without --persistent is refused, as libvirt does" "$out" \
    "error: Requested operation is not valid: offline migration must be specified with the persistent flag set"
expect "offline without --persistent: h1 has no definition" \
    "$(th_vsh 1 domstate "$off" 2>&1 | grep -c 'failed to get domain')" 1

# ---- live: the guest moves, its VNC follows the host ----

web=${th_prefix}web01
th_vsh 1 define "$(guest "$web" "$VNC_NET")" >/dev/null
th_vsh 1 start "$web" >/dev/null
port1=$(vnc_port 1 "$web")
expect "before: VNC answers on h1's address" "$(rfb 1 "$th_addr1" "$port1")" "RFB 003.008"
th_vsh 1 dumpxml --inactive "$web" >"$root/web-h1.xml"
if migrate 1 2 --live --persistent --undefinesource "$web" >"$root/out" 2>&1; then
    pass "live migration h1 -> h2 succeeds"
else
    fail "live migration h1 -> h2 succeeds" "$(cat "$root/out")" "$(tail -n 5 "$th_root2/log/qemu/$web.log")"
fi
expect "runs on h2" "$(state 2 "$web")" "running"
expect "gone from h1 (--undefinesource)" \
    "$(th_vsh 1 domstate "$web" 2>&1 | grep -c 'failed to get domain')" 1
expect "no qemu of the guest left on h1" \
    "$(th_in 1 pgrep -f -- "-name guest=$web," | while read -r p; do
        [ "$(ip netns identify "$p")" = "$th_ns1" ] && echo "$p"; done | wc -l)" 0
port2=$(vnc_port 2 "$web")
expect "VNC answers on h2's br0 address, from inside h2" "$(rfb 2 "$th_addr2" "$port2")" \
    "RFB 003.008"
expect "the live XML on h2 shows h2's address" \
    "$(th_vsh 2 dumpxml "$web" | grep -c "<listen type='network' address='$th_addr2' network='example-net'/>")" 1
expect "domdisplay on h2 shows h2's address" "$(th_vsh 2 domdisplay "$web")" \
    "vnc://$th_addr2:$((port2 - 5900))"
th_vsh 2 dumpxml --inactive "$web" >"$root/web-h2.xml" 2>&1
if cmp -s "$root/web-h1.xml" "$root/web-h2.xml"; then
    pass "--persistent: the definition on h2 is byte-identical to h1's"
else
    fail "--persistent: the definition on h2 is byte-identical to h1's" \
        "$(diff "$root/web-h1.xml" "$root/web-h2.xml")"
fi

if migrate 2 1 --live "$web" >"$root/out" 2>&1; then
    pass "live migration back h2 -> h1 succeeds"
else
    fail "live migration back h2 -> h1 succeeds" "$(cat "$root/out")"
fi
expect "back: runs on h1" "$(state 1 "$web")" "running"
expect "back: h2 keeps its definition, shut off (no --undefinesource)" "$(state 2 "$web")" \
    "shut off"
port1=$(vnc_port 1 "$web")
expect "back: VNC answers on h1's address" "$(rfb 1 "$th_addr1" "$port1")" "RFB 003.008"

# ---- a host refuses a guest from itself (the same host UUID) ----

out=$(migrate 1 1 --live "$web" 2>&1)
expect "migrating to the source itself is refused, as libvirt does" \
    "$(echo "$out" | grep -c "Attempt to migrate guest to the same host $(grep -o '[0-9a-f-]\{36\}' \
        "$th_root1/etc/virtkitd.conf")")" 1
expect "... and the guest runs on" "$(state 1 "$web")" "running"

# ---- a destination without an active example-net refuses in Prepare ----

th_vsh 2 undefine "$web" >/dev/null
th_vsh 2 net-destroy example-net >/dev/null
qpid() { # the pid of the guest's qemu on h1, from its status file
    sed -nE "1s/.*<domstatus [^>]*pid='([0-9]+)'.*/\1/p" "$th_root1/run/qemu/$web.xml"
}
pid1=$(qpid)
reason1=$(th_vsh 1 domstate --reason "$web" | head -n 1)
out=$(migrate 1 2 --live "$web" 2>&1)
expect "inactive example-net on h2: refused, naming the network" \
    "$(echo "$out" | grep -c "network 'example-net' is not active")" 1
expect "the guest keeps running on h1, untouched" \
    "$(qpid) $(th_vsh 1 domstate --reason "$web" | head -n 1)" "$pid1 $reason1"
expect "nothing of it on h2" "$(th_vsh 2 domstate "$web" 2>&1 | grep -c 'failed to get domain')" 1
th_vsh 2 net-undefine example-net >/dev/null
out=$(migrate 1 2 --live "$web" 2>&1)
expect "no example-net on h2: refused, naming the network" \
    "$(echo "$out" | grep -c "example-net")" 1
expect "the guest still runs on h1, untouched" \
    "$(qpid) $(th_vsh 1 domstate --reason "$web" | head -n 1)" "$pid1 $reason1"

vkq_done
