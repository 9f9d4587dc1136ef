#!/usr/bin/env bash
# Processes racing on the same guests: simultaneous starts, destroys and creates of one domain
# (exactly one wins), and simultaneous starts of different domains (all win, distinct ids/ports).
#
# usage: concurrency.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init concurrency "${1:-}"
vkq_private_net

K=4
d=${prefix}a
t=${prefix}t
xml=$(domxml "$d" "$virt_type" "$VNC_AUTOPORT")
txml=$(domxml "$t" "$virt_type" "$VNC_AUTOPORT")
vkr define "$xml" >/dev/null

# one_winner DESC K WINNER LOSER...: exactly one of the K processes printed WINNER (stdout and
# stderr, exit 0); every other printed one of the LOSER texts and exited 1.
one_winner() {
    local desc=$1 k=$2 winner=$3 i got wins=0 bad=()
    shift 3
    for ((i = 1; i <= k; i++)); do
        got=$(
            cat "$root/par.$i.out" "$root/par.$i.err"
            printf 'rc=%s' "$(cat "$root/par.$i.rc")"
        )
        if [ "$got" = "${winner}rc=0" ]; then
            wins=$((wins + 1))
            continue
        fi
        local loser ok=0
        for loser in "$@"; do
            [ "$got" = "${loser}rc=1" ] && ok=1
        done
        [ $ok -eq 1 ] || bad+=("process $i:" "$got")
    done
    if [ $wins -eq 1 ] && [ ${#bad[@]} -eq 0 ]; then
        pass "$desc"
    else
        fail "$desc" "$wins winners" "${bad[@]}"
    fi
}

nl=$'\n'
started="Domain '$d' started$nl$nl"
# virsh refuses a domain it sees running already; a start that got past that check before the
# winner finished gets the driver's OPERATION_INVALID.
lost_early="${nl}error: Domain is already active$nl"
lost_late="${nl}error: Failed to start domain '$d'${nl}error: Requested operation is not valid: domain is already running$nl"

# ---- K processes start the same domain ----
for round in 1 2 3; do
    parallel "$K" start "$d"
    one_winner "round $round: $K simultaneous starts, exactly one wins" "$K" "$started" \
        "$lost_early" "$lost_late"
    pids=$(qemu_pids "$d")
    expect "round $round: exactly one qemu" "$(qemu_count "$d")" 1
    expect "round $round: the status file names it" "$(status_pid "$d")" "$pids"
    expect "round $round: running (booted)" "$(state_of "$d")" "running (booted)"
    if [ "$round" -lt 3 ]; then
        vkr destroy "$d" >/dev/null 2>&1
    fi
done

# ---- K processes destroy it ----
parallel "$K" destroy "$d"
one_winner "$K simultaneous destroys, exactly one wins" "$K" "Domain '$d' destroyed$nl$nl" \
    "${nl}error: Failed to destroy domain '$d'${nl}error: Requested operation is not valid: domain is not running$nl"
expect "then shut off (destroyed)" "$(state_of "$d")" "shut off (destroyed)"
expect "no qemu left" "$(qemu_count "$d")" 0
assert "no run files left" no_run_files "$d"

# ---- K processes create the same transient domain ----
parallel "$K" create "$txml"
one_winner "$K simultaneous creates of one transient domain, exactly one wins" "$K" \
    "Domain '$t' created from $txml$nl$nl" \
    "${nl}error: Failed to create domain from $txml${nl}error: Requested operation is not valid: domain '$t' is already active$nl"
expect "exactly one qemu of the transient domain" "$(qemu_count "$t")" 1
vkr destroy "$t" >/dev/null 2>&1
expect "it is gone after destroy" "$(qemu_count "$t")" 0

# ---- K different domains, defined and started at the same time ----
for ((i = 1; i <= K; i++)); do
    domxml "${prefix}m$i" "$virt_type" "$VNC_AUTOPORT" >/dev/null
done
parallel "$K" define "$root/${prefix}m@I@.xml"
par_all "$K different domains defined at once" "$K" "^Domain '${prefix}m[0-9]' defined from "
expect "all $K listed" "$(vkr list --all --name | grep -c "^${prefix}m")" "$K"
parallel "$K" start "${prefix}m@I@"
par_all "$K different domains started at once: all succeed" "$K" \
    "^Domain '${prefix}m[0-9]' started\$"
ids=()
ports=()
listening=0
for ((i = 1; i <= K; i++)); do
    m=${prefix}m$i
    ids+=("$(vkr domid "$m" 2>/dev/null | head -n 1)")
    port=$(vkr dumpxml "$m" 2>/dev/null |
        sed -nE "s/.*<graphics type='vnc' port='([0-9]+)'.*/\1/p")
    ports+=("$port")
    if [ -n "$port" ] && innet ss -Hltn "sport = :$port" | grep -q LISTEN; then
        listening=$((listening + 1))
    fi
done
expect "each has a qemu" "$(pgrep -fc -- "-name guest=${prefix}m")" "$K"
distinct_ids=$(printf '%s\n' "${ids[@]}" | grep -E '^[1-9][0-9]*$' | sort -u | wc -l)
expect "distinct ids (${ids[*]})" "$distinct_ids" "$K"
distinct_ports=$(printf '%s\n' "${ports[@]}" | grep -E '^59[0-9][0-9]$' | sort -u | wc -l)
expect "distinct VNC autoports (${ports[*]})" "$distinct_ports" "$K"
expect "every qemu listens on its port" "$listening" "$K"
parallel "$K" destroy "${prefix}m@I@"
par_all "$K different domains destroyed at once: all succeed" "$K" \
    "^Domain '${prefix}m[0-9]' destroyed\$"
expect "no qemu left" "$(pgrep -fc -- "guest=$prefix")" 0

vkq_done
