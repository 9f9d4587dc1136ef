#!/usr/bin/env bash
# Runs TEST (remoteapitest) against Debian's libvirtd run privately
# (tests/lib/libvirtd-private.sh) with its unix sockets, plain TCP on 127.0.0.1:16599 and TLS on
# 127.0.0.1:16514 with a throw-away certtool CA. The namespaces also get libvirt's default client
# PKI files in a private /etc/pki, a private /etc/hosts naming 127.0.0.1 vkwrongname too (a name
# the server certificate lacks), and an empty /run/virtkit (no virtkitd answers the default
# sockets). Needs root; TAP.
# usage: remote-api.sh TEST MAKE-CERTS
set -u
here=$(dirname "$(realpath "$0")")

if [ "${1:-}" = --inner ]; then
    test=$2 dir=$3 tls=$4
    . "$here/../lib/libvirtd-private.sh"
    lv_private_setup "$dir" || exit 1
    mkdir -p /run/virtkit && mount -t tmpfs tmpfs /run/virtkit || exit 1
    cp /etc/hosts "$dir/hosts" && echo "127.0.0.1 vkwrongname" >>"$dir/hosts" &&
        mount --bind "$dir/hosts" /etc/hosts || exit 1
    lv_tcp_config 16599
    env=(VKTEST_TCP_PORT=16599)
    if [ -n "$tls" ]; then
        pki=$dir/pki
        lv_tls_config "$pki"
        # pkipath= directories: the right files; another CA's certificate as the CA; no
        # client certificate.
        mkdir -p "$pki/client" "$pki/otherca" "$pki/nocert"
        for d in client otherca; do
            cp "$pki/clientcert.pem" "$pki/clientkey.pem" "$pki/$d/"
        done
        cp "$pki/cacert.pem" "$pki/client/" && cp "$pki/cacert.pem" "$pki/nocert/"
        cp "$pki/othercacert.pem" "$pki/otherca/cacert.pem"
        mkdir -p /etc/pki && mount -t tmpfs tmpfs /etc/pki || exit 1
        mkdir -p /etc/pki/CA /etc/pki/libvirt/private
        cp "$pki/cacert.pem" /etc/pki/CA/cacert.pem
        cp "$pki/clientcert.pem" /etc/pki/libvirt/clientcert.pem
        cp "$pki/clientkey.pem" /etc/pki/libvirt/private/clientkey.pem
        env+=(VKTEST_PKI="$pki")
    fi
    lv_start || exit 1
    env "${env[@]}" VKTEST_SOCK="$LV_SOCK" VKTEST_SOCK_RO="$LV_SOCK_RO" \
        VKTEST_LIBVIRTD_PID="$LV_PID" "$test" --tap
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "# libvirtd's log:"
        tail -n 30 "$LV_DIR/libvirtd.log" | sed 's/^/# /'
    fi
    lv_stop
    exit $rc
fi

test=${1:?usage: remote-api.sh TEST MAKE-CERTS}
makecerts=${2:?usage: remote-api.sh TEST MAKE-CERTS}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd unshare ip qemu-system-x86_64; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed"
        exit 0
    fi
done

test=$(realpath "$test")
dir=$(mktemp -d /tmp/vkremote-api-XXXXXX)
chmod 755 "$dir"
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
tls=""
if command -v certtool >/dev/null 2>&1; then
    "$makecerts" "$dir/pki" && tls=1
fi
unshare --mount --net --pid --fork --kill-child --mount-proc \
    bash "$here/remote-api.sh" --inner "$test" "$dir" "$tls"
