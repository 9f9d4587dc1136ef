#!/usr/bin/env bash
# The network index (ROOT/run/network/.index) is a cache, the config files stay the truth: a
# define refuses a uuid, a name or a bridge that another network holds, with libvirt's
# messages, whatever state the index is in (deleted, corrupt, an old one put back, configs
# changed by hand), also with several processes defining at once; net-name finds every
# network by its uuid. Defines only (no network is started): runs without root. TAP output.
#
# usage: network-index.sh VIRTKIT
set -u

vk=$(realpath "${1:?usage: network-index.sh VIRTKIT}")
root=$(mktemp -d /tmp/vknetindex-XXXXXX)
uri="qemu:///embed?root=$root"
trap 'rm -rf "$root"' EXIT
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
mkdir -p "$HOME"
etc=$root/etc/network
index=$root/run/network/.index
tag=$$
n=0
failed=0

pass() {
    n=$((n + 1))
    echo "ok $n - $1"
}
fail() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    local line
    for line in "$@"; do echo "# $line"; done
}
vkr() { "$vk" -c "$uri" "$@"; }

# netxml NAME BRIDGE [UUID]: a network's XML (a fresh uuid by default); prints its path.
netxml() {
    local f=$root/$1.xml uuid=${3:-$(cat /proc/sys/kernel/random/uuid)}
    printf '<network>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <bridge name="%s"/>\n</network>\n' \
        "$1" "$uuid" "$2" >"$f"
    echo "$f"
}
uuid_of() { sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$1" | head -n 1; }

# refused DESC FILE MESSAGE: defining FILE fails with MESSAGE, and its config stays as it was.
refused() {
    local out rc name before after
    name=$(basename "$2" .xml)
    before=$(cat "$etc/$name.xml" 2>/dev/null)
    out=$(vkr net-define "$2" 2>&1)
    rc=$?
    want=$(printf 'error: Failed to define network from %s\nerror: %s' "$2" "$3")
    after=$(cat "$etc/$name.xml" 2>/dev/null)
    if [ $rc -eq 1 ] && [ "$out" = "$want" ] && [ "$before" = "$after" ]; then
        pass "$1"
    else
        fail "$1" "rc=$rc" "got:" "$out" "want:" "$want"
    fi
}

# consistent DESC: net-list --all shows exactly the configs on disk, and net-name finds each by
# its uuid.
consistent() {
    local bad=() f name got files listed
    files=$(for f in "$etc"/*.xml; do [ -f "$f" ] && basename "$f" .xml; done | sort)
    listed=$(vkr -q net-list --all --name 2>&1 | sed 's/ *$//; /^$/d' | sort)
    [ "$listed" = "$files" ] || bad+=("net-list:" "$listed" "files:" "$files")
    for f in "$etc"/*.xml; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .xml)
        got=$(vkr -q net-name "$(uuid_of "$f")" 2>&1)
        [ "$got" = "$name" ] || bad+=("net-name of $name's uuid: '$got'")
    done
    if [ ${#bad[@]} -eq 0 ]; then pass "$1"; else fail "$1" "${bad[@]}"; fi
}

a=vkni$tag-a
br=vkni${tag}b
axml=$(netxml "$a" "$br")
ua=$(uuid_of "$axml")
vkr net-define "$axml" >/dev/null 2>&1
clashes() { # WHEN
    refused "$1: a second name for a known uuid is refused" "$(netxml "vkni$tag-b" x$br "$ua")" \
        "operation failed: network '$a' is already defined with uuid $ua"
    refused "$1: a known bridge is refused" "$(netxml "vkni$tag-c" "$br")" \
        "internal error: bridge name '$br' already in use."
    refused "$1: a known name with another uuid is refused" "$(netxml "$a" "y$br")" \
        "operation failed: network '$a' already exists with uuid $ua"
}
clashes "with the index"
rm -f "$index"
clashes "index deleted"
printf 'garbage\0\n\tC\t%s\n' "$a" >"$index"
clashes "corrupt index"
vkr -q net-list --all >/dev/null
{
    head -n 1 "$index"
    grep -a '^[CSK]' "$index" | sort -r
    grep -av '^[CSK]' "$index" | tail -n +2
} >"$root/index.bad"
cat "$root/index.bad" >"$index"
clashes "index out of order"

# An old index put back: the network defined since is still found, the one undefined since
# frees its uuid and bridge.
vkr -q net-list --all >/dev/null
cp "$index" "$root/index.old"
d=vkni$tag-d
vkr net-define "$(netxml "$d" "d$br")" >/dev/null 2>&1
vkr net-undefine "$a" >/dev/null 2>&1
cp "$root/index.old" "$index"
refused "an old index put back: a network defined since keeps its bridge" \
    "$(netxml "vkni$tag-e" "d$br")" "internal error: bridge name 'd$br' already in use."
out=$(vkr net-define "$(netxml "vkni$tag-f" "$br" "$ua")" 2>&1)
[ $? -eq 0 ] && pass "an old index put back: an undefined network's uuid and bridge are free" ||
    fail "an old index put back: an undefined network's uuid and bridge are free" "$out"
consistent "consistent after an old index was put back"

# A config copied in by hand holds its uuid and bridge; removed by hand, it frees them.
g=vkni$tag-g
gxml=$(netxml "$g" "g$br")
cp "$gxml" "$etc/$g.xml"
refused "a config copied in by hand holds its bridge" "$(netxml "vkni$tag-h" "g$br")" \
    "internal error: bridge name 'g$br' already in use."
refused "a config copied in by hand holds its uuid" "$(netxml "vkni$tag-h" "h$br" "$(uuid_of "$gxml")")" \
    "operation failed: network '$g' is already defined with uuid $(uuid_of "$gxml")"
rm "$etc/$g.xml"
out=$(vkr net-define "$(netxml "vkni$tag-h" "g$br")" 2>&1)
[ $? -eq 0 ] && pass "removed by hand, its bridge is free" || fail "removed by hand, its bridge is free" "$out"
consistent "consistent after changes by hand"

# Several processes define at once: one bridge, K names: one wins; K networks with their own
# bridges: all are defined.
K=4
for ((i = 1; i <= K; i++)); do
    netxml "vkni$tag-p$i" "p$br" >/dev/null
    netxml "vkni$tag-q$i" "q$i$br" >/dev/null
done
for ((i = 1; i <= K; i++)); do
    (vkr net-define "$root/vkni$tag-p$i.xml" >"$root/p.$i.out" 2>&1; echo $? >"$root/p.$i.rc") &
    (vkr net-define "$root/vkni$tag-q$i.xml" >"$root/q.$i.out" 2>&1; echo $? >"$root/q.$i.rc") &
done
wait
wins=0
qs=0
for ((i = 1; i <= K; i++)); do
    [ "$(cat "$root/p.$i.rc")" = 0 ] && wins=$((wins + 1))
    [ "$(cat "$root/q.$i.rc")" = 0 ] && qs=$((qs + 1))
done
[ $wins -eq 1 ] && pass "one bridge defined under four names at once: one wins" ||
    fail "one bridge defined under four names at once: one wins" "$wins won"
lost=$(grep -l "bridge name 'p$br' already in use" "$root"/p.*.out | wc -l)
[ "$lost" -eq $((K - 1)) ] && pass "the others are refused with libvirt's message" ||
    fail "the others are refused with libvirt's message" "$(cat "$root"/p.*.out)"
[ $qs -eq $K ] && pass "four networks defined at once with bridges of their own" ||
    fail "four networks defined at once with bridges of their own" "$(cat "$root"/q.*.out)"
consistent "consistent after concurrent defines"

echo "1..$n"
[ $failed -eq 0 ]
