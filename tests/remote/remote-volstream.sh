#!/usr/bin/env bash
# vol-upload and vol-download through the remote driver: virtkit sends and receives a volume's
# bytes as STREAM frames of a private Debian libvirtd (libvirtd-private.sh) with its storage
# driver on a directory pool, and given VIRTKITD, of virtkitd on a root of its own. What goes up
# comes down byte for byte (whole, and a window with --offset/--length), Debian's virsh
# downloads the same bytes, and failures print what virsh prints. TAP; needs root for the
# namespaces.
# usage: remote-volstream.sh VIRTKIT [VIRTKITD]
set -u
here=$(dirname "$(realpath "$0")")

# ---- inside the namespaces ----
if [ "${1:-}" = --inner ]; then
    server=$2 dir=$3 vk=$4 vkd=${5:-}
    . "$here/../lib/libvirtd-private.sh"
    . "$here/../qemu-driver/lib.sh" # TAP helpers only
    n=0
    failed=0
    lv_private_setup "$dir/ns" || exit 1
    if [ "$server" = virtkitd ]; then
        lv_virtkitd_start "$vkd" "$dir/ns"
    else
        lv_start || exit 1
    fi
    uri="qemu+unix:///system?socket=$LV_SOCK"
    vkc() { "$vk" -c "$uri" "$@"; }

    mkdir -p "$dir/pool"
    assert "pool-create-as through the remote driver" vkc pool-create-as vkp dir --target "$dir/pool"
    assert "vol-create-as" vkc vol-create-as vkp v1 24M --format raw
    # More than a few frames (262,120 bytes each) and a partial one; random, so that nothing
    # lines up by chance.
    head -c $((20 * 1024 * 1024 + 12345)) /dev/urandom >"$dir/in"
    assert "vol-upload of 20 MiB" vkc vol-upload --pool vkp v1 "$dir/in"
    assert "vol-download of what was uploaded" \
        vkc vol-download --pool vkp v1 "$dir/out" --length $((20 * 1024 * 1024 + 12345))
    assert "the bytes came back unchanged" cmp "$dir/in" "$dir/out"
    assert "the volume holds them" cmp -n $((20 * 1024 * 1024 + 12345)) "$dir/in" "$dir/pool/v1"

    vkc vol-download --pool vkp v1 "$dir/all" >/dev/null 2>&1
    virsh -c "$uri" vol-download --pool vkp v1 "$dir/all.virsh" >/dev/null 2>&1
    assert "a whole download is virsh's, byte for byte" cmp "$dir/all" "$dir/all.virsh"
    expect "and the volume's size" "$(stat -c %s "$dir/all")" $((24 * 1024 * 1024))

    head -c 70000 /dev/urandom >"$dir/part"
    assert "vol-upload at an offset" vkc vol-upload --pool vkp v1 "$dir/part" --offset 1000000 \
        --length 70000
    assert "vol-download of that window" vkc vol-download --pool vkp v1 "$dir/part.out" \
        --offset 1000000 --length 70000
    assert "the window holds the bytes" cmp "$dir/part" "$dir/part.out"
    assert "and only there" cmp -n 1000000 "$dir/in" "$dir/pool/v1"

    assert "an empty upload" vkc vol-upload --pool vkp v1 /dev/null --length 0
    # Failures: virtkit says what virsh says, with its exit status.
    for line in "vol-download --pool vkp nosuch $dir/x" "vol-upload --pool vkp v1 $dir/nosuch" \
        "vol-upload --pool vkp nosuch $dir/in" "vol-download --pool vkp v1 /nonexistent/dir/f" \
        "vol-upload --pool vkp v1 $dir/in --length 1000" \
        "vol-upload --pool vkp v1 $dir/in --offset $((30 * 1024 * 1024))"; do
        eval "args=($line)"
        virsh -c "$uri" "${args[@]}" >"$dir/virsh.out" 2>&1
        want="$? $(cat "$dir/virsh.out")"
        vkc "${args[@]}" >"$dir/vk.out" 2>&1
        got="$? $(cat "$dir/vk.out")"
        expect "$line: as virsh" "$got" "$want"
    done
    virsh -c "${uri/%-sock/-sock-ro}" vol-upload --pool vkp v1 "$dir/in" >"$dir/virsh.out" 2>&1
    want="$? $(cat "$dir/virsh.out")"
    "$vk" -c "${uri/%-sock/-sock-ro}" vol-upload --pool vkp v1 "$dir/in" >"$dir/vk.out" 2>&1
    got="$? $(cat "$dir/vk.out")"
    expect "vol-upload on a read-only connection: as virsh" "$got" "$want"
    echo "1..$n"
    exit 0
fi

vk=${1:?usage: remote-volstream.sh VIRTKIT [VIRTKITD]}
vkd=${2:-}
if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare ip; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed"
        exit 0
    fi
done
if [ ! -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_storage.so ]; then
    echo "1..0 # SKIP libvirtd's storage driver is not installed (libvirt-daemon-driver-storage)"
    exit 0
fi

vk=$(realpath "$vk")
dir=$(mktemp -d /tmp/vkremote-volstream-XXXXXX)
chmod 755 "$dir"
trap '[ -n "${KEEP:-}" ] && echo "# kept $dir" || rm -rf "$dir"' EXIT
export LC_ALL=C HOME=$dir/home
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI VIRTKIT_DEFAULT_URI

servers=(libvirtd)
if [ -n "$vkd" ] && [ -x "$vkd" ]; then
    vkd=$(realpath "$vkd")
    servers+=(virtkitd)
fi
total=0
status=0
for server in "${servers[@]}"; do
    rm -rf "$dir/ns" "$dir/pool" && mkdir -p "$HOME" "$dir/ns"
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        bash "$here/remote-volstream.sh" --inner "$server" "$dir" "$vk" "$vkd" \
        >"$dir/$server.tap" 2>"$dir/$server.err"
    grep -q '^1\.\.' "$dir/$server.tap" || {
        echo "Bail out! the $server run failed: $(tail -n 5 "$dir/$server.err")"
        exit 1
    }
    # one plan for both runs: renumber, and name the server in each line
    while IFS= read -r line; do
        case $line in
        "ok "* | "not ok "*)
            total=$((total + 1))
            [[ $line == "not ok "* ]] && status=1
            echo "$line" | sed -E "s/^(not )?ok [0-9]+ - /\1ok $total - $server: /"
            ;;
        "1.."*) ;;
        *) echo "$line" ;;
        esac
    done <"$dir/$server.tap"
done
echo "1..$total"
exit $status
