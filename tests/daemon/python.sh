#!/usr/bin/env bash
# Debian's python3-libvirt (/usr/bin/python3) against virtkitd on a root of the test's own;
# python-client.py does the work and prints TAP.
# usage: python.sh VIRTKIT VIRTKITD
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkd_init python "$1" "$2"
if ! /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    echo "1..0 # SKIP python3-libvirt is not installed"
    exit 0
fi
if ! vkd_start; then
    echo "Bail out! virtkitd did not start: $(tail -n 3 "$root/virtkitd.log")"
    exit 1
fi
VKD_ROOT=$root /usr/bin/python3 "$(dirname "$0")/python-client.py" "$duri" \
    "qemu+unix:///system?socket=$root/run/virtkit-sock-ro" "$virt_type" "$prefix"
rc=$?
vkd_stop || { echo "# virtkitd did not exit cleanly"; rc=1; }
exit $rc
