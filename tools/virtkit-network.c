/* virtkit shell: virtual network commands (net-*), with virsh's options, messages and
 * output layout. */
#include <stdlib.h>
#include <string.h>

#include "virtkit.h"

#define VK_OPT_NETWORK(help) VK_OPT("network", VK_OT_DATA, VK_OFLAG_REQ, help)
#define VK_OPT_NETWORK_FULL  VK_OPT_NETWORK("network name or uuid")

static const vkOptDef vkOptsNetwork[] = {
    VK_OPT_NETWORK_FULL,
    { NULL },
};

static const vkOptDef vkOptsNetFile[] = {
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML network description" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

/* net-define and net-create: the same file handling, a different call. */
static bool vkNetFromFile(vkShell *sh, const vkCmd *cmd, bool create)
{
    g_autoptr(vkNetworkRef) net = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    bool validate = vkOptBool(cmd, "validate");

    if (vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (!(xml = vkReadFile(sh, file)))
        return false;
    if (create)
        net = validate ? virNetworkCreateXMLFlags(vkShellConn(sh), xml, VIR_NETWORK_CREATE_VALIDATE)
                       : virNetworkCreateXML(vkShellConn(sh), xml);
    else
        net = validate ? virNetworkDefineXMLFlags(vkShellConn(sh), xml, VIR_NETWORK_DEFINE_VALIDATE)
                       : virNetworkDefineXML(vkShellConn(sh), xml);
    if (!net) {
        vkError(sh, "Failed to %s network from %s", create ? "create" : "define", file);
        return false;
    }
    vkPrintExtra(sh, "Network %s %s from %s\n", virNetworkGetName(net),
                 create ? "created" : "defined", file);
    return true;
}

static bool vkCmdNetDefine(vkShell *sh, const vkCmd *cmd)
{
    return vkNetFromFile(sh, cmd, false);
}

static bool vkCmdNetCreate(vkShell *sh, const vkCmd *cmd)
{
    return vkNetFromFile(sh, cmd, true);
}

/* A state change on a named network: "Failed to VERB network N" or "Network N DONE". */
static bool vkNetAction(vkShell *sh, const vkCmd *cmd, int (*action)(virNetworkPtr),
                        const char *verb, const char *done)
{
    g_autoptr(vkNetworkRef) net = NULL;
    const char *name = NULL;

    if (!(net = vkLookupNetwork(sh, cmd, &name, VK_BYUUID | VK_BYNAME)))
        return false;
    if (action(net) != 0) {
        vkError(sh, "Failed to %s network %s", verb, name);
        return false;
    }
    vkPrintExtra(sh, "Network %s %s\n", name, done);
    return true;
}

static bool vkCmdNetUndefine(vkShell *sh, const vkCmd *cmd)
{
    return vkNetAction(sh, cmd, virNetworkUndefine, "undefine", "has been undefined");
}

static bool vkCmdNetStart(vkShell *sh, const vkCmd *cmd)
{
    return vkNetAction(sh, cmd, virNetworkCreate, "start", "started");
}

static bool vkCmdNetDestroy(vkShell *sh, const vkCmd *cmd)
{
    return vkNetAction(sh, cmd, virNetworkDestroy, "destroy", "destroyed");
}

static const vkOptDef vkOptsNetAutostart[] = {
    VK_OPT_NETWORK_FULL,
    { "disable", VK_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vkCmdNetAutostart(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = NULL;
    const char *name = NULL;
    int autostart = !vkOptBool(cmd, "disable");

    if (!(net = vkLookupNetwork(sh, cmd, &name, VK_BYUUID | VK_BYNAME)))
        return false;
    if (virNetworkSetAutostart(net, autostart) < 0) {
        vkError(sh, "failed to %s network %s as autostarted", autostart ? "mark" : "unmark", name);
        return false;
    }
    vkPrintExtra(sh, "Network %s %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

static const vkOptDef vkOptsNetDumpXML[] = {
    VK_OPT_NETWORK_FULL,
    { "inactive", VK_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VK_OT_STRING, VK_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VK_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vkCmdNetDumpXML(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (!(net = vkLookupNetwork(sh, cmd, NULL, VK_BYUUID | VK_BYNAME)))
        return false;
    if (vkOptBool(cmd, "inactive"))
        flags |= VIR_NETWORK_XML_INACTIVE;
    if (vkOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNetworkGetXMLDesc(net, flags)))
        return false;
    return vkDumpXML(sh, xml, "network", xpath, vkOptBool(cmd, "wrap"));
}

static bool vkCmdNetInfo(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = NULL;
    g_autofree char *bridge = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart;
    int persistent;
    int active;

    if (!(net = vkLookupNetwork(sh, cmd, NULL, VK_BYUUID | VK_BYNAME)))
        return false;

    vkPrint(sh, "%-15s %s\n", "Name:", virNetworkGetName(net));
    if (virNetworkGetUUIDString(net, uuid) == 0)
        vkPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if ((active = virNetworkIsActive(net)) >= 0)
        vkPrint(sh, "%-15s %s\n", "Active:", active ? "yes" : "no");
    persistent = virNetworkIsPersistent(net);
    if (persistent < 0)
        vkPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virNetworkGetAutostart(net, &autostart) < 0)
        vkPrint(sh, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vkPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if ((bridge = virNetworkGetBridgeName(net)))
        vkPrint(sh, "%-15s %s\n", "Bridge:", bridge);
    return true;
}

static const vkOptDef vkOptsNetUuid[] = {
    VK_OPT_NETWORK("network name"),
    { NULL },
};

static bool vkCmdNetUuid(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = vkLookupNetwork(sh, cmd, NULL, VK_BYNAME);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!net)
        return false;
    if (virNetworkGetUUIDString(net, uuid) != -1)
        vkPrint(sh, "%s\n", uuid);
    else
        vkError(sh, "%s", "failed to get network UUID");
    return true;
}

static const vkOptDef vkOptsNetName[] = {
    VK_OPT_NETWORK("network uuid"),
    { NULL },
};

static bool vkCmdNetName(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = vkLookupNetwork(sh, cmd, NULL, VK_BYUUID);

    if (!net)
        return false;
    vkPrint(sh, "%s\n", virNetworkGetName(net));
    return true;
}

/* ---- net-list ---- */

static const vkOptDef vkOptsNetList[] = {
    { "inactive", VK_OT_BOOL, 0, "list inactive networks" },
    { "all", VK_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", VK_OT_BOOL, 0, "list persistent networks" },
    { "transient", VK_OT_BOOL, 0, "list transient networks" },
    { "autostart", VK_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", VK_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", VK_OT_BOOL, 0, "list uuid's only" },
    { "name", VK_OT_BOOL, 0, "list network names only" },
    { "table", VK_OT_BOOL, 0, "list table (default)" },
    { NULL },
};

/* Filters in the shell for drivers that reject the persistence and autostart flags. */
static int vkNetListFilter(vkShell *sh, virNetworkPtr net, unsigned int flags)
{
    const unsigned int pmask =
        VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT;
    const unsigned int amask =
        VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART;
    int persistent;
    int autostart;

    if (flags & pmask) {
        if ((persistent = virNetworkIsPersistent(net)) < 0) {
            vkError(sh, "%s", "Failed to get network persistence info");
            return -1;
        }
        if (!(((flags & VIR_CONNECT_LIST_NETWORKS_PERSISTENT) && persistent) ||
              ((flags & VIR_CONNECT_LIST_NETWORKS_TRANSIENT) && !persistent)))
            return 0;
    }
    if (flags & amask) {
        if (virNetworkGetAutostart(net, &autostart) < 0) {
            vkError(sh, "%s", "Failed to get network autostart state");
            return -1;
        }
        if (!(((flags & VIR_CONNECT_LIST_NETWORKS_AUTOSTART) && autostart) ||
              ((flags & VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART) && !autostart)))
            return 0;
    }
    return 1;
}

static int vkNetworkSort(const void *a, const void *b)
{
    virNetworkPtr na = *(virNetworkPtr const *)a;
    virNetworkPtr nb = *(virNetworkPtr const *)b;

    return g_ascii_strcasecmp(virNetworkGetName(na), virNetworkGetName(nb));
}

static void vkNetworkUnref(gpointer net)
{
    virNetworkFree(net);
}

static GPtrArray *vkListNetworks(vkShell *sh, unsigned int flags)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(vkNetworkUnref);
    virNetworkPtr *nets = NULL;
    bool filter = false;
    int n;
    int i;

    n = virConnectListAllNetworks(vkShellConn(sh), &nets, flags);
    if (n < 0 && vkLastErrorCode(sh) == VIR_ERR_INVALID_ARG) {
        vkResetLibError(sh);
        filter = true;
        n = virConnectListAllNetworks(
            vkShellConn(sh), &nets,
            flags & (VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE));
    }
    if (n < 0) {
        vkError(sh, "%s", "Failed to list networks");
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    for (i = 0; i < n; i++)
        g_ptr_array_add(list, nets[i]);
    free(nets);

    for (i = 0; filter && i < (int)list->len; i++) {
        int keep = vkNetListFilter(sh, list->pdata[i], flags);

        if (keep < 0) {
            g_ptr_array_free(list, TRUE);
            return NULL;
        }
        if (!keep)
            g_ptr_array_remove_index(list, i--);
    }
    g_ptr_array_sort(list, vkNetworkSort);
    return list;
}

static bool vkCmdNetList(vkShell *sh, const vkCmd *cmd)
{
    bool opt_name = vkOptBool(cmd, "name");
    bool opt_uuid = vkOptBool(cmd, "uuid");
    bool opt_table = vkOptBool(cmd, "table");
    unsigned int flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(vkTable) table = NULL;
    guint i;

    if (vkOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (vkOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    flags |= vkOptFlags(
        cmd, (const vkOptFlag[]){ { "persistent", VIR_CONNECT_LIST_NETWORKS_PERSISTENT },
                                  { "transient", VIR_CONNECT_LIST_NETWORKS_TRANSIENT },
                                  { "autostart", VIR_CONNECT_LIST_NETWORKS_AUTOSTART },
                                  { "no-autostart", VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART },
                                  { NULL } });

    if (opt_table + opt_name + opt_uuid > 1) {
        vkError(sh, "%s", "Only one argument from --table, --name and --uuid may be specified.");
        return false;
    }
    if (!(list = vkListNetworks(sh, flags)))
        return false;

    if (!opt_name && !opt_uuid)
        table = vkTableNew("Name", "State", "Autostart", "Persistent", NULL);
    for (i = 0; i < list->len; i++) {
        virNetworkPtr net = list->pdata[i];
        char uuid[VIR_UUID_STRING_BUFLEN];
        int autostart = 0;

        if (table) {
            const char *autostr = "no autostart";

            if (virNetworkGetAutostart(net, &autostart) == 0)
                autostr = autostart ? "yes" : "no";
            /* virsh shows -1 (an error) as active and persistent; keep its output. */
            vkTableAdd(table, virNetworkGetName(net),
                       virNetworkIsActive(net) ? "active" : "inactive", autostr,
                       virNetworkIsPersistent(net) ? "yes" : "no", NULL);
        } else if (opt_uuid) {
            if (virNetworkGetUUIDString(net, uuid) < 0) {
                vkError(sh, "%s", "Failed to get network's UUID");
                return false;
            }
            vkPrint(sh, "%s\n", uuid);
        } else {
            vkPrint(sh, "%s\n", virNetworkGetName(net));
        }
    }
    if (table)
        vkTablePrint(sh, table);
    return true;
}

const vkCmdDef vkNetworkCmds[] = {
    { "net-autostart", vkCmdNetAutostart, vkOptsNetAutostart, "autostart a network",
      "Configure a network to be automatically started at boot.", 0 },
    { "net-create", vkCmdNetCreate, vkOptsNetFile, "create a network from an XML file",
      "Create a network.", 0 },
    { "net-define", vkCmdNetDefine, vkOptsNetFile,
      "define an inactive persistent virtual network or modify an existing persistent one "
      "from an XML file",
      "Define or modify a persistent virtual network.", 0 },
    { "net-destroy", vkCmdNetDestroy, vkOptsNetwork, "destroy (stop) a network",
      "Forcefully stop a given network.", 0 },
    { "net-dumpxml", vkCmdNetDumpXML, vkOptsNetDumpXML, "network information in XML",
      "Output the network information as an XML dump to stdout.", 0 },
    { "net-event", vkCmdNetEvent, vkOptsNetEvent, "Network Events",
      "List event types, or wait for network events to occur", 0 },
    { "net-info", vkCmdNetInfo, vkOptsNetwork, "network information",
      "Returns basic information about the network", 0 },
    { "net-list", vkCmdNetList, vkOptsNetList, "list networks", "Returns list of networks.", 0 },
    { "net-name", vkCmdNetName, vkOptsNetName, "convert a network UUID to network name", "", 0 },
    { "net-start", vkCmdNetStart, vkOptsNetwork, "start a (previously defined) inactive network",
      "Start a network.", 0 },
    { "net-undefine", vkCmdNetUndefine, vkOptsNetwork, "undefine a persistent network",
      "Undefine the configuration for a persistent network.", 0 },
    { "net-uuid", vkCmdNetUuid, vkOptsNetUuid, "convert a network name to network UUID", "", 0 },
    { NULL },
};
