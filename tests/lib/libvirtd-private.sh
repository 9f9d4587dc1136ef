# Sourced by every test and benchmark that runs Debian's libvirtd for comparison: libvirtd run
# fully private inside namespaces of its own (lv_unshare), so that it sees none of the host's
# libvirt state and the host sees none of its own, whether or not the machine runs a libvirtd:
# empty tmpfs over libvirt's directories, its own config, sockets and pid file under the test's
# directory, no cgroups (no machine scopes or cgroup directories named after our guests on the
# host) and no D-Bus (no machined, firewalld or logind of the host). Clients reach it with
# "?socket=$LV_SOCK" (or $LV_SOCK_RO) in their URI.
#
#   lv_unshare bash SCRIPT ARGS...   # SCRIPT sources this file, then:
#       lv_private_setup "$dir"      # once per namespace
#       lv_start || exit 1           # as often as fresh daemons are wanted, each after lv_stop
#       virsh -c "qemu:///system?socket=$LV_SOCK" ...
#       lv_stop

# lv_unshare CMD [ARGS]: runs CMD in new mount, network and pid namespaces, in which
# lv_private_setup may then be used; everything started there dies with CMD.
lv_unshare() {
    unshare --mount --net --pid --fork --kill-child --mount-proc "$@"
}

# lv_private_dirs DIR: the mounts only, for a caller that configures and starts libvirtd by
# itself (bench/lifecycle): empty tmpfs over libvirt's configuration, runtime, state and log
# directories and over /run/dbus, DIR/cache as libvirt's cache, and the accounts Debian's
# packages create in private copies of /etc/passwd and /etc/group.
lv_private_dirs() {
    local dir=$1 d user name id group
    mount --make-rprivate / || return 1
    for d in /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /run/dbus; do
        mkdir -p "$d" && mount -t tmpfs tmpfs "$d" || return 1
    done
    mkdir -p "$dir/cache" /var/cache/libvirt && mount --bind "$dir/cache" /var/cache/libvirt ||
        return 1
    cp /etc/passwd "$dir/passwd" && cp /etc/group "$dir/group" || return 1
    for user in libvirt-qemu:64055 libvirt-dnsmasq:64056; do
        name=${user%%:*} id=${user#*:}
        grep -q "^$name:" /etc/passwd ||
            echo "$name:x:$id:$id::/var/lib/libvirt:/usr/sbin/nologin" >>"$dir/passwd"
        grep -q "^$name:" /etc/group || echo "$name:x:$id:" >>"$dir/group"
    done
    for group in kvm:64057 libvirt:64058; do
        grep -q "^${group%%:*}:" /etc/group || echo "${group%%:*}:x:${group#*:}:" >>"$dir/group"
    done
    mount --bind "$dir/passwd" /etc/passwd && mount --bind "$dir/group" /etc/group
}

# lv_private_setup DIR: prepares the namespaces once. DIR is the test's directory; its cache/
# keeps qemu's probed capabilities across the libvirtd instances of one test run.
lv_private_setup() {
    local dir=$1
    ip link set lo up
    lv_private_dirs "$dir" || return 1
    # Lazily, so that nothing mounted below stays visible in /proc/mounts: libvirt then runs
    # guests without cgroups.
    umount -R -l /sys/fs/cgroup 2>/dev/null
    mkdir -p "$dir/run"
    cat >"$dir/libvirtd.conf" <<EOC
unix_sock_dir = "$dir/run"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tcp = 0
listen_tls = 0
EOC
    # Guests run as root without a security driver or private /dev: the namespaces are the
    # isolation here.
    cat >/etc/libvirt/qemu.conf <<EOC
security_driver = "none"
user = "root"
group = "root"
namespaces = [ ]
stdio_handler = "file"
EOC
    LV_DIR=$dir
    LV_SOCK=$dir/run/libvirt-sock
    LV_SOCK_RO=$dir/run/libvirt-sock-ro
}

# lv_tls_config PKIDIR: also listen for TLS on 127.0.0.1:16514 (the namespace's own loopback)
# with the certificates of tests/rpc/make-certs.sh; clients must be CN=vkclient.
lv_tls_config() {
    cat >>"$LV_DIR/libvirtd.conf" <<EOC
listen_tls = 1
listen_addr = "127.0.0.1"
tls_port = "16514"
auth_tls = "none"
ca_file = "$1/cacert.pem"
cert_file = "$1/servercert.pem"
key_file = "$1/serverkey.pem"
tls_allowed_dn_list = ["*CN=vkclient*"]
EOC
    sed -i '/^listen_tls = 0$/d' "$LV_DIR/libvirtd.conf"
    LV_LISTEN=--listen
}

# lv_tcp_config PORT: also listen for plain TCP on 127.0.0.1:PORT without authentication.
lv_tcp_config() {
    cat >>"$LV_DIR/libvirtd.conf" <<EOC
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$1"
auth_tcp = "none"
EOC
    sed -i '/^listen_tcp = 0$/d' "$LV_DIR/libvirtd.conf"
    LV_LISTEN=--listen
}

# lv_start: starts libvirtd and waits for its socket; LV_PID is its pid. Fails (with its log
# on stderr) when it does not come up.
lv_start() {
    rm -f "$LV_SOCK" "$LV_SOCK_RO"
    libvirtd -f "$LV_DIR/libvirtd.conf" -p "$LV_DIR/libvirtd.pid" ${LV_LISTEN:-} \
        >>"$LV_DIR/libvirtd.log" 2>&1 &
    LV_PID=$!
    for _ in $(seq 600); do
        [ -S "$LV_SOCK" ] && return 0
        kill -0 "$LV_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "libvirtd did not start:" >&2
    tail -n 20 "$LV_DIR/libvirtd.log" >&2
    return 1
}

# lv_stop: stops libvirtd (its guests die with the pid namespace).
lv_stop() {
    kill "$LV_PID" 2>/dev/null
    wait "$LV_PID" 2>/dev/null
}

# lv_virtkitd_start VIRTKITD DIR: virtkitd in place of libvirtd, for the tests that run their
# cases against both: on the root DIR/vkroot (its log DIR/virtkitd.log); sets LV_SOCK to its
# read-write socket once it is there.
lv_virtkitd_start() {
    local root=$2/vkroot
    mkdir -p "$root"
    "$1" --root "$root" >"$2/virtkitd.log" 2>&1 &
    for _ in $(seq 300); do
        [ -S "$root/run/virtkit-sock" ] && break
        sleep 0.1
    done
    LV_SOCK=$root/run/virtkit-sock
}
