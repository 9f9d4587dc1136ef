#!/usr/bin/env bash
# Starts Debian's libvirtd fully private (its own mount, network and pid namespaces; empty
# tmpfs over /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and
# /var/log/libvirt; sockets, pid file and config under a temporary directory) and runs TEST
# against it over its unix sockets and, with certtool, over TLS with a throw-away CA. Whether
# the machine runs a libvirtd of its own does not matter. Needs root; TAP from TEST.
# usage: rpc-libvirtd.sh TEST MAKE-CERTS
set -u
test=${1:?usage: rpc-libvirtd.sh TEST MAKE-CERTS}
makecerts=${2:?usage: rpc-libvirtd.sh TEST MAKE-CERTS}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd unshare ip; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed (Debian packages libvirt-daemon, util-linux, iproute2)"
        exit 0
    fi
done

test=$(realpath "$test")
tmp=$(mktemp -d /tmp/vkrpc-libvirtd-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
mkdir -p "$tmp/run"

tls=""
if command -v certtool >/dev/null 2>&1; then
    "$makecerts" "$tmp/pki" && tls=1
fi

cat >"$tmp/libvirtd.conf" <<EOC
unix_sock_dir = "$tmp/run"
auth_unix_rw = "none"
auth_unix_ro = "none"
keepalive_interval = 1
keepalive_count = 2
listen_tcp = 0
EOC
if [ -n "$tls" ]; then
    cat >>"$tmp/libvirtd.conf" <<EOC
listen_tls = 1
listen_addr = "127.0.0.1"
tls_port = "16514"
auth_tls = "none"
ca_file = "$tmp/pki/cacert.pem"
cert_file = "$tmp/pki/servercert.pem"
key_file = "$tmp/pki/serverkey.pem"
tls_allowed_dn_list = ["*CN=vkclient*"]
EOC
else
    echo "listen_tls = 0" >>"$tmp/libvirtd.conf"
fi

# Inside the namespaces: libvirtd needs the accounts Debian's packages create, added to a
# private copy of the account files.
cat >"$tmp/inner.sh" <<'INNER'
set -u
tmp=$1 test=$2 tls=$3
ip link set lo up
mount --make-rprivate /
for d in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
    mkdir -p "$d" && mount -t tmpfs tmpfs "$d" || exit 1
done
cp /etc/passwd "$tmp/passwd" && cp /etc/group "$tmp/group"
for user in libvirt-qemu:64055 libvirt-dnsmasq:64056; do
    name=${user%%:*} id=${user#*:}
    grep -q "^$name:" /etc/passwd ||
        echo "$name:x:$id:$id::/var/lib/libvirt:/usr/sbin/nologin" >>"$tmp/passwd"
    grep -q "^$name:" /etc/group || echo "$name:x:$id:" >>"$tmp/group"
done
for group in kvm:64057 libvirt:64058; do
    grep -q "^${group%%:*}:" /etc/group || echo "${group%%:*}:x:${group#*:}:" >>"$tmp/group"
done
mount --bind "$tmp/passwd" /etc/passwd && mount --bind "$tmp/group" /etc/group || exit 1

listen=""
[ -n "$tls" ] && listen=--listen
libvirtd -f "$tmp/libvirtd.conf" -p "$tmp/libvirtd.pid" $listen >"$tmp/libvirtd.log" 2>&1 &
daemon=$!
for _ in $(seq 300); do
    [ -S "$tmp/run/libvirt-sock" ] && break
    kill -0 $daemon 2>/dev/null || break
    sleep 0.1
done
if [ ! -S "$tmp/run/libvirt-sock" ]; then
    echo "1..0 # SKIP libvirtd did not start here"
    sed 's/^/# /' "$tmp/libvirtd.log"
    exit 0
fi
env=(VKTEST_LIBVIRTD_SOCKDIR="$tmp/run")
[ -n "$tls" ] && env+=(VKTEST_TLS_DIR="$tmp/pki" VKTEST_TLS_PORT=16514)
env "${env[@]}" "$test" --tap
rc=$?
kill $daemon
wait $daemon
if [ $rc -ne 0 ]; then
    echo "# libvirtd's log:"
    tail -n 30 "$tmp/libvirtd.log" | sed 's/^/# /'
fi
exit $rc
INNER
unshare --mount --net --pid --fork --mount-proc bash "$tmp/inner.sh" "$tmp" "$test" "$tls"
