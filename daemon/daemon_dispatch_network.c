/* The network procedures, each one public call on the client's connection. Starting and
 * stopping a network (bridges, dnsmasq, firewall) runs on the workers. */
#include "daemon_dispatch_priv.h"

#include <stdlib.h>

static int listAll(vkDaemonCall *call, vkr_connect_list_all_networks_args *args,
                   vkr_connect_list_all_networks_ret *ret)
{
    virNetworkPtr *nets = NULL;
    int n;

    CALL_SECONDARY_CONN(call);
    if ((n = virConnectListAllNetworks(conn, args->need_results ? &nets : NULL, args->flags)) < 0)
        return -1;
    if (n > VKR_NETWORK_LIST_MAX) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "Too many networks '%d' for limit '%d'",
                      n, VKR_NETWORK_LIST_MAX);
    } else if (nets && n > 0) {
        ret->nets.nets_len = (u_int)n;
        ret->nets.nets_val = g_new0(vkr_nonnull_network, n);
        for (int i = 0; i < n; i++)
            vkDaemonNetworkToWire(nets[i], &ret->nets.nets_val[i]);
    }
    ret->ret = (u_int)n;
    if (nets) {
        for (int i = 0; i < n; i++)
            vkNetworkUnref(nets[i]);
        free(nets);
    }
    return n > VKR_NETWORK_LIST_MAX ? -1 : 0;
}

static int numOfNetworks(vkDaemonCall *call, void *args, vkr_connect_num_of_networks_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return (ret->num = virConnectNumOfNetworks(conn)) < 0 ? -1 : 0;
}

static int numOfDefinedNetworks(vkDaemonCall *call, void *args,
                                vkr_connect_num_of_defined_networks_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return (ret->num = virConnectNumOfDefinedNetworks(conn)) < 0 ? -1 : 0;
}

typedef int (*ListNamesFunc)(virConnectPtr conn, char **const names, int maxnames);

static int listNames(vkDaemonCall *call, ListNamesFunc list, int maxnames, u_int *len,
                     char ***names)
{
    int n;

    CALL_SECONDARY_CONN(call);
    if (vkDaemonCheckListMax(maxnames, VKR_NETWORK_LIST_MAX, "names", "REMOTE_NETWORK_LIST_MAX") <
        0)
        return -1;
    *names = g_new0(char *, MAX(maxnames, 1));
    if ((n = list(conn, *names, maxnames)) < 0)
        return -1;
    *len = (u_int)n;
    return 0;
}

static int listNetworks(vkDaemonCall *call, vkr_connect_list_networks_args *args,
                        vkr_connect_list_networks_ret *ret)
{
    return listNames(call, virConnectListNetworks, args->maxnames, &ret->names.names_len,
                     &ret->names.names_val);
}

static int listDefinedNetworks(vkDaemonCall *call, vkr_connect_list_defined_networks_args *args,
                               vkr_connect_list_defined_networks_ret *ret)
{
    return listNames(call, virConnectListDefinedNetworks, args->maxnames, &ret->names.names_len,
                     &ret->names.names_val);
}

/* Ends a call that made NET (NULL: failed, error set) by putting it into WIRE. */
static int returnNetwork(virNetworkPtr net, vkr_nonnull_network *wire)
{
    if (!net)
        return -1;
    vkDaemonNetworkToWire(net, wire);
    vkNetworkUnref(net);
    return 0;
}

static int lookupByName(vkDaemonCall *call, vkr_network_lookup_by_name_args *args,
                        vkr_network_lookup_by_name_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkLookupByName(conn, args->name), &ret->net);
}

static int lookupByUUID(vkDaemonCall *call, vkr_network_lookup_by_uuid_args *args,
                        vkr_network_lookup_by_uuid_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkLookupByUUID(conn, (const unsigned char *)args->uuid),
                         &ret->net);
}

static int defineXML(vkDaemonCall *call, vkr_network_define_xml_args *args,
                     vkr_network_define_xml_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkDefineXML(conn, args->xml), &ret->net);
}

static int defineXMLFlags(vkDaemonCall *call, vkr_network_define_xml_flags_args *args,
                          vkr_network_define_xml_flags_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkDefineXMLFlags(conn, args->xml, args->flags), &ret->net);
}

static int createXML(vkDaemonCall *call, vkr_network_create_xml_args *args,
                     vkr_network_create_xml_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkCreateXML(conn, args->xml), &ret->net);
}

static int createXMLFlags(vkDaemonCall *call, vkr_network_create_xml_flags_args *args,
                          vkr_network_create_xml_flags_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnNetwork(virNetworkCreateXMLFlags(conn, args->xml, args->flags), &ret->net);
}

static int netUndefine(vkDaemonCall *call, vkr_network_args *args, void *ret)
{
    CALL_NETWORK(call, &args->net);
    return virNetworkUndefine(net) < 0 ? -1 : 0;
}

static int netCreate(vkDaemonCall *call, vkr_network_args *args, void *ret)
{
    CALL_NETWORK(call, &args->net);
    return virNetworkCreate(net) < 0 ? -1 : 0;
}

static int netDestroy(vkDaemonCall *call, vkr_network_args *args, void *ret)
{
    CALL_NETWORK(call, &args->net);
    return virNetworkDestroy(net) < 0 ? -1 : 0;
}

static int setAutostart(vkDaemonCall *call, vkr_network_set_autostart_args *args, void *ret)
{
    CALL_NETWORK(call, &args->net);
    return virNetworkSetAutostart(net, args->autostart) < 0 ? -1 : 0;
}

static int getXMLDesc(vkDaemonCall *call, vkr_network_get_xml_desc_args *args,
                      vkr_network_get_xml_desc_ret *ret)
{
    CALL_NETWORK(call, &args->net);
    return (ret->xml = virNetworkGetXMLDesc(net, args->flags)) ? 0 : -1;
}

static int getBridgeName(vkDaemonCall *call, vkr_network_args *args,
                         vkr_network_get_bridge_name_ret *ret)
{
    CALL_NETWORK(call, &args->net);
    return (ret->name = virNetworkGetBridgeName(net)) ? 0 : -1;
}

static int isActive(vkDaemonCall *call, vkr_network_args *args, vkr_network_is_active_ret *ret)
{
    CALL_NETWORK(call, &args->net);
    return (ret->active = virNetworkIsActive(net)) < 0 ? -1 : 0;
}

static int isPersistent(vkDaemonCall *call, vkr_network_args *args,
                        vkr_network_is_persistent_ret *ret)
{
    CALL_NETWORK(call, &args->net);
    return (ret->persistent = virNetworkIsPersistent(net)) < 0 ? -1 : 0;
}

static int getAutostart(vkDaemonCall *call, vkr_network_args *args,
                        vkr_network_get_autostart_ret *ret)
{
    CALL_NETWORK(call, &args->net);
    return virNetworkGetAutostart(net, &ret->autostart) < 0 ? -1 : 0;
}

#define RW(proc, fn, api)                                                          \
    {                                                                              \
        VKR_PROC_##proc, HANDLER(fn), VK_DAEMON_RUN_LONG, 0, api, VIR_FROM_NETWORK \
    }

const vkDaemonProc vkDaemonNetworkProcs[] = {
    { VKR_PROC_CONNECT_LIST_ALL_NETWORKS, HANDLER(listAll) },
    { VKR_PROC_CONNECT_NUM_OF_NETWORKS, HANDLER(numOfNetworks) },
    { VKR_PROC_CONNECT_LIST_NETWORKS, HANDLER(listNetworks) },
    { VKR_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS, HANDLER(numOfDefinedNetworks) },
    { VKR_PROC_CONNECT_LIST_DEFINED_NETWORKS, HANDLER(listDefinedNetworks) },
    { VKR_PROC_NETWORK_LOOKUP_BY_NAME, HANDLER(lookupByName) },
    { VKR_PROC_NETWORK_LOOKUP_BY_UUID, HANDLER(lookupByUUID) },
    RW(NETWORK_DEFINE_XML, defineXML, "virNetworkDefineXML"),
    RW(NETWORK_DEFINE_XML_FLAGS, defineXMLFlags, "virNetworkDefineXMLFlags"),
    RW(NETWORK_CREATE_XML, createXML, "virNetworkCreateXML"),
    RW(NETWORK_CREATE_XML_FLAGS, createXMLFlags, "virNetworkCreateXMLFlags"),
    RW(NETWORK_UNDEFINE, netUndefine, "virNetworkUndefine"),
    RW(NETWORK_CREATE, netCreate, "virNetworkCreate"),
    RW(NETWORK_DESTROY, netDestroy, "virNetworkDestroy"),
    RW(NETWORK_SET_AUTOSTART, setAutostart, "virNetworkSetAutostart"),
    { VKR_PROC_NETWORK_GET_XML_DESC, HANDLER(getXMLDesc) },
    { VKR_PROC_NETWORK_GET_BRIDGE_NAME, HANDLER(getBridgeName) },
    { VKR_PROC_NETWORK_IS_ACTIVE, HANDLER(isActive) },
    { VKR_PROC_NETWORK_IS_PERSISTENT, HANDLER(isPersistent) },
    { VKR_PROC_NETWORK_GET_AUTOSTART, HANDLER(getAutostart) },
    { 0 },
};
