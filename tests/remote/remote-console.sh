#!/usr/bin/env bash
# `virtkit console` on a guest's pty serial port, through a stream: embedded (qemu:///embed),
# through the remote driver against a private Debian libvirtd (libvirtd-private.sh) and, given
# VIRTKITD, against virtkitd. The guest is the TCG one of tests/daemon/console.sh, whose boot
# sector echoes its serial input upper-cased; tests/daemon/console.py types on virtkit's
# pseudo-terminal and reads the answers. TAP; needs root for the namespaces.
# usage: remote-console.sh VIRTKIT [VIRTKITD]
set -u
here=$(dirname "$(realpath "$0")")
console_py=$here/../daemon/console.py

# ---- inside the namespaces: one server's run ----
if [ "${1:-}" = --inner ]; then
    server=$2 dir=$3 vk=$4 vkd=$5 guest=$6
    . "$here/../lib/libvirtd-private.sh"
    lv_private_setup "$dir/ns" || exit 1
    if [ "$server" = virtkitd ]; then
        lv_virtkitd_start "$vkd" "$dir/ns"
    else
        lv_start || exit 1
    fi
    uri="qemu+unix:///system?socket=$LV_SOCK"
    "$vk" -c "$uri" define "$dir/guest.xml" >/dev/null || exit 1
    mode=
    [ "$server" = libvirtd ] && mode=libvirtd
    /usr/bin/python3 "$console_py" "$uri" "$guest" "$vk" $mode
    exit 0
fi

vk=${1:?usage: remote-console.sh VIRTKIT [VIRTKITD]}
vkd=${2:-}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare ip qemu-system-x86_64 as ld; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed"
        exit 0
    fi
done

vk=$(realpath "$vk")
dir=$(mktemp -d /tmp/vkremote-console-XXXXXX)
chmod 755 "$dir"
guest=vkrcon-$$
trap 'pkill -9 -f "guest=$guest" 2>/dev/null; [ -n "${KEEP:-}" ] && echo "# kept $dir" || rm -rf "$dir"' EXIT
export LC_ALL=C HOME=$dir/home
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI VIRTKIT_DEFAULT_URI
mkdir -p "$HOME"

as --32 -o "$dir/boot.o" "$here/../data/daemon/echo-boot.S" &&
    ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$dir/boot.img" "$dir/boot.o" || {
    echo "Bail out! cannot assemble the boot sector"
    exit 1
}
# TCG: under nested KVM qemu starves the pty's input (see tests/daemon/console.sh).
cat >"$dir/guest.xml" <<EOF
<domain type='qemu'>
  <name>$guest</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$dir/boot.img'/><target dev='hda' bus='ide'/></disk>
    <serial type='pty'/><console type='pty'/>
  </devices>
</domain>
EOF

n=0
failed=0
# report WAY FILE: console.py's TAP lines, numbered in this run and named after WAY.
report() {
    local line
    while IFS= read -r line; do
        case $line in
        "ok "* | "not ok "*)
            n=$((n + 1))
            [ "${line#not ok}" != "$line" ] && failed=$((failed + 1))
            echo "$line" | sed -E "s/^(not ok|ok) [0-9]+ - /\1 $n - $1: /"
            ;;
        "#"*) echo "$line" ;;
        esac
    done <"$2"
}

# Embedded: every client is a process of its own, so --force takes over nothing.
vroot=$dir/embed
mkdir -p "$vroot"
euri="qemu:///embed?root=$vroot"
if "$vk" -c "$euri" define "$dir/guest.xml" >/dev/null 2>"$dir/embed.err"; then
    /usr/bin/python3 "$console_py" "$euri" "$guest" "$vk" local-force >"$dir/embed.tap" 2>&1
else
    echo "not ok 1 - define: $(cat "$dir/embed.err")" >"$dir/embed.tap"
fi
"$vk" -c "$euri" destroy "$guest" >/dev/null 2>&1
report embedded "$dir/embed.tap"

servers=(libvirtd)
if [ -n "$vkd" ] && [ -x "$vkd" ]; then
    vkd=$(realpath "$vkd")
    servers+=(virtkitd)
fi
for server in "${servers[@]}"; do
    rm -rf "$dir/ns" && mkdir -p "$dir/ns" "$dir/cache"
    ln -sfn "$dir/cache" "$dir/ns/cache"
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        bash "$here/remote-console.sh" --inner "$server" "$dir" "$vk" "$vkd" "$guest" \
        >"$dir/$server.tap" 2>&1
    grep -q '^ok \|^not ok ' "$dir/$server.tap" ||
        echo "not ok 1 - the run failed: $(tail -n 5 "$dir/$server.tap")" >>"$dir/$server.tap"
    report "$server" "$dir/$server.tap"
done
echo "1..$n"
[ "$failed" -eq 0 ]
