/* virtkit shell: storage pool commands (pool-*), with virsh's options, messages and output
 * layout. */
#include <stdlib.h>
#include <string.h>

#include "virtkit-storage.h"

/* ---- pools: define, create, lifecycle ---- */

static const vshOptDef vshOptsPoolFile[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML pool description" },
    { "build", VSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OT_BOOL, 0, "overwrite any existing data" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const vshOptDef vshOptsPoolDefine[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML pool description" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static unsigned int vshPoolCreateFlags(vshShell *sh, const vshCmd *cmd, bool *ok)
{
    unsigned int flags = 0;

    *ok = vshOptExclusive(sh, cmd, "overwrite", "no-overwrite");
    if (vshOptBool(cmd, "build"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
    if (vshOptBool(cmd, "overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
    if (vshOptBool(cmd, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    return flags;
}

static bool vshCmdPoolCreate(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    bool ok;
    unsigned int flags = vshPoolCreateFlags(sh, cmd, &ok);

    if (!ok || vshOptString(sh, cmd, "file", &file) < 0 || !(xml = vshReadFile(sh, file)))
        return false;
    if (!(pool = virStoragePoolCreateXML(vshShellConn(sh), xml, flags))) {
        vshError(sh, "Failed to create pool from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Pool %s created from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

static bool vshCmdPoolDefine(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = vshOptBool(cmd, "validate") ? VIR_STORAGE_POOL_DEFINE_VALIDATE : 0;

    if (vshOptString(sh, cmd, "file", &file) < 0 || !(xml = vshReadFile(sh, file)))
        return false;
    if (!(pool = virStoragePoolDefineXML(vshShellConn(sh), xml, flags))) {
        vshError(sh, "Failed to define pool from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Pool %s defined from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

#define OPTS_POOL_X_AS                                                                  \
    { "name", VSH_OT_DATA, VSH_OFLAG_REQ, "name of the pool" },                         \
        { "type", VSH_OT_DATA, VSH_OFLAG_REQ, "type of the pool" },                     \
        { "print-xml", VSH_OT_BOOL, 0, "print XML document, but don't define/create" }, \
        { "source-host", VSH_OT_STRING, 0, "source-host for underlying storage" },      \
        { "source-path", VSH_OT_STRING, 0, "source path for underlying storage" },      \
        { "source-dev", VSH_OT_STRING, 0, "source device for underlying storage" },     \
        { "source-name", VSH_OT_STRING, 0, "source name for underlying storage" },      \
        { "target", VSH_OT_STRING, 0, "target for underlying storage" },                \
    {                                                                                   \
        "source-format", VSH_OT_STRING, 0, "format for underlying storage"              \
    }

static const vshOptDef vshOptsPoolDefineAs[] = {
    OPTS_POOL_X_AS,
    { NULL },
};

static const vshOptDef vshOptsPoolCreateAs[] = {
    OPTS_POOL_X_AS,
    { "build", VSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

/* The XML virsh writes from pool-define-as/pool-create-as arguments, verbatim. */
static char *vshPoolXMLFromArgs(vshShell *sh, const vshCmd *cmd, const char **name)
{
    const char *type = NULL, *host = NULL, *path = NULL, *dev = NULL, *srcName = NULL;
    const char *target = NULL, *format = NULL;
    GString *buf;

    if (vshOptString(sh, cmd, "name", name) < 0 || vshOptString(sh, cmd, "type", &type) < 0 ||
        vshOptString(sh, cmd, "source-host", &host) < 0 ||
        vshOptString(sh, cmd, "source-path", &path) < 0 ||
        vshOptString(sh, cmd, "source-dev", &dev) < 0 ||
        vshOptString(sh, cmd, "source-name", &srcName) < 0 ||
        vshOptString(sh, cmd, "source-format", &format) < 0 ||
        vshOptString(sh, cmd, "target", &target) < 0)
        return NULL;
    buf = g_string_new(NULL);
    g_string_append_printf(buf, "<pool type='%s'>\n  <name>%s</name>\n", type, *name);
    if (host || path || dev || format || srcName) {
        g_string_append(buf, "  <source>\n");
        if (host)
            g_string_append_printf(buf, "    <host name='%s'/>\n", host);
        if (path)
            g_string_append_printf(buf, "    <dir path='%s'/>\n", path);
        if (dev)
            g_string_append_printf(buf, "    <device path='%s'/>\n", dev);
        if (format)
            g_string_append_printf(buf, "    <format type='%s'/>\n", format);
        if (srcName)
            g_string_append_printf(buf, "    <name>%s</name>\n", srcName);
        g_string_append(buf, "  </source>\n");
    }
    if (target)
        g_string_append_printf(buf, "  <target>\n    <path>%s</path>\n  </target>\n", target);
    g_string_append(buf, "</pool>\n");
    return g_string_free(buf, FALSE);
}

static bool vshCmdPoolDefineAs(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;

    if (!(xml = vshPoolXMLFromArgs(sh, cmd, &name)))
        return false;
    if (vshOptBool(cmd, "print-xml")) {
        vshPrint(sh, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolDefineXML(vshShellConn(sh), xml, 0))) {
        vshError(sh, "Failed to define pool %s", name);
        return false;
    }
    vshPrintExtra(sh, "Pool %s defined\n", name);
    return true;
}

static bool vshCmdPoolCreateAs(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    bool ok;
    unsigned int flags = vshPoolCreateFlags(sh, cmd, &ok);

    if (!ok || !(xml = vshPoolXMLFromArgs(sh, cmd, &name)))
        return false;
    if (vshOptBool(cmd, "print-xml")) {
        vshPrint(sh, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolCreateXML(vshShellConn(sh), xml, flags))) {
        vshError(sh, "Failed to create pool %s", name);
        return false;
    }
    vshPrintExtra(sh, "Pool %s created\n", name);
    return true;
}

static const vshOptDef vshOptsPool[] = {
    OPT_POOL_FULL,
    { NULL },
};

/* A state change on a named pool: "Pool N DONE" or "Failed to VERB pool N". */
static bool vshPoolAction(vshShell *sh, const vshCmd *cmd,
                          int (*action)(virStoragePoolPtr, unsigned int), unsigned int flags,
                          const char *verb, const char *done)
{
    g_autoptr(vshPoolRef) pool = NULL;
    const char *name = NULL;

    if (!(pool = vshLookupPool(sh, cmd, "pool", &name)))
        return false;
    if (action(pool, flags) != 0) {
        vshError(sh, "Failed to %s pool %s", verb, name);
        return false;
    }
    vshPrintExtra(sh, "Pool %s %s\n", name, done);
    return true;
}

static int vshPoolDestroy(virStoragePoolPtr pool, unsigned int flags)
{
    return virStoragePoolDestroy(pool);
}

static int vshPoolUndefine(virStoragePoolPtr pool, unsigned int flags)
{
    return virStoragePoolUndefine(pool);
}

static const vshOptDef vshOptsPoolBuild[] = {
    OPT_POOL_FULL,
    { "no-overwrite", VSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static bool vshCmdPoolBuild(vshShell *sh, const vshCmd *cmd)
{
    unsigned int flags = vshOptFlags(
        cmd, (const vshOptFlag[]){ { "no-overwrite", VIR_STORAGE_POOL_BUILD_NO_OVERWRITE },
                                   { "overwrite", VIR_STORAGE_POOL_BUILD_OVERWRITE },
                                   { NULL } });
    return vshPoolAction(sh, cmd, virStoragePoolBuild, flags, "build", "built");
}

static const vshOptDef vshOptsPoolStart[] = {
    OPT_POOL_FULL,
    { "build", VSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static bool vshCmdPoolStart(vshShell *sh, const vshCmd *cmd)
{
    bool ok;
    unsigned int flags = vshPoolCreateFlags(sh, cmd, &ok);

    if (!ok)
        return false;
    return vshPoolAction(sh, cmd, virStoragePoolCreate, flags, "start", "started");
}

static bool vshCmdPoolDestroy(vshShell *sh, const vshCmd *cmd)
{
    return vshPoolAction(sh, cmd, vshPoolDestroy, 0, "destroy", "destroyed");
}

static bool vshCmdPoolDelete(vshShell *sh, const vshCmd *cmd)
{
    return vshPoolAction(sh, cmd, virStoragePoolDelete, 0, "delete", "deleted");
}

static bool vshCmdPoolRefresh(vshShell *sh, const vshCmd *cmd)
{
    return vshPoolAction(sh, cmd, virStoragePoolRefresh, 0, "refresh", "refreshed");
}

static bool vshCmdPoolUndefine(vshShell *sh, const vshCmd *cmd)
{
    return vshPoolAction(sh, cmd, vshPoolUndefine, 0, "undefine", "has been undefined");
}

static const vshOptDef vshOptsPoolAutostart[] = {
    OPT_POOL_FULL,
    { "disable", VSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vshCmdPoolAutostart(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    const char *name = NULL;
    int autostart = !vshOptBool(cmd, "disable");

    if (!(pool = vshLookupPool(sh, cmd, "pool", &name)))
        return false;
    if (virStoragePoolSetAutostart(pool, autostart) < 0) {
        vshError(sh, "failed to %s pool %s as autostarted", autostart ? "mark" : "unmark", name);
        return false;
    }
    vshPrintExtra(sh, "Pool %s %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

/* ---- pools: queries ---- */

static const vshOptDef vshOptsPoolDumpXML[] = {
    OPT_POOL_FULL,
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vshCmdPoolDumpXML(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)))
        return false;
    if (vshOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virStoragePoolGetXMLDesc(
              pool, vshOptBool(cmd, "inactive") ? VIR_STORAGE_XML_INACTIVE : 0)))
        return false;
    return vshDumpXML(sh, xml, "pool", xpath, vshOptBool(cmd, "wrap"));
}

static const char *vshPoolStateName(int state)
{
    switch (state) {
    case VIR_STORAGE_POOL_INACTIVE:
        return "inactive";
    case VIR_STORAGE_POOL_BUILDING:
        return "building";
    case VIR_STORAGE_POOL_RUNNING:
        return "running";
    case VIR_STORAGE_POOL_DEGRADED:
        return "degraded";
    case VIR_STORAGE_POOL_INACCESSIBLE:
        return "inaccessible";
    }
    return "unknown";
}

static const vshOptDef vshOptsPoolInfo[] = {
    OPT_POOL_FULL,
    { "bytes", VSH_OT_BOOL, 0, "Return pool info in bytes" },
    { NULL },
};

static bool vshCmdPoolInfo(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    virStoragePoolInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart = 0;
    int persistent;
    bool bytes = vshOptBool(cmd, "bytes");

    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)))
        return false;
    vshPrint(sh, "%-15s %s\n", "Name:", virStoragePoolGetName(pool));
    if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        vshPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if (virStoragePoolGetInfo(pool, &info) != 0)
        return false;
    vshPrint(sh, "%-15s %s\n", "State:", vshPoolStateName(info.state));
    if ((persistent = virStoragePoolIsPersistent(pool)) < 0)
        vshPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vshPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virStoragePoolGetAutostart(pool, &autostart) < 0)
        vshPrint(sh, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vshPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
        const unsigned long long vals[] = { info.capacity, info.allocation, info.available };
        const char *labels[] = { "Capacity:", "Allocation:", "Available:" };

        for (size_t i = 0; i < 3; i++) {
            const char *unit;
            double v;

            if (bytes) {
                vshPrint(sh, "%-15s %llu\n", labels[i], vals[i]);
                continue;
            }
            v = vshPrettyCapacity(vals[i], &unit);
            vshPrint(sh, "%-15s %2.2lf %s\n", labels[i], v, unit);
        }
    }
    return true;
}

static const vshOptDef vshOptsPoolUuid[] = {
    { "pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool name" },
    { NULL },
};

static bool vshCmdPoolUuid(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *n = NULL;

    if (vshOptString(sh, cmd, "pool", &n) < 0)
        return false;
    if (!(pool = virStoragePoolLookupByName(vshShellConn(sh), n))) {
        vshError(sh, "failed to get pool '%s'", n);
        return false;
    }
    if (virStoragePoolGetUUIDString(pool, uuid) != -1)
        vshPrint(sh, "%s\n", uuid);
    else
        vshError(sh, "%s", "failed to get pool UUID");
    return true;
}

static const vshOptDef vshOptsPoolName[] = {
    { "pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool uuid" },
    { NULL },
};

static bool vshCmdPoolName(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    const char *n = NULL;

    if (vshOptString(sh, cmd, "pool", &n) < 0)
        return false;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        pool = virStoragePoolLookupByUUIDString(vshShellConn(sh), n);
    if (!pool) {
        vshError(sh, "failed to get pool '%s'", n);
        return false;
    }
    vshPrint(sh, "%s\n", virStoragePoolGetName(pool));
    return true;
}

static bool vshCmdPoolCapabilities(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *caps = virConnectGetStoragePoolCapabilities(vshShellConn(sh), 0);

    if (!caps) {
        vshError(sh, "%s", "failed to get storage pool capabilities");
        return false;
    }
    vshPrint(sh, "%s\n", caps);
    return true;
}

/* ---- pool-list ---- */

static const vshOptDef vshOptsPoolList[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive pools" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active pools" },
    { "transient", VSH_OT_BOOL, 0, "list transient pools" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent pools" },
    { "autostart", VSH_OT_BOOL, 0, "list pools with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list pools with autostart disabled" },
    { "type", VSH_OT_STRING, 0, "only list pool of specified type(s) (if supported)" },
    { "details", VSH_OT_BOOL, 0, "display extended details for pools" },
    { "uuid", VSH_OT_BOOL, 0, "list UUID of active pools only" },
    { "name", VSH_OT_BOOL, 0, "list name of active pools only" },
    { NULL },
};

static const char *const vshPoolTypes[] = { "dir",      "fs",           "netfs", "logical",  "disk",
                                            "iscsi",    "iscsi-direct", "scsi",  "mpath",    "rbd",
                                            "sheepdog", "gluster",      "zfs",   "vstorage", NULL };

static int vshPoolTypeFlag(const char *type, unsigned int *flags)
{
    static const int bits[] = { 6, 7, 8, 9, 10, 11, 19, 12, 13, 14, 15, 16, 17, 18 };

    for (size_t i = 0; vshPoolTypes[i]; i++) {
        if (g_str_equal(vshPoolTypes[i], type)) {
            *flags |= 1u << bits[i];
            return 0;
        }
    }
    return -1;
}

static int vshPoolSort(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStoragePoolGetName(*(virStoragePoolPtr const *)a),
                              virStoragePoolGetName(*(virStoragePoolPtr const *)b));
}

static bool vshCmdPoolList(vshShell *sh, const vshCmd *cmd)
{
    bool details = vshOptBool(cmd, "details");
    bool uuid = vshOptBool(cmd, "uuid");
    bool name = vshOptBool(cmd, "name");
    unsigned int flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
    virStoragePoolPtr *pools = NULL;
    g_autoptr(vshTable) table = NULL;
    const char *type = NULL;
    int n;

    if (!vshOptExclusive(sh, cmd, "all", "inactive"))
        return false;
    if (vshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    if (vshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    flags |= vshOptFlags(
        cmd, (const vshOptFlag[]){ { "autostart", VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART },
                                   { "no-autostart", VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART },
                                   { "persistent", VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT },
                                   { "transient", VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT },
                                   { NULL } });
    if (vshOptString(sh, cmd, "type", &type) < 0 || !vshOptExclusive(sh, cmd, "details", "uuid") ||
        !vshOptExclusive(sh, cmd, "details", "name"))
        return false;
    if (type) {
        g_auto(GStrv) types = vshSplitList(type);

        for (char **t = types; *t; t++) {
            if (vshPoolTypeFlag(*t, &flags) < 0) {
                vshError(sh, "Invalid pool type '%s'", *t);
                return false;
            }
        }
    }
    if ((n = virConnectListAllStoragePools(vshShellConn(sh), &pools, flags)) < 0) {
        vshError(sh, "%s", "Failed to list pools");
        return false;
    }
    qsort(pools, n, sizeof(*pools), vshPoolSort);
    if (!details && (uuid || name)) {
        for (int i = 0; i < n; i++) {
            if (uuid) {
                char u[VIR_UUID_STRING_BUFLEN];
                virStoragePoolGetUUIDString(pools[i], u);
                vshPrint(sh, "%-36s%c", u, name ? ' ' : '\n');
            }
            if (name)
                vshPrint(sh, "%-20s\n", virStoragePoolGetName(pools[i]));
        }
    } else {
        table = details ? vshTableNew("Name", "State", "Autostart", "Persistent", "Capacity",
                                      "Allocation", "Available", NULL)
                        : vshTableNew("Name", "State", "Autostart", NULL);
        for (int i = 0; i < n; i++) {
            virStoragePoolInfo info;
            int autostart = 0;
            int persistent = 0;
            const char *autostr = "no autostart";
            g_autofree char *state = NULL;
            g_autofree char *cap = NULL, *alloc = NULL, *avail = NULL;

            /* virsh's order of calls, which a remote server sees */
            if (virStoragePoolGetAutostart(pools[i], &autostart) == 0)
                autostr = autostart ? "yes" : "no";
            if (details)
                persistent = virStoragePoolIsPersistent(pools[i]);
            if (virStoragePoolGetInfo(pools[i], &info) != 0) {
                vshError(sh, "%s", "Could not retrieve pool information");
                state = g_strdup("unknown");
                cap = g_strdup("unknown");
                alloc = g_strdup("unknown");
                avail = g_strdup("unknown");
            } else if (details) {
                state = g_strdup(vshPoolStateName(info.state));
                if (info.state == VIR_STORAGE_POOL_RUNNING ||
                    info.state == VIR_STORAGE_POOL_DEGRADED) {
                    cap = vshPretty(info.capacity);
                    alloc = vshPretty(info.allocation);
                    avail = vshPretty(info.available);
                } else {
                    cap = g_strdup("-");
                    alloc = g_strdup("-");
                    avail = g_strdup("-");
                }
            } else {
                state = g_strdup(virStoragePoolIsActive(pools[i]) ? "active" : "inactive");
            }
            if (details)
                vshTableAdd(table, virStoragePoolGetName(pools[i]), state, autostr,
                            persistent < 0 ? "unknown"
                            : persistent   ? "yes"
                                           : "no",
                            cap, alloc, avail, NULL);
            else
                vshTableAdd(table, virStoragePoolGetName(pools[i]), state, autostr, NULL);
        }
        vshTablePrint(sh, table);
    }
    for (int i = 0; i < n; i++)
        virStoragePoolFree(pools[i]);
    free(pools);
    return true;
}

const vshCmdDef vshStoragePoolCmds[] = {
    { "pool-autostart", vshCmdPoolAutostart, vshOptsPoolAutostart, "autostart a pool",
      "Configure a pool to be automatically started at boot.", 0 },
    { "pool-build", vshCmdPoolBuild, vshOptsPoolBuild, "build a pool", "Build a given pool.", 0 },
    { "pool-capabilities", vshCmdPoolCapabilities, NULL, "storage pool capabilities",
      "Returns capabilities of storage pool support.", 0 },
    { "pool-create-as", vshCmdPoolCreateAs, vshOptsPoolCreateAs, "create a pool from a set of args",
      "Create a pool.", 0 },
    { "pool-create", vshCmdPoolCreate, vshOptsPoolFile, "create a pool from an XML file",
      "Create a pool.", 0 },
    { "pool-define-as", vshCmdPoolDefineAs, vshOptsPoolDefineAs, "define a pool from a set of args",
      "Define a pool.", 0 },
    { "pool-define", vshCmdPoolDefine, vshOptsPoolDefine,
      "define an inactive persistent storage pool or modify an existing persistent one from an "
      "XML file",
      "Define or modify a persistent storage pool.", 0 },
    { "pool-delete", vshCmdPoolDelete, vshOptsPool, "delete a pool", "Delete a given pool.", 0 },
    { "pool-destroy", vshCmdPoolDestroy, vshOptsPool, "destroy (stop) a pool",
      "Forcefully stop a given pool. Raw data in the pool is untouched", 0 },
    { "pool-dumpxml", vshCmdPoolDumpXML, vshOptsPoolDumpXML, "pool information in XML",
      "Output the pool information as an XML dump to stdout.", 0 },
    { "pool-event", vshCmdPoolEvent, vshOptsPoolEvent, "Storage Pool Events",
      "List event types, or wait for storage pool events to occur", 0 },
    { "pool-info", vshCmdPoolInfo, vshOptsPoolInfo, "storage pool information",
      "Returns basic information about the storage pool.", 0 },
    { "pool-list", vshCmdPoolList, vshOptsPoolList, "list pools", "Returns list of pools.", 0 },
    { "pool-name", vshCmdPoolName, vshOptsPoolName, "convert a pool UUID to pool name", "", 0 },
    { "pool-refresh", vshCmdPoolRefresh, vshOptsPool, "refresh a pool", "Refresh a given pool.",
      0 },
    { "pool-start", vshCmdPoolStart, vshOptsPoolStart, "start a (previously defined) inactive pool",
      "Start a pool.", 0 },
    { "pool-undefine", vshCmdPoolUndefine, vshOptsPool, "undefine an inactive pool",
      "Undefine the configuration for an inactive pool.", 0 },
    { "pool-uuid", vshCmdPoolUuid, vshOptsPoolUuid, "convert a pool name to pool UUID", "", 0 },
    { NULL },
};
