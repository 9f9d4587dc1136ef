# Shared by the benchmarks that compare with libvirt (sourced, not run): Debian's libvirtd on
# private state, for a process already in private mount (and network, PID) namespaces.
# shellcheck shell=bash

# bench_libvirtd_start WORK: starts libvirtd (and virtlogd, which its qemu driver logs
# through) on empty tmpfs state in this private mount namespace, with the accounts Debian's
# libvirt-daemon-system would add, and waits for its socket, /run/libvirt/libvirt-sock.
# Appends the daemons' pids to libvirt_daemon_pids; sets libvirt_missing to the reason it
# could not, and libvirt_note to what differs from a stock host (qemu as root). BENCH_TYPE
# (kvm or qemu) says whether qemu needs /dev/kvm.
bench_libvirtd_start() {
    local work=$1 prog user name id major minor
    for prog in libvirtd virtlogd virsh; do
        if ! command -v $prog >/dev/null; then
            libvirt_missing="$prog is not installed (Debian packages libvirt-daemon,"
            libvirt_missing+=" libvirt-daemon-driver-qemu, libvirt-clients)"
            return
        fi
    done
    mount --make-rprivate / || {
        libvirt_missing="cannot make the mounts of this namespace private"
        return
    }
    for d in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
        if ! { mkdir -p "$d" && mount -t tmpfs tmpfs "$d"; }; then
            libvirt_missing="cannot mount a private $d"
            return
        fi
    done
    cp /etc/passwd "$work/passwd"
    cp /etc/group "$work/group"
    for user in libvirt-qemu:64055 libvirt-dnsmasq:64056; do
        name=${user%%:*} id=${user#*:}
        grep -q "^$name:" /etc/passwd ||
            echo "$name:x:$id:$id::/var/lib/libvirt:/usr/sbin/nologin" >>"$work/passwd"
        grep -q "^$name:" /etc/group || echo "$name:x:$id:" >>"$work/group"
    done
    for group in kvm:64057 libvirt:64058; do
        grep -q "^${group%%:*}:" /etc/group || echo "${group%%:*}:x:${group#*:}:" >>"$work/group"
    done
    if ! { mount --bind "$work/passwd" /etc/passwd && mount --bind "$work/group" /etc/group; }; then
        libvirt_missing="cannot add libvirt's accounts to private copies of /etc/passwd"
        return
    fi
    if [ "$BENCH_TYPE" = kvm ]; then
        # qemu runs as libvirt-qemu: give it a /dev/kvm of its own it may open, in this
        # namespace only; where device nodes cannot be made, run qemu as root instead.
        read -r major minor < <(stat -c '%t %T' /dev/kvm)
        mkdir -p "$work/dev"
        if ! { mount -t tmpfs tmpfs "$work/dev" &&
            mknod -m 0666 "$work/dev/kvm" c $((16#$major)) $((16#$minor)) &&
            mount --bind "$work/dev/kvm" /dev/kvm; } 2>/dev/null; then
            printf 'user = "root"\ngroup = "root"\n' >/etc/libvirt/qemu.conf
            libvirt_note="qemu runs as root: no private /dev/kvm node could be made"
        fi
    fi
    # Sessions of their own, so that a Ctrl-C reaches the benchmark and not the daemons.
    setsid virtlogd -p "$work/virtlogd.pid" >"$work/virtlogd.log" 2>&1 &
    libvirt_daemon_pids+=($!)
    setsid libvirtd -p "$work/libvirtd.pid" >"$work/libvirtd.log" 2>&1 &
    libvirt_daemon_pids+=($!)
    for _ in $(seq 100); do
        [ -S /run/libvirt/libvirt-sock ] && break
        sleep 0.1
    done
    [ -S /run/libvirt/libvirt-sock ] ||
        libvirt_missing="libvirtd did not start: $(tail -n 1 "$work/libvirtd.log")"
}
