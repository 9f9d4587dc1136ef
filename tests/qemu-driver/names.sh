#!/usr/bin/env bash
# Hostile and extreme names through every shell command that takes one, on qemu:///embed and
# test:///default: a clear error, exit 1, and no file outside the root read or written. Then
# what the name rules allow: a title with a carriage return and names of the longest length
# define, list, start and go again.
#
# usage: names.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init names "${1:-}"
vkq_private_net

# ---- the bait: a file outside the root that a traversal would reach ----
bait=$(mktemp -d /tmp/vkq-names-bait-XXXXXX)
# shellcheck disable=SC2317 # called by vkq_cleanup
vkq_cleanup_extra() {
    rm -rf "$bait"
}
printf 'root:SECRET\n' >"$bait/leak.xml"
# From ROOT/etc/qemu (or ROOT/run/network, ...) up to / and down to the bait: as the issue's
# ../../../../tmp/leak, for a root of any depth.
up=$(echo "$root/etc/qemu" | sed -E 's|/[^/]+|../|g; s|/$||')
traversal="$up$bait/leak"
long300=$(printf 'n%.0s' $(seq 300))
long240=$(printf 'n%.0s' $(seq 240))
hostile=("$traversal" "a/b" $'x\ty' $'a\nb' $'a\rb' ".hidden" ".." "$long300" "$long240")

# shellcheck disable=SC2317 # called through assert
bait_untouched() {
    [ "$(ls -A "$bait")" = "leak.xml" ] && [ "$(cat "$bait/leak.xml")" = "root:SECRET" ]
}

# refused DESC URI WANT COMMAND...: exit 1, an error line containing WANT, no secret.
refused() {
    local desc=$1 u=$2 want=$3 out rc
    shift 3
    out=$("${vk_wrap[@]}" "$vk" -c "$u" "$@" 2>&1)
    rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "$desc" "exit $rc, want 1:" "$out"
    elif grep -q SECRET <<<"$out"; then
        fail "$desc" "the output quotes the bait:" "$out"
    elif ! grep -qF -- "$want" <<<"$out"; then
        fail "$desc" "no '$want' in:" "$out"
    else
        pass "$desc"
    fi
}

label() {
    printf '%q' "$1" | cut -c 1-40
}

# ---- lookups by name: every command, both URIs ----
domcmds=(dominfo domstate dumpxml start destroy undefine shutdown reboot suspend resume
    domid domuuid domdisplay vncdisplay "autostart" "autostart --disable")
netcmds=(net-info net-dumpxml net-start net-destroy net-undefine net-uuid "net-autostart"
    "net-autostart --disable")
for u in "$uri" test:///default; do
    for name in "${hostile[@]}"; do
        for c in "${domcmds[@]}"; do
            # shellcheck disable=SC2086 # the command and its options
            refused "$u: $c $(label "$name")" "$u" "failed to get domain" $c "$name"
        done
        for c in "${netcmds[@]}"; do
            # shellcheck disable=SC2086
            refused "$u: $c $(label "$name")" "$u" "no network with matching name" $c "$name"
        done
    done
done
assert "nothing outside the root was read or written by the lookups" bait_untouched

# ---- definitions with a bad <name> ----
# The XML text of NAME: control characters and markup as character references.
xmltext() {
    python3 -c 'import sys; print("".join(c if 0x20 <= ord(c) != 0x7f and c not in "<>&\x27\"" else "&#%d;" % ord(c) for c in sys.argv[1]), end="")' "$1"
}
want_for() {
    case "$1" in
    */*) echo "cannot contain '/'" ;;
    *$'\t'*) printf '%s\n' 'invalid char in name: \t' ;;
    *$'\n'*) printf '%s\n' 'invalid char in name: \n' ;;
    *$'\r'*) printf '%s\n' 'invalid char in name: \r' ;;
    .*) echo "cannot start with '.'" ;;
    *) echo "more than the limit of 239" ;;
    esac
}
if have_python; then
    for u in "$uri" test:///default; do
        type=$virt_type
        [ "$u" = test:///default ] && type="test"
        for name in "${hostile[@]}"; do
            text=$(xmltext "$name")
            want=$(want_for "$name")
            printf "<domain type='%s'><name>%s</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os></domain>\n" \
                "$type" "$text" >"$root/bad.xml"
            printf '<network><name>%s</name></network>\n' "$text" >"$root/badnet.xml"
            netwant=$want
            [ "$want" = "cannot contain '/'" ] && netwant="invalid char in name: /"
            refused "$u: define $(label "$name")" "$u" "$want" define "$root/bad.xml"
            refused "$u: create $(label "$name")" "$u" "$want" create "$root/bad.xml"
            refused "$u: net-define $(label "$name")" "$u" "$netwant" net-define "$root/badnet.xml"
            refused "$u: net-create $(label "$name")" "$u" "$netwant" net-create "$root/badnet.xml"
        done
    done
    assert "nothing outside the root was read or written by the definitions" bait_untouched
else
    skip "definitions with bad names" "no python3"
fi
lacks_re "no domain appeared" "bad|hidden|nnnn" list --all --name
lacks_re "no network appeared" "bad|hidden|nnnn" net-list --all --name

# ---- network names inside a guest's XML: defined as libvirt does, refused at start ----
for dev in "<graphics type='vnc' autoport='yes'><listen type='network' network='$up$bait/leak'/></graphics>" \
    "<interface type='network'><source network='$up$bait/leak'/></interface>"; do
    d=${prefix}ref
    xml=$(domxml "$d" "$virt_type" "$dev")
    assert "a guest naming network '$up.../leak' defines" vkr define "$xml"
    refused "its start finds no such network" "$uri" "no network with matching name" start "$d"
    assert "and it undefines" vkr undefine "$d"
done
assert "nothing outside the root was read or written by the starts" bait_untouched

# ---- a carriage return: names refuse it, a title keeps it ----
printf '<network><name>a&#13;b</name></network>\n' >"$root/crnet.xml"
check "a network named a&#13;b is refused" 1 net-define "$root/crnet.xml" <<EOF

error: Failed to define network from ROOT/crnet.xml
error: invalid char in name: \r
EOF
d=${prefix}title
xml=$(domxml "$d")
sed -i "s|<name>$d</name>|<name>$d</name><title>a\&#13;b</title>|" "$xml"
check "a title with a carriage return defines" 0 define "$xml" <<EOF
Domain '$d' defined from ROOT/$d.xml

EOF
has_re "it is listed" "^ -  +$d +shut off\$" list --all
has_line "its title keeps the carriage return" "  <title>a&#13;b</title>" dumpxml "$d"
check "it undefines" 0 undefine "$d" <<EOF
Domain '$d' has been undefined

EOF
printf '<domain type="%s"><name>%s</name><title>a&#10;b</title><memory>65536</memory><os><type arch="x86_64">hvm</type></os></domain>\n' \
    "$virt_type" "${prefix}nl" >"$root/nltitle.xml"
check "a title with a newline is refused, as libvirt refuses it" 1 define "$root/nltitle.xml" <<EOF

error: Failed to define domain from ROOT/nltitle.xml
error: XML error: Domain title can't contain newlines
EOF

# ---- the longest names: 239 bytes define, start (their sockets get a short directory) ----
d=$prefix$(printf 'L%.0s' $(seq $((239 - ${#prefix}))))
xml=$(domxml "$d" "$virt_type" "<graphics type='vnc'><listen type='socket'/></graphics>")
assert "a name of 239 bytes defines" vkr define "$xml"
check "and starts" 0 start "$d" <<EOF
Domain '$d' started

EOF
expect "it runs" "$(state_of "$d")" "running (booted)"
sock=$(vkr dumpxml "$d" | sed -nE "s|.*<listen type='socket' socket='([^']+)'/>.*|\1|p")
if [ -S "$sock" ] && [ ${#sock} -lt 108 ]; then
    pass "its VNC socket fits a socket address: $sock"
else
    fail "its VNC socket fits a socket address" "socket '$sock'"
fi
has_re "another process finds it by its full name" '^[0-9]+$' domid "$d"
has_re "and lists it" "^ [0-9]+ +$d +running\$" list
check "it stops" 0 destroy "$d" <<EOF
Domain '$d' destroyed

EOF
if [ -e "$sock" ] || [ -d "$(dirname "$sock")" ] && [ "$(dirname "$sock")" != "$root/run/qemu" ]; then
    fail "its sockets and their directory are gone" "$(ls -la "$(dirname "$sock")" 2>&1)"
else
    pass "its sockets and their directory are gone"
fi
assert "no run files left" no_run_files "$d"
assert "it undefines" vkr undefine "$d"

# Names of 240 to 255 bytes would pass a file name limit and then fail on NAME.xml.XXXXXXXX.
for len in 240 245 255; do
    d=$prefix$(printf 'L%.0s' $(seq $((len - ${#prefix}))))
    printf "<domain type='%s'><name>%s</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os></domain>\n" \
        "$virt_type" "$d" >"$root/long.xml"
    refused "a name of $len bytes is refused up front" "$uri" \
        "domain name is $len bytes long, more than the limit of 239" define "$root/long.xml"
done

vkq_done
