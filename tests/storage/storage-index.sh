#!/usr/bin/env bash
# The pool index (ROOT/run/storage/.index) is a cache, the config files stay the truth: a
# define refuses a uuid, a name or a target directory that another pool holds, with libvirt's
# messages, whatever state the index is in (deleted, corrupt, an old one put back, configs
# changed by hand), also with several processes defining at once; pool-name finds every pool
# by its uuid. Defines only (no pool is started): runs without root. TAP output.
#
# usage: storage-index.sh VIRTKIT
set -u

vk=$(realpath "${1:?usage: storage-index.sh VIRTKIT}")
root=$(mktemp -d /tmp/vkpoolindex-XXXXXX)
uri="qemu:///embed?root=$root"
trap 'rm -rf "$root"' EXIT
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
mkdir -p "$HOME"
etc=$root/etc/storage
index=$root/run/storage/.index
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

# poolxml NAME TARGET [UUID]: a dir pool's XML on ROOT/TARGET (a fresh uuid by default); prints
# its path.
poolxml() {
    local f=$root/$1.xml uuid=${3:-$(cat /proc/sys/kernel/random/uuid)}
    printf "<pool type='dir'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <target>\n    <path>%s</path>\n  </target>\n</pool>\n" \
        "$1" "$uuid" "$root/$2" >"$f"
    echo "$f"
}
uuid_of() { sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$1" | head -n 1; }

# refused DESC FILE MESSAGE: defining FILE fails with MESSAGE, and its config stays as it was.
refused() {
    local out rc name before after
    name=$(basename "$2" .xml)
    before=$(cat "$etc/$name.xml" 2>/dev/null)
    out=$(vkr pool-define "$2" 2>&1)
    rc=$?
    want=$(printf 'error: Failed to define pool from %s\nerror: %s' "$2" "$3")
    after=$(cat "$etc/$name.xml" 2>/dev/null)
    if [ $rc -eq 1 ] && [ "$out" = "$want" ] && [ "$before" = "$after" ]; then
        pass "$1"
    else
        fail "$1" "rc=$rc" "got:" "$out" "want:" "$want"
    fi
}

# consistent DESC: pool-list --all shows exactly the configs on disk, and pool-name finds each by
# its uuid.
consistent() {
    local bad=() f name got files listed
    files=$(for f in "$etc"/*.xml; do [ -f "$f" ] && basename "$f" .xml; done | sort)
    listed=$(vkr -q pool-list --all --name 2>&1 | sed 's/ *$//; /^$/d' | sort)
    [ "$listed" = "$files" ] || bad+=("pool-list:" "$listed" "files:" "$files")
    for f in "$etc"/*.xml; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .xml)
        got=$(vkr -q pool-name "$(uuid_of "$f")" 2>&1)
        [ "$got" = "$name" ] || bad+=("pool-name of $name's uuid: '$got'")
    done
    if [ ${#bad[@]} -eq 0 ]; then pass "$1"; else fail "$1" "${bad[@]}"; fi
}

a=vkpi$tag-a
br=vkpi${tag}b
axml=$(poolxml "$a" "$br")
ua=$(uuid_of "$axml")
vkr pool-define "$axml" >/dev/null 2>&1
clashes() { # WHEN
    refused "$1: a second name for a known uuid is refused" "$(poolxml "vkpi$tag-b" x$br "$ua")" \
        "operation failed: pool '$a' is already defined with uuid $ua"
    refused "$1: a known target is refused" "$(poolxml "vkpi$tag-c" "$br")" \
        "operation failed: Storage source conflict with pool: '$a'"
    refused "$1: a known name with another uuid is refused" "$(poolxml "$a" "y$br")" \
        "operation failed: pool '$a' already exists with uuid $ua"
}
clashes "with the index"
rm -f "$index"
clashes "index deleted"
printf 'garbage\0\n\tC\t%s\n' "$a" >"$index"
clashes "corrupt index"
vkr -q pool-list --all >/dev/null
{
    head -n 1 "$index"
    grep -a '^[CSK]' "$index" | sort -r
    grep -av '^[CSK]' "$index" | tail -n +2
} >"$root/index.bad"
cat "$root/index.bad" >"$index"
clashes "index out of order"

# An old index put back: the pool defined since is still found, the one undefined since
# frees its uuid and target.
vkr -q pool-list --all >/dev/null
cp "$index" "$root/index.old"
d=vkpi$tag-d
vkr pool-define "$(poolxml "$d" "d$br")" >/dev/null 2>&1
vkr pool-undefine "$a" >/dev/null 2>&1
cp "$root/index.old" "$index"
refused "an old index put back: a pool defined since keeps its target" \
    "$(poolxml "vkpi$tag-e" "d$br")" "operation failed: Storage source conflict with pool: '$d'"
out=$(vkr pool-define "$(poolxml "vkpi$tag-f" "$br" "$ua")" 2>&1)
[ $? -eq 0 ] && pass "an old index put back: an undefined pool's uuid and target are free" ||
    fail "an old index put back: an undefined pool's uuid and target are free" "$out"
consistent "consistent after an old index was put back"

# A config copied in by hand holds its uuid and target; removed by hand, it frees them.
g=vkpi$tag-g
gxml=$(poolxml "$g" "g$br")
cp "$gxml" "$etc/$g.xml"
refused "a config copied in by hand holds its target" "$(poolxml "vkpi$tag-h" "g$br")" \
    "operation failed: Storage source conflict with pool: '$g'"
refused "a config copied in by hand holds its uuid" "$(poolxml "vkpi$tag-h" "h$br" "$(uuid_of "$gxml")")" \
    "operation failed: pool '$g' is already defined with uuid $(uuid_of "$gxml")"
rm "$etc/$g.xml"
out=$(vkr pool-define "$(poolxml "vkpi$tag-h" "g$br")" 2>&1)
[ $? -eq 0 ] && pass "removed by hand, its target is free" || fail "removed by hand, its target is free" "$out"
consistent "consistent after changes by hand"

# Several processes define at once: one target, K names: one wins; K pools with their own
# targets: all are defined.
K=4
for ((i = 1; i <= K; i++)); do
    poolxml "vkpi$tag-p$i" "p$br" >/dev/null
    poolxml "vkpi$tag-q$i" "q$i$br" >/dev/null
done
for ((i = 1; i <= K; i++)); do
    (vkr pool-define "$root/vkpi$tag-p$i.xml" >"$root/p.$i.out" 2>&1; echo $? >"$root/p.$i.rc") &
    (vkr pool-define "$root/vkpi$tag-q$i.xml" >"$root/q.$i.out" 2>&1; echo $? >"$root/q.$i.rc") &
done
wait
wins=0
qs=0
for ((i = 1; i <= K; i++)); do
    [ "$(cat "$root/p.$i.rc")" = 0 ] && wins=$((wins + 1))
    [ "$(cat "$root/q.$i.rc")" = 0 ] && qs=$((qs + 1))
done
[ $wins -eq 1 ] && pass "one target defined under four names at once: one wins" ||
    fail "one target defined under four names at once: one wins" "$wins won"
lost=$(grep -l "Storage source conflict with pool: 'vkpi$tag-p" "$root"/p.*.out | wc -l)
[ "$lost" -eq $((K - 1)) ] && pass "the others are refused with libvirt's message" ||
    fail "the others are refused with libvirt's message" "$(cat "$root"/p.*.out)"
[ $qs -eq $K ] && pass "four pools defined at once with targets of their own" ||
    fail "four pools defined at once with targets of their own" "$(cat "$root"/q.*.out)"
consistent "consistent after concurrent defines"

echo "1..$n"
[ $failed -eq 0 ]
