#!/usr/bin/env bash
# Autostart of guests once per host boot: the first read-write open after a boot starts the
# shut off guests marked for autostart; later opens, read-only opens and a second boot's
# marker decide as libvirt's daemon start would. TAP output.
# usage: autostart.sh VIRTKIT
# shellcheck source=tests/qemu-driver/lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init autostart "${1:-}"
vkq_private_net

a=${prefix}a
b=${prefix}b
bad=${prefix}bad
marker=$root/run/qemu/autostarted

vkr define "$(domxml "$a")" >/dev/null
vkr define "$(domxml "$b")" >/dev/null
# A guest that cannot start: its emulator is gone after it was defined.
vkr define "$(domxml "$bad")" >/dev/null
sed -i "s|<emulator>.*</emulator>|<emulator>/nonexistent/qemu</emulator>|" \
    "$root/etc/qemu/$bad.xml"
assert "marking a for autostart" vkr autostart "$a"
assert "marking bad for autostart" vkr autostart "$bad"
expect "this boot's pass is done already: a stays shut off" "$(state_of "$a")" "shut off (unknown)"

# A new boot: the marker names another boot id.
echo "00000000-0000-0000-0000-000000000000" >"$marker"
expect "a read-only open starts nothing" "$(vkr -r domstate "$a" 2>&1 | head -n 1)" "shut off"
out=$(vkr list --all 2>&1)
cmd_re "the first open after a boot starts a" "^ [0-9]+ +$a +running" echo "$out"
cmd_re "and warns about the guest that cannot start" \
    "warning: cannot autostart domain '$bad'" echo "$out"
expect "the unmarked b stays shut off" "$(state_of "$b")" "shut off (unknown)"
expect "one qemu of a" "$(qemu_count "$a")" 1
expect "the marker holds this boot's id" "$(cat "$marker")" \
    "$(cat /proc/sys/kernel/random/boot_id)"

assert "destroy a" vkr destroy "$a"
lacks_re "a later open neither restarts a nor warns again" "running|warning" list --all

# Four processes open at once after another boot: a starts exactly once.
echo "11111111-1111-1111-1111-111111111111" >"$marker"
for _ in 1 2 3 4; do
    vkr domstate "$a" >/dev/null 2>&1 &
done
wait
expect "four concurrent opens start a once" "$(qemu_count "$a")" 1
expect "a is running" "$(state_of "$a")" "running (booted)"
assert "destroy a again" vkr destroy "$a"

vkq_done
