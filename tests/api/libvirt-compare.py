#!/usr/bin/python3
"""Differential test: the same random sequences of lifecycle calls against libvirt's test
driver (python3-libvirt) and virtkit's (libvirtkit.so through ctypes). After every call the
two must agree on success or failure, the error code and message, and the whole world: each
domain's id, state, reason, persistence, autostart, memory and live and inactive XML, and each
network's state and bridge.

Usage: libvirt-compare.py LIBVIRTKIT.SO [SEEDS [STEPS]]. TAP output; skips without libvirt.

Two deliberate differences are allowed for:
- a failed lookup by name says "Domain not found: no domain with matching name 'x'" where
  libvirt's test driver says only "Domain not found";
- a network (re)defined or created over while active comes back with its persistent
  definition when it stops, as with libvirt's network driver; libvirt's test driver keeps
  the definition it ran with. Bridges of networks that went through this are not compared.
"""
import ctypes
import random
import re
import sys

try:
    import libvirt
except ImportError:
    print("1..0 # SKIP python3-libvirt is not installed")
    sys.exit(0)

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

DOMAINS = {"test": "6695eb01-f6a4-8304-79aa-97f2502e193f",
           "a": "11111111-1111-1111-1111-111111111111",
           "b": "22222222-2222-2222-2222-222222222222"}
NETWORKS = {"default": "dd8fe884-6c02-601e-7551-cca97df1c5df",
            "n1": "33333333-3333-3333-3333-333333333333",
            "n2": "44444444-4444-4444-4444-444444444444"}
KNOWN_UUIDS = set(DOMAINS.values()) | set(NETWORKS.values())


def domain_xml(name, memory, uuid_of, poweroff, reboot):
    uuid = "<uuid>%s</uuid>" % DOMAINS[uuid_of] if uuid_of else ""
    return ("<domain type='test'><name>%s</name>%s<memory>%d</memory><vcpu>1</vcpu>"
            "<os><type>hvm</type></os><on_poweroff>%s</on_poweroff>"
            "<on_reboot>%s</on_reboot></domain>" % (name, uuid, memory, poweroff, reboot))


def network_xml(name, uuid_of, bridge):
    uuid = "<uuid>%s</uuid>" % NETWORKS[uuid_of] if uuid_of else ""
    bridge = "<bridge name='%s'/>" % bridge if bridge else ""
    return "<network><name>%s</name>%s%s</network>" % (name, uuid, bridge)


def scrub(text):
    """Generated UUIDs differ between the two; the ones we chose must not."""
    return UUID_RE.sub(lambda m: m.group(0) if m.group(0) in KNOWN_UUIDS else "<random>", text)


def normalize_error(code, message):
    message = scrub(message)
    if code == libvirt.VIR_ERR_NO_DOMAIN and \
            message.startswith("Domain not found: no domain with matching name"):
        message = "Domain not found"
    return code, message


def random_call(rng):
    kind = rng.choice(["define", "createxml", "create", "destroy", "shutdown", "suspend",
                       "resume", "reboot", "undefine", "autostart", "create", "destroy",
                       "ndefine", "ncreatexml", "ncreate", "ndestroy", "nundefine",
                       "nautostart"])
    dom, net = rng.choice(list(DOMAINS)), rng.choice(list(NETWORKS))
    if kind in ("define", "createxml"):
        return (kind, dom, rng.choice([1024, 2048]), rng.choice([dom, dom, None] + list(DOMAINS)),
                rng.choice(["destroy", "restart"]), rng.choice(["destroy", "restart"]))
    if kind in ("ndefine", "ncreatexml"):
        return (kind, net, rng.choice([net, net, None] + list(NETWORKS)),
                rng.choice([None, "br0", "br1"]))
    if kind == "autostart":
        return (kind, dom, rng.randint(0, 1))
    if kind == "nautostart":
        return (kind, net, rng.randint(0, 1))
    return (kind, net) if kind.startswith("n") else (kind, dom)


class Libvirt:
    def __init__(self):
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        self.conn = libvirt.open("test:///default")

    def close(self):
        self.conn.close()

    def call(self, kind, *args):
        c = self.conn
        dom = lambda name: c.lookupByName(name)
        net = lambda name: c.networkLookupByName(name)
        calls = {
            "define": lambda *a: c.defineXML(domain_xml(*a)),
            "createxml": lambda *a: c.createXML(domain_xml(*a), 0),
            "create": lambda n: dom(n).create(),
            "destroy": lambda n: dom(n).destroy(),
            "shutdown": lambda n: dom(n).shutdown(),
            "suspend": lambda n: dom(n).suspend(),
            "resume": lambda n: dom(n).resume(),
            "reboot": lambda n: dom(n).reboot(0),
            "undefine": lambda n: dom(n).undefine(),
            "autostart": lambda n, v: dom(n).setAutostart(v),
            "ndefine": lambda *a: c.networkDefineXML(network_xml(*a)),
            "ncreatexml": lambda *a: c.networkCreateXML(network_xml(*a)),
            "ncreate": lambda n: net(n).create(),
            "ndestroy": lambda n: net(n).destroy(),
            "nundefine": lambda n: net(n).undefine(),
            "nautostart": lambda n, v: net(n).setAutostart(v),
        }
        try:
            calls[kind](*args)
            return None
        except libvirt.libvirtError as e:
            return normalize_error(e.get_error_code(), e.get_error_message())

    def world(self):
        doms = []
        for d in self.conn.listAllDomains(0):
            state, reason = d.state()
            doms.append((d.name(), d.ID(), state, reason, d.isPersistent(), d.isActive(),
                         d.autostart(), d.maxMemory(), scrub(d.XMLDesc(0)),
                         scrub(d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))))
        nets = []
        for n in self.conn.listAllNetworks(0):
            try:
                bridge = n.bridgeName()
            except libvirt.libvirtError:
                bridge = None
            nets.append((n.name(), n.isActive(), n.isPersistent(), n.autostart(), bridge))
        return sorted(doms), sorted(nets)


class VirError(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("domain", ctypes.c_int), ("message", ctypes.c_char_p),
                ("level", ctypes.c_int), ("conn", ctypes.c_void_p), ("dom", ctypes.c_void_p),
                ("str1", ctypes.c_char_p), ("str2", ctypes.c_char_p), ("str3", ctypes.c_char_p),
                ("int1", ctypes.c_int), ("int2", ctypes.c_int), ("net", ctypes.c_void_p)]


class Virtkit:
    P, INT, UINT, STR = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_char_p
    INTP, LISTP = ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))
    SIGNATURES = {
        "virConnectOpen": (P, [STR]),
        "virConnectClose": (INT, [P]),
        "virSetErrorFunc": (None, [P, P]),
        "virGetLastError": (ctypes.POINTER(VirError), []),
        "virDomainLookupByName": (P, [P, STR]),
        "virDomainDefineXML": (P, [P, STR]),
        "virDomainCreateXML": (P, [P, STR, UINT]),
        "virDomainFree": (INT, [P]),
        "virDomainCreate": (INT, [P]),
        "virDomainDestroy": (INT, [P]),
        "virDomainShutdown": (INT, [P]),
        "virDomainSuspend": (INT, [P]),
        "virDomainResume": (INT, [P]),
        "virDomainReboot": (INT, [P, UINT]),
        "virDomainUndefine": (INT, [P]),
        "virDomainSetAutostart": (INT, [P, INT]),
        "virDomainGetAutostart": (INT, [P, INTP]),
        "virDomainGetName": (STR, [P]),
        "virDomainGetID": (UINT, [P]),
        "virDomainGetState": (INT, [P, INTP, INTP, UINT]),
        "virDomainIsPersistent": (INT, [P]),
        "virDomainIsActive": (INT, [P]),
        "virDomainGetMaxMemory": (ctypes.c_ulong, [P]),
        "virDomainGetXMLDesc": (P, [P, UINT]),
        "virConnectListAllDomains": (INT, [P, LISTP, UINT]),
        "virNetworkLookupByName": (P, [P, STR]),
        "virNetworkDefineXML": (P, [P, STR]),
        "virNetworkCreateXML": (P, [P, STR]),
        "virNetworkFree": (INT, [P]),
        "virNetworkCreate": (INT, [P]),
        "virNetworkDestroy": (INT, [P]),
        "virNetworkUndefine": (INT, [P]),
        "virNetworkSetAutostart": (INT, [P, INT]),
        "virNetworkGetAutostart": (INT, [P, INTP]),
        "virNetworkGetName": (STR, [P]),
        "virNetworkIsActive": (INT, [P]),
        "virNetworkIsPersistent": (INT, [P]),
        "virNetworkGetBridgeName": (P, [P]),
        "virConnectListAllNetworks": (INT, [P, LISTP, UINT]),
    }

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        for name, (restype, argtypes) in self.SIGNATURES.items():
            func = getattr(self.lib, name)
            func.restype, func.argtypes = restype, argtypes
        self.libc = ctypes.CDLL(None)
        self.libc.free.argtypes = [ctypes.c_void_p]
        self.quiet = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(lambda a, b: None)
        self.lib.virSetErrorFunc(None, ctypes.cast(self.quiet, ctypes.c_void_p))
        self.conn = self.lib.virConnectOpen(b"test:///default")
        assert self.conn

    def close(self):
        # Zero: every handle was released, so the next run starts from a fresh world.
        assert self.lib.virConnectClose(self.conn) == 0

    def take_string(self, ptr):
        text = ctypes.string_at(ptr).decode()
        self.libc.free(ptr)
        return text

    def last_error(self):
        err = self.lib.virGetLastError()
        return (err.contents.code, err.contents.message.decode()) if err else None

    def on_object(self, lookup, free, name, action):
        """Run action on a fresh handle; the error is the one action left, if any."""
        obj = lookup(self.conn, name.encode())
        if not obj:
            return -1, self.last_error()
        ret = action(obj)
        err = self.last_error() if ret < 0 else None
        free(obj)
        return ret, err

    def call(self, kind, *args):
        lib, conn = self.lib, self.conn

        def created(ptr, free):
            if not ptr:
                return -1, self.last_error()
            free(ptr)
            return 0, None

        dom = lambda n, act: self.on_object(lib.virDomainLookupByName, lib.virDomainFree, n, act)
        net = lambda n, act: self.on_object(lib.virNetworkLookupByName, lib.virNetworkFree, n, act)
        calls = {
            "define": lambda *a: created(
                lib.virDomainDefineXML(conn, domain_xml(*a).encode()), lib.virDomainFree),
            "createxml": lambda *a: created(
                lib.virDomainCreateXML(conn, domain_xml(*a).encode(), 0), lib.virDomainFree),
            "create": lambda n: dom(n, lib.virDomainCreate),
            "destroy": lambda n: dom(n, lib.virDomainDestroy),
            "shutdown": lambda n: dom(n, lib.virDomainShutdown),
            "suspend": lambda n: dom(n, lib.virDomainSuspend),
            "resume": lambda n: dom(n, lib.virDomainResume),
            "reboot": lambda n: dom(n, lambda d: lib.virDomainReboot(d, 0)),
            "undefine": lambda n: dom(n, lib.virDomainUndefine),
            "autostart": lambda n, v: dom(n, lambda d: lib.virDomainSetAutostart(d, v)),
            "ndefine": lambda *a: created(
                lib.virNetworkDefineXML(conn, network_xml(*a).encode()), lib.virNetworkFree),
            "ncreatexml": lambda *a: created(
                lib.virNetworkCreateXML(conn, network_xml(*a).encode()), lib.virNetworkFree),
            "ncreate": lambda n: net(n, lib.virNetworkCreate),
            "ndestroy": lambda n: net(n, lib.virNetworkDestroy),
            "nundefine": lambda n: net(n, lib.virNetworkUndefine),
            "nautostart": lambda n, v: net(n, lambda p: lib.virNetworkSetAutostart(p, v)),
        }
        ret, err = calls[kind](*args)
        return normalize_error(*err) if ret < 0 else None

    def listing(self, list_all):
        array = ctypes.POINTER(ctypes.c_void_p)()
        count = list_all(self.conn, ctypes.byref(array), 0)
        assert count >= 0
        handles = [array[i] for i in range(count)]
        self.libc.free(ctypes.cast(array, ctypes.c_void_p))
        return handles

    def world(self):
        lib = self.lib
        doms = []
        for d in self.listing(lib.virConnectListAllDomains):
            state, reason, autostart = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
            lib.virDomainGetState(d, ctypes.byref(state), ctypes.byref(reason), 0)
            lib.virDomainGetAutostart(d, ctypes.byref(autostart))
            dom_id = lib.virDomainGetID(d)
            doms.append((lib.virDomainGetName(d).decode(),
                         -1 if dom_id == 0xffffffff else dom_id, state.value, reason.value,
                         lib.virDomainIsPersistent(d), lib.virDomainIsActive(d),
                         autostart.value, lib.virDomainGetMaxMemory(d),
                         scrub(self.take_string(lib.virDomainGetXMLDesc(d, 0))),
                         scrub(self.take_string(lib.virDomainGetXMLDesc(d, 2)))))
            lib.virDomainFree(d)
        nets = []
        for n in self.listing(lib.virConnectListAllNetworks):
            autostart = ctypes.c_int()
            lib.virNetworkGetAutostart(n, ctypes.byref(autostart))
            bridge = lib.virNetworkGetBridgeName(n)
            nets.append((lib.virNetworkGetName(n).decode(), lib.virNetworkIsActive(n),
                         lib.virNetworkIsPersistent(n), autostart.value,
                         self.take_string(bridge) if bridge else None))
            lib.virNetworkFree(n)
        return sorted(doms), sorted(nets)


def compare(reference, ours, seed, steps):
    rng = random.Random(seed)
    redefined_live = set()
    for step in range(steps):
        call = random_call(rng)
        want, got = reference.call(*call), ours.call(*call)
        if want != got:
            return "seed %d step %d %s:\n  libvirt: %s\n  virtkit: %s" % (seed, step, call, want,
                                                                        got)
        if call[0] in ("ndefine", "ncreatexml") and want is None:
            redefined_live.add(call[1])
        worlds = []
        for doms, nets in (reference.world(), ours.world()):
            nets = [n[:4] + ((None,) if n[0] in redefined_live else n[4:]) for n in nets]
            worlds.append((doms, nets))
        if worlds[0] != worlds[1]:
            return "seed %d step %d %s: worlds differ\n  libvirt: %s\n  virtkit: %s" % (
                seed, step, call, worlds[0], worlds[1])
    return None


def run(virtkit_path, seed, steps):
    reference, ours = Libvirt(), Virtkit(virtkit_path)
    try:
        return compare(reference, ours, seed, steps)
    finally:
        reference.close()
        ours.close()


def main():
    path = sys.argv[1]
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    print("1..%d" % seeds)
    failed = False
    for seed in range(1, seeds + 1):
        problem = run(path, seed, steps)
        if problem:
            failed = True
            print("not ok %d - seed %d" % (seed, seed))
            print("\n".join("# " + line for line in problem.splitlines()))
        else:
            print("ok %d - seed %d: %d calls agree" % (seed, seed, steps))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
