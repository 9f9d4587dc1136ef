/* The public handles (virConnect, virDomain, virNetwork): reference counted, thread safe, and
 * checked by magic number so that a stale or foreign pointer fails cleanly. */
#pragma once

#include <glib.h>
#include "virtkit/virtkit.h"

typedef struct _vkConnectDriver vkConnectDriver;

struct _virConnect {
    guint magic;
    gint refs;
    unsigned int flags; /* VIR_CONNECT_RO */
    char *uri;          /* as given, or the default it resolved to */
    const vkConnectDriver *driver;
    void *privateData;        /* the hypervisor driver's state */
    void *networkPrivateData; /* the network driver's, when it keeps its own */
    void *storagePrivateData; /* the storage driver's */

    GMutex lock; /* guards the fields below */
    virError err;
    virErrorFunc handler;
    void *handlerData;
};

/* A domain or network handle is a name and uuid; the driver finds the object from them on
 * every call, so a handle outlives the object it names without harm. */
struct _virDomain {
    guint magic;
    gint refs;
    virConnectPtr conn; /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    gint id; /* as last seen through this handle, -1 when inactive; g_atomic access */
};

struct _virNetwork {
    guint magic;
    gint refs;
    virConnectPtr conn; /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* A pool handle is a name and uuid, like a network's. */
struct _virStoragePool {
    guint magic;
    gint refs;
    virConnectPtr conn; /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* A volume handle: its pool's name, its own name and its key (the path, for file pools). */
struct _virStorageVol {
    guint magic;
    gint refs;
    virConnectPtr conn; /* holds a reference */
    char *pool;
    char *name;
    char *key;
};

gboolean vkIsConnect(virConnectPtr conn);
gboolean vkIsDomain(virDomainPtr dom);
gboolean vkIsNetwork(virNetworkPtr net);

/* A new connection with one reference and no driver yet. */
virConnectPtr vkConnectNew(const char *uri, unsigned int flags);
void vkConnectRef(virConnectPtr conn);
/* Drops a reference; the last one closes the driver and frees. Returns the references left. */
int vkConnectUnref(virConnectPtr conn);

virDomainPtr vkDomainNew(virConnectPtr conn, const char *name, const unsigned char *uuid, int id);
void vkDomainRef(virDomainPtr dom);
void vkDomainUnref(virDomainPtr dom);
int vkDomainGetCachedID(virDomainPtr dom);
void vkDomainSetCachedID(virDomainPtr dom, int id);

virNetworkPtr vkNetworkNew(virConnectPtr conn, const char *name, const unsigned char *uuid);
void vkNetworkRef(virNetworkPtr net);
void vkNetworkUnref(virNetworkPtr net);

gboolean vkIsStoragePool(virStoragePoolPtr pool);
gboolean vkIsStorageVol(virStorageVolPtr vol);
virStoragePoolPtr vkStoragePoolNew(virConnectPtr conn, const char *name, const unsigned char *uuid);
void vkStoragePoolRef(virStoragePoolPtr pool);
void vkStoragePoolUnref(virStoragePoolPtr pool);
virStorageVolPtr vkStorageVolNew(virConnectPtr conn, const char *pool, const char *name,
                                 const char *key);
void vkStorageVolRef(virStorageVolPtr vol);
void vkStorageVolUnref(virStorageVolPtr vol);
