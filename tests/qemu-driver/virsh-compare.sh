#!/usr/bin/env bash
# The domain commands on the qemu driver against libvirt's own qemu driver: each line of
# virsh-cases.txt runs through Debian's virsh on libvirt's embedded qemu driver (as an
# unprivileged user, which needs no system setup) and through virtkit, each in a fresh root;
# stdout, stderr and exit status must match. With VIRTKITD, each line also runs through Debian's
# virsh against virtkitd serving a fresh root, which must print what virtkit prints. TAP output.
# Needs root (to run virsh as nobody).
# usage: virsh-compare.sh VIRTKIT CASES [VIRTKITD]
set -u
vk=$(realpath "${1:?usage: virsh-compare.sh VIRTKIT CASES [VIRTKITD]}")
cases=${2:?usage: virsh-compare.sh VIRTKIT CASES [VIRTKITD]}
vkd=${3:+$(realpath "$3")}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root to run libvirt's embedded driver as an unprivileged user"
    exit 0
fi
for tool in virsh setpriv qemu-system-x86_64; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done

work=$(mktemp -d /tmp/vkcmp-XXXXXX)
# Our guests only: other runs of this test have guests of the same names.
# Every qemu a case left running: those naming a file under $work, and those whose pid file
# (virtkit's or libvirt's, in a root under $work) names them (a guest without a disk names none).
killGuests() {
    local f pid
    pkill -9 -f -- "qemu-system.*$work/" 2>/dev/null
    while IFS= read -r -d '' f; do
        pid=$(tr -dc 0-9 <"$f" 2>/dev/null | head -c 10)
        [ -n "$pid" ] && grep -qa qemu-system "/proc/$pid/cmdline" 2>/dev/null &&
            kill -9 "$pid" 2>/dev/null
    done < <(find "$work" -name '*.pid' -print0 2>/dev/null)
}
dpid=""
cleanup() {
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    killGuests
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"
export LC_ALL=C
unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI

# TCG: the unprivileged user has no /dev/kvm. A fixed uuid, so that outputs can match.
dom=$work/cmp1.xml
cat >"$dom" <<'XML'
<domain type='qemu'>
  <name>cmp1</name>
  <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
</domain>
XML
# A fuller guest for the definitions: the defaults and addresses both drivers fill in.
dom2=$work/cmp2.xml
cat >"$dom2" <<'XML'
<domain type='qemu'>
  <name>cmp2</name>
  <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca428</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/images/cmp2.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <driver name='qemu' type='qcow2'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:12:34:56'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'/>
    <graphics type='vnc' autoport='yes'>
      <listen type='network' network='example-net'/>
    </graphics>
  </devices>
</domain>
XML
chmod 644 "$dom" "$dom2"

# Log lines libvirt prints on stderr when it starts its driver, and CPU times, say nothing
# about the commands.
normalize() {
    grep -vE ' (info|warning) : |^CPU time:' | sed "s|$1|ROOT|g"
}

n=0
failed=0
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    n=$((n + 1))
    cmd=${line//DOM2/$dom2}
    cmd=${cmd//DOM/$dom}
    lroot=$work/l$n
    vroot=$work/v$n
    mkdir -p "$lroot/home" && chown -R 65534:65534 "$lroot"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$lroot/home" XDG_RUNTIME_DIR="$lroot/home" \
        virsh -c "qemu:///embed?root=$lroot/r" "$cmd" >"$work/l.out" 2>&1
    echo "rc=$?" >>"$work/l.out"
    HOME=$work "$vk" -c "qemu:///embed?root=$vroot" "$cmd" >"$work/v.out" 2>&1
    echo "rc=$?" >>"$work/v.out"
    killGuests
    ddiff=""
    if [ -n "$vkd" ]; then
        droot=$work/d$n
        mkdir -p "$droot"
        "$vkd" --root "$droot" >"$work/d.log" 2>&1 &
        dpid=$!
        for _ in $(seq 100); do
            [ -S "$droot/run/virtkit-sock" ] && break
            sleep 0.05
        done
        virsh -c "qemu+unix:///system?socket=$droot/run/virtkit-sock" "$cmd" >"$work/d.out" 2>&1
        echo "rc=$?" >>"$work/d.out"
        kill "$dpid" && wait "$dpid"
        dpid=""
        killGuests
        diff <(normalize "$droot" <"$work/d.out") <(normalize "$vroot" <"$work/v.out") \
            >"$work/ddiff" || ddiff=1
    fi
    if diff <(normalize "$lroot/r" <"$work/l.out") <(normalize "$vroot" <"$work/v.out") \
        >"$work/diff" && [ -z "$ddiff" ]; then
        echo "ok $n - $line"
    else
        failed=$((failed + 1))
        echo "not ok $n - $line"
        sed 's/^/# /' "$work/diff"
        [ -n "$ddiff" ] && echo "# virsh->virtkitd (<) against virtkit (>):" &&
            sed 's/^/# /' "$work/ddiff"
    fi
done <"$cases"
echo "1..$n"
[ "$failed" -eq 0 ]
