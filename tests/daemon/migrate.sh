#!/usr/bin/env bash
# Migration between two hosts (issue 13): two network namespaces on one LAN, a virtkitd in each
# (tests/lib/twohosts.sh), Debian's virsh as the client. Needs root. TAP output.
# usage: migrate.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/twohosts.sh
. "$(dirname "$0")/../lib/twohosts.sh"
vkd_init migrate "$1" "$2"
if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for network namespaces"
    exit 0
fi
for tool in virsh python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
# th_setup replaces vkq_init's EXIT trap: tear down both hosts, then the rest
vkq_cleanup_extra() { th_teardown; }
if ! th_setup "$root/hosts" "$vkd" "$vk"; then
    th_teardown
    echo "1..0 # SKIP cannot set up two hosts here"
    exit 0
fi
trap 'th_teardown; vkq_cleanup' EXIT

# ---- the two hosts ----

expect "h1 reaches h2's daemon over the LAN" "$(th_vsh 1 -c "$th_uri2" uri 2>&1)" "$th_uri2"
expect "example-net is active on h1" "$(th_vsh 1 net-info example-net | awk '/^Active:/{print $2}')" yes
expect "example-net is active on h2" "$(th_vsh 2 net-info example-net | awk '/^Active:/{print $2}')" yes
uuid1=$(grep -o '[0-9a-f-]\{36\}' "$th_root1/etc/virtkitd.conf")
uuid2=$(grep -o '[0-9a-f-]\{36\}' "$th_root2/etc/virtkitd.conf")
if [ -n "$uuid1" ] && [ "$uuid1" != "$uuid2" ]; then
    pass "the hosts have distinct host UUIDs"
else
    fail "the hosts have distinct host UUIDs" "$uuid1 $uuid2"
fi

vkq_done
