#!/usr/bin/python3
# Debian's python3-libvirt against virtkitd: the calls management programs make (define,
# lookups, listAllDomains, XMLDesc, create, destroy, undefine, networks), error codes through
# get_error_code(), read-only refusals, and several threads sharing one connection. TAP output.
# An event loop (virEventRegisterDefaultImpl) receives the lifecycle events of both.
# usage: python-client.py URI RO-URI VIRT-TYPE PREFIX
import os
import sys
import threading
import uuid as uuidlib
import xml.etree.ElementTree as ET

import libvirt

uri, ro_uri, virt_type, prefix = sys.argv[1:5]
n = 0
failed = 0


def ok(cond, desc, diag=""):
    global n, failed
    n += 1
    if cond:
        print("ok %d - %s" % (n, desc))
    else:
        failed += 1
        print("not ok %d - %s" % (n, desc))
        if diag:
            for line in str(diag).splitlines():
                print("# " + line)


def error_of(fn, *args):
    """The libvirtError FN raises, or None."""
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        return e
    return None


def domxml(name, u):
    return """<domain type='%s'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>""" % (virt_type, name, u)


libvirt.registerErrorHandler(lambda ctx, err: None, None)
# the client's event loop, as management programs run it
libvirt.virEventRegisterDefaultImpl()
heard = []
heard_cond = threading.Condition()


def event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=event_loop, daemon=True).start()


def on_domain(conn, dom, event, detail, opaque):
    with heard_cond:
        heard.append(("dom", dom.name(), event, detail))
        heard_cond.notify_all()


def on_network(conn, net, event, detail, opaque):
    with heard_cond:
        heard.append(("net", net.name(), event, detail))
        heard_cond.notify_all()


def wait_heard(item, timeout=60):
    with heard_cond:
        return heard_cond.wait_for(lambda: item in heard, timeout)


conn = libvirt.open(uri)
ok(conn.getType() == "QEMU", "getType", conn.getType())
ok(conn.getLibVersion() == 9000000, "getLibVersion")
ok(conn.getURI() == uri, "getURI is the client's URI", conn.getURI())
ok(conn.isAlive() == 1, "isAlive")
ok(conn.getHostname() != "", "getHostname")
caps = ET.fromstring(conn.getCapabilities())
ok(caps.find("host/cpu/arch") is not None, "getCapabilities parses")
info = conn.getInfo()
ok(len(info) == 8 and info[2] > 0, "getInfo (node)", info)

name = prefix + "py"
u = str(uuidlib.uuid4())
cb_dom = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_domain, None)
ok(cb_dom >= 0, "domainEventRegisterAny", cb_dom)
e = error_of(conn.domainEventRegisterAny, None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT,
             lambda *a: None, None)
ok(e is not None, "only lifecycle events are forwarded", e)
dom = conn.defineXML(domxml(name, u))
ok(wait_heard(("dom", name, libvirt.VIR_DOMAIN_EVENT_DEFINED,
               libvirt.VIR_DOMAIN_EVENT_DEFINED_ADDED)), "event: defined", heard)
ok(dom.name() == name and dom.UUIDString() == u, "defineXML")
ok(conn.lookupByName(name).UUIDString() == u, "lookupByName")
ok(conn.lookupByUUIDString(u).name() == name, "lookupByUUIDString")
ok(conn.lookupByUUID(uuidlib.UUID(u).bytes).name() == name, "lookupByUUID")
names = [d.name() for d in conn.listAllDomains()]
ok(name in names, "listAllDomains", names)
ok(name in conn.listDefinedDomains(), "listDefinedDomains")
inactive = [d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)]
ok(name in inactive, "listAllDomains with a filter")
xml = ET.fromstring(dom.XMLDesc(0))
ok(xml.findtext("name") == name and xml.findtext("uuid") == u, "XMLDesc")
ok(dom.isActive() == 0 and dom.isPersistent() == 1, "isActive, isPersistent")
ok(dom.state() == [libvirt.VIR_DOMAIN_SHUTOFF, 0], "state of a defined guest", dom.state())
ok(dom.autostart() == 0, "autostart")
ok(dom.OSType() == "hvm", "OSType")
ok(dom.hasManagedSaveImage() == 0, "hasManagedSaveImage")
ok(dom.snapshotNum() == 0, "snapshotNum")
domcaps = ET.fromstring(conn.getDomainCapabilities())
ok(domcaps.findtext("path") == "/usr/bin/qemu-system-x86_64", "getDomainCapabilities")
e = error_of(conn.getDomainCapabilities, None, None, None, "xen")
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_INVALID_ARG,
   "getDomainCapabilities of an unknown virttype: VIR_ERR_INVALID_ARG", e)
base = conn.baselineHypervisorCPU(None, None, None, None,
                                  ["<cpu><model>Haswell</model><feature name='aes'/></cpu>"])
ok("<model fallback='forbid'>Haswell</model>" in base, "baselineHypervisorCPU", base)

ok(dom.create() == 0, "create")
ok(wait_heard(("dom", name, libvirt.VIR_DOMAIN_EVENT_STARTED,
               libvirt.VIR_DOMAIN_EVENT_STARTED_BOOTED)), "event: started", heard)
ok(dom.isActive() == 1, "running after create")
ok(dom.ID() > 0, "the handle has the guest's id", dom.ID())
ok(conn.lookupByID(dom.ID()).name() == name, "lookupByID")
ok(dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED], "state running")
ok(dom.info()[0] == libvirt.VIR_DOMAIN_RUNNING and dom.info()[1] == 65536, "info", dom.info())
ok(dom.ID() in conn.listDomainsID(), "listDomainsID")
ok(conn.numOfDomains() >= 1, "numOfDomains")
e = error_of(dom.create)
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID,
   "starting a running guest: VIR_ERR_OPERATION_INVALID", e)
ok(dom.suspend() == 0 and dom.state()[0] == libvirt.VIR_DOMAIN_PAUSED, "suspend")
ok(dom.resume() == 0 and dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, "resume")

# threads sharing the connection, each with many calls in flight over one socket
errors = []


def worker():
    try:
        for _ in range(50):
            d = conn.lookupByName(name)
            ET.fromstring(d.XMLDesc(0))
            conn.listAllDomains()
    except Exception as ex:  # noqa: BLE001 - any failure is the test's
        errors.append(ex)


threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ok(not errors, "8 threads on one connection", errors)

ro = libvirt.openReadOnly(ro_uri)
rdom = ro.lookupByName(name)
ok(rdom.isActive() == 1, "read-only: lookups work")
e = error_of(rdom.destroy)
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED
   and e.get_error_domain() == libvirt.VIR_FROM_DOMAIN
   and "read only access prevents virDomainDestroy" in e.get_error_message(),
   "read-only: destroy refused with code 29", e)
e = error_of(ro.defineXML, domxml(prefix + "ro", str(uuidlib.uuid4())))
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED,
   "read-only: defineXML refused", e)
ro.close()

ok(dom.destroy() == 0 and dom.isActive() == 0, "destroy")
ok(wait_heard(("dom", name, libvirt.VIR_DOMAIN_EVENT_STOPPED,
               libvirt.VIR_DOMAIN_EVENT_STOPPED_DESTROYED)), "event: destroyed", heard)
ok(dom.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED],
   "state after destroy", dom.state())
ok(dom.undefine() == 0, "undefine")
ok(wait_heard(("dom", name, libvirt.VIR_DOMAIN_EVENT_UNDEFINED,
               libvirt.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED)), "event: undefined", heard)
ok(error_of(conn.domainEventDeregisterAny, cb_dom) is None, "domainEventDeregisterAny")
e = error_of(conn.domainEventDeregisterAny, cb_dom)
ok(e is not None, "deregistering twice fails", e)
e = error_of(conn.lookupByName, name)
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
   and e.get_error_domain() == libvirt.VIR_FROM_QEMU,
   "lookup of an undefined guest: VIR_ERR_NO_DOMAIN", e)
e = error_of(dom.isActive)
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN,
   "a stale handle: VIR_ERR_NO_DOMAIN", e)
e = error_of(conn.defineXML, "<domain>")
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_XML_DETAIL,
   "bad XML: VIR_ERR_XML_DETAIL", e)

# networks
netname = prefix + "net"
cb_net = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, on_network,
                                      None)
ok(cb_net >= 0, "networkEventRegisterAny", cb_net)
net = conn.networkDefineXML("<network><name>%s</name></network>" % netname)
ok(wait_heard(("net", netname, libvirt.VIR_NETWORK_EVENT_DEFINED, 0)), "network event: defined",
   heard)
ok(net.name() == netname, "networkDefineXML")
ok(conn.networkLookupByName(netname).UUIDString() == net.UUIDString(), "networkLookupByName")
ok(netname in [x.name() for x in conn.listAllNetworks()], "listAllNetworks")
ok(net.isActive() == 0 and net.isPersistent() == 1 and net.autostart() == 0,
   "network isActive, isPersistent, autostart")
ok(ET.fromstring(net.XMLDesc(0)).findtext("name") == netname, "network XMLDesc")
ok(net.undefine() == 0, "network undefine")
ok(wait_heard(("net", netname, libvirt.VIR_NETWORK_EVENT_UNDEFINED, 0)),
   "network event: undefined", heard)
ok(error_of(conn.networkEventDeregisterAny, cb_net) is None, "networkEventDeregisterAny")
e = error_of(conn.networkLookupByName, netname)
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_NO_NETWORK,
   "network lookup after undefine: VIR_ERR_NO_NETWORK", e)

# storage: a directory pool and a volume in it
pooldir = os.path.join(os.environ["VKD_ROOT"], "pool-" + prefix)
poolname = prefix + "pool"
pool = conn.storagePoolDefineXML(
    "<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
    % (poolname, pooldir))
ok(pool.name() == poolname, "storagePoolDefineXML")
ok(pool.build() == 0 and pool.create() == 0 and pool.isActive() == 1, "pool build, create")
ok(poolname in [p.name() for p in conn.listAllStoragePools()], "listAllStoragePools")
vol = pool.createXML("<volume><name>v1</name><capacity unit='M'>10</capacity></volume>")
ok(vol.name() == "v1" and vol.path() == os.path.join(pooldir, "v1"), "volume createXML, path")
ok(vol.info()[1] == 10 * 1024 * 1024, "volume info", vol.info())
ok(conn.storageVolLookupByPath(vol.path()).name() == "v1", "storageVolLookupByPath")
ok([v.name() for v in pool.listAllVolumes()] == ["v1"], "listAllVolumes")
ok(vol.storagePoolLookupByVolume().name() == poolname, "storagePoolLookupByVolume")
ok(ET.fromstring(vol.XMLDesc(0)).findtext("name") == "v1", "volume XMLDesc")
e = error_of(pool.storageVolLookupByName, "nosuch")
ok(e is not None and e.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL,
   "missing volume: VIR_ERR_NO_STORAGE_VOL", e)
ok(vol.delete() == 0 and pool.numOfVolumes() == 0, "volume delete")
ok(pool.destroy() == 0 and pool.undefine() == 0, "pool destroy, undefine")

conn.close()
print("1..%d" % n)
sys.exit(1 if failed else 0)
