#!/usr/bin/env bash
# `virsh event --loop --all` and `virsh net-event --loop` through virtkitd, while other
# processes (embedded virtkit, virsh through the daemon, a QMP client, kill -9) change real
# guests and networks: virsh must print, with libvirt's event and detail codes, exactly what
# the embedded `virtkit event` prints on the same root. Networks need root (a namespace of the
# test's own for the bridge). TAP output.
# usage: events.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init daemon-events "$1" "$2"
command -v virsh >/dev/null || {
    echo "1..0 # SKIP virsh is not installed"
    exit 0
}
vkq_private_net

# A guest that powers itself off through ACPI at once: mov dx,0x604; mov ax,0x2000; out dx,ax
printf '\xba\x04\x06\xb8\x00\x20\xef\xf4\xeb\xfe' >"$root/off.img"
truncate -s 510 "$root/off.img" && printf '\x55\xaa' >>"$root/off.img"

a=${prefix}a
off=${prefix}off
sync=${prefix}sync
domxml "$a" >/dev/null
domxml "$sync" >/dev/null
cat >"$root/$off.xml" <<EOF
<domain type='$virt_type'>
  <name>$off</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$root/off.img'/><target dev='hda' bus='ide'/></disk>
  </devices>
</domain>
EOF

# the daemon in the test's network namespace, so that the bridges it makes stay there
rm -f "$root/run/virtkitd.pid"
innet "$vkd" --root "$root" >>"$root/virtkitd.log" 2>&1 &
ip_pid=$!
vkq_pids+=("$ip_pid")
wait_until 30 test -s "$root/run/virtkitd.pid" || {
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
}
dpid=$(cat "$root/run/virtkitd.pid")
vkq_pids+=("$dpid")
dvsh() {
    innet virsh -c "$duri" "$@"
}

# The two listeners, and proof that both listen: each printed the definition of SYNC.
(exec "${vk_wrap[@]}" virsh -c "$duri" event --loop --all >"$root/virsh.out" 2>&1) &
lv=$!
(exec "${vk_wrap[@]}" "$vk" -c "$uri" event --loop --all >"$root/virtkit.out" 2>&1) &
lk=$!
vkq_pids+=("$lv" "$lk")
both_heard() {
    grep -q "'$1'" "$root/virsh.out" && grep -q "'$1'" "$root/virtkit.out"
}
synced() {
    vkr define "$root/$sync.xml" >/dev/null
    both_heard "$sync"
}
wait_until 60 synced || fail "both listeners listen" "$(cat "$root/virsh.out" "$root/virtkit.out")"

# Changes by every kind of process; each waited for, so that the order is the same for both.
more_than() { # N TEXT: virsh's output holds TEXT on more than N lines
    [ "$(grep -cF -- "$2" "$root/virsh.out")" -gt "$1" ]
}
step() { # WHAT-TO-WAIT-FOR COMMAND...
    local want=$1 before
    shift
    before=$(grep -cF -- "$want" "$root/virsh.out")
    "$@" >/dev/null 2>&1
    wait_until 60 more_than "$before" "$want" || fail "heard: $want"
}
qmp_quit() {
    /usr/bin/python3 - "$root/run/qemu/$1.monitor" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
for cmd in ("qmp_capabilities", "quit"):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    while True:
        line = f.readline()
        if not line or "return" in line or "error" in line:
            break
EOF
}
step "'$a': Defined Added" vkr define "$root/$a.xml"
step "'$a': Started Booted" dvsh start "$a"
step "'$a': Suspended Paused" vkr suspend "$a"
step "'$a': Resumed Unpaused" dvsh resume "$a"
step "'$a': Stopped Destroyed" vkr destroy "$a"
step "'$a': Started Booted" vkr start "$a"
step "'$a': Stopped Shutdown" qmp_quit "$a"
step "'$a': Started Booted" dvsh start "$a"
step "'$a': Stopped Failed" kill -9 "$(status_pid "$a")"
step "'$off': Stopped Shutdown" dvsh "define $root/$off.xml; start $off"
step "'$a': Undefined Removed" dvsh undefine "$a"
step "'$off': Undefined Removed" vkr undefine "$off"

if [ -n "$vkq_ns" ]; then
    net=vkdev$$
    cat >"$root/net.xml" <<EOF
<network>
  <name>$net</name>
  <bridge name='vkdn$(($$ % 100000))'/>
  <ip address='10.213.9.1' netmask='255.255.255.0'/>
</network>
EOF
    (exec "${vk_wrap[@]}" virsh -c "$duri" net-event --loop --event lifecycle \
        >"$root/vnet.out" 2>&1) &
    ln=$!
    (exec "${vk_wrap[@]}" "$vk" -c "$uri" net-event --loop --event lifecycle \
        >"$root/knet.out" 2>&1) &
    lkn=$!
    vkq_pids+=("$ln" "$lkn")
    netsynced() {
        vkr net-define "$root/net.xml" >/dev/null && vkr net-undefine "$net" >/dev/null
        grep -q Undefined "$root/vnet.out" && grep -q Undefined "$root/knet.out"
    }
    wait_until 60 netsynced
    cp "$root/vnet.out" "$root/vnet.before"
    cp "$root/knet.out" "$root/knet.before"
    dvsh net-define "$root/net.xml" >/dev/null
    dvsh net-start "$net" >/dev/null
    vkr net-destroy "$net" >/dev/null
    dvsh net-undefine "$net" >/dev/null
    more_undefined() { # NOW BEFORE
        [ "$(grep -c Undefined "$1")" -gt "$(grep -c Undefined "$2")" ]
    }
    wait_until 60 more_undefined "$root/vnet.out" "$root/vnet.before"
    wait_until 60 more_undefined "$root/knet.out" "$root/knet.before"
fi

kill -INT "$lv" "$lk" ${ln:+"$ln"} ${lkn:+"$lkn"} 2>/dev/null
wait "$lv" "$lk" ${ln:+"$ln"} ${lkn:+"$lkn"} 2>/dev/null

# what matters: the events' lines (the closing lines count what each heard, sync included)
lines() {
    grep "^event 'lifecycle'" "$1" | grep -v "'$sync'"
}
expect "virsh event through virtkitd prints what embedded virtkit event prints" \
    "$(lines "$root/virsh.out")" "$(lines "$root/virtkit.out")"
expect "the story, with libvirt's codes" "$(lines "$root/virsh.out")" \
    "event 'lifecycle' for domain '$a': Defined Added
event 'lifecycle' for domain '$a': Started Booted
event 'lifecycle' for domain '$a': Suspended Paused
event 'lifecycle' for domain '$a': Resumed Unpaused
event 'lifecycle' for domain '$a': Stopped Destroyed
event 'lifecycle' for domain '$a': Started Booted
event 'lifecycle' for domain '$a': Shutdown Finished after host request
event 'lifecycle' for domain '$a': Stopped Shutdown
event 'lifecycle' for domain '$a': Started Booted
event 'lifecycle' for domain '$a': Stopped Failed
event 'lifecycle' for domain '$off': Defined Added
event 'lifecycle' for domain '$off': Started Booted
event 'lifecycle' for domain '$off': Shutdown Finished after guest request
event 'lifecycle' for domain '$off': Stopped Shutdown
event 'lifecycle' for domain '$a': Undefined Removed
event 'lifecycle' for domain '$off': Undefined Removed"
if [ -n "$vkq_ns" ]; then
    netlines() {
        tail -n +"$(($(wc -l <"$2") + 1))" "$1" | grep "^event 'lifecycle'"
    }
    expect "virsh net-event through virtkitd prints what embedded virtkit prints" \
        "$(netlines "$root/vnet.out" "$root/vnet.before")" \
        "$(netlines "$root/knet.out" "$root/knet.before")"
    expect "network events" "$(netlines "$root/vnet.out" "$root/vnet.before")" \
        "event 'lifecycle' for network $net: Defined
event 'lifecycle' for network $net: Started
event 'lifecycle' for network $net: Stopped
event 'lifecycle' for network $net: Undefined"
else
    skip "network events through virtkitd" "needs root for a namespace and bridges"
fi
kill "$dpid"
wait "$ip_pid" || fail "virtkitd exits cleanly" "$(tail -n 5 "$root/virtkitd.log")"
vkq_done
