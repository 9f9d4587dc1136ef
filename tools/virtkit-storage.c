/* virtkit shell: the helpers the storage pool and volume commands share: virsh's lookups of
 * pools and volumes and its size units. */
#include <errno.h>
#include <string.h>

#include "virtkit-storage.h"

/* ---- lookups, as virsh does them ---- */

virStoragePoolPtr vshLookupPool(vshShell *sh, const vshCmd *cmd, const char *opt, const char **name)
{
    virConnectPtr conn = vshShellConn(sh);
    virStoragePoolPtr pool = NULL;
    const char *n = NULL;

    if (vshOptString(sh, cmd, opt, &n) < 0)
        return NULL;
    if (!n) {
        vshError(sh, "Failed to get option '%s': %s", opt, "Mandatory option not present");
        return NULL;
    }
    if (name)
        *name = n;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        pool = virStoragePoolLookupByUUIDString(conn, n);
    if (!pool)
        pool = virStoragePoolLookupByName(conn, n);
    if (!pool)
        vshError(sh, "failed to get pool '%s'", n);
    return pool;
}

/* By name in POOLOPT's pool when given (and BYNAME), then by key, then by path. */
virStorageVolPtr vshLookupVol(vshShell *sh, const vshCmd *cmd, const char *opt, const char *poolOpt,
                              const char **name, unsigned int by)
{
    virConnectPtr conn = vshShellConn(sh);
    g_autoptr(vshPoolRef) pool = NULL;
    virStorageVolPtr vol = NULL;
    const char *n = NULL;
    const char *p = NULL;

    if (vshOptString(sh, cmd, opt, &n) < 0)
        return NULL;
    if (poolOpt && vshOptString(sh, cmd, poolOpt, &p) < 0)
        return NULL;
    if (p) {
        if (!(pool = vshLookupPool(sh, cmd, poolOpt, NULL)))
            return NULL;
        if (virStoragePoolIsActive(pool) != 1) {
            vshError(sh, "pool '%s' is not active", p);
            return NULL;
        }
    }
    if (name)
        *name = n;
    if (pool && (by & VSH_BYNAME))
        vol = virStorageVolLookupByName(pool, n);
    if (!vol && (by & VSH_BYUUID))
        vol = virStorageVolLookupByKey(conn, n);
    if (!vol && (by & VSH_BYUUID))
        vol = virStorageVolLookupByPath(conn, n);
    if (!vol) {
        if (pool || !poolOpt)
            vshError(sh, "failed to get vol '%s'", n);
        else
            vshError(sh, "failed to get vol '%s', specifying --%s might help", n, poolOpt);
        return NULL;
    }
    vshResetLibError(sh);
    if (pool) {
        g_autoptr(vshPoolRef) volpool = virStoragePoolLookupByVolume(vol);

        if (volpool && strcmp(virStoragePoolGetName(volpool), virStoragePoolGetName(pool)) != 0) {
            vshResetLibError(sh);
            vshError(sh, "Requested volume '%s' is not in pool '%s'", n,
                     virStoragePoolGetName(pool));
            virStorageVolFree(vol);
            return NULL;
        }
    }
    return vol;
}

virStorageVolPtr vshOptVol(vshShell *sh, const vshCmd *cmd, const char **name)
{
    return vshLookupVol(sh, cmd, "vol", "pool", name, VSH_BYUUID | VSH_BYNAME);
}

/* virsh's sizes in pretty units. */
double vshPrettyCapacity(unsigned long long val, const char **unit)
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

char *vshPretty(unsigned long long val)
{
    const char *unit;
    double v = vshPrettyCapacity(val, &unit);
    return g_strdup_printf("%.2lf %s", v, unit);
}

/* virsh's scaled sizes: a number with an optional suffix, bytes by default. */
int vshParseSize(const char *str, unsigned long long *out)
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
