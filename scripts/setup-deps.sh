#!/usr/bin/env bash
# Installs virtkit's build and test dependencies from Debian 12 packages; safe to run again.
set -euo pipefail

packages=(
    # build
    gcc pkg-config meson ninja-build clang-format
    libglib2.0-dev libxml2-dev libjson-c-dev libnl-3-dev libnl-route-3-dev
    libtirpc-dev libreadline-dev rpcsvc-proto libgnutls28-dev
    # runtime: guests and host networking
    qemu-system-x86 qemu-utils iproute2 dnsmasq-base nftables
    # tests: schema checks, reference virsh and python bindings, fuzzing
    libxml2-utils libvirt0 libvirt-clients python3-libvirt clang libclang-rt-14-dev
    iptables libvirt-daemon libvirt-daemon-driver-qemu openssl procps util-linux gnutls-bin
    # tests: logical storage pools (LVM), fs pools (mkfs, blkid)
    lvm2 e2fsprogs
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "setup-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done"
