/* What the files of the remote driver share: a connection's state (the RPC client and what the
 * server told us at open), the call helper, and handles to and from their wire form. */
#pragma once

#include "datatypes.h"
#include "driver.h"
#include "object_event.h"
#include "rpc/rpc_client.h"
#include "util/vkerror.h"

#define VK_REMOTE_ERR VIR_FROM_REMOTE

typedef struct _vkRemoteEvents vkRemoteEvents;

typedef struct {
    vkRpcClient *client;
    gboolean secure;        /* the transport is: a unix socket or TLS */
    gboolean closeCallback; /* the server takes CONNECT_REGISTER_CLOSE_CALLBACK (feature 15) */
    gboolean eventFilter;   /* the server has per-callback events (feature 14) */

    GMutex lock; /* guards the fields below */
    char *type;  /* CONNECT_GET_TYPE, asked once: the public call returns a static string */
    vkRemoteEvents *events; /* remote_event.c's, created with the first callback */
} vkRemoteConn;

static inline vkRemoteConn *vkRemotePriv(virConnectPtr conn)
{
    return conn->privateData;
}

/* Calls procedure PROC of the REMOTE program on CONN's server: ARGS and RET as the procedure
 * table's row says (NULL for an empty body). Returns 0, or -1 with the server's error (or the
 * connection's) as the thread's last error. Release RET with vkRemoteRetFree. */
int vkRemoteCall(virConnectPtr conn, int proc, const void *args, void *ret);
void vkRemoteRetFree(int proc, void *ret);

/* A handle as it travels: the strings stay the handle's, nothing to free. */
void vkRemoteDomainToWire(virDomainPtr dom, vkr_nonnull_domain *out);
void vkRemoteNetworkToWire(virNetworkPtr net, vkr_nonnull_network *out);
/* A new handle (one reference) from the wire's name, uuid and id. */
virDomainPtr vkRemoteDomainFromWire(virConnectPtr conn, const vkr_nonnull_domain *dom);
virNetworkPtr vkRemoteNetworkFromWire(virConnectPtr conn, const vkr_nonnull_network *net);

/* Copies N names of a listing reply into NAMES (strdup'ed, the caller's), after checking N
 * against MAXNAMES as libvirt's client does. Returns N or -1. */
int vkRemoteCopyNames(char **const names, int maxnames, char **wire, guint n, const char *func);
/* Refuses, as libvirt's client does, to ask for MAX names where the protocol allows LIMIT. */
int vkRemoteCheckNamesLimit(int max, int limit, const char *func);

/* Copies a wire char array (LEN bytes, a terminating NUL counted when present) into a field of
 * SIZE bytes; FALSE when it does not fit. */
gboolean vkRemoteCopyText(char *dst, size_t size, const char *src, guint len);

/* The driver tables: domains (remote_domain.c, with the connection's calls below), networks
 * (remote_network.c), storage (remote_storage.c). */
extern const vkHypervisorDriver vkRemoteHypervisorDriver;
extern const vkNetworkDriver vkRemoteNetworkDriver;
extern const vkStorageDriver vkRemoteStorageDriver;

/* Streams (remote_stream.c): calls procedure PROC (a STREAM row) with ARGS and attaches its
 * stream to ST. */
int vkRemoteStreamOpen(virConnectPtr conn, virStreamPtr st, int proc, const void *args);

/* The connection (remote_open.c). */
vkDrvOpenStatus vkRemoteConnectOpen(virConnectPtr conn, GUri *uri, unsigned int flags);
int vkRemoteConnectClose(virConnectPtr conn);
int vkRemoteConnectIsAlive(virConnectPtr conn);
int vkRemoteConnectIsEncrypted(virConnectPtr conn);
int vkRemoteConnectIsSecure(virConnectPtr conn);

/* Events (remote_event.c). */
vkRemoteEvents *vkRemoteEventsNew(void);
void vkRemoteEventsFree(vkRemoteEvents *ev);
/* The RPC client's event callback (its I/O thread); OPAQUE is the connection's events. */
void vkRemoteEventReceived(vkRpcClient *client, const vkRpcProgram *program, const vkRpcProc *proc,
                           void *body, gpointer opaque);
int vkRemoteDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque,
                                virFreeCallback freecb);
int vkRemoteDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);
int vkRemoteDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                   virConnectDomainEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb);
int vkRemoteStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                        virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                        virFreeCallback freecb);
int vkRemoteNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                    virConnectNetworkEventGenericCallback cb, void *opaque,
                                    virFreeCallback freecb);
int vkRemoteEventDeregisterAny(virConnectPtr conn, int callbackID);

/* The host (remote_host.c). */
const char *vkRemoteConnectGetType(virConnectPtr conn);
int vkRemoteConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int vkRemoteConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *vkRemoteConnectGetHostname(virConnectPtr conn);
char *vkRemoteConnectGetCapabilities(virConnectPtr conn);
char *vkRemoteConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
int vkRemoteConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int vkRemoteNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
int vkRemoteNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);
