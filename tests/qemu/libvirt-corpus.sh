#!/usr/bin/env bash
# libvirt 9.0's qemu test inputs (tests/qemuxml2argvdata) as a yardstick: of the x86 inputs
# (arch x86_64 or i686, or none), those libvirt's own parser accepts (its test driver, through
# python3-libvirt) go to qemucorpustest, which prints the tallies.
# usage: libvirt-corpus.sh QEMUCORPUSTEST MIN-ACCEPT-PERCENT MIN-MATCH-PERCENT
# The corpus comes from libvirt's Debian source package, which scripts/setup-deps.sh unpacks
# into /var/cache/virtkit-test/libvirt-9.0.0 (VK_LIBVIRT_SOURCE overrides); without it the
# test is skipped.
set -u
tool=${1:?usage: libvirt-corpus.sh QEMUCORPUSTEST MIN-ACCEPT MIN-MATCH}
minAccept=${2:?}
minMatch=${3:?}
corpus=${VK_LIBVIRT_SOURCE:-/var/cache/virtkit-test/libvirt-9.0.0}
schema=/usr/share/libvirt/schemas/domain.rng

if [ ! -d "$corpus/tests/qemuxml2argvdata" ]; then
    echo "1..0 # SKIP libvirt's corpus is not in $corpus (scripts/setup-deps.sh fetches it)"
    exit 0
fi
if ! /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    echo "1..0 # SKIP python3-libvirt is not installed"
    exit 0
fi
if [ ! -r "$schema" ]; then
    echo "1..0 # SKIP $schema not found (Debian package libvirt0)"
    exit 0
fi

work=$(mktemp -d /tmp/vkcorpus-XXXXXX)
trap 'rm -rf "$work"' EXIT

# What libvirt accepts: a define on its test driver, in this process only.
/usr/bin/python3 - "$corpus/tests/qemuxml2argvdata" >"$work/accepted" <<'PY' || exit 1
import glob, sys, xml.etree.ElementTree as ET
import libvirt
libvirt.registerErrorHandler(lambda *args: None, None)
conn = libvirt.open("test:///default")
for path in sorted(glob.glob(sys.argv[1] + "/*.xml")):
    try:
        os_type = ET.parse(path).getroot().find("os/type")
    except ET.ParseError:
        continue
    arch = os_type.get("arch") if os_type is not None else None
    if arch not in (None, "x86_64", "i686"):
        continue
    try:
        dom = conn.defineXML(open(path).read())
    except libvirt.libvirtError:
        continue
    dom.undefine()
    print(path)
PY
"$tool" "$corpus" "$work/accepted" "$schema" "$minAccept" "$minMatch"
