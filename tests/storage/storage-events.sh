#!/usr/bin/env bash
# Storage pool events on qemu:///embed: `virtkit pool-event` waits in one process while other
# processes define, build, start, refresh, destroy, delete and undefine pools on the same root;
# it prints exactly what Debian's virsh prints for libvirt's storage driver (the story and its
# lines are tests/lib/pool-events.sh's, which tests/daemon/pool-events.sh compares with
# libvirtd). Also: one-shot waits filtered by pool, --list, bad event names, Ctrl-C. TAP output.
# usage: storage-events.sh VIRTKIT
set -u
here=$(dirname "$(realpath "$0")")
# shellcheck source=../qemu-driver/lib.sh
. "$here/../qemu-driver/lib.sh"
# shellcheck source=../lib/pool-events.sh
. "$here/../lib/pool-events.sh"
vkq_init storage-events "${1:-}"

p=${prefix}p
t=${prefix}t
pools=$root/pools
mkdir -p "$pools"
vkr pool-list --all >/dev/null 2>&1 # the default pool, made now rather than during the story

listen lc pool-event --loop --event lifecycle
lc=$listener
listen rf pool-event --loop --event refresh
rf=$listener
assert "the story from other processes, each step heard before the next" \
    pe_story vkr "$root/lc.out" "$root/rf.out" "$p" "$t" "$pools"
kill -INT "$lc" "$rf"
listener=$lc finish
lcrc=$rc
listener=$rf finish
rfrc=$rc
expect "pool-event --loop --event lifecycle: every lifecycle event, as virsh prints them" \
    "$(head -n 8 "$root/lc.out")" \
    "$(pe_story_lifecycle "$p" "$t")"
expect "... until Ctrl-C" "$(tail -n 3 "$root/lc.out"; echo "rc=$lcrc")" \
    "event loop interrupted
events received: 8

rc=0"
expect "pool-event --loop --event refresh: every refresh, as virsh prints them" \
    "$(cat "$root/rf.out"; echo "rc=$rfrc")" \
    "$(pe_story_refresh "$p" "$t")
event loop interrupted
events received: 3

rc=0"
# filtered by name: another pool's events first, then this one's
q=${prefix}q
vkr pool-create-as "$t" dir --target "$pools/$t" >/dev/null
listen byname pool-event --pool "$t" --event lifecycle --timeout 120
vkr pool-define-as "$q" dir --target "$pools/$q" >/dev/null
vkr pool-destroy "$t" >/dev/null
finish
expect "one-shot, filtered by name: that pool's first event only" \
    "$(cat "$root/byname.out"; echo "rc=$rc")" \
    "event 'lifecycle' for storage pool $t: Stopped
events received: 1

rc=0"
vkr pool-undefine "$q" >/dev/null

# a pool that is not there: virsh's error, then it waits for the events of every pool
listen none pool-event --pool "$prefix"nothere --event lifecycle --timeout 120
vkr pool-define-as "$q" dir --target "$pools/$q" >/dev/null
finish
expect "a pool that is not there: virsh's error, then any pool's event" \
    "$(cat "$root/none.out"; echo "rc=$rc")" \
    "error: failed to get pool '${prefix}nothere'
event 'lifecycle' for storage pool $q: Defined
events received: 1

rc=0"
vkr pool-undefine "$q" >/dev/null

# filtered by uuid, with timestamps, on a refresh
vkr pool-create-as "$t" dir --target "$pools/$t" >/dev/null
listen uuid pool-event --pool "$(vkr pool-uuid "$t")" --event refresh --timestamp --timeout 120
vkr pool-refresh "$t" >/dev/null
finish
ts='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: '
expect "pool-event --pool UUID --timestamp: the time, then virsh's line" \
    "$(sed -E "s/^$ts/TIME: /" "$root/uuid.out"; echo "rc=$rc")" \
    "TIME: event 'refresh' for storage pool $t
events received: 1

rc=0"
vkr pool-destroy "$t" >/dev/null

expect "pool-event --list" "$(vkr pool-event --list 2>&1)" "lifecycle
refresh"
expect "pool-event without --event" "$(vkr pool-event 2>&1; echo "rc=$?")" \
    "error: either --list or --event <type> is required

rc=1"
expect "pool-event --event of a kind it does not know" \
    "$(vkr pool-event --event nope 2>&1; echo "rc=$?")" "error: unknown event type nope

rc=1"
# Nothing stays of a pool that is gone: its event counts went with it.
expect "no event records of pools that are gone" \
    "$(find "$root/run/storage" -name "$prefix*.event")" ""
vkq_done
