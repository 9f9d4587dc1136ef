/* virtkit shell: storage pool commands (pool-*), with virsh's options, messages and output
 * layout. */
#include <stdlib.h>
#include <string.h>

#include "virtkit-storage.h"

/* ---- pools: define, create, lifecycle ---- */

static const vkOptDef vkOptsPoolFile[] = {
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML pool description" },
    { "build", VK_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VK_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VK_OT_BOOL, 0, "overwrite any existing data" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const vkOptDef vkOptsPoolDefine[] = {
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML pool description" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static unsigned int vkPoolCreateFlags(vkShell *sh, const vkCmd *cmd, bool *ok)
{
    unsigned int flags = 0;

    *ok = vkOptExclusive(sh, cmd, "overwrite", "no-overwrite");
    if (vkOptBool(cmd, "build"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
    if (vkOptBool(cmd, "overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
    if (vkOptBool(cmd, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    return flags;
}

static bool vkCmdPoolCreate(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    bool ok;
    unsigned int flags = vkPoolCreateFlags(sh, cmd, &ok);

    if (!ok || vkOptString(sh, cmd, "file", &file) < 0 || !(xml = vkReadFile(sh, file)))
        return false;
    if (!(pool = virStoragePoolCreateXML(vkShellConn(sh), xml, flags))) {
        vkError(sh, "Failed to create pool from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Pool %s created from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

static bool vkCmdPoolDefine(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = vkOptBool(cmd, "validate") ? VIR_STORAGE_POOL_DEFINE_VALIDATE : 0;

    if (vkOptString(sh, cmd, "file", &file) < 0 || !(xml = vkReadFile(sh, file)))
        return false;
    if (!(pool = virStoragePoolDefineXML(vkShellConn(sh), xml, flags))) {
        vkError(sh, "Failed to define pool from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Pool %s defined from %s\n", virStoragePoolGetName(pool), file);
    return true;
}

#define OPTS_POOL_X_AS                                                                 \
    { "name", VK_OT_DATA, VK_OFLAG_REQ, "name of the pool" },                          \
        { "type", VK_OT_DATA, VK_OFLAG_REQ, "type of the pool" },                      \
        { "print-xml", VK_OT_BOOL, 0, "print XML document, but don't define/create" }, \
        { "source-host", VK_OT_STRING, 0, "source-host for underlying storage" },      \
        { "source-path", VK_OT_STRING, 0, "source path for underlying storage" },      \
        { "source-dev", VK_OT_STRING, 0, "source device for underlying storage" },     \
        { "source-name", VK_OT_STRING, 0, "source name for underlying storage" },      \
        { "target", VK_OT_STRING, 0, "target for underlying storage" },                \
    {                                                                                  \
        "source-format", VK_OT_STRING, 0, "format for underlying storage"              \
    }

static const vkOptDef vkOptsPoolDefineAs[] = {
    OPTS_POOL_X_AS,
    { NULL },
};

static const vkOptDef vkOptsPoolCreateAs[] = {
    OPTS_POOL_X_AS,
    { "build", VK_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VK_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VK_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

/* The XML virsh writes from pool-define-as/pool-create-as arguments, verbatim. */
static char *vkPoolXMLFromArgs(vkShell *sh, const vkCmd *cmd, const char **name)
{
    const char *type = NULL, *host = NULL, *path = NULL, *dev = NULL, *srcName = NULL;
    const char *target = NULL, *format = NULL;
    GString *buf;

    if (vkOptString(sh, cmd, "name", name) < 0 || vkOptString(sh, cmd, "type", &type) < 0 ||
        vkOptString(sh, cmd, "source-host", &host) < 0 ||
        vkOptString(sh, cmd, "source-path", &path) < 0 ||
        vkOptString(sh, cmd, "source-dev", &dev) < 0 ||
        vkOptString(sh, cmd, "source-name", &srcName) < 0 ||
        vkOptString(sh, cmd, "source-format", &format) < 0 ||
        vkOptString(sh, cmd, "target", &target) < 0)
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

static bool vkCmdPoolDefineAs(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;

    if (!(xml = vkPoolXMLFromArgs(sh, cmd, &name)))
        return false;
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolDefineXML(vkShellConn(sh), xml, 0))) {
        vkError(sh, "Failed to define pool %s", name);
        return false;
    }
    vkPrintExtra(sh, "Pool %s defined\n", name);
    return true;
}

static bool vkCmdPoolCreateAs(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    bool ok;
    unsigned int flags = vkPoolCreateFlags(sh, cmd, &ok);

    if (!ok || !(xml = vkPoolXMLFromArgs(sh, cmd, &name)))
        return false;
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", xml);
        return true;
    }
    if (!(pool = virStoragePoolCreateXML(vkShellConn(sh), xml, flags))) {
        vkError(sh, "Failed to create pool %s", name);
        return false;
    }
    vkPrintExtra(sh, "Pool %s created\n", name);
    return true;
}

static const vkOptDef vkOptsPool[] = {
    OPT_POOL_FULL,
    { NULL },
};

/* A state change on a named pool: "Pool N DONE" or "Failed to VERB pool N". */
static bool vkPoolAction(vkShell *sh, const vkCmd *cmd,
                         int (*action)(virStoragePoolPtr, unsigned int), unsigned int flags,
                         const char *verb, const char *done)
{
    g_autoptr(vkPoolRef) pool = NULL;
    const char *name = NULL;

    if (!(pool = vkLookupPool(sh, cmd, "pool", &name)))
        return false;
    if (action(pool, flags) != 0) {
        vkError(sh, "Failed to %s pool %s", verb, name);
        return false;
    }
    vkPrintExtra(sh, "Pool %s %s\n", name, done);
    return true;
}

static int vkPoolDestroy(virStoragePoolPtr pool, unsigned int flags)
{
    return virStoragePoolDestroy(pool);
}

static int vkPoolUndefine(virStoragePoolPtr pool, unsigned int flags)
{
    return virStoragePoolUndefine(pool);
}

static const vkOptDef vkOptsPoolBuild[] = {
    OPT_POOL_FULL,
    { "no-overwrite", VK_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VK_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static bool vkCmdPoolBuild(vkShell *sh, const vkCmd *cmd)
{
    unsigned int flags = vkOptFlags(
        cmd, (const vkOptFlag[]){ { "no-overwrite", VIR_STORAGE_POOL_BUILD_NO_OVERWRITE },
                                  { "overwrite", VIR_STORAGE_POOL_BUILD_OVERWRITE },
                                  { NULL } });
    return vkPoolAction(sh, cmd, virStoragePoolBuild, flags, "build", "built");
}

static const vkOptDef vkOptsPoolStart[] = {
    OPT_POOL_FULL,
    { "build", VK_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VK_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VK_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static bool vkCmdPoolStart(vkShell *sh, const vkCmd *cmd)
{
    bool ok;
    unsigned int flags = vkPoolCreateFlags(sh, cmd, &ok);

    if (!ok)
        return false;
    return vkPoolAction(sh, cmd, virStoragePoolCreate, flags, "start", "started");
}

static bool vkCmdPoolDestroy(vkShell *sh, const vkCmd *cmd)
{
    return vkPoolAction(sh, cmd, vkPoolDestroy, 0, "destroy", "destroyed");
}

static bool vkCmdPoolDelete(vkShell *sh, const vkCmd *cmd)
{
    return vkPoolAction(sh, cmd, virStoragePoolDelete, 0, "delete", "deleted");
}

static bool vkCmdPoolRefresh(vkShell *sh, const vkCmd *cmd)
{
    return vkPoolAction(sh, cmd, virStoragePoolRefresh, 0, "refresh", "refreshed");
}

static bool vkCmdPoolUndefine(vkShell *sh, const vkCmd *cmd)
{
    return vkPoolAction(sh, cmd, vkPoolUndefine, 0, "undefine", "has been undefined");
}

static const vkOptDef vkOptsPoolAutostart[] = {
    OPT_POOL_FULL,
    { "disable", VK_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vkCmdPoolAutostart(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    const char *name = NULL;
    int autostart = !vkOptBool(cmd, "disable");

    if (!(pool = vkLookupPool(sh, cmd, "pool", &name)))
        return false;
    if (virStoragePoolSetAutostart(pool, autostart) < 0) {
        vkError(sh, "failed to %s pool %s as autostarted", autostart ? "mark" : "unmark", name);
        return false;
    }
    vkPrintExtra(sh, "Pool %s %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

/* ---- pools: queries ---- */

static const vkOptDef vkOptsPoolDumpXML[] = {
    OPT_POOL_FULL,
    { "inactive", VK_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VK_OT_STRING, VK_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VK_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vkCmdPoolDumpXML(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)))
        return false;
    if (vkOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virStoragePoolGetXMLDesc(pool, vkOptBool(cmd, "inactive") ? VIR_STORAGE_XML_INACTIVE
                                                                          : 0)))
        return false;
    return vkDumpXML(sh, xml, "pool", xpath, vkOptBool(cmd, "wrap"));
}

static const char *vkPoolStateName(int state)
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

static const vkOptDef vkOptsPoolInfo[] = {
    OPT_POOL_FULL,
    { "bytes", VK_OT_BOOL, 0, "Return pool info in bytes" },
    { NULL },
};

static bool vkCmdPoolInfo(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    virStoragePoolInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart = 0;
    int persistent;
    bool bytes = vkOptBool(cmd, "bytes");

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)))
        return false;
    vkPrint(sh, "%-15s %s\n", "Name:", virStoragePoolGetName(pool));
    if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        vkPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if (virStoragePoolGetInfo(pool, &info) != 0)
        return false;
    vkPrint(sh, "%-15s %s\n", "State:", vkPoolStateName(info.state));
    if ((persistent = virStoragePoolIsPersistent(pool)) < 0)
        vkPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virStoragePoolGetAutostart(pool, &autostart) < 0)
        vkPrint(sh, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vkPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
        const unsigned long long vals[] = { info.capacity, info.allocation, info.available };
        const char *labels[] = { "Capacity:", "Allocation:", "Available:" };

        for (size_t i = 0; i < 3; i++) {
            const char *unit;
            double v;

            if (bytes) {
                vkPrint(sh, "%-15s %llu\n", labels[i], vals[i]);
                continue;
            }
            v = vkPrettyCapacity(vals[i], &unit);
            vkPrint(sh, "%-15s %2.2lf %s\n", labels[i], v, unit);
        }
    }
    return true;
}

static const vkOptDef vkOptsPoolUuid[] = {
    { "pool", VK_OT_DATA, VK_OFLAG_REQ, "pool name" },
    { NULL },
};

static bool vkCmdPoolUuid(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *n = NULL;

    if (vkOptString(sh, cmd, "pool", &n) < 0)
        return false;
    if (!(pool = virStoragePoolLookupByName(vkShellConn(sh), n))) {
        vkError(sh, "failed to get pool '%s'", n);
        return false;
    }
    if (virStoragePoolGetUUIDString(pool, uuid) != -1)
        vkPrint(sh, "%s\n", uuid);
    else
        vkError(sh, "%s", "failed to get pool UUID");
    return true;
}

static const vkOptDef vkOptsPoolName[] = {
    { "pool", VK_OT_DATA, VK_OFLAG_REQ, "pool uuid" },
    { NULL },
};

static bool vkCmdPoolName(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    const char *n = NULL;

    if (vkOptString(sh, cmd, "pool", &n) < 0)
        return false;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        pool = virStoragePoolLookupByUUIDString(vkShellConn(sh), n);
    if (!pool) {
        vkError(sh, "failed to get pool '%s'", n);
        return false;
    }
    vkPrint(sh, "%s\n", virStoragePoolGetName(pool));
    return true;
}

static bool vkCmdPoolCapabilities(vkShell *sh, const vkCmd *cmd)
{
    g_autofree char *caps = virConnectGetStoragePoolCapabilities(vkShellConn(sh), 0);

    if (!caps) {
        vkError(sh, "%s", "failed to get storage pool capabilities");
        return false;
    }
    vkPrint(sh, "%s\n", caps);
    return true;
}

/* ---- pool-list ---- */

static const vkOptDef vkOptsPoolList[] = {
    { "inactive", VK_OT_BOOL, 0, "list inactive pools" },
    { "all", VK_OT_BOOL, 0, "list inactive & active pools" },
    { "transient", VK_OT_BOOL, 0, "list transient pools" },
    { "persistent", VK_OT_BOOL, 0, "list persistent pools" },
    { "autostart", VK_OT_BOOL, 0, "list pools with autostart enabled" },
    { "no-autostart", VK_OT_BOOL, 0, "list pools with autostart disabled" },
    { "type", VK_OT_STRING, 0, "only list pool of specified type(s) (if supported)" },
    { "details", VK_OT_BOOL, 0, "display extended details for pools" },
    { "uuid", VK_OT_BOOL, 0, "list UUID of active pools only" },
    { "name", VK_OT_BOOL, 0, "list name of active pools only" },
    { NULL },
};

static const char *const vkPoolTypes[] = { "dir",      "fs",           "netfs", "logical",  "disk",
                                           "iscsi",    "iscsi-direct", "scsi",  "mpath",    "rbd",
                                           "sheepdog", "gluster",      "zfs",   "vstorage", NULL };

static int vkPoolTypeFlag(const char *type, unsigned int *flags)
{
    static const int bits[] = { 6, 7, 8, 9, 10, 11, 19, 12, 13, 14, 15, 16, 17, 18 };

    for (size_t i = 0; vkPoolTypes[i]; i++) {
        if (g_str_equal(vkPoolTypes[i], type)) {
            *flags |= 1u << bits[i];
            return 0;
        }
    }
    return -1;
}

static int vkPoolSort(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStoragePoolGetName(*(virStoragePoolPtr const *)a),
                              virStoragePoolGetName(*(virStoragePoolPtr const *)b));
}

static bool vkCmdPoolList(vkShell *sh, const vkCmd *cmd)
{
    bool details = vkOptBool(cmd, "details");
    bool uuid = vkOptBool(cmd, "uuid");
    bool name = vkOptBool(cmd, "name");
    unsigned int flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
    virStoragePoolPtr *pools = NULL;
    g_autoptr(vkTable) table = NULL;
    const char *type = NULL;
    int n;

    if (!vkOptExclusive(sh, cmd, "all", "inactive"))
        return false;
    if (vkOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    if (vkOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    flags |= vkOptFlags(
        cmd, (const vkOptFlag[]){ { "autostart", VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART },
                                  { "no-autostart", VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART },
                                  { "persistent", VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT },
                                  { "transient", VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT },
                                  { NULL } });
    if (vkOptString(sh, cmd, "type", &type) < 0 || !vkOptExclusive(sh, cmd, "details", "uuid") ||
        !vkOptExclusive(sh, cmd, "details", "name"))
        return false;
    if (type) {
        g_auto(GStrv) types = vkSplitList(type);

        for (char **t = types; *t; t++) {
            if (vkPoolTypeFlag(*t, &flags) < 0) {
                vkError(sh, "Invalid pool type '%s'", *t);
                return false;
            }
        }
    }
    if ((n = virConnectListAllStoragePools(vkShellConn(sh), &pools, flags)) < 0) {
        vkError(sh, "%s", "Failed to list pools");
        return false;
    }
    qsort(pools, n, sizeof(*pools), vkPoolSort);
    if (!details && (uuid || name)) {
        for (int i = 0; i < n; i++) {
            if (uuid) {
                char u[VIR_UUID_STRING_BUFLEN];
                virStoragePoolGetUUIDString(pools[i], u);
                vkPrint(sh, "%-36s%c", u, name ? ' ' : '\n');
            }
            if (name)
                vkPrint(sh, "%-20s\n", virStoragePoolGetName(pools[i]));
        }
    } else {
        table = details ? vkTableNew("Name", "State", "Autostart", "Persistent", "Capacity",
                                     "Allocation", "Available", NULL)
                        : vkTableNew("Name", "State", "Autostart", NULL);
        for (int i = 0; i < n; i++) {
            virStoragePoolInfo info;
            int autostart = 0;
            int persistent = details ? virStoragePoolIsPersistent(pools[i]) : 0;
            const char *autostr = "no autostart";
            g_autofree char *state = NULL;
            g_autofree char *cap = NULL, *alloc = NULL, *avail = NULL;

            if (virStoragePoolGetAutostart(pools[i], &autostart) == 0)
                autostr = autostart ? "yes" : "no";
            if (virStoragePoolGetInfo(pools[i], &info) != 0) {
                vkError(sh, "%s", "Could not retrieve pool information");
                state = g_strdup("unknown");
                cap = g_strdup("unknown");
                alloc = g_strdup("unknown");
                avail = g_strdup("unknown");
            } else if (details) {
                state = g_strdup(vkPoolStateName(info.state));
                if (info.state == VIR_STORAGE_POOL_RUNNING ||
                    info.state == VIR_STORAGE_POOL_DEGRADED) {
                    cap = vkPretty(info.capacity);
                    alloc = vkPretty(info.allocation);
                    avail = vkPretty(info.available);
                } else {
                    cap = g_strdup("-");
                    alloc = g_strdup("-");
                    avail = g_strdup("-");
                }
            } else {
                state = g_strdup(virStoragePoolIsActive(pools[i]) ? "active" : "inactive");
            }
            if (details)
                vkTableAdd(table, virStoragePoolGetName(pools[i]), state, autostr,
                           persistent < 0 ? "unknown"
                           : persistent   ? "yes"
                                          : "no",
                           cap, alloc, avail, NULL);
            else
                vkTableAdd(table, virStoragePoolGetName(pools[i]), state, autostr, NULL);
        }
        vkTablePrint(sh, table);
    }
    for (int i = 0; i < n; i++)
        virStoragePoolFree(pools[i]);
    free(pools);
    return true;
}

const vkCmdDef vkStoragePoolCmds[] = {
    { "pool-autostart", vkCmdPoolAutostart, vkOptsPoolAutostart, "autostart a pool",
      "Configure a pool to be automatically started at boot.", 0 },
    { "pool-build", vkCmdPoolBuild, vkOptsPoolBuild, "build a pool", "Build a given pool.", 0 },
    { "pool-capabilities", vkCmdPoolCapabilities, NULL, "storage pool capabilities",
      "Returns capabilities of storage pool support.", 0 },
    { "pool-create-as", vkCmdPoolCreateAs, vkOptsPoolCreateAs, "create a pool from a set of args",
      "Create a pool.", 0 },
    { "pool-create", vkCmdPoolCreate, vkOptsPoolFile, "create a pool from an XML file",
      "Create a pool.", 0 },
    { "pool-define-as", vkCmdPoolDefineAs, vkOptsPoolDefineAs, "define a pool from a set of args",
      "Define a pool.", 0 },
    { "pool-define", vkCmdPoolDefine, vkOptsPoolDefine,
      "define an inactive persistent storage pool or modify an existing persistent one from an "
      "XML file",
      "Define or modify a persistent storage pool.", 0 },
    { "pool-delete", vkCmdPoolDelete, vkOptsPool, "delete a pool", "Delete a given pool.", 0 },
    { "pool-destroy", vkCmdPoolDestroy, vkOptsPool, "destroy (stop) a pool",
      "Forcefully stop a given pool. Raw data in the pool is untouched", 0 },
    { "pool-dumpxml", vkCmdPoolDumpXML, vkOptsPoolDumpXML, "pool information in XML",
      "Output the pool information as an XML dump to stdout.", 0 },
    { "pool-info", vkCmdPoolInfo, vkOptsPoolInfo, "storage pool information",
      "Returns basic information about the storage pool.", 0 },
    { "pool-list", vkCmdPoolList, vkOptsPoolList, "list pools", "Returns list of pools.", 0 },
    { "pool-name", vkCmdPoolName, vkOptsPoolName, "convert a pool UUID to pool name", "", 0 },
    { "pool-refresh", vkCmdPoolRefresh, vkOptsPool, "refresh a pool", "Refresh a given pool.", 0 },
    { "pool-start", vkCmdPoolStart, vkOptsPoolStart, "start a (previously defined) inactive pool",
      "Start a pool.", 0 },
    { "pool-undefine", vkCmdPoolUndefine, vkOptsPool, "undefine an inactive pool",
      "Undefine the configuration for an inactive pool.", 0 },
    { "pool-uuid", vkCmdPoolUuid, vkOptsPoolUuid, "convert a pool name to pool UUID", "", 0 },
    { NULL },
};
