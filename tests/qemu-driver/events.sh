#!/usr/bin/env bash
# The shell's event and net-event commands on qemu:///embed, waiting in one process while other
# processes change real guests and networks: the text virsh prints for each event, one-shot
# waits, filters by domain, timestamps, and Ctrl-C. (The options and their errors are compared
# with virsh on test:///default by tests/shell.)
#
# usage: events.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init events "${1:-}"
vkq_private_net

a=${prefix}a
b=${prefix}b
axml=$(domxml "$a")
bxml=$(domxml "$b")
vkr define "$axml" >/dev/null
vkr define "$bxml" >/dev/null

# ---- one shot, for one domain ----
listen oneshot event --domain "$a" --event lifecycle --timeout 120
vkr start "$b" >/dev/null
vkr start "$a" >/dev/null
finish
expect "one-shot event for one domain: the first event of that domain, then done" \
    "$(cat "$root/oneshot.out"; echo "rc=$rc")" \
    "event 'lifecycle' for domain '$a': Started Booted
events received: 1

rc=0"

# ---- a loop, with timestamps, interrupted ----
listen loop event --all --loop --timestamp
vkr suspend "$a" >/dev/null
vkr resume "$a" >/dev/null
vkr destroy "$a" >/dev/null
vkr destroy "$b" >/dev/null
wait_until 60 grep -q "'$b': Stopped Destroyed" "$root/loop.out"
kill -INT "$listener"
finish
ts='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: '
expect "event --loop --timestamp: every event, each with the time, until Ctrl-C" \
    "$(sed -E "s/^$ts/TIME: /" "$root/loop.out"; echo "rc=$rc")" \
    "TIME: event 'lifecycle' for domain '$a': Suspended Paused
TIME: event 'lifecycle' for domain '$a': Resumed Unpaused
TIME: event 'lifecycle' for domain '$a': Stopped Destroyed
TIME: event 'lifecycle' for domain '$b': Stopped Destroyed
event loop interrupted
events received: 4

rc=0"

# ---- a timeout after events ----
listen timeout event --event lifecycle --loop --timeout 2
vkr undefine "$b" >/dev/null
finish
expect "event --loop --timeout: the events, then the timeout" \
    "$(cat "$root/timeout.out"; echo "rc=$rc")" \
    "event 'lifecycle' for domain '$b': Undefined Removed
event loop timed out
events received: 1

rc=0"

# ---- networks (bridges need root) ----
if [ -n "$vkq_ns" ]; then
    net=vkqev$$
    cat >"$root/net.xml" <<EOF
<network>
  <name>$net</name>
  <uuid>7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f</uuid>
  <bridge name='vkqn$(($$ % 100000))'/>
  <ip address='10.212.7.1' netmask='255.255.255.0'/>
</network>
EOF
    listen net net-event --event lifecycle --loop
    vkr net-define "$root/net.xml" >/dev/null
    vkr net-start "$net" >/dev/null
    vkr net-destroy "$net" >/dev/null
    vkr net-undefine "$net" >/dev/null
    wait_until 60 grep -q "Undefined" "$root/net.out"
    kill -INT "$listener"
    finish
    expect "net-event --loop: network events as virsh prints them" \
        "$(cat "$root/net.out"; echo "rc=$rc")" \
        "event 'lifecycle' for network $net: Defined
event 'lifecycle' for network $net: Started
event 'lifecycle' for network $net: Stopped
event 'lifecycle' for network $net: Undefined
event loop interrupted
events received: 4

rc=0"
else
    skip "net-event --loop: network events as virsh prints them" "needs root for bridges"
fi

vkq_done
