#!/usr/bin/env bash
# Makes a throw-away PKI with certtool in DIR: a CA (cacert.pem), a server certificate for
# localhost/127.0.0.1 (servercert.pem, serverkey.pem), a client certificate CN=vkclient
# (clientcert.pem, clientkey.pem) and, for refusal tests, a client CN=intruder signed by the
# same CA (intrudercert.pem, intruderkey.pem) and a second, unrelated CA (othercacert.pem).
# usage: make-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"

key() { certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$1" 2>/dev/null; }

ca() { # name
    key "$1key.pem"
    printf 'cn = virtkit test %s\nca\ncert_signing_key\nexpiration_days = 2\n' "$1" >"$1.info"
    certtool --generate-self-signed --load-privkey "$1key.pem" --template "$1.info" \
        --outfile "$1cert.pem" 2>/dev/null
}

leaf() { # name cn role extra
    key "$1key.pem"
    printf 'organization = virtkit\ncn = %s\n%s\nencryption_key\nsigning_key\nexpiration_days = 2\n%s' \
        "$2" "$3" "${4:-}" >"$1.info"
    certtool --generate-certificate --load-privkey "$1key.pem" --load-ca-certificate cacert.pem \
        --load-ca-privkey cakey.pem --template "$1.info" --outfile "$1cert.pem" 2>/dev/null
}

ca ca
ca otherca
leaf server localhost tls_www_server $'dns_name = localhost\nip_address = 127.0.0.1\n'
leaf client vkclient tls_www_client
leaf intruder intruder tls_www_client
