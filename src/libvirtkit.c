/* Public entry points for connections and the host: URI dispatch to a driver, the library
 * version, the per-connection error calls, and the checks shared by every entry point. */
#include <stdlib.h>
#include <string.h>

#include "libvirtkit-priv.h"

#define VK_DEFAULT_URI_ENV "VIRTKIT_DEFAULT_URI"
#define VK_FALLBACK_URI    "qemu:///session"

/* ---- shared checks ---- */

void vkApiDispatch(virConnectPtr conn)
{
    virErrorFunc handler = NULL;
    void *data = NULL;

    if (!vkHasError())
        vkReportErrorRaw(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                         "An error occurred, but the cause is unknown");
    if (vkIsConnect(conn)) {
        g_mutex_lock(&conn->lock);
        vkErrorCopy(virGetLastError(), &conn->err);
        handler = conn->handler;
        data = conn->handlerData;
        g_mutex_unlock(&conn->lock);
    }
    vkDispatchErrorHandler(handler, data);
}

gboolean vkApiEnterConnect(virConnectPtr conn, int errDomain, const char *func)
{
    vkResetLastError();
    if (vkIsConnect(conn))
        return TRUE;
    vkReportError(errDomain, VIR_ERR_INVALID_CONN, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

gboolean vkApiEnterDomain(virDomainPtr dom, const char *func)
{
    vkResetLastError();
    if (vkIsDomain(dom))
        return TRUE;
    vkReportError(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

gboolean vkApiEnterNetwork(virNetworkPtr net, const char *func)
{
    vkResetLastError();
    if (vkIsNetwork(net))
        return TRUE;
    vkReportError(VIR_FROM_NETWORK, VIR_ERR_INVALID_NETWORK, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

gboolean vkApiDenyReadOnly(virConnectPtr conn, int errDomain, const char *func)
{
    if (!(conn->flags & VIR_CONNECT_RO))
        return FALSE;
    vkReportError(errDomain, VIR_ERR_OPERATION_DENIED, "read only access prevents %s", func);
    vkApiDispatch(conn);
    return TRUE;
}

gboolean vkApiDenyNull(virConnectPtr conn, const void *arg, int errDomain, const char *func,
                       const char *argname)
{
    if (arg)
        return FALSE;
    vkReportInvalidArg(errDomain, func, argname, "%s in %s must not be NULL", argname, func);
    vkApiDispatch(conn);
    return TRUE;
}

gboolean vkApiDenyBadArray(virConnectPtr conn, const void *array, int size, int errDomain,
                           const char *func, const char *arrayName, const char *sizeName)
{
    if (!array && size > 0) {
        vkReportInvalidArg(errDomain, func, arrayName, "%s in %s must not be NULL", arrayName,
                           func);
    } else if (size < 0) {
        vkReportInvalidArg(errDomain, func, sizeName, "%s in %s must be zero or greater", sizeName,
                           func);
    } else {
        return FALSE;
    }
    vkApiDispatch(conn);
    return TRUE;
}

int vkApiUnsupported(virConnectPtr conn, int errDomain, const char *func)
{
    vkReportError(errDomain, VIR_ERR_NO_SUPPORT, "%s", func);
    vkApiDispatch(conn);
    return -1;
}

void *vkApiUnsupportedPtr(virConnectPtr conn, int errDomain, const char *func)
{
    vkApiUnsupported(conn, errDomain, func);
    return NULL;
}

int vkApiResultInt(virConnectPtr conn, int ret)
{
    if (ret < 0)
        vkApiDispatch(conn);
    return ret;
}

void *vkApiResultPtr(virConnectPtr conn, void *ret)
{
    if (!ret)
        vkApiDispatch(conn);
    return ret;
}

/* ---- library ---- */

/* libvirt exports a ready-made authentication callback set; no built-in driver asks for
 * credentials, so ours names the usual ones and never needs to prompt. */
static int defaultCredTypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
static virConnectAuth defaultAuth = { defaultCredTypes, G_N_ELEMENTS(defaultCredTypes), NULL,
                                      NULL };
virConnectAuthPtr virConnectAuthPtrDefault = &defaultAuth;

int virInitialize(void)
{
    return 0;
}

int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    vkResetLastError();
    if (!libVer) {
        vkReportInvalidArg(VIR_FROM_NONE, __func__, "libVer", "libVer in %s must not be NULL",
                           __func__);
        vkApiDispatch(NULL);
        return -1;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer)
        *typeVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

/* ---- opening and closing ---- */

static const char *defaultURI(void)
{
    const char *env = g_getenv(VK_DEFAULT_URI_ENV);
    return env && *env ? env : VK_FALLBACK_URI;
}

static GUri *parseURI(const char *name)
{
    g_autoptr(GError) gerr = NULL;
    GUri *uri = g_uri_parse(name, G_URI_FLAGS_NONE, &gerr);

    if (uri)
        return uri;
    if (!strchr(name, ':'))
        vkReportError(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "URI '%s' does not include a driver name",
                      name);
    else
        vkReportError(VIR_FROM_URI, VIR_ERR_INTERNAL_ERROR, "Unable to parse URI %s", name);
    return NULL;
}

/* Runs the drivers' open hooks; on failure nothing is left open and an error is reported. */
static gboolean openDrivers(virConnectPtr conn, const vkConnectDriver *drv, GUri *uri,
                            unsigned int flags)
{
    vkDrvOpenStatus status = drv->hypervisorDriver->connectOpen(conn, uri, flags);

    if (status == VK_DRV_OPEN_SUCCESS && drv->networkDriver && drv->networkDriver->connectOpen) {
        status = drv->networkDriver->connectOpen(conn, uri, flags);
        if (status != VK_DRV_OPEN_SUCCESS && drv->hypervisorDriver->connectClose)
            drv->hypervisorDriver->connectClose(conn);
    }
    if (status == VK_DRV_OPEN_SUCCESS && drv->storageDriver && drv->storageDriver->connectOpen) {
        status = drv->storageDriver->connectOpen(conn, uri, flags);
        if (status != VK_DRV_OPEN_SUCCESS) {
            if (drv->networkDriver && drv->networkDriver->connectClose)
                drv->networkDriver->connectClose(conn);
            if (drv->hypervisorDriver->connectClose)
                drv->hypervisorDriver->connectClose(conn);
        }
    }
    if (status == VK_DRV_OPEN_SUCCESS) {
        if (drv->hypervisorDriver->connectOpened)
            drv->hypervisorDriver->connectOpened(conn);
        return TRUE;
    }
    if (status == VK_DRV_OPEN_DECLINED)
        vkReportError(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", conn->uri);
    return FALSE;
}

static virConnectPtr connectOpen(const char *name, unsigned int flags)
{
    const unsigned int known = VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES;

    if (flags & ~known) {
        vkReportInvalidArg(VIR_FROM_NONE, "virConnectOpenAuth", "flags",
                           "unsupported flags (0x%x) in function %s", flags & ~known,
                           "virConnectOpenAuth");
        return NULL;
    }
    if (!name || !*name)
        name = defaultURI();

    g_autoptr(GUri) uri = parseURI(name);
    if (!uri)
        return NULL;

    const char *host = g_uri_get_host(uri);
    const vkConnectDriver *drv = vkDriverForScheme(g_uri_get_scheme(uri));
    if (!drv || (drv->localOnly && host && *host)) {
        if (!vkHasError()) /* else the remote driver's module failed to load, and says why */
            vkReportError(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", name);
        return NULL;
    }

    virConnectPtr conn = vkConnectNew(name, flags & VIR_CONNECT_RO);
    if (!openDrivers(conn, drv, uri, flags)) {
        vkConnectUnref(conn);
        return NULL;
    }
    /* Only now, so that a failed open does not run the close hooks. */
    conn->driver = drv;
    return conn;
}

virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    vkResetLastError();
    return vkApiResultPtr(NULL, connectOpen(name, flags));
}

virConnectPtr virConnectOpen(const char *name)
{
    vkResetLastError();
    return vkApiResultPtr(NULL, connectOpen(name, 0));
}

virConnectPtr virConnectOpenReadOnly(const char *name)
{
    vkResetLastError();
    return vkApiResultPtr(NULL, connectOpen(name, VIR_CONNECT_RO));
}

int virConnectRef(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return -1;
    vkConnectRef(conn);
    return 0;
}

int virConnectClose(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return -1;
    return vkConnectUnref(conn);
}

/* ---- host queries ---- */

const char *virConnectGetType(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetType)
        return drv->name;
    return vkApiResultPtr(conn, (void *)drv->connectGetType(conn));
}

int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, hvVer, VIR_FROM_DOMAIN, __func__, "hvVer"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetVersion)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectGetVersion(conn, hvVer));
}

int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, libVer, VIR_FROM_DOMAIN, __func__, "libVer"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (drv->connectGetLibVersion)
        return vkApiResultInt(conn, drv->connectGetLibVersion(conn, libVer));
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

char *virConnectGetHostname(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetHostname)
        return vkApiUnsupportedPtr(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->connectGetHostname(conn));
}

char *virConnectGetURI(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return NULL;
    return g_strdup(conn->uri);
}

char *virConnectGetCapabilities(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetCapabilities)
        return vkApiUnsupportedPtr(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->connectGetCapabilities(conn));
}

char *virConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetSysinfo)
        return vkApiUnsupportedPtr(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->connectGetSysinfo(conn, flags));
}

int virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectGetMaxVcpus)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectGetMaxVcpus(conn, type));
}

int virConnectIsAlive(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectIsAlive)
        return vkApiUnsupported(conn, VIR_FROM_NONE, __func__);
    return vkApiResultInt(conn, drv->connectIsAlive(conn));
}

int virConnectIsEncrypted(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectIsEncrypted)
        return vkApiUnsupported(conn, VIR_FROM_NONE, __func__);
    return vkApiResultInt(conn, drv->connectIsEncrypted(conn));
}

int virConnectIsSecure(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_NONE, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectIsSecure)
        return vkApiUnsupported(conn, VIR_FROM_NONE, __func__);
    return vkApiResultInt(conn, drv->connectIsSecure(conn));
}

int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, info, VIR_FROM_DOMAIN, __func__, "info"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->nodeGetInfo)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->nodeGetInfo(conn, info));
}

int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    if (!vkApiEnterConnect(conn, VIR_FROM_DOMAIN, __func__) ||
        vkApiDenyNull(conn, secmodel, VIR_FROM_DOMAIN, __func__, "secmodel"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->nodeGetSecurityModel)
        return vkApiUnsupported(conn, VIR_FROM_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->nodeGetSecurityModel(conn, secmodel));
}

/* ---- per-connection errors (kept for old programs; the thread-local error is better) ---- */

void virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    if (!vkIsConnect(conn))
        return;
    g_mutex_lock(&conn->lock);
    conn->handler = handler;
    conn->handlerData = userData;
    g_mutex_unlock(&conn->lock);
}

virErrorPtr virConnGetLastError(virConnectPtr conn)
{
    return vkIsConnect(conn) ? &conn->err : NULL;
}

void virConnResetLastError(virConnectPtr conn)
{
    if (!vkIsConnect(conn))
        return;
    g_mutex_lock(&conn->lock);
    virResetError(&conn->err);
    g_mutex_unlock(&conn->lock);
}

int virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    if (!vkIsConnect(conn) || !to)
        return -1;
    memset(to, 0, sizeof(*to));
    g_mutex_lock(&conn->lock);
    if (conn->err.code != VIR_ERR_OK)
        vkErrorCopy(&conn->err, to);
    g_mutex_unlock(&conn->lock);
    return to->code;
}
