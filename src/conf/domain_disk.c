/* <disk>: file and block images, CD-ROMs and floppies, their drivers, targets and order. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainDisk, VK_DOMAIN_DISK_TYPE_LAST, "none", "file", "block", "volume")
VK_ENUM_IMPL(vkDomainDiskDevice, VK_DOMAIN_DISK_DEVICE_LAST, "disk", "cdrom", "floppy")
VK_ENUM_IMPL(vkDomainDiskBus, VK_DOMAIN_DISK_BUS_LAST, "none", "ide", "fdc", "scsi", "virtio",
             "usb", "sata")
VK_ENUM_IMPL(vkDomainDiskCache, VK_DOMAIN_DISK_CACHE_LAST, "default", "none", "writethrough",
             "writeback", "directsync", "unsafe")
VK_ENUM_IMPL(vkDomainDiskIo, VK_DOMAIN_DISK_IO_LAST, "default", "native", "threads", "io_uring")
VK_ENUM_IMPL(vkDomainDiskDiscard, VK_DOMAIN_DISK_DISCARD_LAST, "default", "unmap", "ignore")
VK_ENUM_IMPL(vkDomainDiskFormat, VK_DOMAIN_DISK_FORMAT_LAST, "none", "raw", "dir", "bochs", "cloop",
             "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed",
             "vmdk")

/* ---- disk ---- */

static int parseDiskDriver(vkDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const attrs[] = { "name", "type", "cache", "io", "discard", NULL };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainDiskFormatTypeFromString, TRUE, &disk->format) < 0 ||
        vkDomainPropEnum(node, "cache", vkDomainDiskCacheTypeFromString, TRUE, &disk->cache) < 0 ||
        vkDomainPropEnum(node, "io", vkDomainDiskIoTypeFromString, TRUE, &disk->io) < 0 ||
        vkDomainPropEnum(node, "discard", vkDomainDiskDiscardTypeFromString, TRUE, &disk->discard) <
            0)
        return -1;
    disk->driverName = vkXMLProp(node, "name");
    return 0;
}

static int parseDiskSourceVolume(vkDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const attrs[] = { "pool", "volume", NULL };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    disk->srcPool = vkXMLProp(node, "pool");
    disk->srcVolume = vkXMLProp(node, "volume");
    if ((disk->srcPool && !*disk->srcPool) || (disk->srcVolume && !*disk->srcVolume) ||
        !disk->srcPool != !disk->srcVolume) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "a volume disk source needs both pool and volume");
        return -1;
    }
    return 0;
}

static int parseDiskSource(vkDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const fileAttrs[] = { "file", NULL };
    static const char *const blockAttrs[] = { "dev", NULL };
    gboolean file = disk->type == VK_DOMAIN_DISK_TYPE_FILE;
    g_autofree char *path = NULL;

    if (disk->type == VK_DOMAIN_DISK_TYPE_VOLUME)
        return parseDiskSourceVolume(disk, node);
    if (vkXMLCheckLeaf(node, file ? fileAttrs : blockAttrs, VK_DOMAIN_ERR) < 0)
        return -1;
    path = vkXMLProp(node, file ? "file" : "dev");
    if (path && *path)
        disk->src = g_steal_pointer(&path);
    return 0;
}

static int parseDiskTarget(vkDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const attrs[] = { "dev", "bus", NULL };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        !(disk->dst = vkDomainPropRequired(node, "dev")) ||
        vkDomainPropEnum(node, "bus", vkDomainDiskBusTypeFromString, TRUE, &disk->bus) < 0)
        return -1;
    return 0;
}

static int parseDiskChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    vkDomainDiskDef *disk = dev;
    const char *name = (const char *)c->name;

    if (g_str_equal(name, "driver"))
        return parseDiskDriver(disk, c);
    if (g_str_equal(name, "source"))
        return parseDiskSource(disk, c);
    if (g_str_equal(name, "target"))
        return parseDiskTarget(disk, c);
    if (vkXMLCheckLeaf(c, NULL, VK_DOMAIN_ERR) < 0)
        return -1;
    if (g_str_equal(name, "readonly"))
        disk->readonly = TRUE;
    else
        disk->shareable = TRUE;
    return 0;
}

/* The bus a target name implies, as libvirt guesses it when <target bus> is absent. */
static int diskBusFromTarget(const vkDomainDiskDef *disk)
{
    if (disk->device == VK_DOMAIN_DISK_DEVICE_FLOPPY)
        return VK_DOMAIN_DISK_BUS_FDC;
    if (g_str_has_prefix(disk->dst, "sd"))
        return VK_DOMAIN_DISK_BUS_SCSI;
    if (g_str_has_prefix(disk->dst, "vd"))
        return VK_DOMAIN_DISK_BUS_VIRTIO;
    return VK_DOMAIN_DISK_BUS_IDE;
}

/* A target name's position among its bus's disks, as libvirt computes it: the letters after
 * the prefix in bijective base 26 (sda 0, sdz 25, sdaa 26); -1 when it has no such form. */
static int diskNameToIndex(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd" };
    const char *p = NULL;
    int idx = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(prefixes) && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p || !g_ascii_islower(*p))
        return -1;
    for (size_t i = 0; g_ascii_islower(*p); i++, p++) {
        if (idx > G_MAXINT / 26 - 27)
            return -1;
        idx = (idx + (i < 1 ? 0 : 1)) * 26 + (*p - 'a');
    }
    return idx;
}

/* Disks on the same bus are kept in target order, as libvirt does. */
static void diskInsert(vkDomainDef *def, vkDomainDiskDef *disk)
{
    int newIdx = diskNameToIndex(disk->dst);
    gssize at = -1;

    for (gssize i = (gssize)def->ndisks - 1; i >= 0; i--) {
        if (def->disks[i]->bus != disk->bus)
            continue;
        if (diskNameToIndex(def->disks[i]->dst) > newIdx)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    if (at < 0)
        at = def->ndisks;
    def->disks = g_renew(vkDomainDiskDef *, def->disks, def->ndisks + 1);
    memmove(def->disks + at + 1, def->disks + at, (def->ndisks - at) * sizeof(*def->disks));
    def->disks[at] = disk;
    def->ndisks++;
}

static gboolean diskTargetValid(const char *dst, const char *const *prefixes)
{
    for (; *prefixes; prefixes++) {
        const char *p;

        if (!g_str_has_prefix(dst, *prefixes))
            continue;
        p = dst + strlen(*prefixes);
        if (!*p)
            return FALSE;
        for (; *p; p++) {
            if (!g_ascii_islower(*p))
                return FALSE;
        }
        return TRUE;
    }
    return FALSE;
}

static int checkDisk(vkDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const diskPrefixes[] = { "hd", "sd", "vd", NULL };
    static const char *const floppyPrefixes[] = { "fd", NULL };
    const char *device = vkDomainDiskDeviceTypeToString(disk->device);

    if (!disk->dst) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "missing <target> in <disk>");
        return -1;
    }
    if ((disk->device == VK_DOMAIN_DISK_DEVICE_DISK && !diskTargetValid(disk->dst, diskPrefixes)) ||
        (disk->device == VK_DOMAIN_DISK_DEVICE_FLOPPY &&
         !diskTargetValid(disk->dst, floppyPrefixes))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid target dev '%s' for a %s: expected %s followed by letters",
                      disk->dst, device,
                      disk->device == VK_DOMAIN_DISK_DEVICE_FLOPPY ? "fd" : "hd, sd or vd");
        return -1;
    }
    /* Filled in now, not after parsing as libvirt does: disks are ordered by bus, and
     * ordering by the bus as written would not survive a round trip. */
    if (disk->bus == VK_DOMAIN_DISK_BUS_NONE)
        disk->bus = diskBusFromTarget(disk);
    if ((disk->device == VK_DOMAIN_DISK_DEVICE_FLOPPY) != (disk->bus == VK_DOMAIN_DISK_BUS_FDC)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "bus '%s' is not valid for a %s",
                      vkDomainDiskBusTypeToString(disk->bus), device);
        return -1;
    }
    if (!disk->src && !disk->srcVolume && disk->device == VK_DOMAIN_DISK_DEVICE_DISK) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "missing source information for device %s", disk->dst);
        return -1;
    }
    /* A CD-ROM is read-only whatever the XML says. */
    if (disk->device == VK_DOMAIN_DISK_DEVICE_CDROM)
        disk->readonly = TRUE;
    return 0;
}

static vkDomainDiskDef *parseDisk(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", "device", NULL };
    static const char *const children[] = { "driver", "source", "target",  "readonly", "shareable",
                                            "boot",   "alias",  "address", NULL };
    static const char *const single[] = { "driver",   "source",    "target",
                                          "readonly", "shareable", NULL };
    g_autoptr(vkDomainDiskDef) disk = g_new0(vkDomainDiskDef, 1);

    disk->type = VK_DOMAIN_DISK_TYPE_FILE;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainDiskTypeFromString, TRUE, &disk->type) < 0 ||
        vkDomainPropEnum(node, "device", vkDomainDiskDeviceTypeFromString, FALSE, &disk->device) <
            0)
        return NULL;
    for (const char *const *s = single; *s; s++) {
        if (vkXMLCheckUnique(node, *s, VK_DOMAIN_ERR) < 0)
            return NULL;
    }
    if (vkDomainDeviceChildrenParse(node, children, disk, &disk->info, flags, TRUE,
                                    parseDiskChild) < 0 ||
        checkDisk(disk, node) < 0)
        return NULL;
    return g_steal_pointer(&disk);
}

static void formatDisk(vkBuf *buf, const vkDomainDiskDef *disk, unsigned int flags)
{
    vkBufAddf(buf, "<disk type='%s' device='%s'>\n", vkDomainDiskTypeToString(disk->type),
              vkDomainDiskDeviceTypeToString(disk->device));
    vkBufAdjustIndent(buf, 2);
    if (disk->driverName || disk->format || disk->cache || disk->io || disk->discard) {
        vkBufAddf(buf, "<driver");
        if (disk->driverName)
            vkBufEscapef(buf, " name='%s'", disk->driverName);
        if (disk->format)
            vkBufAddf(buf, " type='%s'", vkDomainDiskFormatTypeToString(disk->format));
        if (disk->cache)
            vkBufAddf(buf, " cache='%s'", vkDomainDiskCacheTypeToString(disk->cache));
        if (disk->io)
            vkBufAddf(buf, " io='%s'", vkDomainDiskIoTypeToString(disk->io));
        if (disk->discard)
            vkBufAddf(buf, " discard='%s'", vkDomainDiskDiscardTypeToString(disk->discard));
        vkBufAddf(buf, "/>\n");
    }
    if (disk->type == VK_DOMAIN_DISK_TYPE_VOLUME && disk->srcVolume) {
        vkBufEscapef(buf, "<source pool='%s'", disk->srcPool);
        vkBufEscapef(buf, " volume='%s'/>\n", disk->srcVolume);
    } else if (disk->src)
        vkBufEscapef(buf,
                     disk->type == VK_DOMAIN_DISK_TYPE_FILE ? "<source file='%s'/>\n"
                                                            : "<source dev='%s'/>\n",
                     disk->src);
    vkBufEscapef(buf, "<target dev='%s'", disk->dst);
    vkBufAddf(buf, " bus='%s'/>\n", vkDomainDiskBusTypeToString(disk->bus));
    if (disk->readonly)
        vkBufAddf(buf, "<readonly/>\n");
    if (disk->shareable)
        vkBufAddf(buf, "<shareable/>\n");
    vkDomainDeviceInfoFormat(buf, &disk->info, flags, TRUE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</disk>\n");
}

static vkDomainDiskDef *copyDisk(const vkDomainDiskDef *src)
{
    vkDomainDiskDef *disk = g_memdup2(src, sizeof(*src));

    disk->src = g_strdup(src->src);
    disk->srcPool = g_strdup(src->srcPool);
    disk->srcVolume = g_strdup(src->srcVolume);
    disk->driverName = g_strdup(src->driverName);
    disk->dst = g_strdup(src->dst);
    vkDomainDeviceInfoCopy(&disk->info, &src->info);
    return disk;
}

void vkDomainDiskDefFree(vkDomainDiskDef *def)
{
    if (!def)
        return;
    g_free(def->src);
    g_free(def->srcPool);
    g_free(def->srcVolume);
    g_free(def->driverName);
    g_free(def->dst);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

int vkDomainDiskNameIndex(const char *dst)
{
    gint64 idx = 0;

    if (strlen(dst) < 3)
        return -1;
    /* The prefix (hd, sd, vd, fd) is two letters; the rest counts in base 26 from 'a' = 1. */
    for (const char *p = dst + 2; *p; p++) {
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > G_MAXINT)
            return -1;
    }
    return (int)idx - 1;
}

/* ---- the family ---- */

static int parseDiskElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainDiskDef *disk = parseDisk(node, flags);

    if (!disk)
        return -1;
    diskInsert(def, disk);
    return 0;
}

static void formatDisks(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->ndisks; i++)
        formatDisk(buf, def->disks[i], flags);
}

static void copyDisks(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, disks, ndisks, copyDisk);
}

static void freeDisks(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, disks, ndisks, vkDomainDiskDefFree);
}

/* Two disks with one target name would be one device in the guest. */
static int validateDisks(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        for (size_t j = i + 1; j < def->ndisks; j++) {
            const vkDomainDiskDef *a = def->disks[i], *b = def->disks[j];

            if (g_str_equal(a->dst, b->dst)) {
                vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                              "target '%s' duplicated for disk sources '%s' and '%s'", a->dst,
                              a->src ? a->src : "<null>", b->src ? b->src : "<null>");
                return -1;
            }
        }
    }
    return 0;
}

static int forEachDiskInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, disks, ndisks, VK_DOMAIN_DEVICE_DISK, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainDiskFamily = {
    .name = "disk",
    .parse = parseDiskElement,
    .format = formatDisks,
    .copy = copyDisks,
    .free = freeDisks,
    .validate = validateDisks,
    .forEachInfo = forEachDiskInfo,
};
