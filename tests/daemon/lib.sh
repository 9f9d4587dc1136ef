# Shared helpers of the virtkitd script tests (sourced): the qemu driver tests' helpers (private
# root, guest XML, TAP, cleanup of the test's guests) plus a daemon on that root.
# shellcheck shell=bash
# shellcheck source=../qemu-driver/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-driver/lib.sh"

# vkd_init TEST VIRTKIT VIRTKITD: as vkq_init, and sets vkd and sock (the daemon's read-write
# socket on the root) and duri (what virsh opens to reach it).
vkd_init() {
    vkq_init "$1" "$2"
    vkd=$(realpath "${3:?usage: $1.sh VIRTKIT VIRTKITD}")
    sock=$root/run/virtkit-sock
    duri="qemu+unix:///system?socket=$sock"
    vkd_pid=
}

# vkd_start [ARGS...]: starts virtkitd on the root (stderr to ROOT/virtkitd.log) and waits until
# it serves (its pid file appears). Fails if it exits instead.
vkd_start() {
    rm -f "$root/run/virtkitd.pid"
    "$vkd" --root "$root" "$@" >>"$root/virtkitd.log" 2>&1 &
    vkd_pid=$!
    vkq_pids+=("$vkd_pid")
    local i
    for i in $(seq 600); do
        [ -s "$root/run/virtkitd.pid" ] && return 0
        kill -0 "$vkd_pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# vkd_stop [SIGNAL]: stops the daemon (SIGTERM by default) and returns its exit status.
vkd_stop() {
    local rc
    kill "-${1:-TERM}" "$vkd_pid" 2>/dev/null
    wait "$vkd_pid"
    rc=$?
    vkd_pid=
    return $rc
}

# vsh ARGS...: Debian's virsh against the daemon.
vsh() {
    virsh -c "$duri" "$@"
}

# vsh_state NAME: the first line of virsh's domstate --reason through the daemon.
vsh_state() {
    vsh domstate --reason "$1" 2>&1 | head -n 1
}
