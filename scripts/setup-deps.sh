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
    # runtime: UEFI firmware (with its descriptors in /usr/share/qemu/firmware), TPM emulator
    ovmf swtpm swtpm-tools
    # tests: schema checks, reference virsh and python bindings, fuzzing
    libxml2-utils libvirt0 libvirt-clients python3-libvirt clang libclang-rt-14-dev
    iptables libvirt-daemon libvirt-daemon-driver-qemu openssl procps util-linux gnutls-bin
    # tests: logical storage pools (LVM), fs pools (mkfs, blkid)
    lvm2 e2fsprogs
    # tests: libvirt's own test corpus comes from its Debian source package
    dpkg-dev xz-utils
    # tests: the guests virt-install writes (--print-xml) for the OSes osinfo-db knows
    virtinst osinfo-db
    # tests: a kill -9 at chosen system calls (the object index)
    strace
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi

# libvirt 9.0's qemu test corpus (tests/qemuxml2argvdata, qemuxml2xmloutdata), which the
# qemu-libvirt-corpus test measures the domain model against: fetched once from Debian's source
# package into a cache outside the tree, never committed. Without it that test is skipped.
corpus_dir=/var/cache/virtkit-test/libvirt-9.0.0
corpus_sources=/etc/apt/sources.list.d/virtkit-deb-src.sources

fetch_corpus() {
    local tmp orig

    [ -f "$corpus_dir/.complete" ] && return 0
    $sudo mkdir -p "$(dirname "$corpus_dir")" || return 1
    tmp=$($sudo mktemp -d "$(dirname "$corpus_dir")/fetch-XXXXXX") || return 1
    # apt checks the files against the signed Sources index.
    if ! (cd "$tmp" && $sudo apt-get source --download-only -qq libvirt >/dev/null 2>&1); then
        # No deb-src entry on this system: Debian's own, for bookworm.
        printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
            'Suites: bookworm bookworm-updates' 'Components: main' \
            'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
            $sudo tee "$corpus_sources" >/dev/null
        $sudo apt-get update -qq &&
            (cd "$tmp" && $sudo apt-get source --download-only -qq libvirt >/dev/null 2>&1)
    fi
    orig=$tmp/libvirt_9.0.0.orig.tar.xz
    if [ ! -f "$orig" ]; then
        $sudo rm -rf "$tmp"
        return 1
    fi
    $sudo mkdir -p "$tmp/src" &&
        $sudo tar -xJf "$orig" -C "$tmp/src" --strip-components=1 \
            libvirt-9.0.0/tests/qemuxml2argvdata libvirt-9.0.0/tests/qemuxml2xmloutdata \
            libvirt-9.0.0/tests/qemuxml2xmltest.c &&
        $sudo rm -rf "$corpus_dir" && $sudo mv "$tmp/src" "$corpus_dir" &&
        $sudo touch "$corpus_dir/.complete"
    local rc=$?
    $sudo rm -rf "$tmp"
    return $rc
}

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-deps: all ${#packages[@]} packages present"
else
    echo "setup-deps: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    echo "setup-deps: done"
fi

if fetch_corpus; then
    echo "setup-deps: libvirt 9.0's test corpus in $corpus_dir"
else
    echo "setup-deps: warning: could not fetch libvirt's source package; qemu-libvirt-corpus will be skipped" >&2
fi
