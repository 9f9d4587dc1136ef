#!/usr/bin/env bash
# A real guest's whole life through the shell on qemu:///embed (define, start, suspend, resume,
# reboot, shutdown, destroy, undefine, create, autostart, dumpxml), checked from outside too.
#
# usage: lifecycle.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init lifecycle "${1:-}"
vkq_private_net

d=${prefix}a
t=${prefix}t
xml=$(domxml "$d" "$virt_type" "$VNC_AUTOPORT")
txml=$(domxml "$t")
uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$xml")

# ---- defined, shut off ----
check "define" 0 define "$xml" <<EOF
Domain '$d' defined from $xml

EOF
has_re "list --all: shut off" "^ -  +$d +shut off\$" list --all
lacks_re "list: not among the running" " $d " list
expect "domstate --reason of a domain never started" "$(state_of "$d")" "shut off (unknown)"
check "destroy of a shut off domain" 1 destroy "$d" <<EOF

error: Failed to destroy domain '$d'
error: Requested operation is not valid: domain is not running
EOF
check "suspend of a shut off domain" 1 suspend "$d" <<EOF

error: Failed to suspend domain '$d'
error: Requested operation is not valid: domain is not running
EOF

# ---- running ----
check "start" 0 start "$d" <<EOF
Domain '$d' started

EOF
id1=$(vkr domid "$d" 2>/dev/null | head -n 1)
if [[ "$id1" =~ ^[1-9][0-9]*$ ]]; then
    pass "domid: a positive id ($id1)"
else
    fail "domid: a positive id" "got '$id1'"
fi
has_re "list --all: running with its id" "^ $id1 +$d +running\$" list --all
has_re "list: running" "^ $id1 +$d +running\$" list
lacks_re "list --inactive: not there" " $d " list --inactive
for line in "Id:             $id1" "Name:           $d" "UUID:           $uuid" \
    "State:          running" "CPU(s):         1" "Max memory:     65536 KiB" \
    "Persistent:     yes" "Autostart:      disable"; do
    has_line "dominfo: $line" "$line" dominfo "$d"
done
expect "domstate --reason: running (booted)" "$(state_of "$d")" "running (booted)"

# From outside: the qemu process, its pid in the status file, its monitor socket.
pid=$(status_pid "$d")
expect "status file records the pid of the only qemu of the guest" "$(qemu_pids "$d")" "$pid"
expect "pid file agrees" "$(tr -d '[:space:]' <"$root/run/qemu/$d.pid" 2>/dev/null)" "$pid"
if [ -n "$pid" ] && proc_alive "$pid"; then
    pass "qemu (pid $pid) runs"
else
    fail "qemu runs" "pid '$pid'"
fi
expect "qemu runs with -name guest=NAME,..." "$(qemu_arg "$pid" -name | cut -d, -f1)" "guest=$d"
expect "qemu runs with -uuid of the domain" "$(qemu_arg "$pid" -uuid)" "$uuid"
if [ "$virt_type" = kvm ]; then
    cmd_re "qemu uses KVM" "accel=kvm" qemu_arg "$pid" -machine
else
    cmd_re "qemu uses TCG" "accel=tcg" qemu_arg "$pid" -machine
fi
monitor=$root/run/qemu/$d.monitor
assert "monitor socket exists" test -S "$monitor"
if have_python; then
    expect "qemu itself says running (QMP from outside)" "$(qmp_status "$monitor" 2>&1)" running
else
    skip "qemu itself says running" "no python3"
fi
cmd_re "log file has qemu's command line" "guest=$d," cat "$root/log/qemu/$d.log"
check "start of a running domain" 1 start "$d" <<EOF

error: Domain is already active
EOF
expect "still exactly one qemu" "$(qemu_pids "$d")" "$pid"

# ---- dumpxml, live and inactive ----
live=$(vkr dumpxml "$d" 2>&1)
inactive=$(vkr dumpxml --inactive "$d" 2>&1)
if grep -qE "^<domain type='$virt_type' id='$id1'>\$" <<<"$live"; then
    pass "dumpxml: live XML carries the id"
else
    fail "dumpxml: live XML carries the id" "$live"
fi
port=$(sed -nE "s/.*<graphics type='vnc' port='([0-9]+)' autoport='yes'.*/\1/p" <<<"$live")
if [[ "$port" =~ ^59[0-9][0-9]$ ]]; then
    pass "dumpxml: live VNC port allocated ($port)"
else
    fail "dumpxml: live VNC port allocated (59xx)" "$live"
fi
if [ -n "$port" ] && innet ss -Hltn "sport = :$port" | grep -q LISTEN; then
    pass "qemu listens on VNC port $port"
else
    fail "qemu listens on the VNC port" "$(innet ss -ltn)"
fi
cmd_re "qemu's -vnc display matches the port" ":$((${port:-5900} - 5900))(,|\$)" qemu_arg "$pid" -vnc
# (<audio id=...> is configuration: only the domain's own id is runtime data.)
if grep -qE "^<domain type='$virt_type'>\$" <<<"$inactive" && ! grep -qE "<domain [^>]*id=" <<<"$inactive"; then
    pass "dumpxml --inactive: no id"
else
    fail "dumpxml --inactive: no id" "$inactive"
fi
if grep -qF "<graphics type='vnc' port='-1' autoport='yes'>" <<<"$inactive" &&
    ! grep -qE "port='59" <<<"$inactive"; then
    pass "dumpxml --inactive: port='-1' autoport='yes'"
else
    fail "dumpxml --inactive: port='-1' autoport='yes'" "$inactive"
fi

# ---- autostart ----
check "autostart" 0 autostart "$d" <<EOF
Domain '$d' marked as autostarted

EOF
assert "autostart mark on disk" test -L "$root/etc/qemu/autostart/$d.xml"
has_re "list --autostart shows it" " $d +running\$" list --autostart
lacks_re "list --no-autostart does not" " $d " list --all --no-autostart
has_line "dominfo: Autostart: enable" "Autostart:      enable" dominfo "$d"
check "autostart --disable" 0 autostart --disable "$d" <<EOF
Domain '$d' unmarked as autostarted

EOF
refute "autostart mark removed" test -e "$root/etc/qemu/autostart/$d.xml"
lacks_re "list --autostart no longer shows it" " $d " list --all --autostart
has_re "list --no-autostart does" " $d +running\$" list --no-autostart
has_line "dominfo: Autostart: disable" "Autostart:      disable" dominfo "$d"

# ---- suspend, resume, reboot, shutdown ----
check "suspend" 0 suspend "$d" <<EOF
Domain '$d' suspended

EOF
expect "domstate --reason: paused (user)" "$(state_of "$d")" "paused (user)"
has_re "list --all: paused" "^ $id1 +$d +paused\$" list --all
has_re "list --state-paused" " $d +paused\$" list --state-paused
if have_python; then
    expect "qemu itself says paused" "$(qmp_status "$monitor" 2>&1)" paused
else
    skip "qemu itself says paused" "no python3"
fi
check "resume" 0 resume "$d" <<EOF
Domain '$d' resumed

EOF
expect "domstate --reason: running (unpaused)" "$(state_of "$d")" "running (unpaused)"
if have_python; then
    expect "qemu itself says running again" "$(qmp_status "$monitor" 2>&1)" running
else
    skip "qemu itself says running again" "no python3"
fi
check "reboot" 0 reboot "$d" <<EOF
Domain '$d' is being rebooted

EOF
expect "after reboot: still running" "$(vkr domstate "$d" 2>&1 | head -n 1)" running
expect "after reboot: same qemu" "$(qemu_pids "$d")" "$pid"
check "shutdown (a request to the guest)" 0 shutdown "$d" <<EOF
Domain '$d' is being shutdown

EOF
# No guest OS answers the power button: libvirt leaves such a guest running.
sleep 1
expect "after shutdown without a guest OS: still running" \
    "$(vkr domstate "$d" 2>&1 | head -n 1)" running
expect "after shutdown: same qemu" "$(qemu_pids "$d")" "$pid"
expect "after shutdown: same id" "$(vkr domid "$d" 2>&1 | head -n 1)" "$id1"

# ---- destroy ----
check "destroy" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
expect "domstate --reason: shut off (destroyed)" "$(state_of "$d")" "shut off (destroyed)"
refute "qemu process is gone" proc_alive "$pid"
expect "no qemu of the guest left" "$(qemu_count "$d")" 0
refute "monitor socket removed" test -e "$monitor"
refute "status file removed" test -e "$(status_file "$d")"
refute "pid file removed" test -e "$root/run/qemu/$d.pid"
has_re "list --all: shut off again" "^ -  +$d +shut off\$" list --all
check "destroy again" 1 destroy "$d" <<EOF

error: Failed to destroy domain '$d'
error: Requested operation is not valid: domain is not running
EOF
assert "config kept" test -f "$root/etc/qemu/$d.xml"
expect "dumpxml --inactive unchanged by the run" "$(vkr dumpxml --inactive "$d" 2>&1)" "$inactive"

# ---- start again, undefine while running ----
check "start again" 0 start "$d" <<EOF
Domain '$d' started

EOF
id2=$(vkr domid "$d" 2>/dev/null | head -n 1)
if [[ "$id2" =~ ^[0-9]+$ ]] && [ "$id2" -gt "$id1" ]; then
    pass "new id $id2 is greater than the previous $id1"
else
    fail "new id greater than the previous" "first $id1, now '$id2'"
fi
pid2=$(status_pid "$d")
check "undefine of a running domain" 0 undefine "$d" <<EOF
Domain '$d' has been undefined

EOF
refute "config removed" test -e "$root/etc/qemu/$d.xml"
expect "qemu keeps running" "$(qemu_pids "$d")" "$pid2"
has_re "list --transient shows it" "^ $id2 +$d +running\$" list --transient
lacks_re "list --persistent does not" " $d " list --all --persistent
has_line "dominfo: Persistent: no" "Persistent:     no" dominfo "$d"
expect "domstate: running" "$(state_of "$d")" "running (booted)"
check "autostart of a transient domain" 1 autostart "$d" <<EOF

error: Failed to mark domain '$d' as autostarted
error: Requested operation is not valid: cannot set autostart for transient domain
EOF
check "undefine of a transient domain" 1 undefine "$d" <<EOF

error: Failed to undefine domain '$d'
error: Requested operation is not valid: cannot undefine transient domain
EOF
check "destroy of the transient domain" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
check "then it is gone" 1 domstate "$d" <<EOF

error: failed to get domain '$d'
EOF
lacks_re "list --all: gone" " $d " list --all
expect "its qemu is gone" "$(qemu_count "$d")" 0
assert "no run files left" no_run_files "$d"

# ---- create (transient) ----
check "create" 0 create "$txml" <<EOF
Domain '$t' created from $txml

EOF
tpid=$(status_pid "$t")
expect "create: its qemu runs" "$(qemu_pids "$t")" "$tpid"
has_line "create: dominfo Persistent: no" "Persistent:     no" dominfo "$t"
expect "create: running (booted)" "$(state_of "$t")" "running (booted)"
refute "create: no config written" test -e "$root/etc/qemu/$t.xml"
check "create of a running transient domain" 1 create "$txml" <<EOF

error: Failed to create domain from $txml
error: Requested operation is not valid: domain '$t' is already active
EOF
expect "still one qemu" "$(qemu_count "$t")" 1
check "destroy of the created domain" 0 destroy "$t" <<EOF
Domain '$t' destroyed

EOF
check "created domain is gone" 1 dominfo "$t" <<EOF

error: failed to get domain '$t'
EOF
expect "its qemu is gone" "$(qemu_count "$t")" 0
assert "no run files left" no_run_files "$t"

check "create --paused" 0 create --paused "$txml" <<EOF
Domain '$t' created from $txml

EOF
expect "create --paused: paused (user)" "$(state_of "$t")" "paused (user)"
if have_python; then
    # Started with -S and never let go: qemu calls that prelaunch, as under libvirt.
    qs=$(qmp_status "$root/run/qemu/$t.monitor" 2>&1)
    if [ "$qs" = prelaunch ] || [ "$qs" = paused ]; then
        pass "create --paused: qemu itself is not running ($qs)"
    else
        fail "create --paused: qemu itself is not running" "status '$qs'"
    fi
else
    skip "create --paused: qemu itself is paused" "no python3"
fi
check "resume of the paused created domain" 0 resume "$t" <<EOF
Domain '$t' resumed

EOF
expect "then running (unpaused)" "$(state_of "$t")" "running (unpaused)"
check "destroy it" 0 destroy "$t" <<EOF
Domain '$t' destroyed

EOF
expect "no qemu left" "$(qemu_count "$t")" 0

# ---- start --paused of a defined domain ----
check "define again" 0 define "$xml" <<EOF
Domain '$d' defined from $xml

EOF
check "start --paused" 0 start --paused "$d" <<EOF
Domain '$d' started

EOF
expect "start --paused: paused (user)" "$(state_of "$d")" "paused (user)"
check "destroy of a paused domain" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
expect "shut off (destroyed)" "$(state_of "$d")" "shut off (destroyed)"
check "undefine" 0 undefine "$d" <<EOF
Domain '$d' has been undefined

EOF
check "undefined domain is gone" 1 domstate "$d" <<EOF

error: failed to get domain '$d'
EOF
expect "no qemu left at all" "$(pgrep -fc -- "guest=$prefix")" 0

# ---- what a destroy does besides the kill ----
# Every millisecond of a destroy besides qemu's own exit is overhead (issue 16): nothing on the
# way needs character set conversion (the C library's converters load when a GLib error is
# formatted by habit), and the status file read under the lock is not read again.
if command -v strace >/dev/null; then
    vkr define "$xml" >/dev/null && vkr start "$d" >/dev/null
    trace=$(mktemp /tmp/vkq-lifecycle-trace-XXXXXX)
    # LeakSanitizer cannot stop a traced process to look for leaks (the sanitizer build).
    if "${vk_wrap[@]}" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -e trace=open,openat -o "$trace" "$vk" -c "$uri" destroy "$d" >/dev/null; then
        lacks=$(grep -E 'gconv|charset\.alias' "$trace")
        expect "destroy loads no character set converters" "$lacks" ""
        # Once for the lookup, once under the guest's lock; the kill needs nothing more.
        opens=$(grep -c "open.*\"$root/run/qemu/$d\.xml\"" "$trace")
        assert "destroy reads the status file at most twice (read $opens times)" \
            test "$opens" -le 2
    else
        fail "destroy under strace"
    fi
    rm -f "$trace"
    expect "destroyed under strace: shut off (destroyed)" "$(state_of "$d")" \
        "shut off (destroyed)"
    vkr undefine "$d" >/dev/null
else
    skip "destroy loads no character set converters" "strace is not installed"
fi

vkq_done
