#!/usr/bin/python3
"""Differential test of events: the random call sequences of libvirt-compare.py against
libvirt's test driver (python3-libvirt) and virtkit's (libvirtkit.so through ctypes), with a
domain and a network lifecycle callback registered on each side. After every call both must
have delivered the same events: object name, domain id, event and detail, in the same order.
Then a story of storage pool calls, with pool lifecycle and refresh callbacks on each side.

Usage: libvirt-events-compare.py LIBVIRTKIT.SO [SEEDS [STEPS]]. TAP output; skips without
libvirt.
"""
import ctypes
import importlib.util
import os
import random
import sys

try:
    import libvirt
except ImportError:
    print("1..0 # SKIP python3-libvirt is not installed")
    sys.exit(0)

_spec = importlib.util.spec_from_file_location(
    "libvirt_compare", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "libvirt-compare.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)


class Libvirt(base.Libvirt):
    def __init__(self):
        super().__init__()
        self.events = []
        self.ids = [
            self.conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                lambda c, d, ev, det, _: self.events.append(("dom", d.name(), d.ID(), ev, det)),
                None),
            self.conn.networkEventRegisterAny(
                None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                lambda c, n, ev, det, _: self.events.append(("net", n.name(), -1, ev, det)),
                None),
        ]

    def take_events(self):
        pump(libvirt.virEventAddTimeout, libvirt.virEventRunDefaultImpl,
             libvirt.virEventRemoveTimeout)
        events, self.events = self.events, []
        return events

    def close(self):
        self.conn.domainEventDeregisterAny(self.ids[0])
        self.conn.networkEventDeregisterAny(self.ids[1])
        super().close()


DOMAIN_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                             ctypes.c_int, ctypes.c_void_p)
NETWORK_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                              ctypes.c_int, ctypes.c_void_p)
TIMEOUT_CB = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p)


class Virtkit(base.Virtkit):
    def __init__(self, path):
        super().__init__(path)
        lib, P, INT = self.lib, ctypes.c_void_p, ctypes.c_int
        for name, restype, argtypes in [
                ("virEventRegisterDefaultImpl", INT, []),
                ("virEventRunDefaultImpl", INT, []),
                ("virEventAddTimeout", INT, [INT, TIMEOUT_CB, P, P]),
                ("virEventRemoveTimeout", INT, [INT]),
                ("virConnectDomainEventRegisterAny", INT, [P, P, INT, DOMAIN_CB, P, P]),
                ("virConnectDomainEventDeregisterAny", INT, [P, INT]),
                ("virConnectNetworkEventRegisterAny", INT, [P, P, INT, NETWORK_CB, P, P]),
                ("virConnectNetworkEventDeregisterAny", INT, [P, INT])]:
            func = getattr(lib, name)
            func.restype, func.argtypes = restype, argtypes
        assert lib.virEventRegisterDefaultImpl() == 0
        self.events = []
        self.domain_cb = DOMAIN_CB(self.on_domain)
        self.network_cb = NETWORK_CB(self.on_network)
        self.ids = [lib.virConnectDomainEventRegisterAny(self.conn, None, 0, self.domain_cb,
                                                         None, None),
                    lib.virConnectNetworkEventRegisterAny(self.conn, None, 0, self.network_cb,
                                                          None, None)]
        assert min(self.ids) >= 0

    def on_domain(self, conn, dom, event, detail, opaque):
        dom_id = self.lib.virDomainGetID(dom)
        self.events.append(("dom", self.lib.virDomainGetName(dom).decode(),
                            -1 if dom_id == 0xffffffff else dom_id, event, detail))
        return 0

    def on_network(self, conn, net, event, detail, opaque):
        self.events.append(("net", self.lib.virNetworkGetName(net).decode(), -1, event, detail))

    def take_events(self):
        lib = self.lib

        def add(ms, cb, opaque):
            c_cb = TIMEOUT_CB(cb)
            _keep.append(c_cb)
            return lib.virEventAddTimeout(ms, c_cb, None, None)
        pump(add, lib.virEventRunDefaultImpl, lib.virEventRemoveTimeout)
        events, self.events = self.events, []
        return events

    def close(self):
        assert self.lib.virConnectDomainEventDeregisterAny(self.conn, self.ids[0]) == 0
        assert self.lib.virConnectNetworkEventDeregisterAny(self.conn, self.ids[1]) == 0
        super().close()


POOL_CB = NETWORK_CB
POOL_REFRESH_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


def pool_xml(name):
    return ("<pool type='dir'><name>%s</name><target><path>/nonexistent/%s</path></target>"
            "</pool>" % (name, name))


# (call, pool): the pool calls of the story, failures included (no event then).
POOL_STORY = [("define", "p"), ("build", "p"), ("create", "p"), ("refresh", "p"),
              ("build", "p"), ("destroy", "p"), ("refresh", "p"), ("delete", "p"),
              ("undefine", "p"), ("createxml", "t"), ("refresh", "t"), ("destroy", "t"),
              ("define", "default-pool")]


class LibvirtPools:
    def __init__(self):
        self.conn = libvirt.open("test:///default")
        self.events = []
        self.ids = [
            self.conn.storagePoolEventRegisterAny(
                None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                lambda c, p, ev, det, _: self.events.append(("pool", p.name(), ev, det)), None),
            self.conn.storagePoolEventRegisterAny(
                None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                lambda c, p, _: self.events.append(("refresh", p.name())), None),
        ]

    def call(self, kind, name):
        c = self.conn
        calls = {
            "define": lambda: c.storagePoolDefineXML(pool_xml(name)),
            "createxml": lambda: c.storagePoolCreateXML(pool_xml(name)),
            "build": lambda: c.storagePoolLookupByName(name).build(),
            "create": lambda: c.storagePoolLookupByName(name).create(),
            "refresh": lambda: c.storagePoolLookupByName(name).refresh(),
            "destroy": lambda: c.storagePoolLookupByName(name).destroy(),
            "delete": lambda: c.storagePoolLookupByName(name).delete(),
            "undefine": lambda: c.storagePoolLookupByName(name).undefine(),
        }
        try:
            calls[kind]()
            return True
        except libvirt.libvirtError:
            return False

    def take_events(self):
        pump(libvirt.virEventAddTimeout, libvirt.virEventRunDefaultImpl,
             libvirt.virEventRemoveTimeout)
        events, self.events = self.events, []
        return events

    def close(self):
        for cb in self.ids:
            self.conn.storagePoolEventDeregisterAny(cb)
        self.conn.close()


class VirtkitPools(Virtkit):
    def __init__(self, path):
        super().__init__(path)
        lib, P, INT, STR, UINT = self.lib, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, \
            ctypes.c_uint
        for name, restype, argtypes in [
                ("virConnectStoragePoolEventRegisterAny", INT, [P, P, INT, P, P, P]),
                ("virConnectStoragePoolEventDeregisterAny", INT, [P, INT]),
                ("virStoragePoolGetName", STR, [P]),
                ("virStoragePoolLookupByName", P, [P, STR]),
                ("virStoragePoolDefineXML", P, [P, STR, UINT]),
                ("virStoragePoolCreateXML", P, [P, STR, UINT]),
                ("virStoragePoolBuild", INT, [P, UINT]),
                ("virStoragePoolCreate", INT, [P, UINT]),
                ("virStoragePoolRefresh", INT, [P, UINT]),
                ("virStoragePoolDestroy", INT, [P]),
                ("virStoragePoolDelete", INT, [P, UINT]),
                ("virStoragePoolUndefine", INT, [P]),
                ("virStoragePoolFree", INT, [P])]:
            func = getattr(lib, name)
            func.restype, func.argtypes = restype, argtypes
        self.pool_cb = POOL_CB(self.on_pool)
        self.refresh_cb = POOL_REFRESH_CB(self.on_refresh)
        self.pool_ids = [
            lib.virConnectStoragePoolEventRegisterAny(
                self.conn, None, 0, ctypes.cast(self.pool_cb, P), None, None),
            lib.virConnectStoragePoolEventRegisterAny(
                self.conn, None, 1, ctypes.cast(self.refresh_cb, P), None, None)]
        assert min(self.pool_ids) >= 0

    def on_pool(self, conn, pool, event, detail, opaque):
        self.events.append(("pool", self.lib.virStoragePoolGetName(pool).decode(), event, detail))

    def on_refresh(self, conn, pool, opaque):
        self.events.append(("refresh", self.lib.virStoragePoolGetName(pool).decode()))

    def call(self, kind, name):
        lib, conn = self.lib, self.conn
        if kind in ("define", "createxml"):
            make = lib.virStoragePoolDefineXML if kind == "define" else lib.virStoragePoolCreateXML
            pool = make(conn, pool_xml(name).encode(), 0)
            if pool:
                lib.virStoragePoolFree(pool)
            return bool(pool)
        actions = {
            "build": lambda p: lib.virStoragePoolBuild(p, 0),
            "create": lambda p: lib.virStoragePoolCreate(p, 0),
            "refresh": lambda p: lib.virStoragePoolRefresh(p, 0),
            "destroy": lib.virStoragePoolDestroy,
            "delete": lambda p: lib.virStoragePoolDelete(p, 0),
            "undefine": lib.virStoragePoolUndefine,
        }
        pool = lib.virStoragePoolLookupByName(conn, name.encode())
        if not pool:
            return False
        ok = actions[kind](pool) == 0
        lib.virStoragePoolFree(pool)
        return ok

    def close(self):
        for cb in self.pool_ids:
            assert self.lib.virConnectStoragePoolEventDeregisterAny(self.conn, cb) == 0
        super().close()


def compare_pools(virtkit_path):
    reference, ours = LibvirtPools(), VirtkitPools(virtkit_path)
    try:
        ours.take_events()  # what the world's domains and networks said on opening
        for call in POOL_STORY:
            want, got = reference.call(*call), ours.call(*call)
            if want != got:
                return "pool story %s: succeeded %s, virtkit %s" % (call, want, got)
            want, got = reference.take_events(), ours.take_events()
            if want != got:
                return "pool story %s: events differ\n  libvirt: %s\n  virtkit: %s" % (
                    call, want, got)
        return None
    finally:
        reference.close()
        ours.close()


# Callbacks handed to C must outlive the call that registered them.
_keep = []


def pump(add_timeout, run_once, remove_timeout):
    """Runs the loop until a timer added now has fired: events queued before it are due at
    once too, so they have all been delivered by then."""
    fired = []
    cb = lambda timer, opaque: fired.append(timer)
    _keep.append(cb)
    timer = add_timeout(0, cb, None)
    assert timer > 0
    while not fired:
        run_once()
    remove_timeout(timer)
    del _keep[:]


def compare(reference, ours, seed, steps):
    rng = random.Random(seed)
    for step in range(steps):
        call = base.random_call(rng)
        want, got = reference.call(*call), ours.call(*call)
        if want != got:
            return "seed %d step %d %s: results differ\n  libvirt: %s\n  virtkit: %s" % (
                seed, step, call, want, got)
        want, got = reference.take_events(), ours.take_events()
        if want != got:
            return "seed %d step %d %s: events differ\n  libvirt: %s\n  virtkit: %s" % (
                seed, step, call, want, got)
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
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    libvirt.virEventRegisterDefaultImpl()
    print("1..%d" % (seeds + 1))
    failed = False
    for seed in range(1, seeds + 1):
        problem = run(path, seed, steps)
        if problem:
            failed = True
            print("not ok %d - seed %d" % (seed, seed))
            print("\n".join("# " + line for line in problem.splitlines()))
        else:
            print("ok %d - seed %d: %d calls emit the same events" % (seed, seed, steps))
    problem = compare_pools(path)
    if problem:
        failed = True
        print("not ok %d - storage pool events" % (seeds + 1))
        print("\n".join("# " + line for line in problem.splitlines()))
    else:
        print("ok %d - storage pool events: the same, call by call" % (seeds + 1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
