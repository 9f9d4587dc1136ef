#!/usr/bin/env bash
# The files under a root, as a hostile or clumsy user leaves them: symbolic links in place of
# logs, locks, configs and status files, a root with a newline in its path or owned by another
# user, empty and corrupt files, temporaries of killed writers, and the sockets a guest leaves.
#
# usage: files.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init files "${1:-}"
vkq_private_net

bait=$(mktemp -d /tmp/vkq-files-bait-XXXXXX)
full=
# shellcheck disable=SC2317 # called by vkq_cleanup
vkq_cleanup_extra() {
    [ -n "$full" ] && umount "$full" 2>/dev/null
    rm -rf "$bait"
}
printf 'root:SECRET\n' >"$bait/leak.xml"
printf 'precious\n' >"$bait/target"

# no_secret DESC COMMAND...: COMMAND fails, and nothing it prints quotes the bait.
no_secret() {
    local desc=$1 out
    shift
    if out=$(vkr "$@" 2>&1); then
        fail "$desc" "succeeded:" "$out"
    elif grep -q SECRET <<<"$out"; then
        fail "$desc" "the output quotes the bait:" "$out"
    else
        pass "$desc"
    fi
}

# ---- symbolic links in the root ----
d=${prefix}log
xml=$(domxml "$d")
vkr define "$xml" >/dev/null
mkdir -p "$root/log/qemu"
ln -s "$bait/target" "$root/log/qemu/$d.log"
check "a start refuses a symlinked log" 1 start "$d" <<EOF

error: Failed to start domain '$d'
error: cannot open log file 'ROOT/log/qemu/$d.log': it is a symbolic link, which is refused here
EOF
expect "the link's target is untouched" "$(cat "$bait/target")" "precious"
expect "no qemu runs" "$(qemu_count "$d")" 0
has_re "the guest is shut off" "^shut off" domstate "$d"
rm "$root/log/qemu/$d.log"

d=${prefix}lock
xml=$(domxml "$d")
vkr define "$xml" >/dev/null
ln -s "$bait/created" "$root/run/qemu/$d.lock"
check "a start refuses a symlinked lock" 1 start "$d" <<EOF

error: Failed to start domain '$d'
error: cannot open lock file 'ROOT/run/qemu/$d.lock': it is a symbolic link, which is refused here
EOF
if [ -e "$bait/created" ]; then
    fail "the lock's link created no file" "$(ls -la "$bait")"
else
    pass "the lock's link created no file"
fi
rm "$root/run/qemu/$d.lock"

d=${prefix}conf
ln -s "$bait/leak.xml" "$root/etc/qemu/$d.xml"
no_secret "dumpxml of a symlinked config fails without quoting its target" dumpxml "$d"
lacks_re "list --all leaves it out" " $d " list --all
rm "$root/etc/qemu/$d.xml"

d=${prefix}status
xml=$(domxml "$d")
vkr define "$xml" >/dev/null
ln -s "$bait/leak.xml" "$root/run/qemu/$d.xml"
out=$(vkr dominfo "$d" 2>&1)
if grep -q SECRET <<<"$out"; then
    fail "a symlinked status file is not read" "$out"
else
    pass "a symlinked status file is not read"
fi
rm "$root/run/qemu/$d.xml"
expect "the bait is untouched" "$(find "$bait" -mindepth 1 -printf '%f ' | tr ' ' '\n' | sort | tr '\n' ' ')" "leak.xml target "

# ---- the root itself ----
check "a newline in the root (%0a) is refused" 1 -c "qemu:///embed?root=$root/x%0ay" list <<EOF
error: failed to connect to the hypervisor
error: invalid argument: root directory 'ROOT/x\ny' contains a control character
EOF
if compgen -G "$root/x*" >/dev/null; then
    fail "no directory was made for it" "$(ls "$root")"
else
    pass "no directory was made for it"
fi

if [ "$(id -u)" -eq 0 ]; then
    foreign=$root/foreign
    mkdir -p "$foreign/etc/qemu"
    chown -R 65534:65534 "$foreign"
    check "as root, a root owned by another user is refused" 1 -c "qemu:///embed?root=$foreign" list <<EOF
error: failed to connect to the hypervisor
error: operation forbidden: directory 'ROOT/foreign' is owned by uid 65534: running as root, virtkit keeps its state only in directories owned by root
EOF
    chown 0:0 "$foreign"
    check "and so is a state directory in it" 1 -c "qemu:///embed?root=$foreign" list <<EOF
error: failed to connect to the hypervisor
error: operation forbidden: directory 'ROOT/foreign/etc' is owned by uid 65534: running as root, virtkit keeps its state only in directories owned by root
EOF
else
    skip "a root owned by another user" "needs root"
fi

# ---- empty and corrupt files ----
: >"$root/empty.xml"
for u in "$uri" test:///default; do
    check "define of an empty file ($u)" 1 -c "$u" define "$root/empty.xml" <<EOF

error: Failed to define domain from ROOT/empty.xml
error: (domain_definition):1: Document is empty
EOF
    check "net-define of an empty file ($u)" 1 -c "$u" net-define "$root/empty.xml" <<EOF

error: Failed to define network from ROOT/empty.xml
error: (network_definition):1: Document is empty
EOF
done

d=${prefix}empty
xml=$(domxml "$d")
vkr define "$xml" >/dev/null
: >"$root/run/qemu/$d.xml"
check "an empty status file: the domain is shut off, with one warning that says why" 0 domstate "$d" <<EOF
shut off

virtkit: warning: corrupt domain status ignored: internal error: cannot load status file 'ROOT/run/qemu/$d.xml': (domain_status):1: Document is empty
EOF
echo junk >"$root/run/qemu/$d.xml"
vkr dominfo "$d" >/dev/null 2>"$root/err"
expect "dominfo (several calls) warns about a corrupt status file once" \
    "$(grep -c 'warning: corrupt domain status ignored' "$root/err")" 1
rm "$root/run/qemu/$d.xml"
mkdir "$root/run/qemu/$d.xml"
LC_ALL=C vkr domstate "$d" >/dev/null 2>"$root/err"
if LC_ALL=C grep -q '[^ -~]' "$root/err" || grep -q '?' "$root/err" || ! [ -s "$root/err" ]; then
    fail "in the C locale, the warning is plain ASCII, quotes included" "$(cat "$root/err")"
else
    pass "in the C locale, the warning is plain ASCII, quotes included"
fi
rmdir "$root/run/qemu/$d.xml"

# ---- temporaries a killed writer left between naming and renaming them ----
mkdir -p "$root/etc/network" "$root/run/network"
old=("$root/etc/qemu/$d.xml.0badcafe" "$root/run/qemu/$d.xml.12345678"
    "$root/etc/network/n.xml.deadbeef" "$root/run/network/n.xml.abcdef01")
for f in "${old[@]}"; do
    echo '<domain' >"$f"
    touch -d '-2 hours' "$f"
done
echo '<domain' >"$root/etc/qemu/$d.xml.89abcdef"
vkr list --all >/dev/null 2>&1
vkr net-list --all >/dev/null 2>&1
left=()
for f in "${old[@]}"; do
    [ -e "$f" ] && left+=("$f")
done
expect "old temporaries are removed by the next listing" "${left[*]}" ""
assert "a fresh one (a writer may be renaming it) stays" test -e "$root/etc/qemu/$d.xml.89abcdef"

# ---- a full disk ----
if [ "$(id -u)" -eq 0 ] && mkdir -p "$root/full" && mount -t tmpfs -o size=256k tmpfs "$root/full"; then
    full=$root/full
    furi="qemu:///embed?root=$full"
    d=${prefix}full
    xml=$(domxml "$d")
    assert "a define on a small disk" vkr -c "$furi" define "$xml"
    before=$(vkr -c "$furi" dumpxml --inactive "$d" 2>&1)
    dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null
    sed -i "s|<name>$d</name>|<name>$d</name><description>$(printf 'd%.0s' $(seq 8192))</description>|" "$xml"
    out=$(vkr -c "$furi" define "$xml" 2>&1)
    if [ $? -eq 1 ] && grep -qE "^error: cannot write file '.*$d.xml': No space left on device\$" <<<"$out"; then
        pass "a redefine on the full disk fails, saying why"
    else
        fail "a redefine on the full disk fails, saying why" "$out"
    fi
    expect "the definition is the old one" "$(vkr -c "$furi" dumpxml --inactive "$d" 2>&1)" "$before"
    expect "no temporary file is left" "$(ls -A "$full/etc/qemu")" "$d.xml"
    rm -f "$full/filler"
    assert "with room again, the redefine works" vkr -c "$furi" define "$xml"
    umount "$full" && full=
else
    skip "a full disk" "needs root to mount a small tmpfs"
fi

# ---- the sockets a guest leaves ----
d=${prefix}vnc
xml=$(domxml "$d" "$virt_type" "<graphics type='vnc'><listen type='socket'/></graphics>")
vkr define "$xml" >/dev/null
assert "a guest with an automatic VNC socket starts" vkr start "$d"
assert "its socket is ROOT/run/qemu/NAME.vnc" test -S "$root/run/qemu/$d.vnc"
assert "it stops" vkr destroy "$d"
refute "destroy removes the socket" test -e "$root/run/qemu/$d.vnc"

vkq_done
