#!/usr/bin/env bash
# Hung guests: a qemu stopped with SIGSTOP, or one whose monitor another client holds, must not
# stall the commands that only look (list, domstate, dominfo, dumpxml), neither for itself nor
# for the other guests; the looks report what is recorded, and everything recovers once qemu
# answers again. Each look runs under `timeout 5`, far above what a look takes and far below
# the 12 s per hung guest that a look used to wait.
#
# usage: hangs.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init hangs "${1:-}"
vkq_private_net

a=${prefix}a
b=${prefix}b
c=${prefix}c
off=${prefix}off
for d in "$a" "$b" "$c" "$off"; do
    vkr define "$(domxml "$d")" >/dev/null
done
for d in "$a" "$b" "$c"; do
    check "start $d" 0 start "$d" <<EOF
Domain '$d' started

EOF
done
declare -A pid id
for d in "$a" "$b" "$c"; do
    pid[$d]=$(status_pid "$d")
    id[$d]=$(vkr domid "$d" 2>/dev/null | head -n 1)
done
stopped=()

# Continues whatever the test stopped, so that cleanup can kill it.
# shellcheck disable=SC2317 # called by vkq_cleanup
vkq_cleanup_extra() {
    local p
    for p in "${stopped[@]}"; do
        kill -CONT "$p" 2>/dev/null
    done
}

# quick DESC REGEX COMMAND...: COMMAND finishes within 5 s, succeeds and prints a line that
# matches REGEX (ERE).
quick() {
    local desc=$1 re=$2 out rc
    shift 2
    out=$(timeout 5 "${vk_wrap[@]}" "$vk" -c "$uri" "$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 124 ]; then
        fail "$desc" "no answer within 5 s: $*"
    elif [ "$rc" -ne 0 ] || ! grep -qE -- "$re" <<<"$out"; then
        fail "$desc" "rc=$rc, no line matching '$re' in:" "$out"
    else
        pass "$desc"
    fi
}

# looks WHAT REASON GUEST...: the looking commands answer promptly for each GUEST, which is
# running for REASON (an ERE), and list --all shows every guest.
looks() {
    local what=$1 st="running \\($2\\)" d list
    shift 2
    for d in "$@"; do
        quick "$what: domstate --reason $d" "^$st\$" domstate --reason "$d"
        quick "$what: dominfo $d" "^State: +running\$" dominfo "$d"
        quick "$what: dumpxml $d (live, with its id)" "^<domain type='$virt_type' id='${id[$d]}'>\$" \
            dumpxml "$d"
    done
    list=$(timeout 5 "${vk_wrap[@]}" "$vk" -c "$uri" list --all 2>&1) ||
        list="(list --all failed or took more than 5 s: rc=$?)"$'\n'$list
    for d in "$a" "$b" "$c"; do
        if grep -qE "^ ${id[$d]} +$d +running\$" <<<"$list"; then
            pass "$what: list --all shows $d"
        else
            fail "$what: list --all shows $d" "$list"
        fi
    done
    if grep -qE "^ - +$off +shut off\$" <<<"$list"; then
        pass "$what: list --all shows the shut off guest"
    else
        fail "$what: list --all shows the shut off guest" "$list"
    fi
}

looks "all answer" booted "$a" "$b" "$c"

# ---- one qemu stopped ----
kill -STOP "${pid[$a]}"
stopped+=("${pid[$a]}")
looks "$a stopped" booted "$a" "$b" "$c"
check "$a stopped: another guest is suspended" 0 suspend "$b" <<EOF
Domain '$b' suspended

EOF
quick "$a stopped: that guest is paused (user)" "^paused \(user\)\$" domstate --reason "$b"
quick "$a stopped: list --all shows it paused" "^ ${id[$b]} +$b +paused\$" list --all
check "$a stopped: and resumed" 0 resume "$b" <<EOF
Domain '$b' resumed

EOF

# ---- every qemu stopped ----
kill -STOP "${pid[$b]}" "${pid[$c]}"
stopped+=("${pid[$b]}" "${pid[$c]}")
looks "all stopped" "booted|unpaused" "$a" "$b" "$c"
quick "all stopped: list --name" "^$c\$" list --name
quick "all stopped: list --state-running" "^ ${id[$c]} +$c +running\$" list --state-running

# ---- all continued: qemu's word counts again ----
kill -CONT "${pid[$a]}" "${pid[$b]}" "${pid[$c]}"
stopped=()
looks "all continued" "booted|unpaused" "$a"
check "all continued: suspend" 0 suspend "$a" <<EOF
Domain '$a' suspended

EOF
quick "all continued: paused (user)" "^paused \(user\)\$" domstate --reason "$a"
check "all continued: resume" 0 resume "$a" <<EOF
Domain '$a' resumed

EOF
if have_python; then
    # What qemu does on its own (here stopped from outside, as an I/O error would) is still
    # learnt from qemu when it answers.
    qmp_stop() {
        python3 - "$1" <<'EOF'
import json, socket, sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile("rw")
json.loads(f.readline())
for cmd in ("qmp_capabilities", "stop"):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    while "return" not in json.loads(f.readline()):
        pass
EOF
    }
    qmp_stop "$root/run/qemu/$c.monitor"
    quick "a guest paused behind the driver's back is seen paused" "^paused \(unknown\)\$" \
        domstate --reason "$c"
    check "and can be resumed" 0 resume "$c" <<EOF
Domain '$c' resumed

EOF

    # ---- a monitor held by another client (qemu serves one at a time) ----
    python3 - "$root/run/qemu/$b.monitor" "$root/held" <<'EOF' &
import socket, sys, time

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.recv(4096)
open(sys.argv[2], "w").close()
time.sleep(600)
EOF
    holder=$!
    vkq_pids+=("$holder")
    if wait_until 10 test -e "$root/held"; then
        pass "another client holds the monitor of $b"
    else
        fail "another client holds the monitor of $b"
    fi
    looks "$b's monitor held" "booted|unpaused" "$b" "$a"
    kill "$holder"
    wait "$holder" 2>/dev/null
    check "monitor released: $b can be suspended" 0 suspend "$b" <<EOF
Domain '$b' suspended

EOF
    quick "monitor released: paused (user)" "^paused \(user\)\$" domstate --reason "$b"
else
    skip "a guest paused behind the driver's back is seen paused" "no python3"
    skip "a monitor held by another client" "no python3"
fi

for d in "$a" "$b" "$c"; do
    check "destroy $d" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
    expect "no qemu of $d left" "$(qemu_count "$d")" 0
done

vkq_done
