#!/usr/bin/env bash
# The shell's net-* commands on qemu:///embed, run inside a network namespace of their own
# (ip netns exec), against the output virsh prints for libvirt's network driver. TAP output.
# Needs root; skips without it. Removes its namespace, processes and files however it ends.
#
# usage: network-shell.sh VIRTKIT
set -u

vk=${1:?usage: network-shell.sh VIRTKIT}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root to create a network namespace"
    exit 0
fi

vk=$(realpath "$vk")
ns=vkshell-$$
root=$(mktemp -d /tmp/vkshell-XXXXXX)
uri="qemu:///embed?root=$root"

cleanup() {
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip netns delete "$ns" 2>/dev/null
    rm -rf "$root"
}
trap cleanup EXIT
if ! ip netns add "$ns"; then
    echo "1..0 # SKIP cannot create a network namespace here"
    exit 0
fi
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
mkdir -p "$HOME"

cat >"$root/demo.xml" <<'EOF'
<network>
  <name>demo</name>
  <uuid>5d1a3f2e-0d4c-4b0a-9f57-2b9a0c1e7d11</uuid>
  <forward mode='nat'/>
  <ip address='10.99.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.99.0.2' end='10.99.0.254'/>
    </dhcp>
  </ip>
</network>
EOF
sed 's/10\.99\.0\./10.98.0./g' "$root/demo.xml" >"$root/demo2.xml"
cat >"$root/temp.xml" <<'EOF'
<network>
  <name>temp</name>
  <uuid>5d1a3f2e-0d4c-4b0a-9f57-2b9a0c1e7d12</uuid>
  <bridge name='vktemp0'/>
</network>
EOF

n=0
failed=0

# check DESC EXPECTED_STATUS COMMAND...: runs virtkit with COMMAND in the namespace and compares
# its stdout, then its stderr, then its exit status with the text on stdin (generated MAC
# addresses and the root directory masked).
check() {
    local desc=$1 status=$2 rc
    shift 2
    { cat; printf 'rc=%s\n' "$status"; } >"$root/expected"
    ip netns exec "$ns" "$vk" -c "$uri" "$@" >"$root/out" 2>"$root/err"
    rc=$?
    { cat "$root/out" "$root/err"; printf 'rc=%s\n' "$rc"; } |
        sed -E "s/52:54:00(:[0-9a-f]{2}){3}/52:54:00:XX:XX:XX/; s|$root|ROOT|g" >"$root/actual"
    n=$((n + 1))
    if cmp -s "$root/expected" "$root/actual"; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc"
        diff "$root/expected" "$root/actual" | sed 's/^/# /'
    fi
}

# contains DESC TEXT COMMAND...: virtkit's stdout for COMMAND must have the line TEXT.
contains() {
    local desc=$1 text=$2
    shift 2
    n=$((n + 1))
    if ip netns exec "$ns" "$vk" -c "$uri" "$@" 2>&1 | grep -qxF -- "$text"; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc"
    fi
}

# host DESC COMMAND...: a check of the host state in the namespace, which must succeed.
host() {
    local desc=$1
    shift
    n=$((n + 1))
    if ip netns exec "$ns" "$@" >/dev/null 2>&1; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc"
    fi
}

check "net-define" 0 net-define "$root/demo.xml" <<'EOF'
Network demo defined from ROOT/demo.xml

EOF
check "net-list --all, defined" 0 net-list --all <<'EOF'
 Name   State      Autostart   Persistent
-------------------------------------------
 demo   inactive   no          yes

EOF
check "net-start" 0 net-start demo <<'EOF'
Network demo started

EOF
host "bridge virbr0 is up with its address" \
    sh -c 'ip addr show dev virbr0 | grep -q "inet 10.99.0.1/24"'
host "dnsmasq serves it" sh -c "pgrep -f -- 'dnsmasq [-]-conf-file=$root/run/network/demo.conf'"
host "NAT rules are in" sh -c 'nft list table inet virtkit_virbr0 | grep -q masquerade'
check "net-start again" 1 net-start demo <<'EOF'

error: Failed to start network demo
error: Requested operation is not valid: network is already active
EOF
check "net-list" 0 net-list <<'EOF'
 Name   State    Autostart   Persistent
-----------------------------------------
 demo   active   no          yes

EOF
check "net-info" 0 net-info demo <<'EOF'
Name:           demo
UUID:           5d1a3f2e-0d4c-4b0a-9f57-2b9a0c1e7d11
Active:         yes
Persistent:     yes
Autostart:      no
Bridge:         virbr0

EOF
check "net-dumpxml: bridge, MAC and NAT ports filled in" 0 net-dumpxml demo <<'EOF'
<network>
  <name>demo</name>
  <uuid>5d1a3f2e-0d4c-4b0a-9f57-2b9a0c1e7d11</uuid>
  <forward mode='nat'>
    <nat>
      <port start='1024' end='65535'/>
    </nat>
  </forward>
  <bridge name='virbr0' stp='on' delay='0'/>
  <mac address='52:54:00:XX:XX:XX'/>
  <ip address='10.99.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.99.0.2' end='10.99.0.254'/>
    </dhcp>
  </ip>
</network>

EOF
check "net-define while active" 0 net-define "$root/demo2.xml" <<'EOF'
Network demo defined from ROOT/demo2.xml

EOF
contains "net-dumpxml keeps the running definition" \
    "  <ip address='10.99.0.1' netmask='255.255.255.0'>" net-dumpxml demo
contains "net-dumpxml --inactive shows the new one" \
    "  <ip address='10.98.0.1' netmask='255.255.255.0'>" net-dumpxml --inactive demo
check "net-autostart" 0 net-autostart demo <<'EOF'
Network demo marked as autostarted

EOF
check "net-list --autostart" 0 net-list --all --autostart --name <<'EOF'
demo

EOF
check "net-destroy" 0 net-destroy demo <<'EOF'
Network demo destroyed

EOF
host "bridge removed" sh -c '! ip link show dev virbr0'
host "NAT rules removed" sh -c '! nft list table inet virtkit_virbr0'
host "dnsmasq stopped" sh -c "! pgrep -f -- 'dnsmasq [-]-conf-file=$root/run/network/demo.conf'"
check "net-destroy again" 1 net-destroy demo <<'EOF'

error: Failed to destroy network demo
error: Requested operation is not valid: network 'demo' is not active
EOF
contains "the new definition applies after a stop" \
    "  <ip address='10.98.0.1' netmask='255.255.255.0'>" net-dumpxml demo
check "net-create (transient)" 0 net-create "$root/temp.xml" <<'EOF'
Network temp created from ROOT/temp.xml

EOF
check "net-list --all with a transient network" 0 net-list --all <<'EOF'
 Name   State      Autostart   Persistent
-------------------------------------------
 demo   inactive   yes         yes
 temp   active     no          no

EOF

# Listings read no more than they print: 40 more networks, defined only; net-list --all shows
# every one right (from the index: also once it is deleted) and opens no network's config.
for i in $(seq -w 1 40); do
    printf "<network><name>many%s</name><bridge name='vkmany%s'/></network>\n" "$i" "$i" \
        >"$root/many.xml"
    ip netns exec "$ns" "$vk" -q -c "$uri" net-define "$root/many.xml" >/dev/null 2>&1
done
many_list() {
    echo " Name     State      Autostart   Persistent"
    echo "---------------------------------------------"
    echo " demo     inactive   yes         yes"
    for i in $(seq -w 1 40); do echo " many$i   inactive   no          yes"; done
    echo " temp     active     no          no"
    echo
}
check "net-list --all of 42 networks" 0 net-list --all < <(many_list)
rm -f "$root/run/network/.index"
check "net-list --all of 42 networks, the index deleted" 0 net-list --all < <(many_list)
n=$((n + 1))
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    ip netns exec "$ns" strace -f -e trace=open,openat -o "$root/strace.out" "$vk" -c "$uri" \
        net-list --all >/dev/null 2>&1
    configs=$(grep -c "$root/etc/network/many" "$root/strace.out")
    failures=$(grep -F "\"$root/" "$root/strace.out" | grep -c ' = -1 ENOENT')
    if [ "$configs" -eq 0 ] && [ "$failures" -lt 5 ]; then
        echo "ok $n - net-list --all opens no inactive network's files"
    else
        failed=$((failed + 1))
        echo "not ok $n - net-list --all opens no inactive network's files"
        echo "# $configs configs opened, $failures failed opens"
    fi
else
    echo "ok $n - net-list --all opens no inactive network's files # SKIP needs strace"
fi
for i in $(seq -w 1 40); do
    ip netns exec "$ns" "$vk" -q -c "$uri" net-undefine "many$i" >/dev/null 2>&1
done

check "net-undefine of a transient network" 1 net-undefine temp <<'EOF'

error: Failed to undefine network temp
error: Requested operation is not valid: can't undefine transient network
EOF
check "net-destroy of a transient network" 0 net-destroy temp <<'EOF'
Network temp destroyed

EOF
check "net-undefine" 0 net-undefine demo <<'EOF'
Network demo has been undefined

EOF
check "net-list --all, empty" 0 net-list --all <<'EOF'
 Name   State   Autostart   Persistent
----------------------------------------

EOF
check "unknown network" 1 net-info nope <<'EOF'

error: failed to get network 'nope'
error: Network not found: no network with matching name 'nope'
EOF

echo "1..$n"
[ "$failed" -eq 0 ]
