#!/usr/bin/env bash
# Issue 6 §1-§3 beyond the happy path: refused starts leave nothing behind, port allocation under
# conflict, crash and concurrency, and the address, socket, none and password listens.
#
# usage: errors.sh VIRTKIT
set -u
. "$(dirname "$0")/lib.sh"
gfx_init "${1:-}" errors

host_add A
for step in "ip link add br0 type bridge" "ip addr add 198.51.100.1/24 dev br0" \
    "ip link set br0 up"; do
    # shellcheck disable=SC2086 # each step is a command line
    on A $step || {
        echo "Bail out! setup step failed: $step"
        exit 1
    }
done
root=${gfx_root[A]}
spice_ok=no
if timeout 20 qemu-system-x86_64 -spice help 2>/dev/null | grep -q '^spice options'; then
    spice_ok=yes
fi

for net in example-net sleepy; do
    cat >"$gfx_tmp/$net.xml" <<EOF
<network>
  <name>$net</name>
  <forward mode='bridge'/>
  <bridge name='br0'/>
</network>
EOF
done
vkok A "define example-net and sleepy, start only example-net" \
    "net-define $gfx_tmp/example-net.xml; net-define $gfx_tmp/sleepy.xml; net-start example-net"

# vnc_on NAME NETWORK [ATTRS]: a guest with one VNC server on a network listen.
vnc_on() {
    domxml "$gfx_tmp/$1.xml" "$1" "" \
        "<graphics type='vnc' ${3:-autoport='yes'}>" \
        "  <listen type='network' network='$2'/>" \
        "</graphics>"
}

# left_behind DESC NAME: a guest whose start failed left no qemu, no live state, no ports.
left_behind() {
    local f found=
    if qemu_alive A "$2"; then
        fail "$1: no qemu runs"
    else
        pass "$1: no qemu runs"
    fi
    for f in "$2.xml" "$2.pid" "$2.monitor"; do
        [ -e "$root/run/qemu/$f" ] && found="$found $f"
    done
    is "$1: no status, pid or monitor file" "" "$found"
    is "$1: no port reservation left" "" "$(reservations A)"
    vkrun A domstate "$2"
    is "$1: the guest is shut off" "shut off" "$out"
}

# port_of NAME [TYPE]: the port the live XML shows.
port_of() {
    vkon A dumpxml "$1" 2>/dev/null | xml_attr "devices/graphics[@type='${2:-vnc}']@port"
}

# ---- a missing network ----
vnc_on g-nope nope
vkok A "define g-nope (listen on network 'nope')" define "$gfx_tmp/g-nope.xml"
vkrun A start g-nope
is "g-nope: start exits 1" 1 "$rc"
is "g-nope: virsh's error, naming the network" \
    "$(printf "error: Failed to start domain 'g-nope'\nerror: Network not found: no network with matching name 'nope'")" \
    "$err"
is "g-nope: nothing on stdout" "" "$out"
left_behind g-nope g-nope

# The first listen resolves and reserves a port before the second one fails.
domxml "$gfx_tmp/g-half.xml" g-half "" \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>" \
    "<graphics type='spice' autoport='yes'>" \
    "  <listen type='network' network='nope'/>" \
    "</graphics>"
vkok A "define g-half (VNC on example-net, SPICE on 'nope')" define "$gfx_tmp/g-half.xml"
vkrun A start g-half
is "g-half: start exits 1" 1 "$rc"
contains "g-half: the error names the network" "no network with matching name 'nope'" "$err"
left_behind g-half g-half

# ---- an inactive network ----
vnc_on g-sleepy sleepy
vkok A "define g-sleepy (listen on inactive network 'sleepy')" define "$gfx_tmp/g-sleepy.xml"
vkrun A start g-sleepy
is "g-sleepy: start exits 1" 1 "$rc"
contains "g-sleepy: the error names the network and says it is inactive" \
    "network 'sleepy' is not active" "$err"
left_behind g-sleepy g-sleepy

# ---- a fixed port that is taken ----
vnc_on g-fixed example-net "port='5922'"
vnc_on g-fixed2 example-net "port='5922'"
vkok A "define g-fixed and g-fixed2, both on port 5922" \
    "define $gfx_tmp/g-fixed.xml; define $gfx_tmp/g-fixed2.xml"

hold_port A 198.51.100.1 5922
vkrun A start g-fixed
is "port 5922 held by another program: start exits 1" 1 "$rc"
contains "port 5922 held by another program: the error names the port" "port 5922" "$err"
printf '%s\n' "$err" | sed 's/^/# /'
left_behind "port 5922 held by another program" g-fixed
kill "$held_pid" 2>/dev/null
wait "$held_pid" 2>/dev/null

vkok A "g-fixed starts once the port is free" start g-fixed
vkrun A start g-fixed2
is "port 5922 held by g-fixed: g-fixed2's start exits 1" 1 "$rc"
contains "port 5922 held by g-fixed: the error names the port" "port 5922" "$err"
printf '%s\n' "$err" | sed 's/^/# /'
if qemu_alive A g-fixed2; then
    fail "g-fixed2: no qemu runs"
else
    pass "g-fixed2: no qemu runs"
fi
vkrun A domstate g-fixed
is "g-fixed is still running" running "$out"
answers_rfb "g-fixed still answers at 198.51.100.1 port 5922" A 198.51.100.1 5922
is "only g-fixed's reservation" "5922 display g-fixed" "$(reservations A)"
vkok A "destroy g-fixed" destroy g-fixed
vkok A "g-fixed2 starts on 5922 after g-fixed's destroy" start g-fixed2
answers_rfb "g-fixed2 answers at 198.51.100.1 port 5922" A 198.51.100.1 5922
vkok A "destroy g-fixed2" destroy g-fixed2

# ---- destroy frees the port ----
vnc_on a1 example-net
vnc_on a2 example-net
vkok A "define a1 and a2 (autoport)" "define $gfx_tmp/a1.xml; define $gfx_tmp/a2.xml"
vkok A "start a1" start a1
is "a1 gets 5900" 5900 "$(port_of a1)"
vkok A "destroy a1" destroy a1
is "destroy a1: no reservation left" "" "$(reservations A)"
refuses "destroy a1: port 5900 is closed" A 198.51.100.1 5900
vkok A "start a2" start a2
is "a2 gets 5900 again" 5900 "$(port_of a2)"
vkok A "destroy a2" destroy a2

# ---- qemu killed: its ports come back ----
vkok A "start a1 again" start a1
pid=$(qemu_pid A a1)
is "a1 has 5900" 5900 "$(port_of a1)"
kill -9 "$pid"
for ((i = 0; i < 50; i++)); do
    [ "$(probe A tcp 198.51.100.1 5900)" = refused ] && break
    sleep 0.1
done
refuses "kill -9 of a1's qemu closed port 5900" A 198.51.100.1 5900
# The next start of another guest must not count a dead qemu's port as taken.
vkok A "start a2 after a1's qemu died" start a2
is "a2 gets 5900, the dead a1's port" 5900 "$(port_of a2)"
vkrun A domstate a1
is "a1 is seen as shut off" "shut off" "$out"
lacks "a1's reservation is gone" " a1" "$(reservations A)"
vkok A "destroy a2" destroy a2
is "no port reservation left after a crash and a destroy" "" "$(reservations A)"

# A fixed port of a guest whose qemu died: another guest asking for that port gets it.
vnc_on k1 example-net "port='5923'"
vnc_on k2 example-net "port='5923'"
vkok A "define k1 and k2, both on port 5923" "define $gfx_tmp/k1.xml; define $gfx_tmp/k2.xml"
vkok A "start k1" start k1
kill -9 "$(qemu_pid A k1)"
for ((i = 0; i < 50; i++)); do
    [ "$(probe A tcp 198.51.100.1 5923)" = refused ] && break
    sleep 0.1
done
vkrun A start k2
is "start k2 on 5923 after k1's qemu died" 0 "$rc"
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | sed 's/^/# /'
answers_rfb "k2 answers at 198.51.100.1 port 5923" A 198.51.100.1 5923
vkon A destroy k2 >/dev/null 2>&1
vkrun A domstate k1
is "k1 is seen as shut off" "shut off" "$out"
is "no port reservation left after k1 and k2" "" "$(reservations A)"

# Nothing in between: kill -9, then any virtkit call notices it.
vkok A "start a1 once more" start a1
kill -9 "$(qemu_pid A a1)"
for ((i = 0; i < 50; i++)); do
    [ "$(probe A tcp 198.51.100.1 5900)" = refused ] && break
    sleep 0.1
done
vkok A "list --all after a1's qemu died" list --all
is "list --all: a1's reservation is gone" "" "$(reservations A)"

# ---- concurrent starts with autoport ----
for g in c1 c2 c3 c4; do
    vnc_on "$g" example-net
    vkon A define "$gfx_tmp/$g.xml" >/dev/null
done
for g in c1 c2 c3 c4; do
    vkon A start "$g" >"$gfx_tmp/$g.out" 2>&1 &
done
wait
ports=()
for g in c1 c2 c3 c4; do
    vkrun A domstate "$g"
    is "concurrent: $g started" running "$out"
    p=$(port_of "$g")
    like "concurrent: $g got a port" '^59[0-9][0-9]$' "$p"
    answers_rfb "concurrent: $g answers at 198.51.100.1 port $p" A 198.51.100.1 "${p:-1}"
    ports+=("$p")
done
is "concurrent: four distinct ports" 4 "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)"
is "concurrent: they are 5900-5903" "5900 5901 5902 5903" "$(printf '%s\n' "${ports[@]}" | sort -n | xargs)"
is "concurrent: four reservations" 4 "$(reservations A | wc -l)"
vkok A "destroy c1-c4" "destroy c1; destroy c2; destroy c3; destroy c4"

# ---- listen type='address' without an address, or no listen at all: the default ----
domxml "$gfx_tmp/d-addr.xml" d-addr "" \
    "<graphics type='vnc' autoport='yes'>" \
    "  <listen type='address'/>" \
    "</graphics>"
domxml "$gfx_tmp/d-bare.xml" d-bare "" "<graphics type='vnc' port='5950'/>"
vkok A "define and start d-addr (empty address listen) and d-bare (no listen)" \
    "define $gfx_tmp/d-addr.xml; define $gfx_tmp/d-bare.xml; start d-addr; start d-bare"
for g in d-addr d-bare; do
    p=$(port_of "$g")
    d=$((${p:-0} - 5900))
    vnc=$(qemu_opt A "$g" -vnc)
    is "$g: qemu has -vnc 127.0.0.1:$d" "127.0.0.1:$d" "${vnc%%,*}"
    answers_rfb "$g: VNC answers at 127.0.0.1 port $p" A 127.0.0.1 "$p"
    refuses "$g: nothing at 198.51.100.1 port $p" A 198.51.100.1 "$p"
    vkrun A -q domdisplay "$g"
    is "$g: domdisplay" "vnc://127.0.0.1:$d" "$out"
    vkrun A -q vncdisplay "$g"
    is "$g: vncdisplay" "127.0.0.1:$d" "$out"
    vkrun A dumpxml "$g"
    contains "$g: live XML has the default address" \
        "<listen type='address' address='127.0.0.1'/>" "$out"
    # libvirt leaves out an address that came from qemu.conf, not from the definition, in
    # the inactive and the migratable form alike.
    for flag in --inactive --migratable; do
        vkrun A dumpxml $flag "$g"
        lacks "$g: dumpxml $flag has no address from qemu.conf" 127.0.0.1 "$out"
    done
    schema_dumps A "$g"
done
is "d-bare: its fixed port" 5950 "$(port_of d-bare)"
vkok A "destroy d-addr and d-bare" "destroy d-addr; destroy d-bare"

# An IPv6 address given in the definition.
domxml "$gfx_tmp/d-v6.xml" d-v6 "" "<graphics type='vnc' autoport='yes' listen='::1'/>"
vkok A "define and start d-v6 (listen='::1')" "define $gfx_tmp/d-v6.xml; start d-v6"
vnc=$(qemu_opt A d-v6 -vnc)
is "d-v6: qemu has -vnc [::1]:0" "[::1]:0" "${vnc%%,*}"
answers_rfb "d-v6: VNC answers at ::1 port 5900" A ::1 5900
refuses "d-v6: nothing at 127.0.0.1 port 5900" A 127.0.0.1 5900
vkrun A -q domdisplay d-v6
is "d-v6: domdisplay brackets the address" "vnc://[::1]:0" "$out"
vkrun A dumpxml --inactive d-v6
contains "d-v6: the definition's own address stays in the inactive XML" \
    "<listen type='address' address='::1'/>" "$out"
vkok A "destroy d-v6" destroy d-v6

# qemu.conf's vnc_listen.
printf 'vnc_listen = "0.0.0.0"\n' >"$root/etc/qemu/qemu.conf"
vkok A "vnc_listen = \"0.0.0.0\": start d-addr" start d-addr
vnc=$(qemu_opt A d-addr -vnc)
is "vnc_listen 0.0.0.0: qemu has -vnc 0.0.0.0:0" "0.0.0.0:0" "${vnc%%,*}"
answers_rfb "vnc_listen 0.0.0.0: VNC answers at 127.0.0.1" A 127.0.0.1 5900
answers_rfb "vnc_listen 0.0.0.0: VNC answers at 198.51.100.1" A 198.51.100.1 5900
vkrun A -q domdisplay d-addr
is "vnc_listen 0.0.0.0: domdisplay says localhost, as virsh does" "vnc://localhost:0" "$out"
vkrun A -q vncdisplay d-addr
is "vnc_listen 0.0.0.0: vncdisplay prints only the display, as virsh does" ":0" "$out"
vkrun A dumpxml d-addr
contains "vnc_listen 0.0.0.0: live XML has 0.0.0.0" \
    "<listen type='address' address='0.0.0.0'/>" "$out"
vkrun A dumpxml --inactive d-addr
lacks "vnc_listen 0.0.0.0: inactive XML has no address" 0.0.0.0 "$out"
vkok A "destroy d-addr" destroy d-addr

printf '# a comment\nvnc_listen = "::"\n' >"$root/etc/qemu/qemu.conf"
vkok A "vnc_listen = \"::\": start d-addr" start d-addr
vnc=$(qemu_opt A d-addr -vnc)
is "vnc_listen ::: qemu has -vnc [::]:0" "[::]:0" "${vnc%%,*}"
answers_rfb "vnc_listen ::: VNC answers at ::1" A ::1 5900
vkrun A -q domdisplay d-addr
is "vnc_listen ::: domdisplay says localhost" "vnc://localhost:0" "$out"
vkok A "destroy d-addr" destroy d-addr

if [ "$spice_ok" = yes ]; then
    printf 'spice_listen = "198.51.100.1"\n' >"$root/etc/qemu/qemu.conf"
    domxml "$gfx_tmp/d-spice.xml" d-spice "" "<graphics type='spice' autoport='yes'/>"
    vkok A "spice_listen = \"198.51.100.1\": start d-spice (no listen)" \
        "define $gfx_tmp/d-spice.xml; start d-spice"
    spice=$(qemu_opt A d-spice -spice)
    like "spice_listen: qemu has -spice port=5900,addr=198.51.100.1" \
        '^port=5900,addr=198\.51\.100\.1(,|$)' "$spice"
    is "spice_listen: SPICE answers at 198.51.100.1" REDQ "$(probe A spice 198.51.100.1 5900)"
    refuses "spice_listen: nothing at 127.0.0.1" A 127.0.0.1 5900
    vkok A "destroy d-spice" destroy d-spice
else
    skip "spice_listen" "this qemu has no SPICE support"
fi
# qemu.conf values that could not round-trip through the status file or would carry options
# onto qemu's command line: the start is refused, naming the setting and its line, and leaves
# nothing running; the guest stays listable and shut off.
for value in localhost 127.0.0.1,password=off; do
    printf '# hostile\nvnc_listen = "%s"\n' "$value" >"$root/etc/qemu/qemu.conf"
    vkrun A start d-addr
    is "vnc_listen = \"$value\": start refused" 1 "$rc"
    contains "vnc_listen = \"$value\": the error names the file, line and setting" \
        "$root/etc/qemu/qemu.conf:2: invalid listen address '$value' for 'vnc_listen'" "$err"
    left_behind "vnc_listen = \"$value\"" d-addr
    vkrun A list --all
    like "vnc_listen = \"$value\": list --all shows d-addr shut off" "d-addr +shut off" "$out"
    vkrun A destroy d-addr
    contains "vnc_listen = \"$value\": destroy says it is not running" \
        "domain is not running" "$err"
done
rm -f "$root/etc/qemu/qemu.conf"

# ---- listen type='socket' ----
domxml "$gfx_tmp/s-auto.xml" s-auto "" \
    "<graphics type='vnc'>" \
    "  <listen type='socket'/>" \
    "</graphics>"
domxml "$gfx_tmp/s-given.xml" s-given "" \
    "<graphics type='vnc'>" \
    "  <listen type='socket' socket='$gfx_tmp/given.sock'/>" \
    "</graphics>"
vkok A "define and start s-auto and s-given (socket listens)" \
    "define $gfx_tmp/s-auto.xml; define $gfx_tmp/s-given.xml; start s-auto; start s-given"
vkrun A dumpxml s-auto
sock=$(printf '%s' "$out" | xml_attr "devices/graphics/listen@socket")
like "s-auto: a generated socket in the run directory" "^$root/run/" "$sock"
contains "s-auto: live XML mirrors the socket on <graphics>" \
    "<graphics type='vnc' socket='$sock'>" "$out"
if [ -S "$sock" ]; then pass "s-auto: the socket exists"; else fail "s-auto: the socket exists"; fi
vnc=$(qemu_opt A s-auto -vnc)
is "s-auto: qemu has -vnc unix:PATH" "unix:$sock" "${vnc%%,*}"
answers_rfb "s-auto: VNC answers on the unix socket" A "$sock" 0
vkrun A -q domdisplay s-auto
is "s-auto: domdisplay" "vnc+unix://$sock" "$out"
vkrun A dumpxml --inactive s-auto
contains "s-auto: inactive XML has a bare socket listen" "<listen type='socket'/>" "$out"
lacks "s-auto: inactive XML has no generated path" "$root/run" "$out"
schema_dumps A s-auto
vnc=$(qemu_opt A s-given -vnc)
is "s-given: qemu has -vnc unix:$gfx_tmp/given.sock" "unix:$gfx_tmp/given.sock" "${vnc%%,*}"
answers_rfb "s-given: VNC answers on the given socket" A "$gfx_tmp/given.sock" 0
vkrun A dumpxml --inactive s-given
contains "s-given: the inactive XML keeps the given path" \
    "<listen type='socket' socket='$gfx_tmp/given.sock'/>" "$out"
is "socket listens reserve no port" "" "$(reservations A)"
vkok A "destroy s-auto and s-given" "destroy s-auto; destroy s-given"

# ---- listen type='none' ----
domxml "$gfx_tmp/n-none.xml" n-none "" \
    "<graphics type='vnc'>" \
    "  <listen type='none'/>" \
    "</graphics>"
vkok A "define and start n-none" "define $gfx_tmp/n-none.xml; start n-none"
is "n-none: qemu has -vnc none" none "$(qemu_opt A n-none -vnc | cut -d, -f1)"
pid=$(qemu_pid A n-none)
lacks "n-none: its qemu listens on no TCP port" "pid=$pid," "$(on A ss -Hltnp 2>/dev/null)"
vkrun A domdisplay n-none
is "n-none: domdisplay exits 1" 1 "$rc"
is "n-none: domdisplay's error" "error: No graphical display found" "$err"
is "n-none: no port reserved" "" "$(reservations A)"
schema_dumps A n-none
vkok A "destroy n-none" destroy n-none

# ---- a VNC password ----
domxml "$gfx_tmp/p-pw.xml" p-pw "" \
    "<graphics type='vnc' autoport='yes' passwd='secret'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
vkok A "define and start p-pw (passwd='secret')" "define $gfx_tmp/p-pw.xml; start p-pw"
vnc=$(qemu_opt A p-pw -vnc)
like "p-pw: qemu has -vnc 198.51.100.1:0,...password=on" \
    '^198\.51\.100\.1:0,(.*,)?password=on(,|$)' "$vnc"
lacks "p-pw: the password is not on qemu's command line" secret "$(qemu_cmdline A p-pw)"
lacks "p-pw: nor in qemu's log" secret "$(cat "$root/log/qemu/p-pw.log" 2>/dev/null)"
is "p-pw: the server offers only VNC authentication (2), not None (1)" 2 \
    "$(probe A auth 198.51.100.1 5900)"
got=$(probe A vncauth:secret 198.51.100.1 5900)
if [ "$got" = no-des ]; then
    skip "p-pw: the password set over QMP opens the server" "no DES implementation at hand"
    skip "p-pw: a wrong password does not" "no DES implementation at hand"
else
    is "p-pw: the password set over QMP opens the server" ok "$got"
    is "p-pw: a wrong password does not" failed "$(probe A vncauth:wrong 198.51.100.1 5900)"
fi
vkrun A dumpxml p-pw
lacks "p-pw: dumpxml hides the password" secret "$out"
vkrun A dumpxml --security-info p-pw
contains "p-pw: dumpxml --security-info shows it" "passwd='secret'" "$out"
vkrun A -q domdisplay p-pw
is "p-pw: domdisplay without the password" "vnc://198.51.100.1:0" "$out"
vkrun A -q domdisplay --include-password p-pw
is "p-pw: domdisplay --include-password" "vnc://:secret@198.51.100.1:0" "$out"
schema_dumps A p-pw
vkok A "destroy p-pw" destroy p-pw

# ---- a websocket port ----
domxml "$gfx_tmp/w-ws.xml" w-ws "" \
    "<graphics type='vnc' autoport='yes' websocket='-1'>" \
    "  <listen type='network' network='example-net'/>" \
    "</graphics>"
vkok A "define and start w-ws (websocket='-1')" "define $gfx_tmp/w-ws.xml; start w-ws"
vkrun A dumpxml w-ws
ws=$(printf '%s' "$out" | xml_attr "devices/graphics@websocket")
is "w-ws: the websocket port comes from 5700" 5700 "$ws"
like "w-ws: qemu has websocket=5700" '(^|,)websocket=5700(,|$)' "$(qemu_opt A w-ws -vnc)"
is "w-ws: the websocket port is open at 198.51.100.1" open "$(probe A tcp 198.51.100.1 5700)"
refuses "w-ws: nothing at 127.0.0.1 port 5700" A 127.0.0.1 5700
vkrun A dumpxml --inactive w-ws
contains "w-ws: inactive XML keeps websocket='-1'" "websocket='-1'" "$out"
vkok A "destroy w-ws" destroy w-ws
is "no port reservation left at the end" "" "$(reservations A)"

gfx_done
