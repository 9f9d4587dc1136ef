/* The domain procedures, each one public call on the client's connection. Calls that change a
 * domain run on the workers: they take the domain's lock, which a start may hold for long. */
#include "daemon_dispatch_priv.h"

#include <stdlib.h>

/* ---- listing ---- */

static int listAll(vkDaemonCall *call, vkr_connect_list_all_domains_args *args,
                   vkr_connect_list_all_domains_ret *ret)
{
    virDomainPtr *doms = NULL;
    int n;

    CALL_CONN(call);
    if ((n = virConnectListAllDomains(conn, args->need_results ? &doms : NULL, args->flags)) < 0)
        return -1;
    if (n > VKR_DOMAIN_LIST_MAX) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "Too many domains '%d' for limit '%d'",
                      n, VKR_DOMAIN_LIST_MAX);
    } else if (doms && n > 0) {
        ret->domains.domains_len = (u_int)n;
        ret->domains.domains_val = g_new0(vkr_nonnull_domain, n);
        for (int i = 0; i < n; i++)
            vkDaemonDomainToWire(doms[i], &ret->domains.domains_val[i]);
    }
    ret->ret = (u_int)n;
    if (doms) {
        for (int i = 0; i < n; i++)
            vkDomainUnref(doms[i]);
        free(doms);
    }
    return n > VKR_DOMAIN_LIST_MAX ? -1 : 0;
}

static int numOfDomains(vkDaemonCall *call, void *args, vkr_connect_num_of_domains_ret *ret)
{
    CALL_CONN(call);
    return (ret->num = virConnectNumOfDomains(conn)) < 0 ? -1 : 0;
}

static int listDomains(vkDaemonCall *call, vkr_connect_list_domains_args *args,
                       vkr_connect_list_domains_ret *ret)
{
    int n;

    CALL_CONN(call);
    if (vkDaemonCheckListMax(args->maxids, VKR_DOMAIN_LIST_MAX, "ids", "REMOTE_DOMAIN_LIST_MAX") <
        0)
        return -1;
    ret->ids.ids_val = g_new0(int, MAX(args->maxids, 1));
    if ((n = virConnectListDomains(conn, ret->ids.ids_val, args->maxids)) < 0)
        return -1;
    ret->ids.ids_len = (u_int)n;
    return 0;
}

static int numOfDefinedDomains(vkDaemonCall *call, void *args,
                               vkr_connect_num_of_defined_domains_ret *ret)
{
    CALL_CONN(call);
    return (ret->num = virConnectNumOfDefinedDomains(conn)) < 0 ? -1 : 0;
}

static int listDefinedDomains(vkDaemonCall *call, vkr_connect_list_defined_domains_args *args,
                              vkr_connect_list_defined_domains_ret *ret)
{
    int n;

    CALL_CONN(call);
    if (vkDaemonCheckListMax(args->maxnames, VKR_DOMAIN_LIST_MAX, "names",
                             "REMOTE_DOMAIN_LIST_MAX") < 0)
        return -1;
    ret->names.names_val = g_new0(char *, MAX(args->maxnames, 1));
    if ((n = virConnectListDefinedDomains(conn, ret->names.names_val, args->maxnames)) < 0)
        return -1;
    ret->names.names_len = (u_int)n;
    return 0;
}

/* ---- lookups and definitions: calls that return a domain ---- */

/* Ends a call that made DOM (NULL: failed, error set) by putting it into WIRE. */
static int returnDomain(virDomainPtr dom, vkr_nonnull_domain *wire)
{
    if (!dom)
        return -1;
    vkDaemonDomainToWire(dom, wire);
    vkDomainUnref(dom);
    return 0;
}

static int lookupByName(vkDaemonCall *call, vkr_domain_lookup_by_name_args *args,
                        vkr_domain_lookup_by_name_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainLookupByName(conn, args->name), &ret->dom);
}

static int lookupByUUID(vkDaemonCall *call, vkr_domain_lookup_by_uuid_args *args,
                        vkr_domain_lookup_by_uuid_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainLookupByUUID(conn, (const unsigned char *)args->uuid), &ret->dom);
}

static int lookupByID(vkDaemonCall *call, vkr_domain_lookup_by_id_args *args,
                      vkr_domain_lookup_by_id_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainLookupByID(conn, args->id), &ret->dom);
}

static int defineXML(vkDaemonCall *call, vkr_domain_define_xml_args *args,
                     vkr_domain_define_xml_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainDefineXML(conn, args->xml), &ret->dom);
}

static int defineXMLFlags(vkDaemonCall *call, vkr_domain_define_xml_flags_args *args,
                          vkr_domain_define_xml_flags_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainDefineXMLFlags(conn, args->xml, args->flags), &ret->dom);
}

static int createXML(vkDaemonCall *call, vkr_domain_create_xml_args *args,
                     vkr_domain_create_xml_ret *ret)
{
    CALL_CONN(call);
    return returnDomain(virDomainCreateXML(conn, args->xml, args->flags), &ret->dom);
}

static int createWithFlags(vkDaemonCall *call, vkr_domain_flags_args *args,
                           vkr_domain_create_with_flags_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    if (virDomainCreateWithFlags(dom, args->flags) < 0)
        return -1;
    /* the handle now carries the running guest's id */
    vkDaemonDomainToWire(dom, &ret->dom);
    return 0;
}

/* ---- calls on a domain that return nothing ---- */

#define DOMAIN_VOID(fn, call_expr)                                      \
    static int fn(vkDaemonCall *call, vkr_domain_args *args, void *ret) \
    {                                                                   \
        CALL_DOMAIN(call, &args->dom);                                  \
        return call_expr < 0 ? -1 : 0;                                  \
    }

#define DOMAIN_FLAGS_VOID(fn, call_expr)                                      \
    static int fn(vkDaemonCall *call, vkr_domain_flags_args *args, void *ret) \
    {                                                                         \
        CALL_DOMAIN(call, &args->dom);                                        \
        return call_expr < 0 ? -1 : 0;                                        \
    }

DOMAIN_VOID(domCreate, virDomainCreate(dom))
DOMAIN_VOID(domUndefine, virDomainUndefine(dom))
DOMAIN_VOID(domDestroy, virDomainDestroy(dom))
DOMAIN_VOID(domShutdown, virDomainShutdown(dom))
DOMAIN_VOID(domSuspend, virDomainSuspend(dom))
DOMAIN_VOID(domResume, virDomainResume(dom))
DOMAIN_FLAGS_VOID(domUndefineFlags, virDomainUndefineFlags(dom, args->flags))
DOMAIN_FLAGS_VOID(domDestroyFlags, virDomainDestroyFlags(dom, args->flags))
DOMAIN_FLAGS_VOID(domShutdownFlags, virDomainShutdownFlags(dom, args->flags))
DOMAIN_FLAGS_VOID(domReboot, virDomainReboot(dom, args->flags))

static int setAutostart(vkDaemonCall *call, vkr_domain_set_autostart_args *args, void *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return virDomainSetAutostart(dom, args->autostart) < 0 ? -1 : 0;
}

/* ---- queries ---- */

static int getXMLDesc(vkDaemonCall *call, vkr_domain_flags_args *args,
                      vkr_domain_get_xml_desc_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->xml = virDomainGetXMLDesc(dom, args->flags)) ? 0 : -1;
}

static int getState(vkDaemonCall *call, vkr_domain_flags_args *args, vkr_domain_get_state_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return virDomainGetState(dom, &ret->state, &ret->reason, args->flags) < 0 ? -1 : 0;
}

static int getInfo(vkDaemonCall *call, vkr_domain_args *args, vkr_domain_get_info_ret *ret)
{
    virDomainInfo info = { 0 };

    CALL_DOMAIN(call, &args->dom);
    if (virDomainGetInfo(dom, &info) < 0)
        return -1;
    ret->state = info.state;
    ret->max_mem = info.maxMem;
    ret->memory = info.memory;
    ret->nr_virt_cpu = info.nrVirtCpu;
    ret->cpu_time = info.cpuTime;
    return 0;
}

static int getMaxMemory(vkDaemonCall *call, vkr_domain_args *args,
                        vkr_domain_get_max_memory_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->memory = virDomainGetMaxMemory(dom)) == 0 ? -1 : 0;
}

static int isActive(vkDaemonCall *call, vkr_domain_args *args, vkr_domain_is_active_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->active = virDomainIsActive(dom)) < 0 ? -1 : 0;
}

static int isPersistent(vkDaemonCall *call, vkr_domain_args *args,
                        vkr_domain_is_persistent_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->persistent = virDomainIsPersistent(dom)) < 0 ? -1 : 0;
}

static int getAutostart(vkDaemonCall *call, vkr_domain_args *args,
                        vkr_domain_get_autostart_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return virDomainGetAutostart(dom, &ret->autostart) < 0 ? -1 : 0;
}

static int getOSType(vkDaemonCall *call, vkr_domain_args *args, vkr_domain_get_os_type_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->type = virDomainGetOSType(dom)) ? 0 : -1;
}

static int hasManagedSaveImage(vkDaemonCall *call, vkr_domain_flags_args *args,
                               vkr_domain_has_managed_save_image_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->result = virDomainHasManagedSaveImage(dom, args->flags)) < 0 ? -1 : 0;
}

static int getSecurityLabel(vkDaemonCall *call, vkr_domain_args *args,
                            vkr_domain_get_security_label_ret *ret)
{
    g_autofree virSecurityLabel *label = g_new0(virSecurityLabel, 1);

    CALL_DOMAIN(call, &args->dom);
    if (virDomainGetSecurityLabel(dom, label) < 0)
        return -1;
    /* the terminating NUL travels too, as libvirtd sends it */
    ret->label.label_len = strlen(label->label) + 1;
    ret->label.label_val = vkDaemonStrdup(label->label);
    ret->enforcing = label->enforcing;
    return 0;
}

static int snapshotNum(vkDaemonCall *call, vkr_domain_flags_args *args,
                       vkr_domain_snapshot_num_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return (ret->num = virDomainSnapshotNum(dom, args->flags)) < 0 ? -1 : 0;
}

static int getMessages(vkDaemonCall *call, vkr_domain_flags_args *args,
                       vkr_domain_get_messages_ret *ret)
{
    char **msgs = NULL;
    int n;

    CALL_DOMAIN(call, &args->dom);
    if ((n = virDomainGetMessages(dom, &msgs, args->flags)) < 0)
        return -1;
    if (n > VKR_DOMAIN_MESSAGES_MAX) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "Too many messages '%d' for limit '%d'",
                      n, VKR_DOMAIN_MESSAGES_MAX);
        g_strfreev(msgs);
        return -1;
    }
    /* the array is libvirt's NULL-terminated one, freed with free(): XDR frees the same way */
    ret->msgs.msgs_len = (u_int)n;
    ret->msgs.msgs_val = msgs;
    return 0;
}

static int setMetadata(vkDaemonCall *call, vkr_domain_set_metadata_args *args, void *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return virDomainSetMetadata(dom, args->type, args->metadata ? *args->metadata : NULL,
                                args->key ? *args->key : NULL, args->uri ? *args->uri : NULL,
                                args->flags) < 0
               ? -1
               : 0;
}

static int getMetadata(vkDaemonCall *call, vkr_domain_get_metadata_args *args,
                       vkr_domain_get_metadata_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    ret->metadata =
        virDomainGetMetadata(dom, args->type, args->uri ? *args->uri : NULL, args->flags);
    return ret->metadata ? 0 : -1;
}

#define RW(proc, fn, api)                                                         \
    {                                                                             \
        VKR_PROC_##proc, HANDLER(fn), VK_DAEMON_RUN_LONG, 0, api, VIR_FROM_DOMAIN \
    }

const vkDaemonProc vkDaemonDomainProcs[] = {
    { VKR_PROC_CONNECT_LIST_ALL_DOMAINS, HANDLER(listAll) },
    { VKR_PROC_CONNECT_NUM_OF_DOMAINS, HANDLER(numOfDomains) },
    { VKR_PROC_CONNECT_LIST_DOMAINS, HANDLER(listDomains) },
    { VKR_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, HANDLER(numOfDefinedDomains) },
    { VKR_PROC_CONNECT_LIST_DEFINED_DOMAINS, HANDLER(listDefinedDomains) },
    { VKR_PROC_DOMAIN_LOOKUP_BY_NAME, HANDLER(lookupByName), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_LOOKUP_BY_UUID, HANDLER(lookupByUUID) },
    { VKR_PROC_DOMAIN_LOOKUP_BY_ID, HANDLER(lookupByID) },
    RW(DOMAIN_DEFINE_XML, defineXML, "virDomainDefineXML"),
    RW(DOMAIN_DEFINE_XML_FLAGS, defineXMLFlags, "virDomainDefineXMLFlags"),
    RW(DOMAIN_UNDEFINE, domUndefine, "virDomainUndefine"),
    RW(DOMAIN_UNDEFINE_FLAGS, domUndefineFlags, "virDomainUndefineFlags"),
    RW(DOMAIN_CREATE, domCreate, "virDomainCreate"),
    RW(DOMAIN_CREATE_WITH_FLAGS, createWithFlags, "virDomainCreateWithFlags"),
    RW(DOMAIN_CREATE_XML, createXML, "virDomainCreateXML"),
    RW(DOMAIN_DESTROY, domDestroy, "virDomainDestroy"),
    RW(DOMAIN_DESTROY_FLAGS, domDestroyFlags, "virDomainDestroyFlags"),
    RW(DOMAIN_SHUTDOWN, domShutdown, "virDomainShutdown"),
    RW(DOMAIN_SHUTDOWN_FLAGS, domShutdownFlags, "virDomainShutdownFlags"),
    RW(DOMAIN_REBOOT, domReboot, "virDomainReboot"),
    RW(DOMAIN_SUSPEND, domSuspend, "virDomainSuspend"),
    RW(DOMAIN_RESUME, domResume, "virDomainResume"),
    RW(DOMAIN_SET_AUTOSTART, setAutostart, "virDomainSetAutostart"),
    RW(DOMAIN_SET_METADATA, setMetadata, "virDomainSetMetadata"),
    { VKR_PROC_DOMAIN_GET_XML_DESC, HANDLER(getXMLDesc), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_GET_STATE, HANDLER(getState), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_GET_INFO, HANDLER(getInfo), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_GET_MAX_MEMORY, HANDLER(getMaxMemory), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_IS_ACTIVE, HANDLER(isActive), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_IS_PERSISTENT, HANDLER(isPersistent), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_GET_AUTOSTART, HANDLER(getAutostart), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_GET_OS_TYPE, HANDLER(getOSType), VK_DAEMON_RUN_QUICK },
    { VKR_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, HANDLER(hasManagedSaveImage) },
    { VKR_PROC_DOMAIN_GET_SECURITY_LABEL, HANDLER(getSecurityLabel) },
    { VKR_PROC_DOMAIN_SNAPSHOT_NUM, HANDLER(snapshotNum) },
    { VKR_PROC_DOMAIN_GET_MESSAGES, HANDLER(getMessages) },
    { VKR_PROC_DOMAIN_GET_METADATA, HANDLER(getMetadata) },
    { 0 },
};
