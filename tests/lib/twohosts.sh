# Sourced by the tests that need two hosts (migration): two network namespaces joined by a veth
# pair, each with its own bridge br0 (IPv4), the network example-net over it in each host's root,
# and a virtkitd per host (its own root, config and host UUID, plain TCP without authentication)
# started inside its namespace. Both roots share one images directory. Needs root.
#
#   . tests/lib/twohosts.sh
#   th_setup DIR VIRTKITD VIRTKIT || exit   # DIR: the test's scratch directory
#   th_vsh 1 list --all                      # Debian's virsh inside h1, against h1's daemon
#   th_in 2 CMD...                           # any command inside h2's namespace
#   th_teardown                              # also run by the EXIT trap th_setup installs
#
# After th_setup: th_ns1/th_ns2 (namespace names), th_addr1/th_addr2 (br0 addresses),
# th_uri1/th_uri2 (qemu+tcp URIs of the daemons), th_root1/th_root2, th_images (shared), and
# th_prefix (every guest name a test makes should start with it, for the cleanup).
# shellcheck shell=bash

th_ns1=
th_ns2=
th_pids=()

# th_in HOST CMD...: CMD inside host HOST's (1 or 2) namespace.
th_in() {
    local ns=th_ns$1
    shift
    ip netns exec "${!ns}" "$@"
}

# th_vsh HOST ARGS...: Debian's virsh inside HOST, connected to HOST's daemon.
th_vsh() {
    local uri=th_uri$1
    th_in "$1" virsh -c "${!uri}" "${@:2}"
}

# th_vk HOST ARGS...: our shell inside HOST, connected to HOST's daemon.
th_vk() {
    local uri=th_uri$1
    th_in "$1" "$th_virtkit" -c "${!uri}" "${@:2}"
}

# th_host_net NS ADDR: lo up, br0 with ADDR/24, up.
th_host_net() {
    ip -n "$1" link set lo up &&
        ip -n "$1" link add br0 type bridge &&
        ip -n "$1" addr add "$2/24" dev br0 &&
        ip -n "$1" link set br0 up
}

# th_root HOST: the root, its daemon config and qemu.conf, and example-net defined there (not
# started: th_setup starts it through the daemon, as a user would).
th_root() {
    local h=$1 root=$th_dir/h$1 addr=th_addr$1
    mkdir -p "$root/etc/qemu" "$root/etc/network" || return 1
    ln -s "$th_images" "$root/images" || return 1
    # distinct host UUIDs: a destination refuses a source with its own
    cat >"$root/etc/virtkitd.conf" <<EOF
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
listen_addr = "${!addr}"
tcp_port = "16509"
host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
EOF
    # incoming migrations listen on the host's own LAN address and say so to the source
    cat >"$root/etc/qemu/qemu.conf" <<EOF
migration_address = "${!addr}"
migration_host = "${!addr}"
EOF
    cat >"$th_dir/example-net.xml" <<EOF
<network>
  <name>example-net</name>
  <forward mode='bridge'/>
  <bridge name='br0'/>
</network>
EOF
    eval "th_root$h=\$root"
}

# th_start HOST: the host's virtkitd inside its namespace; waits until it accepts clients.
th_start() {
    local root=th_root$1 pid
    th_in "$1" "$th_virtkitd" --root "${!root}" -f "${!root}/etc/virtkitd.conf" -l \
        >>"${!root}/virtkitd.log" 2>&1 &
    pid=$!
    disown "$pid"
    th_pids+=("$pid")
    eval "th_ippid$1=\$pid"
    for _ in $(seq 600); do
        if [ -s "${!root}/run/virtkitd.pid" ] && th_vsh "$1" uri >/dev/null 2>&1; then
            eval "th_pid$1=\$(cat \"\${!root}/run/virtkitd.pid\")"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "virtkitd of h$1 did not start:" >&2
    tail -n 20 "${!root}/virtkitd.log" >&2
    return 1
}

# th_stop HOST: stops that host's daemon (its guests keep running, as libvirtd's do).
th_stop() {
    local pid=th_pid$1 ippid=th_ippid$1
    [ -n "${!pid:-}" ] && kill "${!pid}" 2>/dev/null
    # not our child any more (disowned): wait for it to be gone
    while [ -n "${!ippid:-}" ] && kill -0 "${!ippid}" 2>/dev/null; do sleep 0.05; done
    eval "th_pid$1="
}

# th_setup DIR VIRTKITD VIRTKIT: both hosts up, example-net defined and active on both.
th_setup() {
    th_dir=$1
    th_virtkitd=$(realpath "$2")
    th_virtkit=$(realpath "$3")
    local tag=$$-$RANDOM
    th_prefix=th-$tag-
    th_ns1=vkth1-$tag
    th_ns2=vkth2-$tag
    th_addr1=192.168.213.1
    th_addr2=192.168.213.2
    th_uri1=qemu+tcp://$th_addr1/system
    th_uri2=qemu+tcp://$th_addr2/system
    th_images=$th_dir/images
    trap th_teardown EXIT
    mkdir -p "$th_images" || return 1
    ip netns add "$th_ns1" || return 1
    ip netns add "$th_ns2" || return 1
    # the LAN: one cable between the two bridges
    ip -n "$th_ns1" link add lan0 type veth peer name lan0 netns "$th_ns2" || return 1
    th_host_net "$th_ns1" "$th_addr1" && th_host_net "$th_ns2" "$th_addr2" || return 1
    ip -n "$th_ns1" link set lan0 master br0 up && ip -n "$th_ns2" link set lan0 master br0 up ||
        return 1
    th_root 1 && th_root 2 || return 1
    th_start 1 && th_start 2 || return 1
    for h in 1 2; do
        th_vsh "$h" net-define "$th_dir/example-net.xml" >/dev/null &&
            th_vsh "$h" net-start example-net >/dev/null || return 1
    done
}

# th_teardown: daemons, guests and every other process in the namespaces, the namespaces, the
# directory. Safe to run twice and after a partial setup.
th_teardown() {
    local ns pids p
    for p in "${th_pids[@]}"; do
        kill -9 "$p" 2>/dev/null
    done
    for ns in "$th_ns1" "$th_ns2"; do
        [ -n "$ns" ] || continue
        pids=$(ip netns pids "$ns" 2>/dev/null)
        # shellcheck disable=SC2086 # one pid a word
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
        ip netns delete "$ns" 2>/dev/null
    done
    th_pids=()
    th_ns1=
    th_ns2=
    [ -n "${th_dir:-}" ] && rm -rf "$th_dir"
    th_dir=
}
