#!/usr/bin/env bash
# virtkitd as a process, driven with Debian's virsh and python3-libvirt: virtkitd.conf errors
# (unknown keys, bad values) stop it before it binds anything, one daemon per root, SIGTERM and
# SIGINT leave guests running, -d/-p/-t, systemd socket activation, a daemon and embedded
# virtkit processes on one root seeing the same truth, and a kill -9 of the daemon with three
# guests running and ten clients connected. TAP output.
# usage: process.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init process "$1" "$2"
hold=$(dirname "$(realpath "$0")")/hold-client.py
for tool in virsh qemu-system-x86_64; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done

# ---- virtkitd.conf ----

# conf_fails DESC TEXT NEEDLE: virtkitd with TEXT as its configuration refuses to start, says
# NEEDLE (a fixed string) on stderr, and leaves no socket behind.
conf_fails() {
    local desc=$1 text=$2 needle=$3 croot=$root/conf-root out rc
    rm -rf "$croot"
    mkdir -p "$croot"
    printf '# a comment first, so that the line number counts\n%s\n' "$text" >"$root/c.conf"
    out=$("$vkd" --root "$croot" -f "$root/c.conf" 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] && grep -qF -- "$needle" <<<"$out" && [ ! -e "$croot/run/virtkit-sock" ]; then
        pass "$desc"
    else
        fail "$desc" "rc=$rc, want non-zero and '$needle'; got:" "$out"
    fi
}

conf_fails "unknown key named with its line" 'listen_tcpp = 1' \
    "c.conf:2: unknown setting 'listen_tcpp'"
conf_fails "libvirtd-only key named as such" 'mdns_adv = 1' \
    "c.conf:2: 'mdns_adv' is a libvirtd setting that virtkitd does not support"
conf_fails "string where a number belongs" 'max_clients = "many"' \
    "c.conf:2: expected an unsigned integer for 'max_clients' parameter"
conf_fails "zero workers" 'max_workers = 0' "c.conf:2: max_workers: 'max_workers' must be greater than 0"
conf_fails "bad permissions" 'unix_sock_rw_perms = "0999"' \
    "c.conf:2: unix_sock_rw_perms: Failed to parse mode '0999'"
conf_fails "sasl is not offered" 'auth_unix_ro = "sasl"' \
    "c.conf:2: auth_unix_ro: unsupported auth sasl"
conf_fails "plain TCP only with auth_tcp none said" 'listen_tcp = 1' \
    "c.conf:2: listen_tcp: plain TCP needs auth_tcp = \"none\""
conf_fails "placeholder host UUID" 'host_uuid = "00000000-0000-0000-0000-000000000000"' \
    "c.conf:2: host_uuid: invalid host UUID"
conf_fails "port out of range" 'tls_port = "99999"' "c.conf:2: tls_port: invalid port '99999'"
conf_fails "keepalive interval 0" 'keepalive_interval = 0' "c.conf:2: keepalive_interval"
conf_fails "a list for a string" 'listen_addr = [ "::1" ]' \
    "c.conf:2: expected a string for 'listen_addr' parameter"
conf_fails "syntax error" 'max_clients = ' "c.conf:2: expecting a value"
out=$("$vkd" --root "$root/conf-root" -f "$root/no-such.conf" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -qF "$root/no-such.conf" <<<"$out"; then
    pass "a missing -f file is an error"
else
    fail "a missing -f file is an error" "rc=$rc" "$out"
fi
refute "an unknown option is refused" "$vkd" --bogus

# ---- one daemon per root; signals leave guests running ----

if vkd_start; then
    pass "starts on a fresh root"
else
    fail "starts on a fresh root" "$(cat "$root/virtkitd.log")"
    vkq_done
fi
out=$("$vkd" --root "$root" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -qF "another virtkitd already serves this root" <<<"$out"; then
    pass "a second daemon on the same root is refused"
else
    fail "a second daemon on the same root is refused" "rc=$rc" "$out"
fi
assert "the first one still serves" vsh list --all

g1=${prefix}g1
assert "define through the daemon" vsh define "$(domxml "$g1")"
assert "start through the daemon" vsh start "$g1"
qpid=$(status_pid "$g1")
for sig in TERM INT; do
    if vkd_stop "$sig"; then
        pass "SIG$sig: clean exit"
    else
        fail "SIG$sig: clean exit" "$(tail -n 5 "$root/virtkitd.log")"
    fi
    if proc_alive "$qpid"; then
        pass "SIG$sig: the guest keeps running"
    else
        fail "SIG$sig: the guest keeps running"
    fi
    if [ ! -e "$sock" ] && [ ! -e "$root/run/virtkit-sock-ro" ] && [ ! -e "$root/run/virtkitd.pid" ]; then
        pass "SIG$sig: sockets and pid file removed"
    else
        fail "SIG$sig: sockets and pid file removed" "$(ls -l "$root/run")"
    fi
    vkd_start
    expect "SIG$sig: a restarted daemon reports the guest running" "$(vsh_state "$g1")" \
        "running (booted)"
done

# ---- the embedded library and the daemon on one root ----

assert "embedded virtkit destroys the daemon's guest" vkr destroy "$g1"
expect "the daemon sees it destroyed" "$(vsh_state "$g1")" "shut off (destroyed)"
assert "the daemon starts it again" vsh start "$g1"
expect "embedded virtkit sees it running" "$(state_of "$g1")" "running (booted)"
g2=${prefix}g2
assert "embedded virtkit defines another" vkr define "$(domxml "$g2")"
has_line "embedded listing" " -    $g2   shut off" list --all
if vsh list --all --name | grep -qxF "$g2"; then
    pass "the daemon lists what embedded virtkit defined"
else
    fail "the daemon lists what embedded virtkit defined" "$(vsh list --all 2>&1)"
fi
# The daemon keeps what it parsed (or wrote) while the file stays the same: a definition that
# another process replaces is read anew, whatever the daemon read or wrote of it before.
for step in vkr:96 vsh:128 vkr:160; do
    who=${step%%:*} mib=${step#*:}
    vsh dumpxml "$g2" >/dev/null
    vsh dumpxml --inactive "$g2" | sed "s|<memory unit='KiB'>[0-9]*<|<memory unit='MiB'>$mib<|" \
        >"$root/$g2-new.xml"
    assert "$who redefines it with $mib MiB" "$who" define "$root/$g2-new.xml"
    for reader in vsh vkr; do
        if "$reader" dumpxml "$g2" | grep -qF "<memory unit='KiB'>$((mib * 1024))</memory>"; then
            pass "$reader dumpxml after $who's define has its $mib MiB"
        else
            fail "$reader dumpxml after $who's define has its $mib MiB" \
                "$("$reader" dumpxml "$g2" 2>&1)"
        fi
    done
done
# Looked up and dumped in the daemon's main loop when only files are read; a running guest's
# qemu is asked, on a worker: both give what the guest is.
if vsh dumpxml "$g1" | grep -qE "^<domain type='[a-z]+' id='[0-9]+'>"; then
    pass "the daemon's dumpxml of a running guest has its id"
else
    fail "the daemon's dumpxml of a running guest has its id" "$(vsh dumpxml "$g1" 2>&1)"
fi
assert "the daemon undefines it" vsh undefine "$g2"
lacks_re "embedded virtkit no longer has it" "$g2" list --all --name
if vsh dumpxml "$g2" 2>&1 | grep -qF "failed to get domain '$g2'"; then
    pass "the daemon no longer finds it"
else
    fail "the daemon no longer finds it" "$(vsh dumpxml "$g2" 2>&1)"
fi

# ---- kill -9 of the daemon with guests running and clients connected ----

g3=${prefix}g3
g4=${prefix}g4
for g in "$g3" "$g4"; do
    vsh define "$(domxml "$g")" >/dev/null && vsh start "$g" >/dev/null
done
expect "three guests running" "$(vsh list --state-running --name | grep -c "^$prefix")" 3
declare -A before
for g in "$g1" "$g3" "$g4"; do
    before[$g]=$(status_pid "$g")
done
clients=()
for i in $(seq 10); do
    /usr/bin/python3 "$hold" "$duri" >"$root/client.$i" 2>&1 &
    clients+=($!)
done
for i in $(seq 10); do
    for _ in $(seq 600); do
        grep -q ready "$root/client.$i" && break
        sleep 0.05
    done
done
kill -9 "$vkd_pid"
wait "$vkd_pid" 2>/dev/null
vkd_pid=
ok=0
for i in $(seq 10); do
    wait "${clients[$((i - 1))]}" && grep -qE '^closed [0-9]+ ' "$root/client.$i" && ok=$((ok + 1))
done
expect "kill -9: ten clients get a closed-connection error" "$ok" 10
sed -n 's/^closed [0-9]* //p' "$root/client.1" | sed 's/^/# client 1: /'
alive=0
for g in "$g1" "$g3" "$g4"; do
    proc_alive "${before[$g]}" && alive=$((alive + 1))
done
expect "kill -9: the three guests keep running" "$alive" 3
if vkd_start; then
    pass "kill -9: a new daemon starts on the root (stale sockets replaced)"
else
    fail "kill -9: a new daemon starts on the root" "$(tail -n 5 "$root/virtkitd.log")"
fi
for g in "$g1" "$g3" "$g4"; do
    expect "kill -9: $g still running after the restart, same qemu" \
        "$(vsh_state "$g") $(status_pid "$g")" "running (booted) ${before[$g]}"
done
expect "kill -9: no definition lost" "$(vsh list --all --name | grep -c "^$prefix")" 3
for g in "$g1" "$g3" "$g4"; do
    vsh destroy "$g" >/dev/null
done
vkd_stop

# ---- -d, -p, -t ----

if "$vkd" --root "$root" -d -p "$root/custom.pid" >"$root/d.out" 2>&1; then
    pass "-d returns once the daemon serves"
else
    fail "-d returns once the daemon serves" "$(cat "$root/d.out")"
fi
dpid=$(cat "$root/custom.pid" 2>/dev/null)
vkq_pids+=("$dpid")
if [ -n "$dpid" ] && [ "$(cat "/proc/$dpid/comm" 2>/dev/null)" = virtkitd ]; then
    pass "-p names the pid file"
else
    fail "-p names the pid file" "pid '$dpid'"
fi
assert "the daemonized virtkitd serves" vsh list --all
kill "$dpid"
for _ in $(seq 600); do
    [ -e "/proc/$dpid" ] || break
    sleep 0.05
done
if [ ! -e "$root/custom.pid" ] && [ ! -e "$sock" ]; then
    pass "-d: SIGTERM removes the pid file and sockets"
else
    fail "-d: SIGTERM removes the pid file and sockets"
fi

# -t: exits once no client has been connected for the timeout; bounded only so that a broken
# daemon cannot hang the test.
"$vkd" --root "$root" -t 1 >>"$root/virtkitd.log" 2>&1 &
tpid=$!
vkq_pids+=("$tpid")
for _ in $(seq 600); do
    [ -e "/proc/$tpid" ] || break
    sleep 0.1
done
if wait "$tpid"; then
    pass "-t: exits cleanly when idle"
else
    fail "-t: exits cleanly when idle"
fi

# ---- systemd socket activation ----

if command -v systemd-socket-activate >/dev/null; then
    systemd-socket-activate -l "$sock" -l "$root/run/virtkit-sock-ro" \
        --fdname=virtkitd.socket:virtkitd-ro.socket "$vkd" --root "$root" \
        >>"$root/virtkitd.log" 2>&1 &
    apid=$!
    vkq_pids+=("$apid")
    for _ in $(seq 600); do
        [ -S "$root/run/virtkit-sock-ro" ] && break
        sleep 0.05
    done
    has_out=$(vsh list --all --name 2>&1)
    if grep -qxF "$g1" <<<"$has_out"; then
        pass "socket activation: served on the sockets systemd handed over"
    else
        fail "socket activation: served on the sockets systemd handed over" "$has_out"
    fi
    out=$(virsh -c "qemu+unix:///system?socket=$root/run/virtkit-sock-ro" undefine "$g1" 2>&1)
    if grep -qF "read only access prevents virDomainUndefine" <<<"$out"; then
        pass "socket activation: the -ro socket is read-only"
    else
        fail "socket activation: the -ro socket is read-only" "$out"
    fi
    kill "$apid"
    wait "$apid" 2>/dev/null
else
    skip "socket activation" "systemd-socket-activate is not installed"
fi

vkq_done
