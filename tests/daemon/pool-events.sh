#!/usr/bin/env bash
# Storage pool events through virtkitd: Debian's `virsh pool-event --loop` (lifecycle and
# refresh) and python3-libvirt's storagePoolEventRegisterAny on the daemon, while embedded
# virtkit and virsh through the daemon take turns at the operations of tests/lib/pool-events.sh.
# Every listener must print exactly the lines embedded `virtkit pool-event` prints, and (as root,
# with libvirtd installed) exactly what virsh prints for the same operations on a private
# libvirtd's storage driver. TAP output.
# usage: pool-events.sh VIRTKIT VIRTKITD
set -u
here=$(dirname "$(realpath "$0")")
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=../lib/pool-events.sh
. "$here/../lib/pool-events.sh"
# shellcheck source=../lib/libvirtd-private.sh
. "$here/../lib/libvirtd-private.sh"
vkd_init pool-events "$1" "$2"
command -v virsh >/dev/null || {
    echo "1..0 # SKIP virsh is not installed"
    exit 0
}
vkd_start || {
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
}
p=${prefix}p
t=${prefix}t
s=${prefix}sync
pools=$root/pools
mkdir -p "$pools"
vkr pool-list --all >/dev/null 2>&1 # the default pool, made now rather than during the story

# bg NAME COMMAND...: a listener in the background, its output in ROOT/NAME.out.
bg() {
    local name=$1
    shift
    (exec "$@" >"$root/$name.out" 2>&1) &
    vkq_pids+=("$!")
    listeners+=("$!")
}
listeners=()
bg vlc virsh -c "$duri" pool-event --loop --event lifecycle
bg vrf virsh -c "$duri" pool-event --loop --event refresh
bg klc "$vk" -c "$uri" pool-event --loop --event lifecycle
bg krf "$vk" -c "$uri" pool-event --loop --event refresh
python=
if /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    bg py /usr/bin/python3 "$here/pool-events.py" "$duri"
    python=1
fi
# Every listener heard the sync pool (a define and undefine, then a refresh), so all listen.
pe_sync vkr "$s" "$pools/$s" "$root/vlc.out" "$root/klc.out" ${python:+"$root/py.out"} ||
    fail "the lifecycle listeners listen" "$(cat "$root"/*.out)"
rsynced() {
    vkr pool-refresh "$s" >/dev/null 2>&1
    pe_heard_all "pool $s" "$root/vrf.out" "$root/krf.out"
}
mkdir -p "$pools/$s.r"
vkr pool-create-as "$s" dir --target "$pools/$s.r" >/dev/null
wait_until 60 rsynced || fail "the refresh listeners listen" "$(cat "$root/vrf.out" "$root/krf.out")"
vkr pool-destroy "$s" >/dev/null

# turn: embedded virtkit and virsh through the daemon take turns
turns=0
turn() {
    turns=$((turns + 1))
    if [ $((turns % 2)) -eq 1 ]; then vkr "$@"; else vsh "$@"; fi
}
assert "the story, from embedded virtkit and virsh through virtkitd in turn" \
    pe_story turn "$root/vlc.out" "$root/vrf.out" "$p" "$t" "$pools"
# the others have heard it all once the last event arrived everywhere
heard_all() {
    local f
    for f in klc ${python:+py}; do
        grep -q "pool $t: Stopped" "$root/$f.out" || return 1
    done
    grep -q "pool $t\$" "$root/krf.out"
}
wait_until 60 heard_all

expect "virsh pool-event --event lifecycle through virtkitd" \
    "$(pe_lines "$root/vlc.out" "$p" "$t")" "$(pe_story_lifecycle "$p" "$t")"
expect "virsh pool-event --event refresh through virtkitd" \
    "$(pe_lines "$root/vrf.out" "$p" "$t")" "$(pe_story_refresh "$p" "$t")"
expect "embedded virtkit pool-event prints the same lifecycle lines" \
    "$(pe_lines "$root/klc.out" "$p" "$t")" "$(pe_lines "$root/vlc.out" "$p" "$t")"
expect "... and the same refresh lines" \
    "$(pe_lines "$root/krf.out" "$p" "$t")" "$(pe_lines "$root/vrf.out" "$p" "$t")"
if [ -n "$python" ]; then
    expect "python3-libvirt through virtkitd: both ids on one connection, in order" \
        "$(pe_lines "$root/py.out" "$p" "$t")" \
        "event 'lifecycle' for storage pool $p: Defined
event 'lifecycle' for storage pool $p: Created
event 'lifecycle' for storage pool $p: Started
event 'refresh' for storage pool $p
event 'lifecycle' for storage pool $p: Stopped
event 'lifecycle' for storage pool $p: Deleted
event 'lifecycle' for storage pool $p: Undefined
event 'lifecycle' for storage pool $t: Started
event 'refresh' for storage pool $t
event 'refresh' for storage pool $t
event 'lifecycle' for storage pool $t: Stopped"
else
    skip "python3-libvirt through virtkitd" "python3-libvirt is not installed"
fi

# The same story told by libvirt's own storage driver, in namespaces of a private libvirtd.
if [ "$(id -u)" -ne 0 ] || ! command -v libvirtd >/dev/null ||
    ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_storage.so >/dev/null 2>&1; then
    skip "virsh on libvirtd prints the same lines" "needs root and libvirtd with its storage driver"
else
    mkdir -p "$root/lv" "$root/lvpools"
    cat >"$root/lv/side.sh" <<'EOS'
. "$1"
. "$2"
dir=$3 p=$4 t=$5 s=$6
lv_private_setup "$dir" && lv_start || exit 1
lvuri="qemu:///system?socket=$LV_SOCK"
lv() { virsh -c "$lvuri" "$@"; }
virsh -c "$lvuri" pool-event --loop --event lifecycle >"$dir/lc.out" 2>&1 &
lcpid=$!
virsh -c "$lvuri" pool-event --loop --event refresh >"$dir/rf.out" 2>&1 &
rfpid=$!
pe_sync lv "$s" "$dir/pools/$s" "$dir/lc.out" || exit 1
mkdir -p "$dir/pools/$s.r"
lv pool-create-as "$s" dir --target "$dir/pools/$s.r" >/dev/null
for i in $(seq 60); do
    lv pool-refresh "$s" >/dev/null 2>&1
    pe_wait_more 1 "$dir/rf.out" "pool $s" 0 && break
done
lv pool-destroy "$s" >/dev/null
pe_story lv "$dir/lc.out" "$dir/rf.out" "$p" "$t" "$dir/pools"
rc=$?
kill -INT "$lcpid" "$rfpid"
wait "$lcpid" "$rfpid"
lv_stop
exit $rc
EOS
    if lv_unshare bash "$root/lv/side.sh" "$here/../lib/libvirtd-private.sh" \
        "$here/../lib/pool-events.sh" "$root/lv" "$p" "$t" "$s" >"$root/lv/side.log" 2>&1; then
        expect "virsh on libvirtd prints the same lifecycle lines" \
            "$(pe_lines "$root/lv/lc.out" "$p" "$t")" "$(pe_lines "$root/vlc.out" "$p" "$t")"
        expect "... and the same refresh lines" \
            "$(pe_lines "$root/lv/rf.out" "$p" "$t")" "$(pe_lines "$root/vrf.out" "$p" "$t")"
    else
        fail "the story on libvirtd" "$(tail -n 20 "$root/lv/side.log")" \
            "$(cat "$root/lv/lc.out" "$root/lv/rf.out" 2>/dev/null)"
    fi
fi
kill -INT "${listeners[@]}" 2>/dev/null
kill "${listeners[@]}" 2>/dev/null # python's loop does not stop at SIGINT
wait "${listeners[@]}" 2>/dev/null
vkd_stop || fail "virtkitd exits cleanly" "$(tail -n 5 "$root/virtkitd.log")"
vkq_done
