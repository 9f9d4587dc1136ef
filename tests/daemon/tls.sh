#!/usr/bin/env bash
# virtkitd over TCP, in a network namespace of the test's own (so its ports meet nobody's):
# nothing listens without -l; TLS with a throw-away CA made by certtool, client certificates
# checked against the CA, tls_allowed_dn_list and a revocation list; plain TCP only with
# auth_tcp = "none". Debian's virsh is the client. Needs root (namespaces). TAP output.
# usage: tls.sh VIRTKIT VIRTKITD MAKE-CERTS
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init tls "$1" "$2"
makecerts=$(realpath "${3:?usage: tls.sh VIRTKIT VIRTKITD MAKE-CERTS}")
if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for a network namespace"
    exit 0
fi
for tool in virsh certtool ss; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
vkq_private_net
if [ -z "$vkq_ns" ]; then
    echo "1..0 # SKIP cannot create a network namespace here"
    exit 0
fi

pki=$root/pki
"$makecerts" "$pki" || {
    echo "1..0 # SKIP certtool could not make certificates"
    exit 0
}
# What virsh's pkipath wants: cacert.pem, clientcert.pem, clientkey.pem in one directory.
clientdir() { # name cert key [ca]
    mkdir -p "$root/$1"
    cp "$pki/${4:-cacert}.pem" "$root/$1/cacert.pem"
    cp "$pki/$2.pem" "$root/$1/clientcert.pem"
    cp "$pki/$3.pem" "$root/$1/clientkey.pem"
    echo "$root/$1"
}
good=$(clientdir good clientcert clientkey)
intruder=$(clientdir intruder intrudercert intruderkey)
nocert=$root/nocert
mkdir -p "$nocert" && cp "$pki/cacert.pem" "$nocert/"
# An allowed name, but signed by another CA: the client trusts both CAs (so that it accepts its
# own certificate and the server's); the server trusts only its own.
certtool --generate-privkey --outfile "$pki/strangerkey.pem" 2>/dev/null
printf 'cn = vkclient\ntls_www_client\nencryption_key\nsigning_key\nexpiration_days = 2\n' \
    >"$pki/stranger.info"
certtool --generate-certificate --load-privkey "$pki/strangerkey.pem" \
    --load-ca-certificate "$pki/othercacert.pem" --load-ca-privkey "$pki/othercakey.pem" \
    --template "$pki/stranger.info" --outfile "$pki/strangercert.pem" 2>/dev/null
cat "$pki/cacert.pem" "$pki/othercacert.pem" >"$pki/bothcacert.pem"
otherca=$(clientdir otherca strangercert strangerkey bothcacert)

# vkd_ns_start ARGS / vkd_ns_stop: the daemon inside the namespace. ip netns exec waits for it
# and exits with its status; signals go to the daemon itself (the pid in its pid file).
vkd_ns_start() {
    rm -f "$root/run/virtkitd.pid"
    innet "$vkd" --root "$root" "$@" >>"$root/virtkitd.log" 2>&1 &
    ip_pid=$!
    vkq_pids+=("$ip_pid")
    for _ in $(seq 600); do
        if [ -s "$root/run/virtkitd.pid" ]; then
            vkd_pid=$(cat "$root/run/virtkitd.pid")
            vkq_pids+=("$vkd_pid")
            return 0
        fi
        kill -0 "$ip_pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

vkd_ns_stop() {
    kill "$vkd_pid" 2>/dev/null
    wait "$ip_pid"
}

listening() {
    innet ss -ltnH | awk '{print $4}' | sed 's/.*://' | sort -u | tr '\n' ' '
}

tlsconf() {
    cat >"$root/etc/virtkitd.conf" <<EOF
listen_tls = 1
listen_addr = "127.0.0.1"
tls_port = "16514"
ca_file = "$pki/cacert.pem"
cert_file = "$pki/servercert.pem"
key_file = "$pki/serverkey.pem"
tls_allowed_dn_list = [ "*CN=vkclient*" ]
$1
EOF
}
mkdir -p "$root/etc"

# ---- nothing on TCP without -l ----

cat >"$root/etc/virtkitd.conf" <<EOF
listen_tcp = 1
auth_tcp = "none"
tcp_port = "16509"
EOF
vkd_ns_start
expect "without -l nothing listens on TCP" "$(listening)" ""
vkd_ns_stop

# ---- TLS ----

tlsconf ""
if vkd_ns_start -l; then
    pass "listens with TLS"
else
    fail "listens with TLS" "$(tail -n 5 "$root/virtkitd.log")"
fi
expect "only the TLS port" "$(listening)" "16514 "
tvsh() { # PKIDIR ARGS...
    local dir=$1
    shift
    innet virsh -c "qemu+tls://localhost:16514/system?pkipath=$dir" "$@"
}
g=${prefix}t
vkr define "$(domxml "$g")" >/dev/null
out=$(tvsh "$good" list --all --name 2>&1)
if grep -qxF "$g" <<<"$out"; then
    pass "a client with an allowed certificate is served"
else
    fail "a client with an allowed certificate is served" "$out"
fi
out=$(tvsh "$good" uri 2>&1)
expect "virsh's URI" "$out" "qemu+tls://localhost:16514/system?pkipath=$good"
for who in intruder nocert otherca; do
    dir=${!who}
    out=$(tvsh "$dir" list --all 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] && ! grep -qxF " -    $g   shut off" <<<"$out"; then
        pass "refused: $who"
        sed -n '1,2s/^/# /p' <<<"$out"
    else
        fail "refused: $who" "$out"
    fi
done
assert "still serving the allowed client" tvsh "$good" list --all
vkd_ns_stop

# revoke the good client's certificate
cat >"$root/crl.info" <<EOF
crl_next_update = 2
crl_number = 1
EOF
certtool --generate-crl --load-ca-privkey "$pki/cakey.pem" --load-ca-certificate "$pki/cacert.pem" \
    --load-certificate "$pki/clientcert.pem" --template "$root/crl.info" \
    --outfile "$root/crl.pem" 2>/dev/null
tlsconf "crl_file = \"$root/crl.pem\""
vkd_ns_start -l
refute "a revoked certificate is refused" tvsh "$good" list --all
vkd_ns_stop

# ---- plain TCP ----

cat >"$root/etc/virtkitd.conf" <<EOF
listen_tls = 0
listen_tcp = 1
auth_tcp = "none"
listen_addr = "127.0.0.1"
tcp_port = "16509"
EOF
if vkd_ns_start -l; then
    pass "listens on plain TCP with auth_tcp none"
else
    fail "listens on plain TCP with auth_tcp none" "$(tail -n 5 "$root/virtkitd.log")"
fi
expect "only the TCP port" "$(listening)" "16509 "
out=$(innet virsh -c "qemu+tcp://127.0.0.1:16509/system" list --all --name 2>&1)
if grep -qxF "$g" <<<"$out"; then
    pass "a TCP client is served"
else
    fail "a TCP client is served" "$out"
fi
vkd_ns_stop
vkr undefine "$g" >/dev/null

# TLS files that are not there: the daemon says which and does not start
tlsconf ""
sed -i "s|$pki/servercert.pem|$root/missing.pem|" "$root/etc/virtkitd.conf"
out=$(innet "$vkd" --root "$root" -l 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -qF "$root/missing.pem" <<<"$out"; then
    pass "a missing certificate stops the start, named"
else
    fail "a missing certificate stops the start, named" "rc=$rc" "$out"
fi

vkq_done
