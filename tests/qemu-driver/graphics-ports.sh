#!/usr/bin/env bash
# Graphics ports at start: what libvirt refuses (several graphics devices of one type) is
# refused before any port is reserved, so that thousands of <graphics> cost nothing and leave
# nothing; the ports of all graphics devices are reserved together, all or none.
#
# usage: graphics-ports.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init graphics-ports "${1:-}"
vkq_private_net

reservations=$root/run/qemu/ports/reservations

# The reservation lines of guest NAME, one port a line.
reserved_by() {
    awk -v owner="$1" '!/^#/ && $3 == owner { print $1 }' "$reservations" 2>/dev/null
}

# ---- 2,000 VNC servers: libvirt's error, at once, nothing reserved ----
many=${prefix}many
devices=$(for _ in $(seq 2000); do printf "<graphics type='vnc' autoport='yes'/>"; done)
xml=$(domxml "$many" "$virt_type" "$devices")
assert "a definition with 2,000 VNC servers is accepted (libvirt refuses only at start)" \
    timeout 10 "${vk_wrap[@]}" "$vk" -c "$uri" define "$xml"
out=$(timeout 10 "${vk_wrap[@]}" "$vk" -c "$uri" start "$many" 2>&1)
rc=$?
if [ "$rc" -eq 124 ]; then
    fail "its start is refused promptly" "no answer within 10 s"
else
    pass "its start is refused promptly"
fi
expect "with libvirt's error" "$rc: $(grep . <<<"$out")" "1: error: Failed to start domain '$many'
error: unsupported configuration: only 1 graphics device of each type (sdl, vnc, spice, headless, dbus) is supported"
expect "no port reserved for it" "$(reserved_by "$many" | wc -l)" 0
expect "no qemu runs for it" "$(qemu_count "$many")" 0
expect "no run files left" "$(stale_run_files "$many")" ""
expect "it is shut off" "$(state_of "$many")" "shut off (unknown)"
assert "undefine" vkr undefine "$many"

two=${prefix}two
vkr define "$(domxml "$two" "$virt_type" "<graphics type='vnc' port='5999'/>$VNC_AUTOPORT")" \
    >/dev/null
check "two VNC servers, one on a fixed port: refused alike" 1 start "$two" <<EOF

error: Failed to start domain '$two'
error: unsupported configuration: only 1 graphics device of each type (sdl, vnc, spice, headless, dbus) is supported
EOF
expect "no port reserved for it" "$(reserved_by "$two")" ""

# ---- VNC and SPICE: both get a port, in one reservation ----
if timeout 20 qemu-system-x86_64 -spice help 2>/dev/null | grep -q '^spice options'; then
    both=${prefix}both
    vkr define "$(domxml "$both" "$virt_type" \
        "$VNC_AUTOPORT<graphics type='spice' autoport='yes'/>")" >/dev/null
    check "VNC and SPICE: start" 0 start "$both" <<EOF
Domain '$both' started

EOF
    live=$(vkr dumpxml "$both" 2>&1)
    vport=$(sed -nE "s/.*<graphics type='vnc' port='([0-9]+)'.*/\1/p" <<<"$live")
    sport=$(sed -nE "s/.*<graphics type='spice' port='([0-9]+)'.*/\1/p" <<<"$live")
    if [[ "$vport" =~ ^59[0-9][0-9]$ && "$sport" =~ ^59[0-9][0-9]$ && "$vport" != "$sport" ]]; then
        pass "VNC ($vport) and SPICE ($sport) got ports of their own"
    else
        fail "VNC and SPICE got ports of their own" "$live"
    fi
    expect "both are reserved for the guest" "$(reserved_by "$both" | sort)" \
        "$(printf '%s\n' "$vport" "$sport" | sort)"
    pid=$(status_pid "$both")
    cmd_re "qemu has the VNC display" ":$((${vport:-5900} - 5900))(,|\$)" qemu_arg "$pid" -vnc
    cmd_re "qemu has the SPICE port" "^port=$sport," qemu_arg "$pid" -spice

    # A second guest whose fixed SPICE port the first holds: refused, and its VNC port,
    # reserved in the same step, is not kept either.
    clash=${prefix}clash
    vkr define "$(domxml "$clash" "$virt_type" \
        "$VNC_AUTOPORT<graphics type='spice' port='$sport'/>")" >/dev/null
    out=$(vkr start "$clash" 2>&1)
    if grep -q "Failed to reserve port $sport" <<<"$out"; then
        pass "a SPICE port the other guest holds is refused"
    else
        fail "a SPICE port the other guest holds is refused" "$out"
    fi
    expect "nothing reserved for the refused guest" "$(reserved_by "$clash")" ""
    check "VNC and SPICE: destroy" 0 destroy "$both" <<EOF
Domain '$both' destroyed

EOF
    expect "its ports are given back" "$(reserved_by "$both")" ""
else
    skip "VNC and SPICE in one guest" "this qemu has no SPICE support"
fi

vkq_done
