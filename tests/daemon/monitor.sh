#!/usr/bin/env bash
# `virsh qemu-monitor-command` through virtkitd (the QEMU program): QMP as written, with
# qemu's whole reply back (its errors included, as libvirt hands them back), --pretty, --hmp,
# and the refusals: a guest that is not running, a read-only connection.
# usage: monitor.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init monitor "$1" "$2"
if ! command -v virsh >/dev/null; then
    echo "1..0 # SKIP virsh is not installed"
    exit 0
fi
g=${prefix}mon
domxml "$g" >/dev/null
vkd_start || {
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
}
vsh define "$root/$g.xml" >/dev/null

# check_re DESC GOT REGEX
check_re() {
    if [[ $2 =~ $3 ]]; then
        pass "$1"
    else
        fail "$1" "got: $2" "want (regex): $3"
    fi
}

out=$(vsh qemu-monitor-command "$g" '{"execute":"query-status"}' 2>&1)
expect "shut off guest: refused" "$out" \
    "error: Requested operation is not valid: domain is not running"

vsh start "$g" >/dev/null
out=$(vsh qemu-monitor-command "$g" '{"execute":"query-status"}' 2>&1)
check_re "QMP: the whole reply" "$out" \
    '^\{"return":\{"status":"running","singlestep":false,"running":true\},"id":"[^"]+"\}$'
out=$(vsh qemu-monitor-command "$g" --pretty '{"execute":"query-status"}' 2>&1)
check_re "QMP --pretty" "$out" $'^\\{\n  "return": \\{\n    "status": "running",'
out=$(vsh qemu-monitor-command "$g" '{"execute":"nosuch"}' 2>&1)
rc=$?
check_re "QMP: qemu's error is the reply, not a failure" "$rc $out" \
    '^0 \{.*"error":\{"class":"CommandNotFound","desc":"The command nosuch has not been found"\}'
# qemu ends the human monitor's lines with CR LF, which virsh passes on
out=$(vsh qemu-monitor-command "$g" --hmp 'info status' 2>&1 | tr -d '\r')
expect "HMP: the command's output" "$out" "VM status: running"
out=$(vsh qemu-monitor-command "$g" '{"execute":"stop"}' 2>&1)
check_re "QMP stop" "$out" '^\{"return":\{\},"id":'
out=$(vsh qemu-monitor-command "$g" --hmp 'info status' 2>&1 | tr -d '\r')
expect "HMP sees what QMP did" "$out" "VM status: paused"
out=$(virsh -c "${duri/%-sock/-sock-ro}" qemu-monitor-command "$g" '{"execute":"query-status"}' \
    2>&1)
expect "read-only connection: refused" "$out" \
    "error: operation forbidden: read only access prevents virDomainQemuMonitorCommand"
out=$(vsh qemu-monitor-command nosuch-$$ '{"execute":"query-status"}' 2>&1)
expect "missing guest" "$(echo "$out" | head -n 1)" \
    "error: failed to get domain 'nosuch-$$'"

vsh destroy "$g" >/dev/null 2>&1
vkd_stop || fail "virtkitd exits cleanly"
vkq_done
