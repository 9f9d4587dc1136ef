#!/usr/bin/env bash
# Pool state as a hostile or clumsy user leaves it, through the shell: the object store's rules
# (shared with domains and networks) hold for pools too. A symlinked pool config is refused alike
# by listing and by lookup; a config directory that cannot be listed and a file whose name no
# pool may have are warned about; temporaries of killed writers go; a read-only root still lists
# pools, with at most one warning. Volume names follow the same name rule: the longest name
# works, and files a lookup would refuse are not listed. TAP output.
# usage: storage-state.sh VIRTKIT
set -u
vk=$(realpath "${1:?usage: storage-state.sh VIRTKIT}")
root=$(mktemp -d /tmp/vkss-XXXXXX)
uri="qemu:///embed?root=$root"
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI
mkdir -p "$HOME"
n=0
failed=0

cleanup() {
    chmod -R u+rwX "$root" 2>/dev/null
    rm -rf "$root"
}
trap cleanup EXIT

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    [ $# -gt 1 ] && printf '%s\n' "${@:2}" | sed 's/^/# /'
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
V() { "$vk" -c "$uri" "$@"; }
# has DESC PATTERN TEXT: TEXT has a line matching the extended regular expression PATTERN.
has() {
    if grep -Eq -- "$2" <<<"$3"; then pass "$1"; else fail "$1" "$3"; fi
}
lacks() {
    if grep -Eq -- "$2" <<<"$3"; then fail "$1" "$3"; else pass "$1"; fi
}

V pool-list --all >/dev/null 2>&1
mkdir -p "$root/pools/p1" "$root/elsewhere"
V pool-define-as p1 dir --target "$root/pools/p1" >/dev/null

# ---- a symlinked config: listing and lookup agree ----
mv "$root/etc/storage/p1.xml" "$root/elsewhere/p1.xml"
ln -s "$root/elsewhere/p1.xml" "$root/etc/storage/p1.xml"
out=$(V pool-list --all 2>&1)
has "a symlinked pool config is warned about in pool-list, naming it" \
    "warning: pool 'p1' skipped: cannot read file '$root/etc/storage/p1.xml': it is a symbolic link" \
    "$out"
lacks "and it is not listed" "^ p1 " "$out"
out=$(V pool-dumpxml p1 2>&1)
has "pool-dumpxml refuses it for the same reason" \
    "error: cannot read file '$root/etc/storage/p1.xml': it is a symbolic link, which is refused here" \
    "$out"
rm "$root/etc/storage/p1.xml"
mv "$root/elsewhere/p1.xml" "$root/etc/storage/p1.xml"

# ---- names no pool may have, temporaries of killed writers ----
cp "$root/etc/storage/p1.xml" "$root/etc/storage/.hidden.xml"
cp "$root/etc/storage/p1.xml" "$root/etc/storage/p1.xml.0123abcd"
touch -d '2 hours ago' "$root/etc/storage/p1.xml.0123abcd"
out=$(V pool-list --all 2>&1)
has "a config file whose name no pool may have is warned about" \
    "warning: pool '.hidden' skipped: XML error: name .hidden cannot start with '.'" "$out"
has "the other pools are listed" "^ p1 +inactive +no$" "$out"
if [ -e "$root/etc/storage/p1.xml.0123abcd" ]; then
    fail "pool-list removes a temporary a killed writer left"
else
    pass "pool-list removes a temporary a killed writer left"
fi
rm -f "$root/etc/storage/.hidden.xml"
printf 'root:SECRET\n' >"$root/elsewhere/leak.xml"
out=$(V pool-info ../../elsewhere/leak 2>&1)
has "a pool name through '..' names no pool" \
    "error: Storage pool not found: no storage pool with matching name '../../elsewhere/leak'" "$out"
lacks "and reads nothing outside" "SECRET" "$out"

# ---- a config directory that cannot be listed ----
mv "$root/etc/storage" "$root/etc/storage.real"
touch "$root/etc/storage"
out=$(V pool-list --all 2>&1)
has "etc/storage not a directory: pool-list warns, naming it" \
    "warning: pools in '$root/etc/storage' are not listed: cannot open directory '$root/etc/storage': Not a directory" \
    "$out"
rm "$root/etc/storage"
mv "$root/etc/storage.real" "$root/etc/storage"

# ---- volume names ----
long=$(printf 'v%.0s' $(seq 239))
if V vol-create-as default "$long" 1M >/dev/null 2>&1 && V vol-info --pool default "$long" >/dev/null 2>&1; then
    pass "a volume name of the longest length (239 bytes) is created and found"
else
    fail "a volume name of the longest length (239 bytes) is created and found" \
        "$(V vol-create-as default "$long" 1M 2>&1)"
fi
V vol-delete --pool default "$long" >/dev/null 2>&1
out=$(V vol-create-as default "${long}w" 1M 2>&1)
has "one byte more is refused, saying so" \
    "error: XML error: storage volume name is 240 bytes long, more than the limit of 239" "$out"
touch "$root/images/.hidden.img" "$root/images/tab$(printf '\t')name.img" "$root/images/plain.img"
out=$(V vol-list default 2>&1)
has "a plain file in a pool is a volume" "^ plain.img " "$out"
lacks "a hidden file is not listed" "hidden" "$out"
lacks "nor one with a control character in its name" "tab" "$out"
out=$(V vol-info --pool default .hidden.img 2>&1)
has "and a lookup does not find it either" "Storage volume not found" "$out"

# ---- a read-only root ----
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
    skip "read-only root" "needs root and mount namespaces"
else
    # in_ro DIR COMMAND...: virtkit on root DIR mounted read-only, in a mount namespace of its own.
    in_ro() {
        # shellcheck disable=SC2016 # expanded by the inner shell
        unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" &&
            shift && exec "$@"' sh "$1" "$vk" -c "qemu:///embed?root=$1" "${@:2}"
    }
    out=$(in_ro "$root" pool-list --all 2>&1)
    has "read-only root: pool-list lists the pools" "^ default +active +yes$" "$out"
    lacks "without a warning" "warning" "$out"
    out=$(in_ro "$root" vol-list default 2>&1)
    has "read-only root: vol-list lists the volumes" "^ plain.img " "$out"
    # A root whose storage state was never made (older than pools), then mounted read-only.
    old=$root/old
    mkdir -p "$old"
    V list --all >/dev/null 2>&1
    "$vk" -c "qemu:///embed?root=$old" list --all >/dev/null 2>&1
    rm -rf "$old/etc/storage" "$old/run/storage" "$old/run/storage.lock" "$old/images"
    out=$(in_ro "$old" list --all 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ]; then pass "read-only root without pools: list --all works"; else
        fail "read-only root without pools: list --all works" "$out"
    fi
    if [ "$(grep -c warning <<<"$out")" -eq 1 ]; then
        pass "with one warning about the pools it cannot set up"
    else
        fail "with one warning about the pools it cannot set up" "$out"
    fi
    has "which says why" \
        "warning: cannot set up storage pools: cannot create directory '$old/run/storage': Read-only file system" \
        "$out"
    out=$(in_ro "$old" pool-list --all 2>&1)
    has "and pool-list lists none" "^-+$" "$out"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
