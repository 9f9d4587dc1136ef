#!/usr/bin/env bash
# One guest, many processes: started by one virtkit, queried by several at once, suspended,
# resumed and destroyed by others, watched by a long-lived interactive shell; nothing is lost.
#
# usage: reconnect.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init reconnect "${1:-}"
vkq_private_net

d=${prefix}a
xml=$(domxml "$d" "$virt_type" "$VNC_AUTOPORT")
monitor=$root/run/qemu/$d.monitor

# ---- an interactive shell that stays connected through everything below ----
mkfifo "$root/session.in"
"${vk_wrap[@]}" "$vk" -c "$uri" <"$root/session.in" >"$root/session.out" 2>&1 &
vkq_pids+=("$!")
session_pid=$!
exec 3>"$root/session.in"

# session COMMAND: runs COMMAND in the interactive shell and prints the first line of its
# output (the prompt echoes each line; a marker ends each answer).
session() {
    local marks
    # Counted from the transcript: callers run this in a command substitution.
    marks=$(($(grep -c '^MARK-' "$root/session.out") + 1))
    printf '%s; echo MARK-%s\n' "$1" "$marks" >&3
    if ! wait_until 30 grep -qx "MARK-$marks" "$root/session.out"; then
        echo "(no answer)"
        return
    fi
    sed -n "/echo MARK-$marks\$/,/^MARK-$marks\$/p" "$root/session.out" | sed '1d;$d' |
        grep -v '^$' | head -n 1
}

expect "session: no such domain yet" "$(session "domstate --reason $d")" \
    "error: failed to get domain '$d'"
vkr define "$xml" >/dev/null
expect "session: sees the domain another process defined" "$(session "domstate --reason $d")" \
    "shut off (unknown)"

# ---- started by one process, which then exits ----
check "start from a process of its own" 0 start "$d" <<EOF
Domain '$d' started

EOF
pid=$(status_pid "$d")
id=$(vkr domid "$d" 2>/dev/null | head -n 1)
if [ -n "$pid" ] && proc_alive "$pid"; then
    pass "qemu outlives the process that started it"
else
    fail "qemu outlives the process that started it" "pid '$pid'"
fi
ppid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)
if [ -n "$ppid" ] && ! grep -q virtkit "/proc/$ppid/comm" 2>/dev/null; then
    pass "qemu is not a child of a virtkit process"
else
    fail "qemu is not a child of a virtkit process" "parent $ppid"
fi
expect "session: sees it running" "$(session "domstate --reason $d")" "running (booted)"
expect "session: sees its id" "$(session "domid $d")" "$id"

# ---- queried by many at once ----
parallel 6 domstate --reason "$d"
par_all "6 concurrent domstate --reason: running (booted)" 6 "^running \(booted\)\$"
parallel 6 dominfo "$d"
par_all "6 concurrent dominfo: Id $id" 6 "^Id: +$id\$"
parallel 6 list --all
par_all "6 concurrent list --all" 6 "^ Id +Name +State\$"
ok_lists=0
for i in 1 2 3 4 5 6; do
    grep -qE "^ $id +$d +running\$" "$root/par.$i.out" && ok_lists=$((ok_lists + 1))
done
expect "every concurrent list shows it running with id $id" "$ok_lists" 6
parallel 4 dumpxml "$d"
par_all "4 concurrent dumpxml: the live XML" 4 "^<domain type='$virt_type' id='$id'>\$"
expect "still the same single qemu" "$(qemu_pids "$d")" "$pid"
assert "status file intact" grep -q "pid='$pid'" "$(status_file "$d")"

# ---- suspended by another process while others look ----
(
    for _ in 1 2 3 4 5; do
        vkr domstate --reason "$d"
    done >"$root/watch.out" 2>"$root/watch.err"
) &
watcher=$!
check "suspend from another process" 0 suspend "$d" <<EOF
Domain '$d' suspended

EOF
wait "$watcher"
if [ ! -s "$root/watch.err" ] &&
    ! grep -vxE 'running \(booted\)|paused \(user\)|' "$root/watch.out" >/dev/null; then
    pass "queries during suspend see running or paused, no errors"
else
    fail "queries during suspend see running or paused, no errors" \
        "$(cat "$root/watch.out" "$root/watch.err")"
fi
parallel 4 domstate --reason "$d"
par_all "4 concurrent domstate: paused (user)" 4 "^paused \(user\)\$"
expect "session: sees it paused" "$(session "domstate --reason $d")" "paused (user)"
if have_python; then
    expect "qemu itself is paused" "$(qmp_status "$monitor" 2>&1)" paused
else
    skip "qemu itself is paused" "no python3"
fi

# ---- resumed from the session, seen by others ----
expect "session: resume" "$(session "resume $d")" "Domain '$d' resumed"
expect "another process sees it resumed" "$(state_of "$d")" "running (unpaused)"
expect "same qemu throughout" "$(qemu_pids "$d")" "$pid"

# ---- concurrent suspends and resumes from many processes ----
parallel 4 suspend "$d"
par_all "4 concurrent suspends all succeed" 4 "^Domain '$d' suspended\$"
expect "then paused (user)" "$(state_of "$d")" "paused (user)"
parallel 4 resume "$d"
# As with libvirt, resuming a running guest is an error: one process wins, the others find it
# already running.
won=0
lost=0
for i in 1 2 3 4; do
    if [ "$(cat "$root/par.$i.rc")" = 0 ] && grep -qx "Domain '$d' resumed" "$root/par.$i.out"; then
        won=$((won + 1))
    elif grep -q "domain is already running" "$root/par.$i.err"; then
        lost=$((lost + 1))
    fi
done
expect "4 concurrent resumes: one wins, three find it running" "$won/$lost" "1/3"
expect "then running (unpaused)" "$(state_of "$d")" "running (unpaused)"

# ---- destroyed by yet another process while others look ----
(
    for _ in 1 2 3 4 5; do
        vkr domstate --reason "$d"
    done >"$root/watch.out" 2>"$root/watch.err"
) &
watcher=$!
check "destroy from yet another process" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
wait "$watcher"
if [ ! -s "$root/watch.err" ] &&
    ! grep -vxE 'running \(unpaused\)|shut off \(destroyed\)|' "$root/watch.out" >/dev/null; then
    pass "queries during destroy see running or shut off (destroyed), no errors"
else
    fail "queries during destroy see running or shut off (destroyed), no errors" \
        "$(cat "$root/watch.out" "$root/watch.err")"
fi
parallel 4 domstate --reason "$d"
par_all "4 concurrent domstate: shut off (destroyed)" 4 "^shut off \(destroyed\)\$"
expect "session: sees it shut off (destroyed)" "$(session "domstate --reason $d")" \
    "shut off (destroyed)"
refute "qemu is gone" proc_alive "$pid"
expect "no qemu of the guest" "$(qemu_count "$d")" 0
assert "no run files left" no_run_files "$d"

# ---- started from the session, which then quits; the guest stays ----
expect "session: start" "$(session "start $d")" "Domain '$d' started"
pid2=$(status_pid "$d")
printf 'quit\n' >&3
exec 3>&-
if wait_until 10 bash -c "! kill -0 $session_pid 2>/dev/null"; then
    pass "session ends"
else
    fail "session ends"
fi
if [ -n "$pid2" ] && proc_alive "$pid2"; then
    pass "guest started by the session outlives it"
else
    fail "guest started by the session outlives it" "pid '$pid2'"
fi
expect "another process sees it running" "$(state_of "$d")" "running (booted)"
check "and destroys it" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
expect "no qemu left" "$(qemu_count "$d")" 0

vkq_done
