#!/usr/bin/python3
# Debian's python3-libvirt listening for storage pool events (both ids, one connection) on URI
# until killed; prints each as virsh's pool-event prints it, in the order they arrive.
# usage: pool-events.py URI
import sys

import libvirt

NAMES = ["Defined", "Undefined", "Started", "Stopped", "Created", "Deleted"]


def lifecycle(conn, pool, event, detail, opaque):
    print("event 'lifecycle' for storage pool %s: %s" % (pool.name(), NAMES[event]), flush=True)


def refresh(conn, pool, opaque):
    print("event 'refresh' for storage pool %s" % pool.name(), flush=True)


libvirt.virEventRegisterDefaultImpl()
conn = libvirt.open(sys.argv[1])
conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, lifecycle,
                                 None)
conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH, refresh, None)
print("listening", flush=True)
while True:
    libvirt.virEventRunDefaultImpl()
