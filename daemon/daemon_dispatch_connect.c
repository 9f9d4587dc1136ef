/* The connection and host procedures: authentication list, features, opening the client's
 * connection onto the daemon's root, and the host queries, each through the public API. */
#include "daemon_dispatch_priv.h"

#include "daemon_server.h"
#include "libvirtkit-migrate.h"

/* libvirt's driver feature numbers (libvirt_internal.h), as clients ask them. */
enum {
    FEATURE_TYPED_PARAM_STRING = 9,
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
};

static int authList(vkDaemonCall *call, void *args, vkr_auth_list_ret *ret)
{
    ret->types.types_len = 1;
    ret->types.types_val = g_new0(vkr_auth_type, 1);
    ret->types.types_val[0] = VKR_AUTH_NONE;
    return 0;
}

static int supportsFeature(vkDaemonCall *call, vkr_connect_supports_feature_args *args,
                           vkr_connect_supports_feature_ret *ret)
{
    /* asked before the connection is opened: the client will answer PINGs from now on */
    if (args->feature == FEATURE_PROGRAM_KEEPALIVE) {
        ret->supported = 1;
        return vkDaemonClientStartKeepalive(call->client);
    }
    CALL_CONN(call);
    switch (args->feature) {
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_REMOTE_EVENT_CALLBACK:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
        ret->supported = 1;
        break;
    case VK_DRV_FEATURE_MIGRATION_V3:
    case VK_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION:
    case VK_DRV_FEATURE_XML_MIGRATABLE:
    case VK_DRV_FEATURE_MIGRATION_OFFLINE:
    case VK_DRV_FEATURE_MIGRATION_PARAMS:
        /* the version 3 flow with parameters, when the connection's driver does it */
        ret->supported = vkConnectSupportsMigration(conn);
        break;
    default:
        /* older migration flows (1-5), fd passing and the rest: not in virtkitd */
        ret->supported = 0;
        break;
    }
    return 0;
}

/* The flags a client sends are its remote driver's own (read-only socket, per-user socket,
 * autostart); as libvirtd, only read-only means something here. */
static int connectOpen(vkDaemonCall *call, vkr_connect_open_args *args, void *ret)
{
    const char *name = args->name ? *args->name : NULL;
    gboolean readonly = (args->flags & VIR_CONNECT_RO) != 0;
    g_autofree char *uri = NULL;
    virConnectPtr conn;
    virConnectPtr existing = vkDaemonClientGetConn(call->client);

    if (existing) {
        vkConnectUnref(existing);
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    /* the read-only socket makes every connection on it read-only, whatever was asked */
    if (vkDaemonClientIsReadonly(call->client))
        readonly = TRUE;
    if (!(uri = vkDaemonServerResolveURI(vkDaemonClientServer(call->client), name)))
        return -1;
    if (!(conn = virConnectOpenAuth(uri, NULL, readonly ? VIR_CONNECT_RO : 0)))
        return -1;
    if (vkDaemonClientSetConn(
            call->client, conn,
            name && *name ? name : vkDaemonServerPublicURI(vkDaemonClientServer(call->client)),
            readonly) < 0) {
        vkConnectUnref(conn);
        return -1;
    }
    return 0;
}

static void closeAfterReply(vkDaemonCall *call)
{
    /* libvirtd hangs up once the reply went out */
    vkDaemonClientClose(call->client);
}

static int connectClose(vkDaemonCall *call, void *args, void *ret)
{
    call->afterReply = closeAfterReply;
    return 0;
}

static int getType(vkDaemonCall *call, void *args, vkr_connect_get_type_ret *ret)
{
    const char *type;

    CALL_CONN(call);
    if (!(type = virConnectGetType(conn)))
        return -1;
    ret->type = vkDaemonStrdup(type);
    return 0;
}

static int getVersion(vkDaemonCall *call, void *args, vkr_connect_get_version_ret *ret)
{
    unsigned long ver = 0;

    CALL_CONN(call);
    if (virConnectGetVersion(conn, &ver) < 0)
        return -1;
    ret->hv_ver = ver;
    return 0;
}

static int getLibVersion(vkDaemonCall *call, void *args, vkr_connect_get_lib_version_ret *ret)
{
    unsigned long ver = 0;

    CALL_CONN(call);
    if (virConnectGetLibVersion(conn, &ver) < 0)
        return -1;
    ret->lib_ver = ver;
    return 0;
}

static int getHostname(vkDaemonCall *call, void *args, vkr_connect_get_hostname_ret *ret)
{
    CALL_CONN(call);
    return (ret->hostname = virConnectGetHostname(conn)) ? 0 : -1;
}

static int getURI(vkDaemonCall *call, void *args, vkr_connect_get_uri_ret *ret)
{
    CALL_CONN(call);
    /* what the client opened, not the root it maps to here */
    ret->uri = vkDaemonClientGetURI(call->client);
    return 0;
}

static int getCapabilities(vkDaemonCall *call, void *args, vkr_connect_get_capabilities_ret *ret)
{
    CALL_CONN(call);
    return (ret->capabilities = virConnectGetCapabilities(conn)) ? 0 : -1;
}

static int getSysinfo(vkDaemonCall *call, vkr_connect_get_sysinfo_args *args,
                      vkr_connect_get_sysinfo_ret *ret)
{
    CALL_CONN(call);
    return (ret->sysinfo = virConnectGetSysinfo(conn, args->flags)) ? 0 : -1;
}

static int getMaxVcpus(vkDaemonCall *call, vkr_connect_get_max_vcpus_args *args,
                       vkr_connect_get_max_vcpus_ret *ret)
{
    CALL_CONN(call);
    return (ret->max_vcpus = virConnectGetMaxVcpus(conn, args->type ? *args->type : NULL)) < 0 ? -1
                                                                                               : 0;
}

static int isSecure(vkDaemonCall *call, void *args, vkr_connect_is_secure_ret *ret)
{
    CALL_CONN(call);
    return (ret->secure = virConnectIsSecure(conn)) < 0 ? -1 : 0;
}

static int nodeGetInfo(vkDaemonCall *call, void *args, vkr_node_get_info_ret *ret)
{
    virNodeInfo info = { 0 };

    CALL_CONN(call);
    if (virNodeGetInfo(conn, &info) < 0)
        return -1;
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->memory = info.memory;
    ret->cpus = (int)info.cpus;
    ret->mhz = (int)info.mhz;
    ret->nodes = (int)info.nodes;
    ret->sockets = (int)info.sockets;
    ret->cores = (int)info.cores;
    ret->threads = (int)info.threads;
    return 0;
}

static int nodeGetSecurityModel(vkDaemonCall *call, void *args,
                                vkr_node_get_security_model_ret *ret)
{
    virSecurityModel model = { { 0 } };

    CALL_CONN(call);
    if (virNodeGetSecurityModel(conn, &model) < 0)
        return -1;
    /* the terminating NUL travels too, as libvirtd sends it */
    ret->model.model_len = strlen(model.model) + 1;
    ret->model.model_val = vkDaemonStrdup(model.model);
    ret->doi.doi_len = strlen(model.doi) + 1;
    ret->doi.doi_val = vkDaemonStrdup(model.doi);
    return 0;
}

static const char *optional(vkr_string s)
{
    return s ? *s : NULL;
}

static int getDomainCapabilities(vkDaemonCall *call, vkr_connect_get_domain_capabilities_args *args,
                                 vkr_connect_get_domain_capabilities_ret *ret)
{
    CALL_CONN(call);
    ret->capabilities = virConnectGetDomainCapabilities(
        conn, optional(args->emulator), optional(args->arch), optional(args->machine),
        optional(args->virttype), args->flags);
    return ret->capabilities ? 0 : -1;
}

static int baselineHypervisorCPU(vkDaemonCall *call, vkr_connect_baseline_hypervisor_cpu_args *args,
                                 vkr_connect_baseline_hypervisor_cpu_ret *ret)
{
    CALL_CONN(call);
    ret->cpu = virConnectBaselineHypervisorCPU(conn, optional(args->emulator), optional(args->arch),
                                               optional(args->machine), optional(args->virttype),
                                               (const char **)args->xml_cpus.xml_cpus_val,
                                               args->xml_cpus.xml_cpus_len, args->flags);
    return ret->cpu ? 0 : -1;
}

/* The daemon's connections never close under a client (the drivers are in this process), so
 * a registered close callback never fires; libvirtd's qemu driver accepts any number alike. */
static int registerCloseCallback(vkDaemonCall *call, void *args, void *ret)
{
    CALL_CONN(call);
    vkDaemonClientSetCloseCallback(call->client, TRUE);
    return 0;
}

static int unregisterCloseCallback(vkDaemonCall *call, void *args, void *ret)
{
    CALL_CONN(call);
    vkDaemonClientSetCloseCallback(call->client, FALSE);
    return 0;
}

const vkDaemonProc vkDaemonConnectProcs[] = {
    { VKR_PROC_CONNECT_OPEN, HANDLER(connectOpen), VK_DAEMON_RUN_LONG, VK_DAEMON_PROC_EXCLUSIVE },
    { VKR_PROC_CONNECT_CLOSE, HANDLER(connectClose), VK_DAEMON_RUN_INLINE,
      VK_DAEMON_PROC_EXCLUSIVE },
    { VKR_PROC_CONNECT_GET_TYPE, HANDLER(getType), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_GET_VERSION, HANDLER(getVersion), VK_DAEMON_RUN_LONG },
    { VKR_PROC_CONNECT_GET_MAX_VCPUS, HANDLER(getMaxVcpus), VK_DAEMON_RUN_LONG },
    { VKR_PROC_NODE_GET_INFO, HANDLER(nodeGetInfo) },
    { VKR_PROC_CONNECT_GET_CAPABILITIES, HANDLER(getCapabilities), VK_DAEMON_RUN_LONG },
    { VKR_PROC_CONNECT_GET_HOSTNAME, HANDLER(getHostname) },
    { VKR_PROC_CONNECT_SUPPORTS_FEATURE, HANDLER(supportsFeature), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_AUTH_LIST, HANDLER(authList), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_GET_URI, HANDLER(getURI), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_NODE_GET_SECURITY_MODEL, HANDLER(nodeGetSecurityModel) },
    { VKR_PROC_CONNECT_IS_SECURE, HANDLER(isSecure), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_GET_LIB_VERSION, HANDLER(getLibVersion), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_GET_SYSINFO, HANDLER(getSysinfo) },
    { VKR_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, HANDLER(registerCloseCallback),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, HANDLER(unregisterCloseCallback),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_GET_DOMAIN_CAPABILITIES, HANDLER(getDomainCapabilities), VK_DAEMON_RUN_LONG,
      0, "virConnectGetDomainCapabilities", VIR_FROM_DOMAIN },
    { VKR_PROC_CONNECT_BASELINE_HYPERVISOR_CPU, HANDLER(baselineHypervisorCPU), VK_DAEMON_RUN_LONG,
      0, "virConnectBaselineHypervisorCPU", VIR_FROM_DOMAIN },
    { 0 },
};
