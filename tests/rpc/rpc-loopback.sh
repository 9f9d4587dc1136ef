#!/usr/bin/env bash
# Runs TEST (our client against our own small server) with a throw-away PKI made by certtool,
# so that its TLS cases run too; without certtool they are left out. TAP from TEST.
# usage: rpc-loopback.sh TEST MAKE-CERTS
set -u
test=${1:?usage: rpc-loopback.sh TEST MAKE-CERTS}
makecerts=${2:?usage: rpc-loopback.sh TEST MAKE-CERTS}
tmp=$(mktemp -d /tmp/vkrpc-loopback-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if command -v certtool >/dev/null 2>&1 && "$makecerts" "$tmp/pki"; then
    export VKTEST_TLS_DIR="$tmp/pki"
fi
"$test" --tap
