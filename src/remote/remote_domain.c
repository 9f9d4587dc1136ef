/* Domain calls over the wire, and the remote driver's hypervisor table. Each public call sends
 * the procedure libvirt's client sends for it: virDomainDestroy DOMAIN_DESTROY,
 * virDomainDestroyFlags DOMAIN_DESTROY_FLAGS (flags 0 or not), and so on. */
#include <string.h>

#include "remote_priv.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

/* ---- handles ---- */

void vkRemoteDomainToWire(virDomainPtr dom, vkr_nonnull_domain *out)
{
    out->name = dom->name;
    memcpy(out->uuid, dom->uuid, VIR_UUID_BUFLEN);
    out->id = vkDomainGetCachedID(dom);
}

virDomainPtr vkRemoteDomainFromWire(virConnectPtr conn, const vkr_nonnull_domain *dom)
{
    return vkDomainNew(conn, dom->name, (const unsigned char *)dom->uuid, dom->id);
}

int vkRemoteCopyNames(char **const names, int maxnames, char **wire, guint n, const char *func)
{
    if (n > (guint)maxnames) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "too many remote strings: %u > %d,in parameter 'names' for '%s'", n, maxnames,
                      func);
        return -1;
    }
    for (guint i = 0; i < n; i++)
        names[i] = g_strdup(wire[i]);
    return (int)n;
}

int vkRemoteCheckNamesLimit(int max, int limit, const char *func)
{
    if (max <= limit)
        return 0;
    vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                  "too many remote strings: %d > %d,in parameter 'names' for '%s'", max, limit,
                  func);
    return -1;
}

/* ---- listing ---- */

static int connectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    vkr_connect_list_all_domains_args args = { domains != NULL, flags };
    vkr_connect_list_all_domains_ret ret = { 0 };
    GPtrArray *handles;
    int count;

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_LIST_ALL_DOMAINS, &args, &ret) < 0)
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkDomainUnref);
    for (guint i = 0; i < ret.domains.domains_len; i++)
        g_ptr_array_add(handles, vkRemoteDomainFromWire(conn, &ret.domains.domains_val[i]));
    count = ret.ret;
    vkRemoteRetFree(VKR_PROC_CONNECT_LIST_ALL_DOMAINS, &ret);
    if (!domains) {
        g_ptr_array_free(handles, TRUE);
        return count;
    }
    return vkListHandlesReturn(handles, (void ***)domains);
}

static int connectNumOfDomains(virConnectPtr conn)
{
    vkr_connect_num_of_domains_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_NUM_OF_DOMAINS, NULL, &ret) < 0)
        return -1;
    return ret.num;
}

static int connectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    vkr_connect_list_domains_args args = { maxids };
    vkr_connect_list_domains_ret ret = { 0 };
    int n;

    if (maxids > VKR_DOMAIN_LIST_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Too many domains '%d' for limit '%d'", maxids,
                      VKR_DOMAIN_LIST_MAX);
        return -1;
    }
    if (vkRemoteCall(conn, VKR_PROC_CONNECT_LIST_DOMAINS, &args, &ret) < 0)
        return -1;
    if (ret.ids.ids_len > (guint)maxids) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Too many domains '%u' for limit '%d'",
                      ret.ids.ids_len, maxids);
        n = -1;
    } else {
        n = (int)ret.ids.ids_len;
        if (n > 0)
            memcpy(ids, ret.ids.ids_val, n * sizeof(int));
    }
    vkRemoteRetFree(VKR_PROC_CONNECT_LIST_DOMAINS, &ret);
    return n;
}

static int connectNumOfDefinedDomains(virConnectPtr conn)
{
    vkr_connect_num_of_defined_domains_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, NULL, &ret) < 0)
        return -1;
    return ret.num;
}

static int connectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    vkr_connect_list_defined_domains_args args = { maxnames };
    vkr_connect_list_defined_domains_ret ret = { 0 };
    int n;

    if (vkRemoteCheckNamesLimit(maxnames, VKR_DOMAIN_LIST_MAX, "virConnectListDefinedDomains") <
            0 ||
        vkRemoteCall(conn, VKR_PROC_CONNECT_LIST_DEFINED_DOMAINS, &args, &ret) < 0)
        return -1;
    n = vkRemoteCopyNames(names, maxnames, ret.names.names_val, ret.names.names_len,
                          "virConnectListDefinedDomains");
    vkRemoteRetFree(VKR_PROC_CONNECT_LIST_DEFINED_DOMAINS, &ret);
    return n;
}

/* ---- calls answering a domain ---- */

/* Every reply that carries a domain and nothing else has the same layout. */
typedef struct {
    vkr_nonnull_domain dom;
} DomainRet;

static virDomainPtr callDomain(virConnectPtr conn, int proc, const void *args)
{
    DomainRet ret = { 0 };
    virDomainPtr dom;

    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    dom = vkRemoteDomainFromWire(conn, &ret.dom);
    vkRemoteRetFree(proc, &ret);
    return dom;
}

static virDomainPtr domainLookupByName(virConnectPtr conn, const char *name)
{
    vkr_domain_lookup_by_name_args args = { (char *)name };

    return callDomain(conn, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, &args);
}

static virDomainPtr domainLookupByID(virConnectPtr conn, int id)
{
    vkr_domain_lookup_by_id_args args = { id };

    return callDomain(conn, VKR_PROC_DOMAIN_LOOKUP_BY_ID, &args);
}

static virDomainPtr domainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    vkr_domain_lookup_by_uuid_args args;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return callDomain(conn, VKR_PROC_DOMAIN_LOOKUP_BY_UUID, &args);
}

static virDomainPtr domainDefineXML(virConnectPtr conn, const char *xml)
{
    vkr_domain_define_xml_args args = { (char *)xml };

    return callDomain(conn, VKR_PROC_DOMAIN_DEFINE_XML, &args);
}

static virDomainPtr domainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkr_domain_define_xml_flags_args args = { (char *)xml, flags };

    return callDomain(conn, VKR_PROC_DOMAIN_DEFINE_XML_FLAGS, &args);
}

static virDomainPtr domainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkr_domain_create_xml_args args = { (char *)xml, flags };

    return callDomain(conn, VKR_PROC_DOMAIN_CREATE_XML, &args);
}

/* ---- calls on a domain ---- */

/* PROC taking the domain alone. */
static int callOnDomain(virDomainPtr dom, int proc)
{
    vkr_domain_args args;

    vkRemoteDomainToWire(dom, &args.dom);
    return vkRemoteCall(dom->conn, proc, &args, NULL);
}

/* PROC taking the domain and FLAGS. */
static int callOnDomainFlags(virDomainPtr dom, int proc, unsigned int flags)
{
    vkr_domain_flags_args args = { .flags = flags };

    vkRemoteDomainToWire(dom, &args.dom);
    return vkRemoteCall(dom->conn, proc, &args, NULL);
}

static int domainUndefine(virDomainPtr dom)
{
    return callOnDomain(dom, VKR_PROC_DOMAIN_UNDEFINE);
}

static int domainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    return callOnDomainFlags(dom, VKR_PROC_DOMAIN_UNDEFINE_FLAGS, flags);
}

/* DOMAIN_CREATE answers nothing: like libvirt's client, look the domain up again for the id
 * it now runs with. */
static int domainCreate(virDomainPtr dom)
{
    vkr_domain_lookup_by_uuid_args lookup;
    DomainRet ret = { 0 };

    if (callOnDomain(dom, VKR_PROC_DOMAIN_CREATE) < 0)
        return -1;
    memcpy(lookup.uuid, dom->uuid, VIR_UUID_BUFLEN);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_LOOKUP_BY_UUID, &lookup, &ret) < 0)
        return -1;
    vkDomainSetCachedID(dom, ret.dom.id);
    vkRemoteRetFree(VKR_PROC_DOMAIN_LOOKUP_BY_UUID, &ret);
    return 0;
}

static int domainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    vkr_domain_flags_args args = { .flags = flags };
    vkr_domain_create_with_flags_ret ret = { 0 };

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_CREATE_WITH_FLAGS, &args, &ret) < 0)
        return -1;
    vkDomainSetCachedID(dom, ret.dom.id);
    vkRemoteRetFree(VKR_PROC_DOMAIN_CREATE_WITH_FLAGS, &ret);
    return 0;
}

static int domainShutdown(virDomainPtr dom)
{
    return callOnDomain(dom, VKR_PROC_DOMAIN_SHUTDOWN);
}

static int domainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    return callOnDomainFlags(dom, VKR_PROC_DOMAIN_SHUTDOWN_FLAGS, flags);
}

static int domainDestroy(virDomainPtr dom)
{
    if (callOnDomain(dom, VKR_PROC_DOMAIN_DESTROY) < 0)
        return -1;
    vkDomainSetCachedID(dom, -1);
    return 0;
}

static int domainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    if (callOnDomainFlags(dom, VKR_PROC_DOMAIN_DESTROY_FLAGS, flags) < 0)
        return -1;
    vkDomainSetCachedID(dom, -1);
    return 0;
}

static int domainSuspend(virDomainPtr dom)
{
    return callOnDomain(dom, VKR_PROC_DOMAIN_SUSPEND);
}

static int domainResume(virDomainPtr dom)
{
    return callOnDomain(dom, VKR_PROC_DOMAIN_RESUME);
}

static int domainReboot(virDomainPtr dom, unsigned int flags)
{
    return callOnDomainFlags(dom, VKR_PROC_DOMAIN_REBOOT, flags);
}

/* ---- queries ---- */

static char *domainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    vkr_domain_flags_args args = { .flags = flags };
    vkr_domain_get_xml_desc_ret ret = { 0 };
    char *xml;

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_XML_DESC, &args, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    vkRemoteRetFree(VKR_PROC_DOMAIN_GET_XML_DESC, &ret);
    return xml;
}

static int domainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    vkr_domain_args args;
    vkr_domain_get_info_ret ret = { 0 };

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_INFO, &args, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->maxMem = ret.max_mem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nr_virt_cpu;
    info->cpuTime = ret.cpu_time;
    return 0;
}

static int domainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    vkr_domain_flags_args args = { .flags = flags };
    vkr_domain_get_state_ret ret = { 0 };

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_STATE, &args, &ret) < 0)
        return -1;
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}

static unsigned long long domainGetMaxMemory(virDomainPtr dom)
{
    vkr_domain_args args;
    vkr_domain_get_max_memory_ret ret = { 0 };

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_MAX_MEMORY, &args, &ret) < 0)
        return 0;
    return ret.memory;
}

static char *domainGetOSType(virDomainPtr dom)
{
    vkr_domain_args args;
    vkr_domain_get_os_type_ret ret = { 0 };
    char *type;

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_OS_TYPE, &args, &ret) < 0)
        return NULL;
    type = g_strdup(ret.type);
    vkRemoteRetFree(VKR_PROC_DOMAIN_GET_OS_TYPE, &ret);
    return type;
}

static int domainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    vkr_domain_args args;
    vkr_domain_get_security_label_ret ret = { 0 };
    int rc = 0;

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_SECURITY_LABEL, &args, &ret) < 0)
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    if (ret.label.label_val) {
        if (!vkRemoteCopyText(seclabel->label, sizeof(seclabel->label), ret.label.label_val,
                              ret.label.label_len)) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "security label exceeds maximum: %zu",
                          sizeof(seclabel->label) - 1);
            rc = -1;
        } else {
            seclabel->enforcing = ret.enforcing;
        }
    }
    vkRemoteRetFree(VKR_PROC_DOMAIN_GET_SECURITY_LABEL, &ret);
    return rc;
}

static int domainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    vkr_domain_flags_args args = { .flags = flags };
    vkr_domain_get_messages_ret ret = { 0 };
    guint n;

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_MESSAGES, &args, &ret) < 0)
        return -1;
    n = ret.msgs.msgs_len;
    *msgs = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++)
        (*msgs)[i] = g_strdup(ret.msgs.msgs_val[i]);
    vkRemoteRetFree(VKR_PROC_DOMAIN_GET_MESSAGES, &ret);
    return (int)n;
}

/* The console's bytes travel as the call's STREAM frames (remote_stream.c). */
static int domainOpenConsole(virDomainPtr dom, const char *devName, virStreamPtr st,
                             unsigned int flags)
{
    vkr_domain_open_console_args args = { .dev_name = devName ? (char **)&devName : NULL,
                                          .flags = flags };

    vkRemoteDomainToWire(dom, &args.dom);
    return vkRemoteStreamOpen(dom->conn, st, VKR_PROC_DOMAIN_OPEN_CONSOLE, &args);
}

/* The calls whose reply is one int. */
static int callDomainInt(virDomainPtr dom, int proc, gboolean withFlags, unsigned int flags)
{
    int ret = 0;

    if (withFlags) {
        vkr_domain_flags_args args = { .flags = flags };
        vkRemoteDomainToWire(dom, &args.dom);
        if (vkRemoteCall(dom->conn, proc, &args, &ret) < 0)
            return -1;
    } else {
        vkr_domain_args args;
        vkRemoteDomainToWire(dom, &args.dom);
        if (vkRemoteCall(dom->conn, proc, &args, &ret) < 0)
            return -1;
    }
    return ret;
}

static int domainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    return callDomainInt(dom, VKR_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, TRUE, flags);
}

static int domainIsActive(virDomainPtr dom)
{
    return callDomainInt(dom, VKR_PROC_DOMAIN_IS_ACTIVE, FALSE, 0);
}

static int domainIsPersistent(virDomainPtr dom)
{
    return callDomainInt(dom, VKR_PROC_DOMAIN_IS_PERSISTENT, FALSE, 0);
}

static int domainGetAutostart(virDomainPtr dom, int *autostart)
{
    int rc = callDomainInt(dom, VKR_PROC_DOMAIN_GET_AUTOSTART, FALSE, 0);

    if (rc < 0)
        return -1;
    *autostart = rc;
    return 0;
}

static int domainSetAutostart(virDomainPtr dom, int autostart)
{
    vkr_domain_set_autostart_args args = { .autostart = autostart };

    vkRemoteDomainToWire(dom, &args.dom);
    return vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_SET_AUTOSTART, &args, NULL);
}

static int domainSetMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                             const char *uri, unsigned int flags)
{
    vkr_domain_set_metadata_args args = {
        .type = type,
        .metadata = metadata ? (char **)&metadata : NULL,
        .key = key ? (char **)&key : NULL,
        .uri = uri ? (char **)&uri : NULL,
        .flags = flags,
    };

    vkRemoteDomainToWire(dom, &args.dom);
    return vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_SET_METADATA, &args, NULL);
}

static char *domainGetMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags)
{
    vkr_domain_get_metadata_args args = {
        .type = type,
        .uri = uri ? (char **)&uri : NULL,
        .flags = flags,
    };
    vkr_domain_get_metadata_ret ret = { 0 };
    char *metadata;

    vkRemoteDomainToWire(dom, &args.dom);
    if (vkRemoteCall(dom->conn, VKR_PROC_DOMAIN_GET_METADATA, &args, &ret) < 0)
        return NULL;
    metadata = g_strdup(ret.metadata);
    vkRemoteRetFree(VKR_PROC_DOMAIN_GET_METADATA, &ret);
    return metadata;
}

const vkHypervisorDriver vkRemoteHypervisorDriver = {
    .name = "remote",
    .connectOpen = vkRemoteConnectOpen,
    .connectClose = vkRemoteConnectClose,
    .connectGetType = vkRemoteConnectGetType,
    .connectGetVersion = vkRemoteConnectGetVersion,
    .connectGetLibVersion = vkRemoteConnectGetLibVersion,
    .connectGetHostname = vkRemoteConnectGetHostname,
    .connectGetCapabilities = vkRemoteConnectGetCapabilities,
    .connectGetSysinfo = vkRemoteConnectGetSysinfo,
    .connectGetMaxVcpus = vkRemoteConnectGetMaxVcpus,
    .connectIsAlive = vkRemoteConnectIsAlive,
    .connectIsEncrypted = vkRemoteConnectIsEncrypted,
    .connectIsSecure = vkRemoteConnectIsSecure,
    .nodeGetInfo = vkRemoteNodeGetInfo,
    .nodeGetSecurityModel = vkRemoteNodeGetSecurityModel,

    .connectListAllDomains = connectListAllDomains,
    .connectNumOfDomains = connectNumOfDomains,
    .connectListDomains = connectListDomains,
    .connectNumOfDefinedDomains = connectNumOfDefinedDomains,
    .connectListDefinedDomains = connectListDefinedDomains,

    .domainLookupByName = domainLookupByName,
    .domainLookupByID = domainLookupByID,
    .domainLookupByUUID = domainLookupByUUID,

    .domainDefineXMLFlags = domainDefineXMLFlags,
    .domainUndefineFlags = domainUndefineFlags,
    .domainCreateXML = domainCreateXML,
    .domainCreateWithFlags = domainCreateWithFlags,
    .domainShutdownFlags = domainShutdownFlags,
    .domainDestroyFlags = domainDestroyFlags,
    .domainSuspend = domainSuspend,
    .domainResume = domainResume,
    .domainReboot = domainReboot,
    .domainDefineXML = domainDefineXML,
    .domainUndefine = domainUndefine,
    .domainCreate = domainCreate,
    .domainShutdown = domainShutdown,
    .domainDestroy = domainDestroy,

    .domainGetXMLDesc = domainGetXMLDesc,
    .domainGetInfo = domainGetInfo,
    .domainGetState = domainGetState,
    .domainGetMaxMemory = domainGetMaxMemory,
    .domainGetOSType = domainGetOSType,
    .domainGetSecurityLabel = domainGetSecurityLabel,
    .domainHasManagedSaveImage = domainHasManagedSaveImage,
    .domainGetMessages = domainGetMessages,
    .domainOpenConsole = domainOpenConsole,
    .domainIsActive = domainIsActive,
    .domainIsPersistent = domainIsPersistent,
    .domainGetAutostart = domainGetAutostart,
    .domainSetAutostart = domainSetAutostart,
    .domainSetMetadata = domainSetMetadata,
    .domainGetMetadata = domainGetMetadata,

    .connectDomainEventRegister = vkRemoteDomainEventRegister,
    .connectDomainEventDeregister = vkRemoteDomainEventDeregister,
    .connectDomainEventRegisterAny = vkRemoteDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = vkRemoteEventDeregisterAny,
};
