/* The dispatch table assembled from the families' rows, and what their handlers share. */
#include "daemon_dispatch_priv.h"

#include <string.h>

#include "daemon_client.h"
#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* libvirt 9.0's REMOTE procedures are numbered 1..443; QEMU's few from 1. */
#define PROC_INDEX_MAX 512

typedef struct {
    const vkDaemonProc *remote[PROC_INDEX_MAX];
    const vkDaemonProc *qemu[PROC_INDEX_MAX];
} ProcIndex;

extern const vkDaemonProc vkDaemonQemuProcs[];

static void indexRows(const vkDaemonProc **index, const vkDaemonProc *rows)
{
    for (; rows->handler; rows++) {
        g_assert(rows->proc > 0 && rows->proc < PROC_INDEX_MAX && !index[rows->proc]);
        index[rows->proc] = rows;
    }
}

static gpointer buildIndex(gpointer unused)
{
    ProcIndex *index = g_new0(ProcIndex, 1);

    indexRows(index->remote, vkDaemonConnectProcs);
    indexRows(index->remote, vkDaemonDomainProcs);
    indexRows(index->remote, vkDaemonNetworkProcs);
    indexRows(index->remote, vkDaemonStorageProcs);
    indexRows(index->remote, vkDaemonEventProcs);
    indexRows(index->remote, vkDaemonStreamProcs);
    indexRows(index->remote, vkDaemonVolumeStreamProcs);
    indexRows(index->remote, vkDaemonMigrateProcs);
    indexRows(index->qemu, vkDaemonQemuProcs);
    return index;
}

const vkDaemonProc *vkDaemonProcLookup(const vkRpcProgram *program, int proc)
{
    static GOnce once = G_ONCE_INIT;
    const ProcIndex *index = g_once(&once, buildIndex, NULL);

    if (proc <= 0 || proc >= PROC_INDEX_MAX)
        return NULL;
    if (program == &vkRpcRemoteProgram)
        return index->remote[proc];
    if (program == &vkRpcQemuProgram)
        return index->qemu[proc];
    return NULL;
}

virConnectPtr vkDaemonCallConn(vkDaemonCall *call)
{
    virConnectPtr conn = vkDaemonClientGetConn(call->client);

    if (!conn)
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s",
                      "hypervisor connection not open");
    return conn;
}

virConnectPtr vkDaemonCallSecondaryConn(vkDaemonCall *call)
{
    virConnectPtr conn = vkDaemonClientGetConn(call->client);

    if (!conn)
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "connection not open");
    return conn;
}

char *vkDaemonStrdup(const char *s)
{
    /* GLib allocates with the system malloc, which XDR's free releases */
    return g_strdup(s);
}

virDomainPtr vkDaemonDomainFromWire(virConnectPtr conn, const vkr_nonnull_domain *wire)
{
    return vkDomainNew(conn, wire->name, (const unsigned char *)wire->uuid, wire->id);
}

void vkDaemonDomainToWire(virDomainPtr dom, vkr_nonnull_domain *wire)
{
    wire->name = vkDaemonStrdup(dom->name);
    memcpy(wire->uuid, dom->uuid, VIR_UUID_BUFLEN);
    wire->id = vkDomainGetCachedID(dom);
}

virNetworkPtr vkDaemonNetworkFromWire(virConnectPtr conn, const vkr_nonnull_network *wire)
{
    return vkNetworkNew(conn, wire->name, (const unsigned char *)wire->uuid);
}

void vkDaemonNetworkToWire(virNetworkPtr net, vkr_nonnull_network *wire)
{
    wire->name = vkDaemonStrdup(net->name);
    memcpy(wire->uuid, net->uuid, VIR_UUID_BUFLEN);
}

virStoragePoolPtr vkDaemonPoolFromWire(virConnectPtr conn, const vkr_nonnull_storage_pool *wire)
{
    return vkStoragePoolNew(conn, wire->name, (const unsigned char *)wire->uuid);
}

void vkDaemonPoolToWire(virStoragePoolPtr pool, vkr_nonnull_storage_pool *wire)
{
    wire->name = vkDaemonStrdup(pool->name);
    memcpy(wire->uuid, pool->uuid, VIR_UUID_BUFLEN);
}

virStorageVolPtr vkDaemonVolFromWire(virConnectPtr conn, const vkr_nonnull_storage_vol *wire)
{
    return vkStorageVolNew(conn, wire->pool, wire->name, wire->key);
}

void vkDaemonVolToWire(virStorageVolPtr vol, vkr_nonnull_storage_vol *wire)
{
    wire->pool = vkDaemonStrdup(vol->pool);
    wire->name = vkDaemonStrdup(vol->name);
    wire->key = vkDaemonStrdup(vol->key);
}

int vkDaemonCheckListMax(int max, int limit, const char *what, const char *limitName)
{
    if (max < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "max%s must be non-negative", what);
        return -1;
    }
    if (max > limit) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "max%s > %s", what, limitName);
        return -1;
    }
    return 0;
}
