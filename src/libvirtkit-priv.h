/* Helpers shared by the public entry points (src/libvirtkit*.c): the checks every call starts
 * with and the error dispatch every failing call ends with. */
#pragma once

#include "datatypes.h"
#include "driver.h"
#include "util/vkerror.h"

/* Each resets the thread's error, then checks the handle; on failure it reports
 * VIR_ERR_INVALID_CONN/DOMAIN/NETWORK naming func, dispatches it and returns FALSE. */
gboolean vkApiEnterConnect(virConnectPtr conn, int errDomain, const char *func);
gboolean vkApiEnterDomain(virDomainPtr dom, const char *func);
gboolean vkApiEnterNetwork(virNetworkPtr net, const char *func);
gboolean vkApiEnterStoragePool(virStoragePoolPtr pool, const char *func);
gboolean vkApiEnterStorageVol(virStorageVolPtr vol, const char *func);

/* Ends a failing call: records the error on conn (if any) and runs the error handlers. */
void vkApiDispatch(virConnectPtr conn);

/* TRUE (error reported and dispatched) if conn is read-only: func would change something. */
gboolean vkApiDenyReadOnly(virConnectPtr conn, int errDomain, const char *func);

/* TRUE (error reported and dispatched) if a required pointer argument is NULL. */
gboolean vkApiDenyNull(virConnectPtr conn, const void *arg, int errDomain, const char *func,
                       const char *argname);

/* TRUE (reported and dispatched) if an array argument is NULL with a positive size, or the
 * size is negative, as libvirt's legacy listing calls require. */
gboolean vkApiDenyBadArray(virConnectPtr conn, const void *array, int size, int errDomain,
                           const char *func, const char *arrayName, const char *sizeName);

/* Reports VIR_ERR_NO_SUPPORT for func on conn's driver, dispatches, returns -1. */
int vkApiUnsupported(virConnectPtr conn, int errDomain, const char *func);
/* The same for calls returning a pointer: returns NULL. */
void *vkApiUnsupportedPtr(virConnectPtr conn, int errDomain, const char *func);

/* Pass a driver's result through, dispatching the error when it signals failure. */
int vkApiResultInt(virConnectPtr conn, int ret);
void *vkApiResultPtr(virConnectPtr conn, void *ret);

/* The drivers of a connection; the network one may be NULL. */
static inline const vkHypervisorDriver *vkApiHypervisor(virConnectPtr conn)
{
    return conn->driver->hypervisorDriver;
}

static inline const vkNetworkDriver *vkApiNetwork(virConnectPtr conn)
{
    return conn->driver->networkDriver;
}

static inline const vkStorageDriver *vkApiStorage(virConnectPtr conn)
{
    return conn->driver->storageDriver;
}
