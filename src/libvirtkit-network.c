/* Public entry points for virtual networks: argument checks, read-only refusal, dispatch to the
 * connection's network driver. */
#include <string.h>

#include "libvirtkit-priv.h"
#include "util/vkuuid.h"

#define ERR_NETWORK VIR_FROM_NETWORK

static gboolean enterMutating(virNetworkPtr net, const char *func)
{
    return vkApiEnterNetwork(net, func) && !vkApiDenyReadOnly(net->conn, ERR_NETWORK, func);
}

/* ---- listing ---- */

int virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    if (nets)
        *nets = NULL;
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectListAllNetworks)
        return vkApiUnsupported(conn, ERR_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectListAllNetworks(conn, nets, flags));
}

int virConnectNumOfNetworks(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectNumOfNetworks)
        return vkApiUnsupported(conn, ERR_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectNumOfNetworks(conn));
}

int virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__) ||
        vkApiDenyBadArray(conn, names, maxnames, ERR_NETWORK, __func__, "names", "maxnames"))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectListNetworks)
        return vkApiUnsupported(conn, ERR_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectListNetworks(conn, names, maxnames));
}

int virConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectNumOfDefinedNetworks)
        return vkApiUnsupported(conn, ERR_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectNumOfDefinedNetworks(conn));
}

int virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__) ||
        vkApiDenyBadArray(conn, names, maxnames, ERR_NETWORK, __func__, "names", "maxnames"))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->connectListDefinedNetworks)
        return vkApiUnsupported(conn, ERR_NETWORK, __func__);
    return vkApiResultInt(conn, drv->connectListDefinedNetworks(conn, names, maxnames));
}

/* ---- lookup ---- */

virNetworkPtr virNetworkLookupByName(virConnectPtr conn, const char *name)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__) ||
        vkApiDenyNull(conn, name, ERR_NETWORK, __func__, "name"))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->networkLookupByName)
        return vkApiUnsupportedPtr(conn, ERR_NETWORK, __func__);
    return vkApiResultPtr(conn, drv->networkLookupByName(conn, name));
}

virNetworkPtr virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__) ||
        vkApiDenyNull(conn, uuid, ERR_NETWORK, __func__, "uuid"))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (!drv || !drv->networkLookupByUUID)
        return vkApiUnsupportedPtr(conn, ERR_NETWORK, __func__);
    return vkApiResultPtr(conn, drv->networkLookupByUUID(conn, uuid));
}

virNetworkPtr virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vkApiEnterConnect(conn, ERR_NETWORK, __func__) ||
        vkApiDenyNull(conn, uuidstr, ERR_NETWORK, __func__, "uuidstr"))
        return NULL;
    if (vkUUIDParse(uuidstr, uuid) < 0) {
        vkReportInvalidArg(ERR_NETWORK, __func__, "uuidstr", "uuidstr in %s must be a valid UUID",
                           __func__);
        vkApiDispatch(conn);
        return NULL;
    }
    return virNetworkLookupByUUID(conn, uuid);
}

/* ---- lifecycle ---- */

/* PLAIN: called as the flag-less function. */
static virNetworkPtr defineXML(virConnectPtr conn, const char *xml, unsigned int flags,
                               const char *func, gboolean plain)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, func) || vkApiDenyReadOnly(conn, ERR_NETWORK, func) ||
        vkApiDenyNull(conn, xml, ERR_NETWORK, func, "xml"))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (plain && drv && drv->networkDefineXML)
        return vkApiResultPtr(conn, drv->networkDefineXML(conn, xml));
    if (!drv || !drv->networkDefineXMLFlags)
        return vkApiUnsupportedPtr(conn, ERR_NETWORK, func);
    return vkApiResultPtr(conn, drv->networkDefineXMLFlags(conn, xml, flags));
}

virNetworkPtr virNetworkDefineXML(virConnectPtr conn, const char *xmlDesc)
{
    return defineXML(conn, xmlDesc, 0, __func__, TRUE);
}

virNetworkPtr virNetworkDefineXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return defineXML(conn, xmlDesc, flags, __func__, FALSE);
}

/* PLAIN: called as the flag-less function. */
static virNetworkPtr createXML(virConnectPtr conn, const char *xml, unsigned int flags,
                               const char *func, gboolean plain)
{
    if (!vkApiEnterConnect(conn, ERR_NETWORK, func) ||
        vkApiDenyNull(conn, xml, ERR_NETWORK, func, "xmlDesc") ||
        vkApiDenyReadOnly(conn, ERR_NETWORK, func))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(conn);
    if (plain && drv && drv->networkCreateXML)
        return vkApiResultPtr(conn, drv->networkCreateXML(conn, xml));
    if (!drv || !drv->networkCreateXMLFlags)
        return vkApiUnsupportedPtr(conn, ERR_NETWORK, func);
    return vkApiResultPtr(conn, drv->networkCreateXMLFlags(conn, xml, flags));
}

virNetworkPtr virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc)
{
    return createXML(conn, xmlDesc, 0, __func__, TRUE);
}

virNetworkPtr virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return createXML(conn, xmlDesc, flags, __func__, FALSE);
}

int virNetworkUndefine(virNetworkPtr network)
{
    if (!enterMutating(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkUndefine)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkUndefine(network));
}

int virNetworkCreate(virNetworkPtr network)
{
    if (!enterMutating(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkCreate)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkCreate(network));
}

int virNetworkDestroy(virNetworkPtr network)
{
    if (!enterMutating(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkDestroy)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkDestroy(network));
}

/* ---- queries ---- */

char *virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags)
{
    if (!vkApiEnterNetwork(network, __func__))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkGetXMLDesc)
        return vkApiUnsupportedPtr(network->conn, ERR_NETWORK, __func__);
    return vkApiResultPtr(network->conn, drv->networkGetXMLDesc(network, flags));
}

const char *virNetworkGetName(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return NULL;
    return network->name;
}

int virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid)
{
    if (!vkApiEnterNetwork(network, __func__) ||
        vkApiDenyNull(network->conn, uuid, ERR_NETWORK, __func__, "uuid"))
        return -1;
    memcpy(uuid, network->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int virNetworkGetUUIDString(virNetworkPtr network, char *buf)
{
    if (!vkApiEnterNetwork(network, __func__) ||
        vkApiDenyNull(network->conn, buf, ERR_NETWORK, __func__, "buf"))
        return -1;
    vkUUIDFormat(network->uuid, buf);
    return 0;
}

char *virNetworkGetBridgeName(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return NULL;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkGetBridgeName)
        return vkApiUnsupportedPtr(network->conn, ERR_NETWORK, __func__);
    return vkApiResultPtr(network->conn, drv->networkGetBridgeName(network));
}

virConnectPtr virNetworkGetConnect(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return NULL;
    return network->conn;
}

int virNetworkIsActive(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkIsActive)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkIsActive(network));
}

int virNetworkIsPersistent(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkIsPersistent)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkIsPersistent(network));
}

int virNetworkGetAutostart(virNetworkPtr network, int *autostart)
{
    if (!vkApiEnterNetwork(network, __func__) ||
        vkApiDenyNull(network->conn, autostart, ERR_NETWORK, __func__, "autostart"))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkGetAutostart)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkGetAutostart(network, autostart));
}

int virNetworkSetAutostart(virNetworkPtr network, int autostart)
{
    if (!enterMutating(network, __func__))
        return -1;
    const vkNetworkDriver *drv = vkApiNetwork(network->conn);
    if (!drv || !drv->networkSetAutostart)
        return vkApiUnsupported(network->conn, ERR_NETWORK, __func__);
    return vkApiResultInt(network->conn, drv->networkSetAutostart(network, autostart));
}

/* ---- references ---- */

int virNetworkRef(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return -1;
    vkNetworkRef(network);
    return 0;
}

int virNetworkFree(virNetworkPtr network)
{
    if (!vkApiEnterNetwork(network, __func__))
        return -1;
    vkNetworkUnref(network);
    return 0;
}
