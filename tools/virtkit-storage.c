/* virtkit shell: storage pool (pool-*) and volume (vol-*) commands, with virsh's options,
 * messages and output layout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtkit.h"

typedef virStoragePool vkPoolRef;
typedef virStorageVol vkVolRef;
typedef virStream vkStreamRef;

static void vkPoolRelease(virStoragePoolPtr pool)
{
    if (pool)
        virStoragePoolFree(pool);
}

static void vkVolRelease(virStorageVolPtr vol)
{
    if (vol)
        virStorageVolFree(vol);
}

static void vkStreamRelease(virStreamPtr st)
{
    if (st)
        virStreamFree(st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkPoolRef, vkPoolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkVolRef, vkVolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStreamRef, vkStreamRelease)

#define OPT_POOL_FULL                                         \
    {                                                         \
        "pool", VK_OT_DATA, VK_OFLAG_REQ, "pool name or uuid" \
    }
#define OPT_POOL_OPTIONAL                            \
    {                                                \
        "pool", VK_OT_STRING, 0, "pool name or uuid" \
    }
#define OPT_VOL_FULL                                             \
    {                                                            \
        "vol", VK_OT_DATA, VK_OFLAG_REQ, "vol name, key or path" \
    }

/* ---- lookups, as virsh does them ---- */

static virStoragePoolPtr vkLookupPool(vkShell *sh, const vkCmd *cmd, const char *opt,
                                      const char **name)
{
    virConnectPtr conn = vkShellConn(sh);
    virStoragePoolPtr pool = NULL;
    const char *n = NULL;

    if (vkOptString(sh, cmd, opt, &n) < 0)
        return NULL;
    if (!n) {
        vkError(sh, "Failed to get option '%s': %s", opt, "Mandatory option not present");
        return NULL;
    }
    if (name)
        *name = n;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        pool = virStoragePoolLookupByUUIDString(conn, n);
    if (!pool)
        pool = virStoragePoolLookupByName(conn, n);
    if (!pool)
        vkError(sh, "failed to get pool '%s'", n);
    return pool;
}

/* By name in POOLOPT's pool when given (and BYNAME), then by key, then by path. */
static virStorageVolPtr vkLookupVol(vkShell *sh, const vkCmd *cmd, const char *opt,
                                    const char *poolOpt, const char **name, unsigned int by)
{
    virConnectPtr conn = vkShellConn(sh);
    g_autoptr(vkPoolRef) pool = NULL;
    virStorageVolPtr vol = NULL;
    const char *n = NULL;
    const char *p = NULL;

    if (vkOptString(sh, cmd, opt, &n) < 0)
        return NULL;
    if (poolOpt && vkOptString(sh, cmd, poolOpt, &p) < 0)
        return NULL;
    if (p) {
        if (!(pool = vkLookupPool(sh, cmd, poolOpt, NULL)))
            return NULL;
        if (virStoragePoolIsActive(pool) != 1) {
            vkError(sh, "pool '%s' is not active", p);
            return NULL;
        }
    }
    if (name)
        *name = n;
    if (pool && (by & VK_BYNAME))
        vol = virStorageVolLookupByName(pool, n);
    if (!vol && (by & VK_BYUUID))
        vol = virStorageVolLookupByKey(conn, n);
    if (!vol && (by & VK_BYUUID))
        vol = virStorageVolLookupByPath(conn, n);
    if (!vol) {
        if (pool || !poolOpt)
            vkError(sh, "failed to get vol '%s'", n);
        else
            vkError(sh, "failed to get vol '%s', specifying --%s might help", n, poolOpt);
        return NULL;
    }
    vkResetLibError(sh);
    if (pool) {
        g_autoptr(vkPoolRef) volpool = virStoragePoolLookupByVolume(vol);

        if (volpool && strcmp(virStoragePoolGetName(volpool), virStoragePoolGetName(pool)) != 0) {
            vkResetLibError(sh);
            vkError(sh, "Requested volume '%s' is not in pool '%s'", n,
                    virStoragePoolGetName(pool));
            virStorageVolFree(vol);
            return NULL;
        }
    }
    return vol;
}

static virStorageVolPtr vkOptVol(vkShell *sh, const vkCmd *cmd, const char **name)
{
    return vkLookupVol(sh, cmd, "vol", "pool", name, VK_BYUUID | VK_BYNAME);
}

/* virsh's sizes in pretty units. */
static double vkPrettyCapacity(unsigned long long val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = (double)val;
    size_t i = 0;

    while (v >= 1024 && i + 1 < G_N_ELEMENTS(units)) {
        v /= 1024;
        i++;
    }
    *unit = units[i];
    return i == 0 ? (double)val : v;
}

static char *vkPretty(unsigned long long val)
{
    const char *unit;
    double v = vkPrettyCapacity(val, &unit);
    return g_strdup_printf("%.2lf %s", v, unit);
}

/* virsh's scaled sizes: a number with an optional suffix, bytes by default. */
static int vkParseSize(const char *str, unsigned long long *out)
{
    static const char *const powers = "kmgtpe";
    char *end = NULL;
    unsigned long long value;
    unsigned long long scale = 1;

    errno = 0;
    if (!str || !*str || *str == '-')
        return -1;
    value = g_ascii_strtoull(str, &end, 10);
    if (errno || end == str)
        return -1;
    if (*end && g_ascii_strcasecmp(end, "b") && g_ascii_strcasecmp(end, "byte") &&
        g_ascii_strcasecmp(end, "bytes")) {
        const char *p = strchr(powers, g_ascii_tolower(*end));
        unsigned long long base;

        if (!p)
            return -1;
        if (!end[1] || !g_ascii_strcasecmp(end + 1, "iB"))
            base = 1024;
        else if (g_ascii_tolower(end[1]) == 'b' && !end[2])
            base = 1000;
        else
            return -1;
        for (const char *q = powers; q <= p; q++)
            scale *= base;
    }
    if (value > G_MAXUINT64 / scale)
        return -1;
    *out = value * scale;
    return 0;
}

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

/* ---- volumes: create ---- */

static const vkOptDef vkOptsVolCreate[] = {
    OPT_POOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML vol description" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static bool vkCmdVolCreate(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vkOptBool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "file", &file) < 0 ||
        !(xml = vkReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXML(pool, xml, flags))) {
        vkError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created from %s\n", virStorageVolGetName(vol), file);
    return true;
}

static const vkOptDef vkOptsVolCreateAs[] = {
    OPT_POOL_FULL,
    { "name", VK_OT_DATA, VK_OFLAG_REQ, "name of the volume" },
    { "capacity", VK_OT_DATA, VK_OFLAG_REQ, "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VK_OT_STRING, 0, "initial allocation size, as scaled integer (default bytes)" },
    { "format", VK_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    { "backing-vol", VK_OT_STRING, 0, "the backing volume if taking a snapshot" },
    { "backing-vol-format", VK_OT_STRING, 0, "format of backing volume if taking a snapshot" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "print-xml", VK_OT_BOOL, 0, "print XML document, but don't define/create" },
    { NULL },
};

static bool vkCmdVolCreateAs(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL, *capStr = NULL, *allocStr = NULL, *format = NULL;
    const char *backing = NULL, *backingFormat = NULL;
    unsigned long long capacity = 0, allocation = 0;
    unsigned int flags = 0;
    g_autoptr(GString) buf = NULL;

    if (vkOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "name", &name) < 0 ||
        vkOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    if (vkParseSize(capStr, &capacity) < 0) {
        vkError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (vkOptStringQuiet(cmd, "allocation", &allocStr) > 0 &&
        vkParseSize(allocStr, &allocation) < 0) {
        vkError(sh, "Malformed size %s", allocStr);
        return false;
    }
    if (vkOptString(sh, cmd, "format", &format) < 0 ||
        vkOptString(sh, cmd, "backing-vol", &backing) < 0 ||
        vkOptString(sh, cmd, "backing-vol-format", &backingFormat) < 0)
        return false;
    buf = g_string_new("<volume>\n");
    g_string_append_printf(buf, "  <name>%s</name>\n  <capacity>%llu</capacity>\n", name, capacity);
    if (allocStr)
        g_string_append_printf(buf, "  <allocation>%llu</allocation>\n", allocation);
    if (format)
        g_string_append_printf(buf, "  <target>\n    <format type='%s'/>\n  </target>\n", format);
    if (backing) {
        g_autoptr(vkVolRef) bvol = virStorageVolLookupByName(pool, backing);
        g_autofree char *bpath = NULL;

        if (!bvol)
            bvol = virStorageVolLookupByKey(vkShellConn(sh), backing);
        if (!bvol)
            bvol = virStorageVolLookupByPath(vkShellConn(sh), backing);
        if (!bvol) {
            vkError(sh, "failed to get vol '%s'", backing);
            return false;
        }
        if (!(bpath = virStorageVolGetPath(bvol)))
            return false;
        g_string_append_printf(buf, "  <backingStore>\n    <path>%s</path>\n", bpath);
        if (backingFormat)
            g_string_append_printf(buf, "    <format type='%s'/>\n", backingFormat);
        g_string_append(buf, "  </backingStore>\n");
    }
    g_string_append(buf, "</volume>\n");
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", buf->str);
        return true;
    }
    if (!(vol = virStorageVolCreateXML(pool, buf->str, flags))) {
        vkError(sh, "Failed to create vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created\n", name);
    return true;
}

static const vkOptDef vkOptsVolCreateFrom[] = {
    OPT_POOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML vol description" },
    OPT_VOL_FULL,
    { "inputpool", VK_OT_STRING, 0, "pool name or uuid of the input volume's pool" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VK_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static unsigned int vkVolCloneFlags(const vkCmd *cmd)
{
    return vkOptFlags(
        cmd, (const vkOptFlag[]){ { "prealloc-metadata", VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA },
                                  { "reflink", VIR_STORAGE_VOL_CREATE_REFLINK },
                                  { "validate", VIR_STORAGE_VOL_CREATE_VALIDATE },
                                  { NULL } });
}

static bool vkCmdVolCreateFrom(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) input = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "file", &file) < 0 ||
        !(input = vkLookupVol(sh, cmd, "vol", "inputpool", NULL, VK_BYUUID | VK_BYNAME)) ||
        !(xml = vkReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXMLFrom(pool, xml, input, vkVolCloneFlags(cmd)))) {
        vkError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created from input vol %s\n", virStorageVolGetName(vol),
                 virStorageVolGetName(input));
    return true;
}

static const vkOptDef vkOptsVolClone[] = {
    OPT_VOL_FULL,
    { "newname", VK_OT_DATA, VK_OFLAG_REQ, "clone name" },
    OPT_POOL_OPTIONAL,
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VK_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "print-xml", VK_OT_BOOL, 0, "print XML document rather than clone the volume" },
    { NULL },
};

/* The volume's XML with /volume/name replaced, as virsh builds a clone. */
static char *vkCloneXML(const char *xml, const char *newname)
{
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = vkParseXML(xml, &ctxt);
    g_autoptr(xmlXPathObject) obj = NULL;
    xmlChar *out = NULL;
    int len = 0;
    char *ret;

    if (!doc || !(obj = xmlXPathEval(BAD_CAST "/volume/name", ctxt)) || !obj->nodesetval ||
        obj->nodesetval->nodeNr < 1)
        return NULL;
    xmlNodeSetContent(obj->nodesetval->nodeTab[0], NULL);
    xmlNodeAddContent(obj->nodesetval->nodeTab[0], BAD_CAST newname);
    xmlDocDumpMemory(doc, &out, &len);
    ret = g_strdup((const char *)out);
    xmlFree(out);
    return ret;
}

static bool vkCmdVolClone(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) orig = NULL;
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *origxml = NULL;
    g_autofree char *newxml = NULL;
    const char *newname = NULL;

    if (!(orig = vkOptVol(sh, cmd, NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(orig))) {
        vkError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vkOptString(sh, cmd, "newname", &newname) < 0 ||
        !(origxml = virStorageVolGetXMLDesc(orig, 0)))
        return false;
    if (!(newxml = vkCloneXML(origxml, newname))) {
        vkError(sh, "%s", "Failed to allocate XML buffer");
        return false;
    }
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", newxml);
        return true;
    }
    if (!(vol = virStorageVolCreateXMLFrom(pool, newxml, orig, vkVolCloneFlags(cmd)))) {
        vkError(sh, "Failed to clone vol from %s", virStorageVolGetName(orig));
        return false;
    }
    vkPrintExtra(sh, "Vol %s cloned from %s\n", virStorageVolGetName(vol),
                 virStorageVolGetName(orig));
    return true;
}

/* ---- volumes: change ---- */

static const vkOptDef vkOptsVolDelete[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "delete-snapshots", VK_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL },
};

static bool vkCmdVolDelete(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL;
    unsigned int flags =
        vkOptBool(cmd, "delete-snapshots") ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;

    if (!(vol = vkOptVol(sh, cmd, &name)))
        return false;
    if (virStorageVolDelete(vol, flags) != 0) {
        vkError(sh, "Failed to delete vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s deleted\n", name);
    return true;
}

static const vkOptDef vkOptsVolWipe[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "algorithm", VK_OT_STRING, 0, "perform selected wiping algorithm" },
    { NULL },
};

static bool vkCmdVolWipe(vkShell *sh, const vkCmd *cmd)
{
    static const char *const algorithms[] = { "zero",    "nnsa",     "dod",       "bsi",
                                              "gutmann", "schneier", "pfitzner7", "pfitzner33",
                                              "random",  "trim",     NULL };
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL;
    const char *alg = NULL;
    int algorithm = VIR_STORAGE_VOL_WIPE_ALG_ZERO;

    if (!(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "algorithm", &alg) < 0)
        return false;
    if (alg) {
        algorithm = -1;
        for (int i = 0; algorithms[i]; i++) {
            if (g_str_equal(algorithms[i], alg))
                algorithm = i;
        }
        if (algorithm < 0) {
            vkError(sh, "Unsupported algorithm '%s'", alg);
            return false;
        }
    }
    if (virStorageVolWipePattern(vol, algorithm, 0) < 0) {
        vkError(sh, "Failed to wipe vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s wiped\n", name);
    return true;
}

static const vkOptDef vkOptsVolResize[] = {
    OPT_VOL_FULL,
    { "capacity", VK_OT_DATA, VK_OFLAG_REQ,
      "new capacity for the vol, as scaled integer (default bytes)" },
    OPT_POOL_OPTIONAL,
    { "allocate", VK_OT_BOOL, 0, "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VK_OT_BOOL, 0, "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VK_OT_BOOL, 0, "allow the resize to shrink the volume" },
    { NULL },
};

static bool vkCmdVolResize(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    const char *capStr = NULL;
    unsigned long long capacity = 0;
    bool delta = vkOptBool(cmd, "delta");
    unsigned int flags =
        vkOptFlags(cmd, (const vkOptFlag[]){ { "allocate", VIR_STORAGE_VOL_RESIZE_ALLOCATE },
                                             { "shrink", VIR_STORAGE_VOL_RESIZE_SHRINK },
                                             { NULL } });

    if (!(vol = vkOptVol(sh, cmd, NULL)) || vkOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    while (*capStr == ' ' || *capStr == '\t')
        capStr++;
    if (*capStr == '-') {
        if (!vkOptBool(cmd, "shrink")) {
            vkError(sh, "%s", "negative size requires --shrink");
            return false;
        }
        capStr++;
        delta = true;
    }
    if (delta)
        flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
    if (vkParseSize(*capStr == '+' ? capStr + 1 : capStr, &capacity) < 0) {
        vkError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (virStorageVolResize(vol, capacity, flags) < 0) {
        vkError(sh,
                delta ? "Failed to change size of volume '%s' by %s"
                      : "Failed to change size of volume '%s' to %s",
                virStorageVolGetName(vol), capStr);
        return false;
    }
    vkPrintExtra(sh,
                 delta ? "Size of volume '%s' successfully changed by %s\n"
                       : "Size of volume '%s' successfully changed to %s\n",
                 virStorageVolGetName(vol), capStr);
    return true;
}

/* ---- volumes: data ---- */

static const vkOptDef vkOptsVolTransfer[] = {
    OPT_VOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file" },
    OPT_POOL_OPTIONAL,
    { "offset", VK_OT_STRING, 0, "volume offset to start at" },
    { "length", VK_OT_STRING, 0, "amount of data" },
    { "sparse", VK_OT_BOOL, 0, "preserve sparseness of volume" },
    { NULL },
};

static int vkOptULL(vkShell *sh, const vkCmd *cmd, const char *name, unsigned long long *out)
{
    const char *s = NULL;
    char *end = NULL;

    *out = 0;
    if (vkOptString(sh, cmd, name, &s) < 0)
        return -1;
    if (!s)
        return 0;
    errno = 0;
    *out = g_ascii_strtoull(s, &end, 10);
    if (errno || *end || *s == '-') {
        vkError(sh, "Numeric value '%s' for <%s> option is malformed or out of range", s, name);
        return -1;
    }
    return 0;
}

static int vkSourceFd(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = read(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static int vkSinkFd(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = write(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static bool vkCmdVolUpload(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autoptr(vkStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    int fd;
    bool ok = false;

    if (vkOptULL(sh, cmd, "offset", &offset) < 0 || vkOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
        vkError(sh, "cannot read %s", file);
        return false;
    }
    if (!(st = virStreamNew(vkShellConn(sh), 0))) {
        vkError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolUpload(vol, st, offset, length, 0) < 0) {
        vkError(sh, "cannot upload to volume %s", name);
    } else if (virStreamSendAll(st, vkSourceFd, &fd) < 0) {
        vkError(sh, "cannot send data to volume %s", name);
    } else if (virStreamFinish(st) < 0) {
        vkError(sh, "cannot close volume %s", name);
    } else {
        ok = true;
    }
    close(fd);
    return ok;
}

static bool vkCmdVolDownload(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autoptr(vkStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    bool created = false;
    int fd;
    bool ok = false;

    if (vkOptULL(sh, cmd, "offset", &offset) < 0 || vkOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
        created = true;
    } else if (errno != EEXIST || (fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0) {
        vkError(sh, "cannot create %s", file);
        return false;
    }
    if (!(st = virStreamNew(vkShellConn(sh), 0))) {
        vkError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolDownload(vol, st, offset, length, 0) < 0) {
        vkError(sh, "cannot download from volume %s", name);
    } else if (virStreamRecvAll(st, vkSinkFd, &fd) < 0) {
        vkError(sh, "cannot receive data from volume %s", name);
    } else if (close(fd) < 0) {
        fd = -1;
        vkError(sh, "cannot close file %s", file);
    } else {
        fd = -1;
        if (virStreamFinish(st) < 0)
            vkError(sh, "cannot close volume %s", name);
        else
            ok = true;
    }
    if (fd >= 0)
        close(fd);
    if (!ok && created)
        unlink(file);
    return ok;
}

/* ---- volumes: queries ---- */

static const vkOptDef vkOptsVolDumpXML[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "xpath", VK_OT_STRING, VK_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VK_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vkCmdVolDumpXML(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(vol = vkOptVol(sh, cmd, NULL)) || vkOptStringQuiet(cmd, "xpath", &xpath) < 0 ||
        !(xml = virStorageVolGetXMLDesc(vol, 0)))
        return false;
    return vkDumpXML(sh, xml, "volume", xpath, vkOptBool(cmd, "wrap"));
}

static const char *vkVolTypeName(int type)
{
    static const char *const names[] = { "file", "block", "dir", "network", "netdir", "ploop" };
    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "unknown";
}

static const vkOptDef vkOptsVolInfo[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "bytes", VK_OT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    { "physical", VK_OT_BOOL, 0, "return the physical size of the volume in allocation field" },
    { NULL },
};

static bool vkCmdVolInfo(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    virStorageVolInfo info;
    bool bytes = vkOptBool(cmd, "bytes");
    bool physical = vkOptBool(cmd, "physical");
    const char *unit;
    double v;

    if (!(vol = vkOptVol(sh, cmd, NULL)))
        return false;
    vkPrint(sh, "%-15s %s\n", "Name:", virStorageVolGetName(vol));
    if (virStorageVolGetInfoFlags(vol, &info, physical ? VIR_STORAGE_VOL_GET_PHYSICAL : 0) != 0)
        return false;
    vkPrint(sh, "%-15s %s\n", "Type:", vkVolTypeName(info.type));
    if (bytes) {
        vkPrint(sh, "%-15s %llu %s\n", "Capacity:", info.capacity, "bytes");
        vkPrint(sh, "%-15s %llu %s\n", physical ? "Physical:" : "Allocation:", info.allocation,
                "bytes");
    } else {
        v = vkPrettyCapacity(info.capacity, &unit);
        vkPrint(sh, "%-15s %2.2lf %s\n", "Capacity:", v, unit);
        v = vkPrettyCapacity(info.allocation, &unit);
        vkPrint(sh, "%-15s %2.2lf %s\n", physical ? "Physical:" : "Allocation:", v, unit);
    }
    return true;
}

static const vkOptDef vkOptsVolList[] = {
    OPT_POOL_FULL,
    { "details", VK_OT_BOOL, 0, "display extended details for volumes" },
    { NULL },
};

static int vkVolSort(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStorageVolGetName(*(virStorageVolPtr const *)a),
                              virStorageVolGetName(*(virStorageVolPtr const *)b));
}

static bool vkCmdVolList(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkTable) table = NULL;
    virStorageVolPtr *vols = NULL;
    bool details = vkOptBool(cmd, "details");
    int n;

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)))
        return false;
    if ((n = virStoragePoolListAllVolumes(pool, &vols, 0)) < 0) {
        vkError(sh, "%s", "Failed to list volumes");
        return false;
    }
    qsort(vols, n, sizeof(*vols), vkVolSort);
    table = details ? vkTableNew("Name", "Path", "Type", "Capacity", "Allocation", NULL)
                    : vkTableNew("Name", "Path", NULL);
    for (int i = 0; i < n; i++) {
        g_autofree char *path = virStorageVolGetPath(vols[i]);
        virStorageVolInfo info;

        if (!path)
            path = g_strdup("unknown");
        if (!details) {
            vkTableAdd(table, virStorageVolGetName(vols[i]), path, NULL);
        } else if (virStorageVolGetInfo(vols[i], &info) != 0) {
            vkTableAdd(table, virStorageVolGetName(vols[i]), path, "unknown", "unknown", "unknown",
                       NULL);
        } else {
            g_autofree char *cap = vkPretty(info.capacity);
            g_autofree char *alloc = vkPretty(info.allocation);

            vkTableAdd(table, virStorageVolGetName(vols[i]), path, vkVolTypeName(info.type), cap,
                       alloc, NULL);
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
    vkTablePrint(sh, table);
    return true;
}

static const vkOptDef vkOptsVolByKey[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume key or path" },
    { NULL },
};

static bool vkCmdVolName(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkLookupVol(sh, cmd, "vol", NULL, NULL, VK_BYUUID);

    if (!vol)
        return false;
    vkPrint(sh, "%s\n", virStorageVolGetName(vol));
    return true;
}

static const vkOptDef vkOptsVolPool[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume key or path" },
    { "uuid", VK_OT_BOOL, 0, "return the pool uuid rather than pool name" },
    { NULL },
};

static bool vkCmdVolPool(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkLookupVol(sh, cmd, "vol", NULL, NULL, VK_BYUUID);
    g_autoptr(vkPoolRef) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!vol)
        return false;
    if (!(pool = virStoragePoolLookupByVolume(vol))) {
        vkError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vkOptBool(cmd, "uuid")) {
        if (virStoragePoolGetUUIDString(pool, uuid) == 0)
            vkPrint(sh, "%s\n", uuid);
    } else {
        vkPrint(sh, "%s\n", virStoragePoolGetName(pool));
    }
    return true;
}

static const vkOptDef vkOptsVolKey[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume name or path" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vkCmdVolKey(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkOptVol(sh, cmd, NULL);

    if (!vol)
        return false;
    vkPrint(sh, "%s\n", virStorageVolGetKey(vol));
    return true;
}

static const vkOptDef vkOptsVolPath[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume name or key" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vkCmdVolPath(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkOptVol(sh, cmd, NULL);
    g_autofree char *path = NULL;

    if (!vol || !(path = virStorageVolGetPath(vol)))
        return false;
    vkPrint(sh, "%s\n", path);
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

const vkCmdDef vkStorageVolCmds[] = {
    { "vol-clone", vkCmdVolClone, vkOptsVolClone, "clone a volume.",
      "Clone an existing volume within the parent pool.", 0 },
    { "vol-create-as", vkCmdVolCreateAs, vkOptsVolCreateAs, "create a volume from a set of args",
      "Create a vol.", 0 },
    { "vol-create", vkCmdVolCreate, vkOptsVolCreate, "create a vol from an XML file",
      "Create a vol.", 0 },
    { "vol-create-from", vkCmdVolCreateFrom, vkOptsVolCreateFrom,
      "create a vol, using another volume as input", "Create a vol from an existing volume.", 0 },
    { "vol-delete", vkCmdVolDelete, vkOptsVolDelete, "delete a vol", "Delete a given vol.", 0 },
    { "vol-download", vkCmdVolDownload, vkOptsVolTransfer, "download volume contents to a file",
      "Download the contents of a volume to a file.", 0 },
    { "vol-dumpxml", vkCmdVolDumpXML, vkOptsVolDumpXML, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", vkCmdVolInfo, vkOptsVolInfo, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-key", vkCmdVolKey, vkOptsVolKey,
      "returns the volume key for a given volume name or path", "", 0 },
    { "vol-list", vkCmdVolList, vkOptsVolList, "list vols", "Returns list of vols by pool.", 0 },
    { "vol-name", vkCmdVolName, vkOptsVolByKey,
      "returns the volume name for a given volume key or path", "", 0 },
    { "vol-path", vkCmdVolPath, vkOptsVolPath,
      "returns the volume path for a given volume name or key", "", 0 },
    { "vol-pool", vkCmdVolPool, vkOptsVolPool,
      "returns the storage pool for a given volume key or path", "", 0 },
    { "vol-resize", vkCmdVolResize, vkOptsVolResize, "resize a vol",
      "Resizes a storage volume. This is safe only for storage volumes not in use by an active "
      "guest.\nSee blockresize for live resizing.",
      0 },
    { "vol-upload", vkCmdVolUpload, vkOptsVolTransfer, "upload file contents to a volume",
      "Upload file contents to a volume", 0 },
    { "vol-wipe", vkCmdVolWipe, vkOptsVolWipe, "wipe a vol",
      "Ensure data previously on a volume is not accessible to future reads", 0 },
    { NULL },
};
