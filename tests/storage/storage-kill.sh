#!/usr/bin/env bash
# kill -9 of virtkit in the middle of vol-create (a clone that copies data), pool-build and
# pool-start, at random moments, many times: every time, what is left is the finished object
# or nothing. No half-written image is ever presented as a volume, a stale part file is cleaned
# up by the next refresh, a pool is either running (and mounted) or inactive (and unmounted).
# TAP output. The fs pool part needs root and a loop device.
# usage: storage-kill.sh VIRTKIT [ROUNDS]
set -u
vk=$(realpath "${1:?usage: storage-kill.sh VIRTKIT [ROUNDS]}")
rounds=${2:-15}
root=$(mktemp -d /tmp/vkstkill-XXXXXX)
uri="qemu:///embed?root=$root"
export LC_ALL=C HOME=$root/home
unset VIRTKIT_DEFAULT_URI
mkdir -p "$HOME" "$root/pools"
n=0
failed=0
loop=
cleanup() {
    umount "$root/pools/fsk" 2>/dev/null
    [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
    rm -rf "$root"
}
trap cleanup EXIT
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
V() { "$vk" -c "$uri" "$@"; }

# kill_during DELAY_MS COMMAND...: starts the command, kills it -9 after DELAY_MS; prints
# "killed" when it was still running then.
kill_during() {
    local delay=$1
    shift
    "$vk" -c "$uri" "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$(printf '0.%03d' "$delay")"
    if kill -9 "$pid" 2>/dev/null; then echo killed; fi
    wait "$pid" 2>/dev/null
}

# ---- vol-create (a clone copying 48 MiB) ----
head -c 50331648 /dev/urandom >"$root/src.bin"
V vol-create-as default src.img 48M >/dev/null && V vol-upload --pool default src.img "$root/src.bin" >/dev/null
killed=0
bad=""
for i in $(seq "$rounds"); do
    r=$(kill_during $((RANDOM % 1000)) vol-clone --pool default src.img "c$i.img")
    [ "$r" = killed ] && killed=$((killed + 1))
    if V vol-info --pool default "c$i.img" >/dev/null 2>&1; then
        # Listed: it must be complete.
        cmp -s "$root/src.bin" "$root/images/c$i.img" || bad="$bad c$i.img(incomplete)"
    else
        [ -e "$root/images/c$i.img" ] && bad="$bad c$i.img(unlisted file)"
    fi
    if V vol-list default | grep -q vkpart; then bad="$bad c$i(part listed)"; fi
done
if [ -z "$bad" ]; then pass "vol-create killed -9 $killed/$rounds times: every volume listed is complete"; else
    fail "vol-create killed -9: $bad"
fi
V pool-refresh default >/dev/null
if ls -a "$root/images" | grep -q vkpart; then fail "pool-refresh removes the parts killed creations left"; else
    pass "pool-refresh removes the parts killed creations left"
fi

# ---- pool-build (dir) ----
bad=""
killed=0
for i in $(seq "$rounds"); do
    V pool-define-as "b$i" dir --target "$root/pools/b$i" >/dev/null
    r=$(kill_during $((RANDOM % 20)) pool-build "b$i")
    [ "$r" = killed ] && killed=$((killed + 1))
    if [ -e "$root/pools/b$i" ] && [ "$(stat -c %a "$root/pools/b$i")" != 711 ]; then
        bad="$bad b$i(mode $(stat -c %a "$root/pools/b$i"))"
    fi
    V pool-build "b$i" >/dev/null 2>&1 || bad="$bad b$i(rebuild failed)"
done
if [ -z "$bad" ]; then pass "pool-build killed -9 $killed/$rounds times: the directory is complete or absent"; else
    fail "pool-build killed -9: $bad"
fi
if ls "$root/pools" | grep -q vkbuild; then fail "no temporary build directory survives"; else pass "no temporary build directory survives"; fi

# ---- pool-start (dir) ----
bad=""
killed=0
for i in $(seq "$rounds"); do
    r=$(kill_during $((RANDOM % 40)) pool-start "b$i")
    [ "$r" = killed ] && killed=$((killed + 1))
    state=$(V pool-info "b$i" | awk '/State:/ {print $2}')
    case $state in running | inactive) ;; *) bad="$bad b$i($state)" ;; esac
    if [ "$state" = running ] && ! V vol-list "b$i" >/dev/null 2>&1; then bad="$bad b$i(unusable)"; fi
    if grep -q "state='starting'" "$root/run/storage/b$i.xml" 2>/dev/null; then bad="$bad b$i(starting left)"; fi
done
if [ -z "$bad" ]; then pass "pool-start killed -9 $killed/$rounds times: running or inactive, never half"; else
    fail "pool-start killed -9: $bad"
fi

# ---- pool-start (fs on a loop device: a mount) ----
if [ "$(id -u)" -ne 0 ] || ! command -v mkfs.ext4 >/dev/null; then
    echo "ok $((n + 1)) - fs pool-start killed -9 # SKIP needs root and mkfs.ext4"
    n=$((n + 1))
else
    truncate -s 32M "$root/fs.img"
    if loop=$(losetup -f --show "$root/fs.img" 2>/dev/null); then
        V pool-define-as fsk fs --source-dev "$loop" --source-format ext4 --target "$root/pools/fsk" >/dev/null
        V pool-build fsk >/dev/null
        bad=""
        killed=0
        for i in $(seq "$rounds"); do
            r=$(kill_during $((RANDOM % 60)) pool-start fsk)
            [ "$r" = killed ] && killed=$((killed + 1))
            state=$(V pool-info fsk | awk '/State:/ {print $2}')
            mounted=no
            mountpoint -q "$root/pools/fsk" && mounted=yes
            case $state/$mounted in running/yes | inactive/no) ;; *) bad="$bad $i($state,mounted=$mounted)" ;; esac
            V pool-destroy fsk >/dev/null 2>&1
        done
        if [ -z "$bad" ]; then pass "fs pool-start killed -9 $killed/$rounds times: running and mounted, or inactive and unmounted"; else
            fail "fs pool-start killed -9: $bad"
        fi
    else
        echo "ok $((n + 1)) - fs pool-start killed -9 # SKIP no loop device available"
        n=$((n + 1))
    fi
fi
echo "1..$n"
[ "$failed" -eq 0 ]
