/* virtkit shell: virtual network commands (net-*), with virsh's options, messages and
 * output layout. */
#include <stdlib.h>
#include <string.h>

#include "virtkit.h"

#define VSH_OPT_NETWORK(help) VSH_OPT("network", VSH_OT_DATA, VSH_OFLAG_REQ, help)
#define VSH_OPT_NETWORK_FULL  VSH_OPT_NETWORK("network name or uuid")

static const vshOptDef vshOptsNetwork[] = {
    VSH_OPT_NETWORK_FULL,
    { NULL },
};

static const vshOptDef vshOptsNetFile[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML network description" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

/* net-define and net-create: the same file handling, a different call. */
static bool vshNetFromFile(vshShell *sh, const vshCmd *cmd, bool create)
{
    g_autoptr(vshNetworkRef) net = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    bool validate = vshOptBool(cmd, "validate");

    if (vshOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (!(xml = vshReadFile(sh, file)))
        return false;
    if (create)
        net = validate
                  ? virNetworkCreateXMLFlags(vshShellConn(sh), xml, VIR_NETWORK_CREATE_VALIDATE)
                  : virNetworkCreateXML(vshShellConn(sh), xml);
    else
        net = validate
                  ? virNetworkDefineXMLFlags(vshShellConn(sh), xml, VIR_NETWORK_DEFINE_VALIDATE)
                  : virNetworkDefineXML(vshShellConn(sh), xml);
    if (!net) {
        vshError(sh, "Failed to %s network from %s", create ? "create" : "define", file);
        return false;
    }
    vshPrintExtra(sh, "Network %s %s from %s\n", virNetworkGetName(net),
                  create ? "created" : "defined", file);
    return true;
}

static bool vshCmdNetDefine(vshShell *sh, const vshCmd *cmd)
{
    return vshNetFromFile(sh, cmd, false);
}

static bool vshCmdNetCreate(vshShell *sh, const vshCmd *cmd)
{
    return vshNetFromFile(sh, cmd, true);
}

/* A state change on a named network: "Failed to VERB network N" or "Network N DONE". */
static bool vshNetAction(vshShell *sh, const vshCmd *cmd, int (*action)(virNetworkPtr),
                         const char *verb, const char *done)
{
    g_autoptr(vshNetworkRef) net = NULL;
    const char *name = NULL;

    if (!(net = vshLookupNetwork(sh, cmd, &name, VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (action(net) != 0) {
        vshError(sh, "Failed to %s network %s", verb, name);
        return false;
    }
    vshPrintExtra(sh, "Network %s %s\n", name, done);
    return true;
}

static bool vshCmdNetUndefine(vshShell *sh, const vshCmd *cmd)
{
    return vshNetAction(sh, cmd, virNetworkUndefine, "undefine", "has been undefined");
}

static bool vshCmdNetStart(vshShell *sh, const vshCmd *cmd)
{
    return vshNetAction(sh, cmd, virNetworkCreate, "start", "started");
}

static bool vshCmdNetDestroy(vshShell *sh, const vshCmd *cmd)
{
    return vshNetAction(sh, cmd, virNetworkDestroy, "destroy", "destroyed");
}

static const vshOptDef vshOptsNetAutostart[] = {
    VSH_OPT_NETWORK_FULL,
    { "disable", VSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vshCmdNetAutostart(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = NULL;
    const char *name = NULL;
    int autostart = !vshOptBool(cmd, "disable");

    if (!(net = vshLookupNetwork(sh, cmd, &name, VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (virNetworkSetAutostart(net, autostart) < 0) {
        vshError(sh, "failed to %s network %s as autostarted", autostart ? "mark" : "unmark", name);
        return false;
    }
    vshPrintExtra(sh, "Network %s %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

static const vshOptDef vshOptsNetDumpXML[] = {
    VSH_OPT_NETWORK_FULL,
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vshCmdNetDumpXML(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (!(net = vshLookupNetwork(sh, cmd, NULL, VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (vshOptBool(cmd, "inactive"))
        flags |= VIR_NETWORK_XML_INACTIVE;
    if (vshOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNetworkGetXMLDesc(net, flags)))
        return false;
    return vshDumpXML(sh, xml, "network", xpath, vshOptBool(cmd, "wrap"));
}

static bool vshCmdNetInfo(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = NULL;
    g_autofree char *bridge = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart;
    int persistent;
    int active;

    if (!(net = vshLookupNetwork(sh, cmd, NULL, VSH_BYUUID | VSH_BYNAME)))
        return false;

    vshPrint(sh, "%-15s %s\n", "Name:", virNetworkGetName(net));
    if (virNetworkGetUUIDString(net, uuid) == 0)
        vshPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if ((active = virNetworkIsActive(net)) >= 0)
        vshPrint(sh, "%-15s %s\n", "Active:", active ? "yes" : "no");
    persistent = virNetworkIsPersistent(net);
    if (persistent < 0)
        vshPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vshPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virNetworkGetAutostart(net, &autostart) < 0)
        vshPrint(sh, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vshPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if ((bridge = virNetworkGetBridgeName(net)))
        vshPrint(sh, "%-15s %s\n", "Bridge:", bridge);
    return true;
}

static const vshOptDef vshOptsNetUuid[] = {
    VSH_OPT_NETWORK("network name"),
    { NULL },
};

static bool vshCmdNetUuid(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = vshLookupNetwork(sh, cmd, NULL, VSH_BYNAME);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!net)
        return false;
    if (virNetworkGetUUIDString(net, uuid) != -1)
        vshPrint(sh, "%s\n", uuid);
    else
        vshError(sh, "%s", "failed to get network UUID");
    return true;
}

static const vshOptDef vshOptsNetName[] = {
    VSH_OPT_NETWORK("network uuid"),
    { NULL },
};

static bool vshCmdNetName(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = vshLookupNetwork(sh, cmd, NULL, VSH_BYUUID);

    if (!net)
        return false;
    vshPrint(sh, "%s\n", virNetworkGetName(net));
    return true;
}

/* ---- net-list ---- */

static const vshOptDef vshOptsNetList[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive networks" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent networks" },
    { "transient", VSH_OT_BOOL, 0, "list transient networks" },
    { "autostart", VSH_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", VSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VSH_OT_BOOL, 0, "list network names only" },
    { "table", VSH_OT_BOOL, 0, "list table (default)" },
    { NULL },
};

/* Filters in the shell for drivers that reject the persistence and autostart flags. */
static int vshNetListFilter(vshShell *sh, virNetworkPtr net, unsigned int flags)
{
    const unsigned int pmask =
        VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT;
    const unsigned int amask =
        VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART;
    int persistent;
    int autostart;

    if (flags & pmask) {
        if ((persistent = virNetworkIsPersistent(net)) < 0) {
            vshError(sh, "%s", "Failed to get network persistence info");
            return -1;
        }
        if (!(((flags & VIR_CONNECT_LIST_NETWORKS_PERSISTENT) && persistent) ||
              ((flags & VIR_CONNECT_LIST_NETWORKS_TRANSIENT) && !persistent)))
            return 0;
    }
    if (flags & amask) {
        if (virNetworkGetAutostart(net, &autostart) < 0) {
            vshError(sh, "%s", "Failed to get network autostart state");
            return -1;
        }
        if (!(((flags & VIR_CONNECT_LIST_NETWORKS_AUTOSTART) && autostart) ||
              ((flags & VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART) && !autostart)))
            return 0;
    }
    return 1;
}

static int vshNetworkSort(const void *a, const void *b)
{
    virNetworkPtr na = *(virNetworkPtr const *)a;
    virNetworkPtr nb = *(virNetworkPtr const *)b;

    return g_ascii_strcasecmp(virNetworkGetName(na), virNetworkGetName(nb));
}

static void vshNetworkUnref(gpointer net)
{
    virNetworkFree(net);
}

static GPtrArray *vshListNetworks(vshShell *sh, unsigned int flags)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(vshNetworkUnref);
    virNetworkPtr *nets = NULL;
    bool filter = false;
    int n;
    int i;

    n = virConnectListAllNetworks(vshShellConn(sh), &nets, flags);
    if (n < 0 && vshLastErrorCode(sh) == VIR_ERR_INVALID_ARG) {
        vshResetLibError(sh);
        filter = true;
        n = virConnectListAllNetworks(
            vshShellConn(sh), &nets,
            flags & (VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE));
    }
    if (n < 0) {
        vshError(sh, "%s", "Failed to list networks");
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    for (i = 0; i < n; i++)
        g_ptr_array_add(list, nets[i]);
    free(nets);

    for (i = 0; filter && i < (int)list->len; i++) {
        int keep = vshNetListFilter(sh, list->pdata[i], flags);

        if (keep < 0) {
            g_ptr_array_free(list, TRUE);
            return NULL;
        }
        if (!keep)
            g_ptr_array_remove_index(list, i--);
    }
    g_ptr_array_sort(list, vshNetworkSort);
    return list;
}

static bool vshCmdNetList(vshShell *sh, const vshCmd *cmd)
{
    bool opt_name = vshOptBool(cmd, "name");
    bool opt_uuid = vshOptBool(cmd, "uuid");
    bool opt_table = vshOptBool(cmd, "table");
    unsigned int flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(vshTable) table = NULL;
    guint i;

    if (vshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (vshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    flags |= vshOptFlags(
        cmd, (const vshOptFlag[]){ { "persistent", VIR_CONNECT_LIST_NETWORKS_PERSISTENT },
                                   { "transient", VIR_CONNECT_LIST_NETWORKS_TRANSIENT },
                                   { "autostart", VIR_CONNECT_LIST_NETWORKS_AUTOSTART },
                                   { "no-autostart", VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART },
                                   { NULL } });

    if (opt_table + opt_name + opt_uuid > 1) {
        vshError(sh, "%s", "Only one argument from --table, --name and --uuid may be specified.");
        return false;
    }
    if (!(list = vshListNetworks(sh, flags)))
        return false;

    if (!opt_name && !opt_uuid)
        table = vshTableNew("Name", "State", "Autostart", "Persistent", NULL);
    for (i = 0; i < list->len; i++) {
        virNetworkPtr net = list->pdata[i];
        char uuid[VIR_UUID_STRING_BUFLEN];
        int autostart = 0;

        if (table) {
            const char *autostr = "no autostart";

            if (virNetworkGetAutostart(net, &autostart) == 0)
                autostr = autostart ? "yes" : "no";
            /* virsh shows -1 (an error) as active and persistent; keep its output. */
            vshTableAdd(table, virNetworkGetName(net),
                        virNetworkIsActive(net) ? "active" : "inactive", autostr,
                        virNetworkIsPersistent(net) ? "yes" : "no", NULL);
        } else if (opt_uuid) {
            if (virNetworkGetUUIDString(net, uuid) < 0) {
                vshError(sh, "%s", "Failed to get network's UUID");
                return false;
            }
            vshPrint(sh, "%s\n", uuid);
        } else {
            vshPrint(sh, "%s\n", virNetworkGetName(net));
        }
    }
    if (table)
        vshTablePrint(sh, table);
    return true;
}

const vshCmdDef vshNetworkCmds[] = {
    { "net-autostart", vshCmdNetAutostart, vshOptsNetAutostart, "autostart a network",
      "Configure a network to be automatically started at boot.", 0 },
    { "net-create", vshCmdNetCreate, vshOptsNetFile, "create a network from an XML file",
      "Create a network.", 0 },
    { "net-define", vshCmdNetDefine, vshOptsNetFile,
      "define an inactive persistent virtual network or modify an existing persistent one "
      "from an XML file",
      "Define or modify a persistent virtual network.", 0 },
    { "net-destroy", vshCmdNetDestroy, vshOptsNetwork, "destroy (stop) a network",
      "Forcefully stop a given network.", 0 },
    { "net-dumpxml", vshCmdNetDumpXML, vshOptsNetDumpXML, "network information in XML",
      "Output the network information as an XML dump to stdout.", 0 },
    { "net-event", vshCmdNetEvent, vshOptsNetEvent, "Network Events",
      "List event types, or wait for network events to occur", 0 },
    { "net-info", vshCmdNetInfo, vshOptsNetwork, "network information",
      "Returns basic information about the network", 0 },
    { "net-list", vshCmdNetList, vshOptsNetList, "list networks", "Returns list of networks.", 0 },
    { "net-name", vshCmdNetName, vshOptsNetName, "convert a network UUID to network name", "", 0 },
    { "net-start", vshCmdNetStart, vshOptsNetwork, "start a (previously defined) inactive network",
      "Start a network.", 0 },
    { "net-undefine", vshCmdNetUndefine, vshOptsNetwork, "undefine a persistent network",
      "Undefine the configuration for a persistent network.", 0 },
    { "net-uuid", vshCmdNetUuid, vshOptsNetUuid, "convert a network name to network UUID", "", 0 },
    { NULL },
};
