#!/usr/bin/env bash
# Starts Debian's libvirtd fully private (tests/lib/libvirtd-private.sh: its own mount, network
# and pid namespaces, empty tmpfs over libvirt's directories, sockets, pid file and config under
# a temporary directory) and runs TEST against it over its unix sockets and, with certtool, over
# TLS with a throw-away CA. Whether the machine runs a libvirtd of its own does not matter. Needs
# root; TAP from TEST.
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
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d /tmp/vkrpc-libvirtd-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

tls=""
if command -v certtool >/dev/null 2>&1; then
    "$makecerts" "$tmp/pki" && tls=1
fi

# Inside the namespaces: the shared private libvirtd, with short keepalive times.
cat >"$tmp/inner.sh" <<'INNER'
set -u
lib=$1 tmp=$2 test=$3 tls=$4
. "$lib"
lv_private_setup "$tmp" || exit 1
printf 'keepalive_interval = 1\nkeepalive_count = 2\n' >>"$LV_DIR/libvirtd.conf"
[ -n "$tls" ] && lv_tls_config "$tmp/pki"
if ! lv_start 2>"$tmp/start.err"; then
    echo "1..0 # SKIP libvirtd did not start here"
    sed 's/^/# /' "$tmp/start.err"
    exit 0
fi
env=(VKTEST_LIBVIRTD_SOCKDIR="$LV_DIR/run")
[ -n "$tls" ] && env+=(VKTEST_TLS_DIR="$tmp/pki" VKTEST_TLS_PORT=16514)
env "${env[@]}" "$test" --tap
rc=$?
lv_stop
if [ $rc -ne 0 ]; then
    echo "# libvirtd's log:"
    tail -n 30 "$LV_DIR/libvirtd.log" | sed 's/^/# /'
fi
exit $rc
INNER
. "$here/../lib/libvirtd-private.sh"
lv_unshare bash "$tmp/inner.sh" "$here/../lib/libvirtd-private.sh" "$tmp" "$test" "$tls"
