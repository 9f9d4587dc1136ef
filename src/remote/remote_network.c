/* Network calls over the wire: the remote driver's network table. The connection is the
 * hypervisor table's (conn->privateData); each public call sends libvirt's procedure for it. */
#include <string.h>

#include "remote_priv.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

void vkRemoteNetworkToWire(virNetworkPtr net, vkr_nonnull_network *out)
{
    out->name = net->name;
    memcpy(out->uuid, net->uuid, VIR_UUID_BUFLEN);
}

virNetworkPtr vkRemoteNetworkFromWire(virConnectPtr conn, const vkr_nonnull_network *net)
{
    return vkNetworkNew(conn, net->name, (const unsigned char *)net->uuid);
}

/* ---- listing ---- */

static int connectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    vkr_connect_list_all_networks_args args = { nets != NULL, flags };
    vkr_connect_list_all_networks_ret ret = { 0 };
    GPtrArray *handles;
    int count;

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_LIST_ALL_NETWORKS, &args, &ret) < 0)
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkNetworkUnref);
    for (guint i = 0; i < ret.nets.nets_len; i++)
        g_ptr_array_add(handles, vkRemoteNetworkFromWire(conn, &ret.nets.nets_val[i]));
    count = ret.ret;
    vkRemoteRetFree(VKR_PROC_CONNECT_LIST_ALL_NETWORKS, &ret);
    if (!nets) {
        g_ptr_array_free(handles, TRUE);
        return count;
    }
    return vkListHandlesReturn(handles, (void ***)nets);
}

static int callCount(virConnectPtr conn, int proc)
{
    int num = 0; /* every counting reply is one int */

    if (vkRemoteCall(conn, proc, NULL, &num) < 0)
        return -1;
    return num;
}

static int connectNumOfNetworks(virConnectPtr conn)
{
    return callCount(conn, VKR_PROC_CONNECT_NUM_OF_NETWORKS);
}

static int connectNumOfDefinedNetworks(virConnectPtr conn)
{
    return callCount(conn, VKR_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS);
}

/* LIST_NETWORKS and LIST_DEFINED_NETWORKS share their layouts. */
static int listNames(virConnectPtr conn, int proc, char **const names, int maxnames,
                     const char *func)
{
    vkr_connect_list_networks_args args = { maxnames };
    vkr_connect_list_networks_ret ret = { 0 };
    int n;

    if (maxnames > VKR_NETWORK_LIST_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "too many remote strings: %d > %d,in parameter 'names' for '%s'", maxnames,
                      VKR_NETWORK_LIST_MAX, func);
        return -1;
    }
    if (vkRemoteCall(conn, proc, &args, &ret) < 0)
        return -1;
    n = vkRemoteCopyNames(names, maxnames, ret.names.names_val, ret.names.names_len, func);
    vkRemoteRetFree(proc, &ret);
    return n;
}

static int connectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, VKR_PROC_CONNECT_LIST_NETWORKS, names, maxnames,
                     "virConnectListNetworks");
}

static int connectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, VKR_PROC_CONNECT_LIST_DEFINED_NETWORKS, names, maxnames,
                     "virConnectListDefinedNetworks");
}

/* ---- calls answering a network ---- */

typedef struct {
    vkr_nonnull_network net;
} NetworkRet;

static virNetworkPtr callNetwork(virConnectPtr conn, int proc, const void *args)
{
    NetworkRet ret = { 0 };
    virNetworkPtr net;

    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    net = vkRemoteNetworkFromWire(conn, &ret.net);
    vkRemoteRetFree(proc, &ret);
    return net;
}

static virNetworkPtr networkLookupByName(virConnectPtr conn, const char *name)
{
    vkr_network_lookup_by_name_args args = { (char *)name };

    return callNetwork(conn, VKR_PROC_NETWORK_LOOKUP_BY_NAME, &args);
}

static virNetworkPtr networkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    vkr_network_lookup_by_uuid_args args;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return callNetwork(conn, VKR_PROC_NETWORK_LOOKUP_BY_UUID, &args);
}

static virNetworkPtr networkDefineXML(virConnectPtr conn, const char *xml)
{
    vkr_network_define_xml_args args = { (char *)xml };

    return callNetwork(conn, VKR_PROC_NETWORK_DEFINE_XML, &args);
}

static virNetworkPtr networkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkr_network_define_xml_flags_args args = { (char *)xml, flags };

    return callNetwork(conn, VKR_PROC_NETWORK_DEFINE_XML_FLAGS, &args);
}

static virNetworkPtr networkCreateXML(virConnectPtr conn, const char *xml)
{
    vkr_network_create_xml_args args = { (char *)xml };

    return callNetwork(conn, VKR_PROC_NETWORK_CREATE_XML, &args);
}

static virNetworkPtr networkCreateXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkr_network_create_xml_flags_args args = { (char *)xml, flags };

    return callNetwork(conn, VKR_PROC_NETWORK_CREATE_XML_FLAGS, &args);
}

/* ---- calls on a network ---- */

/* PROC with the network as its only argument; RET: its reply (NULL: none). */
static int callOnNetwork(virNetworkPtr net, int proc, void *ret)
{
    vkr_network_args args;

    vkRemoteNetworkToWire(net, &args.net);
    return vkRemoteCall(net->conn, proc, &args, ret);
}

static int networkUndefine(virNetworkPtr net)
{
    return callOnNetwork(net, VKR_PROC_NETWORK_UNDEFINE, NULL);
}

static int networkCreate(virNetworkPtr net)
{
    return callOnNetwork(net, VKR_PROC_NETWORK_CREATE, NULL);
}

static int networkDestroy(virNetworkPtr net)
{
    return callOnNetwork(net, VKR_PROC_NETWORK_DESTROY, NULL);
}

static char *networkGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    vkr_network_get_xml_desc_args args = { .flags = flags };
    vkr_network_get_xml_desc_ret ret = { 0 };
    char *xml;

    vkRemoteNetworkToWire(net, &args.net);
    if (vkRemoteCall(net->conn, VKR_PROC_NETWORK_GET_XML_DESC, &args, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    vkRemoteRetFree(VKR_PROC_NETWORK_GET_XML_DESC, &ret);
    return xml;
}

static char *networkGetBridgeName(virNetworkPtr net)
{
    vkr_network_get_bridge_name_ret ret = { 0 };
    char *name;

    if (callOnNetwork(net, VKR_PROC_NETWORK_GET_BRIDGE_NAME, &ret) < 0)
        return NULL;
    name = g_strdup(ret.name);
    vkRemoteRetFree(VKR_PROC_NETWORK_GET_BRIDGE_NAME, &ret);
    return name;
}

/* The calls whose reply is one int. */
static int callNetworkInt(virNetworkPtr net, int proc)
{
    int value = 0;

    if (callOnNetwork(net, proc, &value) < 0)
        return -1;
    return value;
}

static int networkIsActive(virNetworkPtr net)
{
    return callNetworkInt(net, VKR_PROC_NETWORK_IS_ACTIVE);
}

static int networkIsPersistent(virNetworkPtr net)
{
    return callNetworkInt(net, VKR_PROC_NETWORK_IS_PERSISTENT);
}

static int networkGetAutostart(virNetworkPtr net, int *autostart)
{
    int rc = callNetworkInt(net, VKR_PROC_NETWORK_GET_AUTOSTART);

    if (rc < 0)
        return -1;
    *autostart = rc;
    return 0;
}

static int networkSetAutostart(virNetworkPtr net, int autostart)
{
    vkr_network_set_autostart_args args = { .autostart = autostart };

    vkRemoteNetworkToWire(net, &args.net);
    return vkRemoteCall(net->conn, VKR_PROC_NETWORK_SET_AUTOSTART, &args, NULL);
}

const vkNetworkDriver vkRemoteNetworkDriver = {
    .name = "remote",
    .connectListAllNetworks = connectListAllNetworks,
    .connectNumOfNetworks = connectNumOfNetworks,
    .connectListNetworks = connectListNetworks,
    .connectNumOfDefinedNetworks = connectNumOfDefinedNetworks,
    .connectListDefinedNetworks = connectListDefinedNetworks,
    .networkLookupByName = networkLookupByName,
    .networkLookupByUUID = networkLookupByUUID,
    .networkDefineXMLFlags = networkDefineXMLFlags,
    .networkCreateXMLFlags = networkCreateXMLFlags,
    .networkDefineXML = networkDefineXML,
    .networkCreateXML = networkCreateXML,
    .networkUndefine = networkUndefine,
    .networkCreate = networkCreate,
    .networkDestroy = networkDestroy,
    .networkGetXMLDesc = networkGetXMLDesc,
    .networkGetBridgeName = networkGetBridgeName,
    .networkIsActive = networkIsActive,
    .networkIsPersistent = networkIsPersistent,
    .networkGetAutostart = networkGetAutostart,
    .networkSetAutostart = networkSetAutostart,
    .connectNetworkEventRegisterAny = vkRemoteNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = vkRemoteEventDeregisterAny,
};
