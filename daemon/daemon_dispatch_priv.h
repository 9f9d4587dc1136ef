/* What the families' handler files (daemon_dispatch_*.c) share: typed handlers in the table and
 * the connection every handler starts from. */
#pragma once

#include <string.h>

#include "daemon_client.h"
#include "daemon_dispatch.h"
#include "util/vkerror.h"

/* Handlers take their own args and ret types; the table stores them as vkDaemonHandler. */
#define HANDLER(fn) ((vkDaemonHandler)(void (*)(void))(fn))

/* Declares CONN, the client's connection (released at the end of the scope), or fails the call
 * with libvirt's "hypervisor connection not open". */
#define CALL_CONN(call)                                  \
    g_autoptr(virConnect) conn = vkDaemonCallConn(call); \
    if (!conn)                                           \
    return -1

/* For the domain calls: CONN and DOM, the handle of the call's arguments. */
#define CALL_DOMAIN(call, wire) \
    CALL_CONN(call);            \
    g_autoptr(virDomain) dom = vkDaemonDomainFromWire(conn, (wire))

/* Network and storage calls: libvirtd words their missing connection differently. */
#define CALL_SECONDARY_CONN(call)                                 \
    g_autoptr(virConnect) conn = vkDaemonCallSecondaryConn(call); \
    if (!conn)                                                    \
    return -1

#define CALL_NETWORK(call, wire) \
    CALL_SECONDARY_CONN(call);   \
    g_autoptr(virNetwork) net = vkDaemonNetworkFromWire(conn, (wire))

#define CALL_POOL(call, wire)  \
    CALL_SECONDARY_CONN(call); \
    g_autoptr(virStoragePool) pool = vkDaemonPoolFromWire(conn, (wire))

#define CALL_VOL(call, wire)   \
    CALL_SECONDARY_CONN(call); \
    g_autoptr(virStorageVol) vol = vkDaemonVolFromWire(conn, (wire))

virConnectPtr vkDaemonCallSecondaryConn(vkDaemonCall *call);

/* libvirt's daemon checks the legacy listing calls' sizes before calling the driver. */
int vkDaemonCheckListMax(int max, int limit, const char *what, const char *limitName);
