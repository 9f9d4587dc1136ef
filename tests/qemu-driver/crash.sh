#!/usr/bin/env bash
# Crashes: kill -9 of qemu, kill -9 of the shell in the middle of `start`, and a status file
# whose pid now belongs to another process. The driver's view must match the host afterwards.
#
# usage: crash.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init crash "${1:-}"
vkq_private_net

d=${prefix}a
t=${prefix}t
xml=$(domxml "$d" "$virt_type" "$VNC_AUTOPORT")
txml=$(domxml "$t")
vkr define "$xml" >/dev/null
config=$(vkr dumpxml --inactive "$d" 2>&1)

# ---- kill -9 of qemu ----
check "start" 0 start "$d" <<EOF
Domain '$d' started

EOF
pid=$(status_pid "$d")
kill -9 "$pid"
wait_until 10 proc_dead "$pid"
expect "after kill -9 of qemu: shut off (crashed)" "$(state_of "$d")" "shut off (crashed)"
assert "status, monitor and pid files removed" no_run_files "$d"
has_re "list --all: shut off" "^ -  +$d +shut off\$" list --all
expect "config intact" "$(vkr dumpxml --inactive "$d" 2>&1)" "$config"
expect "reason stays crashed on the next look" "$(state_of "$d")" "shut off (crashed)"
check "destroy of the crashed domain" 1 destroy "$d" <<EOF

error: Failed to destroy domain '$d'
error: Requested operation is not valid: domain is not running
EOF
check "a crashed persistent domain starts again" 0 start "$d" <<EOF
Domain '$d' started

EOF
pid2=$(status_pid "$d")
expect "its new qemu runs" "$(qemu_pids "$d")" "$pid2"
expect "running (booted)" "$(state_of "$d")" "running (booted)"

# The first process to act on a dead qemu may be a lifecycle call rather than a query.
kill -9 "$pid2"
check "suspend of a domain whose qemu was killed" 1 suspend "$d" <<EOF

error: Failed to suspend domain '$d'
error: Requested operation is not valid: domain is not running
EOF
expect "then shut off (crashed)" "$(state_of "$d")" "shut off (crashed)"
assert "and its run files are gone" no_run_files "$d"

# A transient domain whose qemu dies is gone altogether.
check "create a transient domain" 0 create "$txml" <<EOF
Domain '$t' created from $txml

EOF
tpid=$(status_pid "$t")
kill -9 "$tpid"
# (until the kernel has taken the process down, its guest still runs: a lookup may find it)
wait_until 10 proc_dead "$tpid"
check "after kill -9 of its qemu the transient domain is gone" 1 domstate "$t" <<EOF

error: failed to get domain '$t'
EOF
lacks_re "list --all: gone" " $t " list --all
assert "no run files left" no_run_files "$t"
check "it can be created again" 0 create "$txml" <<EOF
Domain '$t' created from $txml

EOF
vkr destroy "$t" >/dev/null 2>&1

# ---- kill -9 of the shell in the middle of start ----
# Afterwards the guest is either known to the driver (running, or paused when the shell died
# before letting the vCPUs go) and can be destroyed, or shut off with nothing left behind.
# Ten delays spread over 0-300 ms (one random delay in each 30 ms slice), so that every stage
# of a start (lock, probe, spawn, monitor, status, cont) is hit in some run.
for i in 0 1 2 3 4 5 6 7 8 9; do
    delay_ms=$((i * 30 + RANDOM % 30))
    # Not through a function: $! must be virtkit itself (ip netns exec execs it).
    "${vk_wrap[@]}" "$vk" -c "$uri" start "$d" >/dev/null 2>&1 &
    shell=$!
    sleep "$(printf '0.%03d' "$delay_ms")"
    kill -9 "$shell" 2>/dev/null
    wait "$shell" 2>/dev/null
    # Give a qemu the shell left behind time to show itself.
    sleep 0.3
    state=$(state_of "$d")
    pids=$(qemu_pids "$d")
    spid=$(status_pid "$d")
    problems=()
    case "$state" in
    running* | paused*)
        [ -n "$spid" ] && [ "$pids" = "$spid" ] ||
            problems+=("running, but status pid '$spid' vs qemu pids '$pids'")
        out=$(vkr destroy "$d" 2>&1) || problems+=("destroy failed: $out")
        [ "$(qemu_count "$d")" -eq 0 ] || problems+=("qemu left after destroy")
        stale=$(stale_run_files "$d")
        [ -z "$stale" ] || problems+=("run files left after destroy:" "$stale")
        ;;
    "shut off"*)
        [ -z "$pids" ] || problems+=("shut off, but qemu runs: pids $pids (orphan)")
        stale=$(stale_run_files "$d")
        [ -z "$stale" ] || problems+=("shut off, but run files left:" "$stale")
        ;;
    *)
        problems+=("state '$state'")
        ;;
    esac
    [ "$(vkr dumpxml --inactive "$d" 2>&1)" = "$config" ] || problems+=("config changed")
    if [ ${#problems[@]} -eq 0 ]; then
        pass "kill -9 of start after $delay_ms ms: consistent (${state%% (*})"
    else
        fail "kill -9 of start after $delay_ms ms: consistent" "${problems[@]}"
    fi
    # Leave no orphan and no leftover to the next round, whatever happened: each round is
    # judged on its own.
    vkr destroy "$d" >/dev/null 2>&1
    pkill -9 -f -- "-name guest=$d," 2>/dev/null
    wait_until 5 test "$(qemu_count "$d")" -eq 0
    for f in $(stale_run_files "$d"); do
        rm -f "$root/run/qemu/$f"
    done
done
check "after all that, start works" 0 start "$d" <<EOF
Domain '$d' started

EOF
expect "with exactly one qemu" "$(qemu_count "$d")" 1

# ---- pid reuse ----
# A real status file, kept while the guest runs, then put back after it stopped with the pid
# of a live process that is not qemu: that process must be neither trusted nor killed.
cp "$(status_file "$d")" "$root/status.copy"
vkr destroy "$d" >/dev/null
sleep 300 &
sleeper=$!
disown "$sleeper"
vkq_pids+=("$sleeper")
sed -E "1s/ pid='[0-9]+'/ pid='$sleeper'/" "$root/status.copy" >"$(status_file "$d")"
assert "forged status file names the sleeper" grep -q "pid='$sleeper'" "$(status_file "$d")"
state=$(state_of "$d")
case "$state" in
"shut off"*) pass "a status whose pid is another process: $state" ;;
*) fail "a status whose pid is another process: shut off" "state '$state'" ;;
esac
assert "the other process is not killed" proc_alive "$sleeper"
refute "stale status file cleaned up" test -e "$(status_file "$d")"
lacks_re "list: not running" " $d " list
check "start works over the stale status" 0 start "$d" <<EOF
Domain '$d' started

EOF
npid=$(status_pid "$d")
if [ -n "$npid" ] && [ "$npid" != "$sleeper" ] && [ "$(qemu_pids "$d")" = "$npid" ]; then
    pass "the new status names the new qemu"
else
    fail "the new status names the new qemu" "status pid '$npid', qemu '$(qemu_pids "$d")'"
fi
check "destroy" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
assert "the other process still lives" proc_alive "$sleeper"
# The same with a forged status for a running domain's neighbour: a lifecycle call.
sed -E "1s/ pid='[0-9]+'/ pid='$sleeper'/" "$root/status.copy" >"$(status_file "$d")"
check "destroy with a status naming another process" 1 destroy "$d" <<EOF

error: Failed to destroy domain '$d'
error: Requested operation is not valid: domain is not running
EOF
assert "the other process is still not killed" proc_alive "$sleeper"
assert "no run files left" no_run_files "$d"
expect "config intact at the end" "$(vkr dumpxml --inactive "$d" 2>&1)" "$config"
expect "no qemu left" "$(pgrep -fc -- "guest=$prefix")" 0

vkq_done
