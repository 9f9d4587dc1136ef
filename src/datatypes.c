/* Reference counting and validity checks for the public handles. */
#include "datatypes.h"

#include <string.h>

#include "driver.h"

/* Distinct values per kind, cleared on free, so a freed or mistyped handle is refused. */
#define VK_CONNECT_MAGIC 0x766b436fu
#define VK_DOMAIN_MAGIC  0x766b446fu
#define VK_NETWORK_MAGIC 0x766b4e65u
#define VK_POOL_MAGIC    0x766b506fu
#define VK_VOL_MAGIC     0x766b566fu

gboolean vkIsConnect(virConnectPtr conn)
{
    return conn && conn->magic == VK_CONNECT_MAGIC;
}

gboolean vkIsDomain(virDomainPtr dom)
{
    return dom && dom->magic == VK_DOMAIN_MAGIC && vkIsConnect(dom->conn);
}

gboolean vkIsNetwork(virNetworkPtr net)
{
    return net && net->magic == VK_NETWORK_MAGIC && vkIsConnect(net->conn);
}

virConnectPtr vkConnectNew(const char *uri, unsigned int flags)
{
    virConnectPtr conn = g_new0(virConnect, 1);

    conn->magic = VK_CONNECT_MAGIC;
    conn->refs = 1;
    conn->flags = flags;
    conn->uri = g_strdup(uri);
    g_mutex_init(&conn->lock);
    return conn;
}

void vkConnectRef(virConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
}

static void connectDispose(virConnectPtr conn)
{
    if (conn->driver) {
        const vkNetworkDriver *net = conn->driver->networkDriver;
        if (net && net->connectClose)
            net->connectClose(conn);
        if (conn->driver->storageDriver && conn->driver->storageDriver->connectClose)
            conn->driver->storageDriver->connectClose(conn);
        if (conn->driver->hypervisorDriver->connectClose)
            conn->driver->hypervisorDriver->connectClose(conn);
    }
    conn->magic = 0;
    virResetError(&conn->err);
    g_mutex_clear(&conn->lock);
    g_free(conn->uri);
    g_free(conn);
}

int vkConnectUnref(virConnectPtr conn)
{
    int left = g_atomic_int_add(&conn->refs, -1) - 1;

    if (left == 0)
        connectDispose(conn);
    return left;
}

virDomainPtr vkDomainNew(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    virDomainPtr dom = g_new0(virDomain, 1);

    dom->magic = VK_DOMAIN_MAGIC;
    dom->refs = 1;
    vkConnectRef(conn);
    dom->conn = conn;
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

void vkDomainRef(virDomainPtr dom)
{
    g_atomic_int_inc(&dom->refs);
}

void vkDomainUnref(virDomainPtr dom)
{
    if (!g_atomic_int_dec_and_test(&dom->refs))
        return;
    dom->magic = 0;
    vkConnectUnref(dom->conn);
    g_free(dom->name);
    g_free(dom);
}

int vkDomainGetCachedID(virDomainPtr dom)
{
    return g_atomic_int_get(&dom->id);
}

void vkDomainSetCachedID(virDomainPtr dom, int id)
{
    g_atomic_int_set(&dom->id, id);
}

virNetworkPtr vkNetworkNew(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virNetworkPtr net = g_new0(virNetwork, 1);

    net->magic = VK_NETWORK_MAGIC;
    net->refs = 1;
    vkConnectRef(conn);
    net->conn = conn;
    net->name = g_strdup(name);
    memcpy(net->uuid, uuid, VIR_UUID_BUFLEN);
    return net;
}

void vkNetworkRef(virNetworkPtr net)
{
    g_atomic_int_inc(&net->refs);
}

void vkNetworkUnref(virNetworkPtr net)
{
    if (!g_atomic_int_dec_and_test(&net->refs))
        return;
    net->magic = 0;
    vkConnectUnref(net->conn);
    g_free(net->name);
    g_free(net);
}

gboolean vkIsStoragePool(virStoragePoolPtr pool)
{
    return pool && pool->magic == VK_POOL_MAGIC && vkIsConnect(pool->conn);
}

gboolean vkIsStorageVol(virStorageVolPtr vol)
{
    return vol && vol->magic == VK_VOL_MAGIC && vkIsConnect(vol->conn);
}

virStoragePoolPtr vkStoragePoolNew(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virStoragePoolPtr pool = g_new0(virStoragePool, 1);

    pool->magic = VK_POOL_MAGIC;
    pool->refs = 1;
    vkConnectRef(conn);
    pool->conn = conn;
    pool->name = g_strdup(name);
    memcpy(pool->uuid, uuid, VIR_UUID_BUFLEN);
    return pool;
}

void vkStoragePoolRef(virStoragePoolPtr pool)
{
    g_atomic_int_inc(&pool->refs);
}

void vkStoragePoolUnref(virStoragePoolPtr pool)
{
    if (!g_atomic_int_dec_and_test(&pool->refs))
        return;
    pool->magic = 0;
    vkConnectUnref(pool->conn);
    g_free(pool->name);
    g_free(pool);
}

virStorageVolPtr vkStorageVolNew(virConnectPtr conn, const char *pool, const char *name,
                                 const char *key)
{
    virStorageVolPtr vol = g_new0(virStorageVol, 1);

    vol->magic = VK_VOL_MAGIC;
    vol->refs = 1;
    vkConnectRef(conn);
    vol->conn = conn;
    vol->pool = g_strdup(pool);
    vol->name = g_strdup(name);
    vol->key = g_strdup(key);
    return vol;
}

void vkStorageVolRef(virStorageVolPtr vol)
{
    g_atomic_int_inc(&vol->refs);
}

void vkStorageVolUnref(virStorageVolPtr vol)
{
    if (!g_atomic_int_dec_and_test(&vol->refs))
        return;
    vol->magic = 0;
    vkConnectUnref(vol->conn);
    g_free(vol->pool);
    g_free(vol->name);
    g_free(vol->key);
    g_free(vol);
}
