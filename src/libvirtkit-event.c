/* Public entry points for event callbacks on domains, networks and storage pools: libvirt's
 * argument checks, then the driver, which delivers the events from the event loop. */
#include "libvirtkit-priv.h"

/* The one past the last id of each kind in libvirt 9.0 (VIR_*_EVENT_ID_LAST). */
#define DOMAIN_EVENT_ID_COUNT  (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)
#define NETWORK_EVENT_ID_COUNT (VIR_NETWORK_EVENT_ID_LIFECYCLE + 1)
#define POOL_EVENT_ID_COUNT    (VIR_STORAGE_POOL_EVENT_ID_REFRESH + 1)

/* Reports and dispatches a bad callback or event id; TRUE if one was bad. */
static gboolean denyBadEventArgs(virConnectPtr conn, const void *cb, int eventID, int count,
                                 int errDomain, const char *func, gboolean nameFunc)
{
    if (vkApiDenyNull(conn, cb, errDomain, func, "cb"))
        return TRUE;
    if (eventID < 0) {
        vkReportInvalidArg(errDomain, func, "eventID", "eventID in %s must be zero or greater",
                           func);
    } else if (eventID >= count) {
        if (nameFunc)
            vkReportInvalidArg(errDomain, func, "eventID", "eventID in %s must be less than %d",
                               func, count);
        else
            vkReportInvalidArg(errDomain, func, "eventID", "eventID must be less than %d", count);
    } else {
        return FALSE;
    }
    vkApiDispatch(conn);
    return TRUE;
}

static gboolean denyBadCallbackID(virConnectPtr conn, int callbackID, int errDomain,
                                  const char *func)
{
    if (callbackID >= 0)
        return FALSE;
    vkReportInvalidArg(errDomain, func, "callbackID", "callbackID in %s must be zero or greater",
                       func);
    vkApiDispatch(conn);
    return TRUE;
}

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback freecb)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, cb, VIR_FROM_DOMAIN, __func__, "cb"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectDomainEventRegister)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectDomainEventRegister(conn, cb, opaque, freecb));
}

int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, cb, VIR_FROM_DOMAIN, __func__, "cb"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectDomainEventDeregister)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectDomainEventDeregister(conn, cb));
}

int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb, void *opaque,
                                     virFreeCallback freecb)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return -1;
    if (dom && !vkIsDomain(dom)) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_INVALID_DOMAIN, "%s", __func__);
        vkApiDispatch(conn);
        return -1;
    }
    if (dom && dom->conn != conn) {
        vkReportInvalidArg(VIR_FROM_DOMAIN, __func__, "dom", "domain '%s' must match connection",
                           dom->name);
        vkApiDispatch(conn);
        return -1;
    }
    if (denyBadEventArgs(conn, cb, eventID, DOMAIN_EVENT_ID_COUNT, VIR_FROM_DOMAIN, __func__,
                         FALSE))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectDomainEventRegisterAny)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(
        conn, drv->connectDomainEventRegisterAny(conn, dom, eventID, cb, opaque, freecb));
}

int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        denyBadCallbackID(conn, callbackID, VIR_FROM_DOMAIN, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectDomainEventDeregisterAny)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectDomainEventDeregisterAny(conn, callbackID));
}

int virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                      virConnectNetworkEventGenericCallback cb, void *opaque,
                                      virFreeCallback freecb)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NETWORK, __func__))
        return -1;
    if (net && !vkIsNetwork(net)) {
        vkReportError(VIR_FROM_NETWORK, VIR_ERR_INVALID_NETWORK, "%s", __func__);
        vkApiDispatch(conn);
        return -1;
    }
    if (net && net->conn != conn) {
        vkReportInvalidArg(VIR_FROM_NETWORK, __func__, "net",
                           "network '%s' in %s must match connection", net->name, __func__);
        vkApiDispatch(conn);
        return -1;
    }
    if (denyBadEventArgs(conn, cb, eventID, NETWORK_EVENT_ID_COUNT, VIR_FROM_NETWORK, __func__,
                         TRUE))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectNetworkEventRegisterAny)
        return vkApiUnsupported(conn, VIR_FROM_NETWORK, __func__);
    return vkApiResultInt(
        conn, drv->connectNetworkEventRegisterAny(conn, net, eventID, cb, opaque, freecb));
}

int virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NETWORK, __func__) ||
        denyBadCallbackID(conn, callbackID, VIR_FROM_NETWORK, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectNetworkEventDeregisterAny)
        return vkApiUnsupported(conn, VIR_FROM_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectNetworkEventDeregisterAny(conn, callbackID));
}

int virConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_STORAGE, __func__))
        return -1;
    if (pool && !vkIsStoragePool(pool)) {
        vkReportError(VIR_FROM_STORAGE, VIR_ERR_INVALID_STORAGE_POOL, "%s", __func__);
        vkApiDispatch(conn);
        return -1;
    }
    if (pool && pool->conn != conn) {
        vkReportInvalidArg(VIR_FROM_STORAGE, __func__, "pool",
                           "storage pool '%s' in %s must match connection", pool->name, __func__);
        vkApiDispatch(conn);
        return -1;
    }
    if (denyBadEventArgs(conn, cb, eventID, POOL_EVENT_ID_COUNT, VIR_FROM_STORAGE, __func__, TRUE))
        return -1;
    const vkStorageDriver *drv = vkApiStorage(conn);
    if (!drv || !drv->connectStoragePoolEventRegisterAny)
        return vkApiUnsupported(conn, VIR_FROM_STORAGE, __func__);
    return vkApiResultInt(
        conn, drv->connectStoragePoolEventRegisterAny(conn, pool, eventID, cb, opaque, freecb));
}

int virConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_STORAGE, __func__) ||
        denyBadCallbackID(conn, callbackID, VIR_FROM_STORAGE, __func__))
        return -1;
    const vkStorageDriver *drv = vkApiStorage(conn);
    if (!drv || !drv->connectStoragePoolEventDeregisterAny)
        return vkApiUnsupported(conn, VIR_FROM_STORAGE, __func__);
    return vkApiResultInt(conn, drv->connectStoragePoolEventDeregisterAny(conn, callbackID));
}
