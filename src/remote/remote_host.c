/* The host behind a remote connection: hypervisor type and versions, host name, capabilities,
 * node facts, each one call to the server. */
#include <string.h>

#include "remote_priv.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

/* The public call returns a string the caller does not free: asked once, kept with the
 * connection, as libvirt's client does. */
const char *vkRemoteConnectGetType(virConnectPtr conn)
{
    vkRemoteConn *priv = vkRemotePriv(conn);
    vkr_connect_get_type_ret ret = { 0 };
    const char *type;

    g_mutex_lock(&priv->lock);
    type = priv->type;
    g_mutex_unlock(&priv->lock);
    if (type)
        return type;
    if (vkRemoteCall(conn, VKR_PROC_CONNECT_GET_TYPE, NULL, &ret) < 0)
        return NULL;
    g_mutex_lock(&priv->lock);
    if (!priv->type)
        priv->type = g_strdup(ret.type);
    type = priv->type;
    g_mutex_unlock(&priv->lock);
    vkRemoteRetFree(VKR_PROC_CONNECT_GET_TYPE, &ret);
    return type;
}

int vkRemoteConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    vkr_connect_get_version_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_GET_VERSION, NULL, &ret) < 0)
        return -1;
    *hvVer = ret.hv_ver;
    return 0;
}

int vkRemoteConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    vkr_connect_get_lib_version_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_GET_LIB_VERSION, NULL, &ret) < 0)
        return -1;
    *libVer = ret.lib_ver;
    return 0;
}

/* The calls that answer one string, handed to the caller. */
static char *callString(virConnectPtr conn, int proc, const void *args)
{
    /* every such reply is a single nonnull string */
    union {
        vkr_connect_get_hostname_ret hostname;
        vkr_connect_get_capabilities_ret caps;
        vkr_connect_get_sysinfo_ret sysinfo;
    } ret;
    char *out;

    memset(&ret, 0, sizeof(ret));
    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    out = g_strdup(ret.hostname.hostname);
    vkRemoteRetFree(proc, &ret);
    return out;
}

char *vkRemoteConnectGetHostname(virConnectPtr conn)
{
    return callString(conn, VKR_PROC_CONNECT_GET_HOSTNAME, NULL);
}

char *vkRemoteConnectGetCapabilities(virConnectPtr conn)
{
    return callString(conn, VKR_PROC_CONNECT_GET_CAPABILITIES, NULL);
}

char *vkRemoteConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    vkr_connect_get_sysinfo_args args = { flags };

    return callString(conn, VKR_PROC_CONNECT_GET_SYSINFO, &args);
}

int vkRemoteConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    vkr_nonnull_string wireType = (char *)type;
    vkr_connect_get_max_vcpus_args args = { type ? &wireType : NULL };
    vkr_connect_get_max_vcpus_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_GET_MAX_VCPUS, &args, &ret) < 0)
        return -1;
    return ret.max_vcpus;
}

int vkRemoteNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    vkr_node_get_info_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_NODE_GET_INFO, NULL, &ret) < 0)
        return -1;
    memset(info, 0, sizeof(*info));
    /* the server's text need not end within the field */
    for (size_t i = 0; i + 1 < sizeof(info->model) && i < G_N_ELEMENTS(ret.model); i++)
        info->model[i] = ret.model[i];
    info->memory = ret.memory;
    info->cpus = ret.cpus;
    info->mhz = ret.mhz;
    info->nodes = ret.nodes;
    info->sockets = ret.sockets;
    info->cores = ret.cores;
    info->threads = ret.threads;
    return 0;
}

gboolean vkRemoteCopyText(char *dst, size_t size, const char *src, guint len)
{
    size_t n = src ? strnlen(src, len) : 0;

    if (n >= size)
        return FALSE;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return TRUE;
}

int vkRemoteNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    vkr_node_get_security_model_ret ret = { 0 };
    int rc = -1;

    if (vkRemoteCall(conn, VKR_PROC_NODE_GET_SECURITY_MODEL, NULL, &ret) < 0)
        return -1;
    memset(secmodel, 0, sizeof(*secmodel));
    if (!vkRemoteCopyText(secmodel->model, sizeof(secmodel->model), ret.model.model_val,
                          ret.model.model_len)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "security model exceeds maximum: %zu",
                      sizeof(secmodel->model) - 1);
    } else if (!vkRemoteCopyText(secmodel->doi, sizeof(secmodel->doi), ret.doi.doi_val,
                                 ret.doi.doi_len)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "security doi exceeds maximum: %zu",
                      sizeof(secmodel->doi) - 1);
    } else {
        rc = 0;
    }
    vkRemoteRetFree(VKR_PROC_NODE_GET_SECURITY_MODEL, &ret);
    return rc;
}
