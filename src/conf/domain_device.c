/* The <devices> of a domain other than graphics: disks, controllers, interfaces, serial ports
 * and consoles, input, video and the memory balloon; and the <devices> element itself. */
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
VK_ENUM_IMPL(vkDomainController, VK_DOMAIN_CONTROLLER_TYPE_LAST, "ide", "fdc", "scsi", "sata",
             "virtio-serial", "usb", "pci")
VK_ENUM_IMPL(vkDomainNet, VK_DOMAIN_NET_TYPE_LAST, "user", "ethernet", "network", "bridge")
VK_ENUM_IMPL(vkDomainChrDevice, VK_DOMAIN_CHR_DEVICE_LAST, "serial", "console")
VK_ENUM_IMPL(vkDomainChr, VK_DOMAIN_CHR_TYPE_LAST, "null", "vc", "pty", "dev", "file", "pipe",
             "stdio")
VK_ENUM_IMPL(vkDomainChrConsoleTarget, VK_DOMAIN_CHR_CONSOLE_TARGET_LAST, "none", "serial",
             "virtio")
VK_ENUM_IMPL(vkDomainChrSerialTarget, VK_DOMAIN_CHR_SERIAL_TARGET_LAST, "none", "isa-serial")
VK_ENUM_IMPL(vkDomainChrSerialModel, VK_DOMAIN_CHR_SERIAL_MODEL_LAST, "none", "isa-serial")
VK_ENUM_IMPL(vkDomainAudio, VK_DOMAIN_AUDIO_TYPE_LAST, "none", "spice")
VK_ENUM_IMPL(vkDomainInput, VK_DOMAIN_INPUT_TYPE_LAST, "mouse", "tablet", "keyboard")
VK_ENUM_IMPL(vkDomainInputBus, VK_DOMAIN_INPUT_BUS_LAST, "ps2", "usb", "virtio")
VK_ENUM_IMPL(vkDomainInputModel, VK_DOMAIN_INPUT_MODEL_LAST, "default", "virtio",
             "virtio-transitional", "virtio-non-transitional")
VK_ENUM_IMPL(vkDomainVideo, VK_DOMAIN_VIDEO_TYPE_LAST, "default", "vga", "cirrus", "vmvga", "qxl",
             "virtio", "none", "bochs", "ramfb")
VK_ENUM_IMPL(vkDomainMemballoonModel, VK_DOMAIN_MEMBALLOON_MODEL_LAST, "virtio", "none",
             "virtio-transitional", "virtio-non-transitional")

/* Controller models, one NULL-terminated list per controller type (libvirt's names). */
static const char *const ideModels[] = { "piix3", "piix4", "ich6", NULL };
static const char *const scsiModels[] = {
    "auto",
    "buslogic",
    "lsilogic",
    "lsisas1068",
    "vmpvscsi",
    "ibmvscsi",
    "virtio-scsi",
    "lsisas1078",
    "virtio-transitional",
    "virtio-non-transitional",
    "ncr53c90",
    "dc390",
    "am53c974",
    NULL,
};
static const char *const virtioSerialModels[] = { "virtio", "virtio-transitional",
                                                  "virtio-non-transitional", NULL };
static const char *const usbModels[] = {
    "piix3-uhci", "piix4-uhci", "ehci",           "ich9-ehci1", "ich9-uhci1",
    "ich9-uhci2", "ich9-uhci3", "vt82c686b-uhci", "pci-ohci",   "nec-xhci",
    "qusb1",      "qusb2",      "qemu-xhci",      "none",       NULL,
};
static const char *const pciModels[] = {
    "pci-root",
    "pcie-root",
    "pci-bridge",
    "dmi-to-pci-bridge",
    "pcie-to-pci-bridge",
    "pcie-root-port",
    "pcie-switch-upstream-port",
    "pcie-switch-downstream-port",
    "pci-expander-bus",
    "pcie-expander-bus",
    NULL,
};
static const char *const *const controllerModels[VK_DOMAIN_CONTROLLER_TYPE_LAST] = {
    [VK_DOMAIN_CONTROLLER_TYPE_IDE] = ideModels,
    [VK_DOMAIN_CONTROLLER_TYPE_SCSI] = scsiModels,
    [VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL] = virtioSerialModels,
    [VK_DOMAIN_CONTROLLER_TYPE_USB] = usbModels,
    [VK_DOMAIN_CONTROLLER_TYPE_PCI] = pciModels,
};

const char *vkDomainControllerModelToString(int type, int model)
{
    const char *const *list;

    if (type < 0 || type >= VK_DOMAIN_CONTROLLER_TYPE_LAST || !(list = controllerModels[type]))
        return NULL;
    for (int i = 0; list[i]; i++) {
        if (i == model)
            return list[i];
    }
    return NULL;
}

int vkDomainControllerModelFromString(int type, const char *model)
{
    const char *const *list;

    if (type < 0 || type >= VK_DOMAIN_CONTROLLER_TYPE_LAST || !(list = controllerModels[type]))
        return -1;
    for (int i = 0; list[i]; i++) {
        if (g_str_equal(list[i], model))
            return i;
    }
    return -1;
}

/* Known interface models, matched case-insensitively and printed in this spelling. */
static const char *const netModels[] = {
    "netfront",
    "rtl8139",
    "virtio",
    "e1000",
    "e1000e",
    "virtio-transitional",
    "virtio-non-transitional",
    "usb-net",
    "spapr-vlan",
    "lan9118",
    "scm91c111",
    "vlance",
    "vmxnet",
    "vmxnet2",
    "vmxnet3",
    "Am79C970A",
    "Am79C973",
    "82540EM",
    "82545EM",
    "82543GC",
    NULL,
};

/* Tap names the host generates; they are runtime data, not configuration. */
static const char *const generatedIfnamePrefixes[] = { "vnet", "macvtap", "macvlan", NULL };

static gboolean ifnameIsGenerated(const char *ifname)
{
    for (const char *const *p = generatedIfnamePrefixes; *p; p++) {
        if (g_str_has_prefix(ifname, *p))
            return TRUE;
    }
    return FALSE;
}

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

/* ---- controller ---- */

VK_ENUM_IMPL(vkDomainControllerPCIModelName, VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_LAST, "pci-bridge",
             "i82801b11-bridge", "ioh3420", "x3130-upstream", "xio3130-downstream", "pxb",
             "pxb-pcie", "pcie-root-port", "spapr-pci-host-bridge", "pcie-pci-bridge")

static int parseNoChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    /* Unreachable: the allowed list holds only info elements. */
    return 0;
}

static vkDomainControllerDef *controllerNew(void)
{
    vkDomainControllerDef *cont = g_new0(vkDomainControllerDef, 1);

    cont->index = -1;
    cont->model = -1;
    cont->modelName = -1;
    cont->chassisNr = -1;
    cont->chassis = -1;
    cont->port = -1;
    return cont;
}

/* A <target> number; libvirt reads them with C base detection (port='0x10'). */
static int parseTargetNumber(xmlNodePtr node, const char *name, unsigned int min, unsigned int max,
                             int *out)
{
    g_autofree char *v = vkXMLProp(node, name);
    char *end = NULL;
    guint64 n;

    if (!v)
        return 0;
    n = g_ascii_strtoull(v, &end, 0);
    if (!g_ascii_isdigit(*v) || *end || n < min || n > max) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid value '%s' for attribute '%s' of <target>: expected an integer "
                      "from %u to %u",
                      v, name, min, max);
        return -1;
    }
    *out = (int)n;
    return 1;
}

/* <model name=...> and <target ...> of a pci controller. */
static int parseControllerChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    static const char *const modelAttrs[] = { "name", NULL };
    static const char *const targetAttrs[] = { "chassisNr", "chassis", "port", NULL };
    vkDomainControllerDef *cont = dev;

    if (g_str_equal((const char *)c->name, "model")) {
        if (vkXMLCheckAttrs(c, modelAttrs, VK_DOMAIN_ERR) < 0 ||
            vkDomainPropEnum(c, "name", vkDomainControllerPCIModelNameTypeFromString, FALSE,
                             &cont->modelName) < 0)
            return -1;
        return 0;
    }
    if (vkXMLCheckAttrs(c, targetAttrs, VK_DOMAIN_ERR) < 0 ||
        parseTargetNumber(c, "chassisNr", 1, 255, &cont->chassisNr) < 0 ||
        parseTargetNumber(c, "chassis", 0, 255, &cont->chassis) < 0 ||
        parseTargetNumber(c, "port", 0, 255, &cont->port) < 0)
        return -1;
    return 0;
}

static vkDomainControllerDef *parseController(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", "index", "model", NULL };
    static const char *const children[] = { "alias", "address", NULL };
    static const char *const pciChildren[] = { "model", "target", "alias", "address", NULL };
    g_autoptr(vkDomainControllerDef) cont = controllerNew();
    g_autofree char *model = NULL;
    int rc;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "type", vkDomainControllerTypeFromString, FALSE,
                               &cont->type)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return NULL;
    }
    if (vkXMLPropInt(node, "index", 0, G_MAXINT, &cont->index, VK_DOMAIN_ERR) < 0)
        return NULL;
    if ((model = vkXMLProp(node, "model")) &&
        (cont->model = vkDomainControllerModelFromString(cont->type, model)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unknown model '%s' for <controller type='%s'>", model,
                      vkDomainControllerTypeToString(cont->type));
        return NULL;
    }
    if (vkXMLCheckUnique(node, "model", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "target", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(
            node, cont->type == VK_DOMAIN_CONTROLLER_TYPE_PCI ? pciChildren : children, cont,
            &cont->info, flags, FALSE, parseControllerChild) < 0)
        return NULL;
    if (cont->type == VK_DOMAIN_CONTROLLER_TYPE_PCI && cont->model >= 0 &&
        g_str_has_suffix(pciModels[cont->model], "-root") &&
        cont->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "pci-root and pcie-root controllers should not have an address");
        return NULL;
    }
    return g_steal_pointer(&cont);
}

static void formatController(vkBuf *buf, const vkDomainControllerDef *cont, unsigned int flags)
{
    vkBufAddf(buf, "<controller type='%s' index='%d'", vkDomainControllerTypeToString(cont->type),
              cont->index);
    gboolean target = cont->chassisNr >= 0 || cont->chassis >= 0 || cont->port >= 0;

    if (cont->model >= 0)
        vkBufAddf(buf, " model='%s'", vkDomainControllerModelToString(cont->type, cont->model));
    if (cont->modelName < 0 && !target && !vkDomainDeviceInfoHasOutput(&cont->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (cont->modelName >= 0)
        vkBufAddf(buf, "<model name='%s'/>\n",
                  vkDomainControllerPCIModelNameTypeToString(cont->modelName));
    if (target) {
        vkBufAddf(buf, "<target");
        if (cont->chassisNr >= 0)
            vkBufAddf(buf, " chassisNr='%d'", cont->chassisNr);
        if (cont->chassis >= 0)
            vkBufAddf(buf, " chassis='%d'", cont->chassis);
        if (cont->port >= 0)
            vkBufAddf(buf, " port='0x%x'", cont->port);
        vkBufAddf(buf, "/>\n");
    }
    vkDomainDeviceInfoFormat(buf, &cont->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</controller>\n");
}

void vkDomainControllerInsert(vkDomainDef *def, vkDomainControllerDef *cont)
{
    gssize at = -1;

    /* Mirrors libvirt: after the last controller of the same type, or before the first one
     * of that type with a higher index. */
    for (gssize i = (gssize)def->ncontrollers - 1; i >= 0; i--) {
        const vkDomainControllerDef *cur = def->controllers[i];

        if (cur->type != cont->type)
            continue;
        if (cont->index == -1) {
            at = i + 1;
            break;
        }
        if (cur->index > cont->index)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    if (at < 0)
        at = def->ncontrollers;
    def->controllers = g_renew(vkDomainControllerDef *, def->controllers, def->ncontrollers + 1);
    memmove(def->controllers + at + 1, def->controllers + at,
            (def->ncontrollers - at) * sizeof(*def->controllers));
    def->controllers[at] = cont;
    def->ncontrollers++;
}

vkDomainControllerDef *vkDomainDefAddController(vkDomainDef *def, int type, int index, int model)
{
    vkDomainControllerDef *cont;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == type && def->controllers[i]->index == index)
            return NULL;
    }
    cont = controllerNew();
    cont->type = type;
    cont->index = index;
    cont->model = model;
    vkDomainControllerInsert(def, cont);
    return cont;
}

void vkDomainControllerDefFree(vkDomainControllerDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- interface ---- */

void vkDomainNetGenerateMAC(unsigned char mac[6])
{
    guint32 r = g_random_int();

    mac[0] = 0x52;
    mac[1] = 0x54;
    mac[2] = 0x00;
    mac[3] = r & 0xff;
    mac[4] = (r >> 8) & 0xff;
    mac[5] = (r >> 16) & 0xff;
}

void vkDomainNetFormatMAC(const unsigned char mac[6], char *buf)
{
    g_snprintf(buf, VK_DOMAIN_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
               mac[3], mac[4], mac[5]);
}

/* Six groups of one or two hex digits separated by ':', as libvirt accepts them. */
static int parseMACString(const char *str, unsigned char mac[6])
{
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        int v = 0, digits = 0;

        while (digits < 2 && g_ascii_isxdigit(*p)) {
            v = v * 16 + g_ascii_xdigit_value(*p++);
            digits++;
        }
        if (!digits || (i < 5 ? *p++ != ':' : *p != '\0'))
            return -1;
        mac[i] = v;
    }
    return 0;
}

static int parseNetMAC(vkDomainNetDef *net, xmlNodePtr node)
{
    static const char *const attrs[] = { "address", NULL };
    g_autofree char *addr = NULL;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(addr = vkXMLProp(node, "address")))
        return 0;
    if (parseMACString(addr, net->mac) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "unable to parse mac address '%s'",
                      addr);
        return -1;
    }
    if (net->mac[0] & 1) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "expected unicast mac address, found multicast '%s'", addr);
        return -1;
    }
    net->macGenerated = FALSE;
    return 0;
}

static int parseNetSource(vkDomainNetDef *net, xmlNodePtr node)
{
    static const char *const networkAttrs[] = { "network", NULL };
    static const char *const bridgeAttrs[] = { "bridge", NULL };
    gboolean network = net->type == VK_DOMAIN_NET_TYPE_NETWORK;

    if (vkXMLCheckLeaf(node, network ? networkAttrs : bridgeAttrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (network)
        return (net->network = vkDomainPropRequired(node, "network")) ? 0 : -1;
    return (net->bridge = vkDomainPropRequired(node, "bridge")) ? 0 : -1;
}

static int parseNetTarget(vkDomainNetDef *net, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "dev", NULL };
    g_autofree char *dev = NULL;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        !(dev = vkDomainPropRequired(node, "dev")))
        return -1;
    if (*dev && !((flags & VK_DOMAIN_DEF_PARSE_INACTIVE) && ifnameIsGenerated(dev)))
        net->ifname = g_steal_pointer(&dev);
    return 0;
}

static int parseNetModel(vkDomainNetDef *net, xmlNodePtr node)
{
    static const char *const attrs[] = { "type", NULL };
    g_autofree char *model = NULL;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        !(model = vkDomainPropRequired(node, "type")))
        return -1;
    for (const char *const *m = netModels; *m; m++) {
        if (!g_ascii_strcasecmp(*m, model)) {
            net->model = g_strdup(*m);
            return 0;
        }
    }
    if (!*model || strspn(model, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789_-") < strlen(model)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "interface model '%s' contains invalid characters", model);
        return -1;
    }
    net->model = g_steal_pointer(&model);
    return 0;
}

static int parseNetChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    vkDomainNetDef *net = dev;
    const char *name = (const char *)c->name;

    if (g_str_equal(name, "mac"))
        return parseNetMAC(net, c);
    if (g_str_equal(name, "source"))
        return parseNetSource(net, c);
    if (g_str_equal(name, "target"))
        return parseNetTarget(net, c, flags);
    return parseNetModel(net, c);
}

static vkDomainNetDef *parseNet(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", NULL };
    static const char *const withSource[] = { "mac",  "source", "target",  "model",
                                              "boot", "alias",  "address", NULL };
    static const char *const noSource[] = { "mac",   "target",  "model", "boot",
                                            "alias", "address", NULL };
    static const char *const single[] = { "mac", "source", "target", "model", NULL };
    g_autoptr(vkDomainNetDef) net = g_new0(vkDomainNetDef, 1);
    gboolean needsSource;

    net->type = VK_DOMAIN_NET_TYPE_USER;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainNetTypeFromString, FALSE, &net->type) < 0)
        return NULL;
    for (const char *const *s = single; *s; s++) {
        if (vkXMLCheckUnique(node, *s, VK_DOMAIN_ERR) < 0)
            return NULL;
    }
    needsSource = net->type == VK_DOMAIN_NET_TYPE_NETWORK || net->type == VK_DOMAIN_NET_TYPE_BRIDGE;
    net->macGenerated = TRUE;
    if (vkDomainDeviceChildrenParse(node, needsSource ? withSource : noSource, net, &net->info,
                                    flags, TRUE, parseNetChild) < 0)
        return NULL;
    if (needsSource && !net->network && !net->bridge) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "interface type='%s' requires a 'source' element",
                      vkDomainNetTypeToString(net->type));
        return NULL;
    }
    if (net->macGenerated)
        vkDomainNetGenerateMAC(net->mac);
    return g_steal_pointer(&net);
}

static void formatNet(vkBuf *buf, const vkDomainNetDef *net, unsigned int flags)
{
    char mac[VK_DOMAIN_MAC_STRLEN];

    vkDomainNetFormatMAC(net->mac, mac);
    vkBufAddf(buf, "<interface type='%s'>\n", vkDomainNetTypeToString(net->type));
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<mac address='%s'/>\n", mac);
    if (net->network)
        vkBufEscapef(buf, "<source network='%s'/>\n", net->network);
    if (net->bridge)
        vkBufEscapef(buf, "<source bridge='%s'/>\n", net->bridge);
    if (net->ifname && !((flags & VK_DOMAIN_DEF_FORMAT_INACTIVE) && ifnameIsGenerated(net->ifname)))
        vkBufEscapef(buf, "<target dev='%s'/>\n", net->ifname);
    if (net->model)
        vkBufEscapef(buf, "<model type='%s'/>\n", net->model);
    vkDomainDeviceInfoFormat(buf, &net->info, flags, TRUE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</interface>\n");
}

static vkDomainNetDef *copyNet(const vkDomainNetDef *src)
{
    vkDomainNetDef *net = g_memdup2(src, sizeof(*src));

    net->network = g_strdup(src->network);
    net->bridge = g_strdup(src->bridge);
    net->ifname = g_strdup(src->ifname);
    net->model = g_strdup(src->model);
    vkDomainDeviceInfoCopy(&net->info, &src->info);
    return net;
}

void vkDomainNetDefFree(vkDomainNetDef *def)
{
    if (!def)
        return;
    g_free(def->network);
    g_free(def->bridge);
    g_free(def->ifname);
    g_free(def->model);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- serial ports and consoles ---- */

vkDomainChrDef *vkDomainChrDefNew(int deviceType)
{
    vkDomainChrDef *chr = g_new0(vkDomainChrDef, 1);

    chr->deviceType = deviceType;
    chr->type = VK_DOMAIN_CHR_TYPE_PTY;
    chr->port = -1;
    return chr;
}

static gboolean chrHasPath(int type)
{
    return type == VK_DOMAIN_CHR_TYPE_PTY || type == VK_DOMAIN_CHR_TYPE_DEV ||
           type == VK_DOMAIN_CHR_TYPE_FILE || type == VK_DOMAIN_CHR_TYPE_PIPE;
}

static int parseChrSource(vkDomainChrDef *chr, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "path", NULL };
    g_autofree char *path = NULL;

    if (!chrHasPath(chr->type)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "unsupported element <source> in <%s type='%s'>",
                      vkDomainChrDeviceTypeToString(chr->deviceType),
                      vkDomainChrTypeToString(chr->type));
        return -1;
    }
    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    path = vkXMLProp(node, "path");
    /* A pty's path is allocated at start: it is runtime data. */
    if (path && *path &&
        !(chr->type == VK_DOMAIN_CHR_TYPE_PTY && (flags & VK_DOMAIN_DEF_PARSE_INACTIVE)))
        chr->path = g_steal_pointer(&path);
    return 0;
}

/* <serial><target><model name=.../></target>. */
static int parseSerialTargetModel(vkDomainChrDef *chr, xmlNodePtr target)
{
    static const char *const attrs[] = { "name", NULL };
    xmlNodePtr model = vkXMLChild(target, "model");
    int rc;

    if (!model)
        return 0;
    if (vkXMLCheckUnique(target, "model", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckLeaf(model, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(model, "name", vkDomainChrSerialModelTypeFromString, TRUE,
                               &chr->targetModel)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(model, "name"));
        return -1;
    }
    return 0;
}

static int parseChrTarget(vkDomainChrDef *chr, xmlNodePtr node)
{
    static const char *const attrs[] = { "type", "port", NULL };
    static const char *const serialChildren[] = { "model", NULL };
    gboolean console = chr->deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, console ? NULL : serialChildren, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropInt(node, "port", 0, G_MAXINT, &chr->port, VK_DOMAIN_ERR) < 0)
        return -1;
    if (console)
        return vkDomainPropEnum(node, "type", vkDomainChrConsoleTargetTypeFromString, TRUE,
                                &chr->targetType) < 0
                   ? -1
                   : 0;
    if (vkDomainPropEnum(node, "type", vkDomainChrSerialTargetTypeFromString, TRUE,
                         &chr->targetType) < 0)
        return -1;
    return parseSerialTargetModel(chr, node);
}

static int parseChrChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    vkDomainChrDef *chr = dev;

    if (g_str_equal((const char *)c->name, "source"))
        return parseChrSource(chr, c, flags);
    return parseChrTarget(chr, c);
}

static vkDomainChrDef *parseChr(xmlNodePtr node, unsigned int flags, int deviceType)
{
    static const char *const serialAttrs[] = { "type", NULL };
    /* tty='...' mirrors the pty path on a console; libvirt ignores it when parsing too. */
    static const char *const consoleAttrs[] = { "type", "tty", NULL };
    static const char *const children[] = { "source", "target", "alias", "address", NULL };
    g_autoptr(vkDomainChrDef) chr = vkDomainChrDefNew(deviceType);
    gboolean console = deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE;

    if (vkXMLCheckAttrs(node, console ? consoleAttrs : serialAttrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainChrTypeFromString, FALSE, &chr->type) < 0 ||
        vkXMLCheckUnique(node, "source", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "target", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, chr, &chr->info, flags, FALSE, parseChrChild) <
            0)
        return NULL;
    if (!chr->path && chrHasPath(chr->type) && chr->type != VK_DOMAIN_CHR_TYPE_PTY) {
        vkXMLReportAt(
            node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "missing source path for <%s type='%s'>",
            vkDomainChrDeviceTypeToString(deviceType), vkDomainChrTypeToString(chr->type));
        return NULL;
    }
    return g_steal_pointer(&chr);
}

/* Formats chr as deviceType with targetType: a console aliasing a serial port is printed with
 * the serial port's data. */
static void formatChr(vkBuf *buf, const vkDomainChrDef *chr, int deviceType, int targetType,
                      unsigned int flags)
{
    const char *element = vkDomainChrDeviceTypeToString(deviceType);
    gboolean live = !(flags & VK_DOMAIN_DEF_FORMAT_INACTIVE);
    gboolean pty = chr->type == VK_DOMAIN_CHR_TYPE_PTY;

    vkBufAddf(buf, "<%s type='%s'", element, vkDomainChrTypeToString(chr->type));
    /* The legacy tty attribute, as libvirt prints it for the first console. */
    if (deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE && chr->port == 0 && pty && live && chr->path)
        vkBufEscapef(buf, " tty='%s'", chr->path);
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (chr->path && (!pty || live))
        vkBufEscapef(buf, "<source path='%s'/>\n", chr->path);
    if (deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE) {
        vkBufAddf(buf, "<target type='%s' port='%d'/>\n",
                  vkDomainChrConsoleTargetTypeToString(targetType), chr->port);
    } else {
        vkBufAddf(buf, "<target");
        if (chr->targetType)
            vkBufAddf(buf, " type='%s'", vkDomainChrSerialTargetTypeToString(chr->targetType));
        vkBufAddf(buf, " port='%d'", chr->port);
        if (chr->targetModel) {
            vkBufAddf(buf, ">\n");
            vkBufAdjustIndent(buf, 2);
            vkBufAddf(buf, "<model name='%s'/>\n",
                      vkDomainChrSerialModelTypeToString(chr->targetModel));
            vkBufAdjustIndent(buf, -2);
            vkBufAddf(buf, "</target>\n");
        } else {
            vkBufAddf(buf, "/>\n");
        }
    }
    vkDomainDeviceInfoFormat(buf, &chr->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</%s>\n", element);
}

static vkDomainChrDef *copyChr(const vkDomainChrDef *src)
{
    vkDomainChrDef *chr = g_memdup2(src, sizeof(*src));

    chr->path = g_strdup(src->path);
    vkDomainDeviceInfoCopy(&chr->info, &src->info);
    return chr;
}

void vkDomainChrDefFree(vkDomainChrDef *def)
{
    if (!def)
        return;
    g_free(def->path);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- input ---- */

static vkDomainInputDef *parseInput(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", "bus", "model", NULL };
    static const char *const children[] = { "alias", "address", NULL };
    g_autoptr(vkDomainInputDef) input = g_new0(vkDomainInputDef, 1);
    int rc;

    input->bus = -1;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "type", vkDomainInputTypeFromString, FALSE, &input->type)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return NULL;
    }
    if (vkDomainPropEnum(node, "bus", vkDomainInputBusTypeFromString, FALSE, &input->bus) < 0 ||
        vkDomainPropEnum(node, "model", vkDomainInputModelTypeFromString, TRUE, &input->model) <
            0 ||
        vkDomainDeviceChildrenParse(node, children, input, &input->info, flags, FALSE,
                                    parseNoChild) < 0)
        return NULL;
    return g_steal_pointer(&input);
}

static void formatInput(vkBuf *buf, const vkDomainInputDef *input, unsigned int flags)
{
    /* Older libvirt did not know the implicit PS/2 keyboard: the migratable form leaves it out
     * (a receiver adds it back), as libvirt does. */
    if ((flags & VK_DOMAIN_DEF_FORMAT_MIGRATABLE) && input->type == VK_DOMAIN_INPUT_TYPE_KBD &&
        input->bus == VK_DOMAIN_INPUT_BUS_PS2)
        return;
    vkBufAddf(buf, "<input type='%s' bus='%s'", vkDomainInputTypeToString(input->type),
              vkDomainInputBusTypeToString(input->bus));
    if (input->model)
        vkBufAddf(buf, " model='%s'", vkDomainInputModelTypeToString(input->model));
    if (!vkDomainDeviceInfoHasOutput(&input->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    vkDomainDeviceInfoFormat(buf, &input->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</input>\n");
}

void vkDomainInputDefFree(vkDomainInputDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- video ---- */

vkDomainVideoDef *vkDomainVideoDefNew(void)
{
    vkDomainVideoDef *video = g_new0(vkDomainVideoDef, 1);

    video->heads = 1;
    return video;
}

static int parseVideoModel(void *dev, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = {
        "type", "ram", "vram", "vgamem", "heads", "primary", NULL
    };
    static const char *const sizes[] = { "ram", "vram", "vgamem", "heads" };
    vkDomainVideoDef *video = dev;
    unsigned int *fields[] = { &video->ram, &video->vram, &video->vgamem, &video->heads };
    gboolean primary = FALSE;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainVideoTypeFromString, TRUE, &video->type) < 0 ||
        vkXMLPropBool(node, "primary", FALSE, &primary, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        unsigned long long v = *fields[i];
        /* heads='0' would not be printed and would read back as the default, 1. */
        unsigned long long min = fields[i] == &video->heads ? 1 : 0;

        if (vkXMLPropULL(node, sizes[i], min, G_MAXUINT / 2, &v, VK_DOMAIN_ERR) < 0)
            return -1;
        *fields[i] = v;
    }
    if (video->type != VK_DOMAIN_VIDEO_TYPE_QXL && (video->ram || video->vgamem)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s attribute only supported for video type qxl",
                      video->ram ? "ram" : "vgamem");
        return -1;
    }
    video->primary = primary;
    return 0;
}

static vkDomainVideoDef *parseVideo(xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = { "model", "alias", "address", NULL };
    g_autoptr(vkDomainVideoDef) video = vkDomainVideoDefNew();

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "model", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, video, &video->info, flags, FALSE,
                                    parseVideoModel) < 0)
        return NULL;
    return g_steal_pointer(&video);
}

static void formatVideo(vkBuf *buf, const vkDomainVideoDef *video, unsigned int flags)
{
    vkBufAddf(buf, "<video>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<model type='%s'", vkDomainVideoTypeToString(video->type));
    if (video->ram)
        vkBufAddf(buf, " ram='%u'", video->ram);
    if (video->vram)
        vkBufAddf(buf, " vram='%u'", video->vram);
    if (video->vgamem)
        vkBufAddf(buf, " vgamem='%u'", video->vgamem);
    if (video->heads)
        vkBufAddf(buf, " heads='%u'", video->heads);
    if (video->primary)
        vkBufAddf(buf, " primary='yes'");
    vkBufAddf(buf, "/>\n");
    vkDomainDeviceInfoFormat(buf, &video->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</video>\n");
}

void vkDomainVideoDefFree(vkDomainVideoDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- memory balloon ---- */

static int parseBalloonStats(void *dev, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "period", NULL };
    vkDomainMemballoonDef *balloon = dev;
    unsigned long long period = 0;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkXMLPropULL(node, "period", 0, G_MAXINT, &period, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "period"));
        return -1;
    }
    balloon->period = period;
    return 0;
}

static vkDomainMemballoonDef *parseMemballoon(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "model", "autodeflate", NULL };
    static const char *const children[] = { "stats", "alias", "address", NULL };
    g_autoptr(vkDomainMemballoonDef) balloon = g_new0(vkDomainMemballoonDef, 1);
    int rc;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "model", vkDomainMemballoonModelTypeFromString, FALSE,
                               &balloon->model)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "model"));
        return NULL;
    }
    if (vkDomainPropTristate(node, "autodeflate", TRUE, &balloon->autodeflate) < 0 ||
        vkXMLCheckUnique(node, "stats", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, balloon, &balloon->info, flags, FALSE,
                                    parseBalloonStats) < 0)
        return NULL;
    return g_steal_pointer(&balloon);
}

static void formatMemballoon(vkBuf *buf, const vkDomainMemballoonDef *balloon, unsigned int flags)
{
    vkBufAddf(buf, "<memballoon model='%s'", vkDomainMemballoonModelTypeToString(balloon->model));
    if (balloon->autodeflate)
        vkBufAddf(buf, " autodeflate='%s'", vkDomainTristateString(balloon->autodeflate, TRUE));
    if (!balloon->period && !vkDomainDeviceInfoHasOutput(&balloon->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (balloon->period)
        vkBufAddf(buf, "<stats period='%u'/>\n", balloon->period);
    vkDomainDeviceInfoFormat(buf, &balloon->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</memballoon>\n");
}

void vkDomainMemballoonDefFree(vkDomainMemballoonDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- audio backends ---- */

static vkDomainAudioDef *parseAudio(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "id", "type", NULL };
    g_autoptr(vkDomainAudioDef) audio = g_new0(vkDomainAudioDef, 1);
    unsigned long long id = 0;
    g_autofree char *type = NULL;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return NULL;
    if (!(type = vkDomainPropRequired(node, "type")))
        return NULL;
    /* libvirt knows more backends; the others need host setup we do not do. */
    if ((audio->type = vkDomainAudioTypeFromString(type)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unsupported audio type '%s': only 'none' and 'spice' are supported", type);
        return NULL;
    }
    if ((rc = vkXMLPropULL(node, "id", 1, G_MAXUINT, &id, VK_DOMAIN_ERR)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "id"));
        return NULL;
    }
    audio->id = id;
    return g_steal_pointer(&audio);
}

static void formatAudio(vkBuf *buf, const vkDomainAudioDef *audio)
{
    vkBufAddf(buf, "<audio id='%u' type='%s'/>\n", audio->id,
              vkDomainAudioTypeToString(audio->type));
}

void vkDomainAudioDefFree(vkDomainAudioDef *def)
{
    g_free(def);
}

/* ---- <devices> ---- */

static int parseEmulator(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    if (def->emulator)
        return vkDomainReportDuplicate(node);
    return (def->emulator = vkDomainLeafText(node, NULL)) ? 0 : -1;
}

#define DEVICE_PARSER(fn, parse, array, count)                           \
    static int fn(vkDomainDef *def, xmlNodePtr node, unsigned int flags) \
    {                                                                    \
        __typeof__(*def->array) dev = parse;                             \
        if (!dev)                                                        \
            return -1;                                                   \
        VK_DOMAIN_APPEND(def->array, def->count, dev);                   \
        return 0;                                                        \
    }

static int parseDiskElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainDiskDef *disk = parseDisk(node, flags);

    if (!disk)
        return -1;
    diskInsert(def, disk);
    return 0;
}

DEVICE_PARSER(parseNetElement, parseNet(node, flags), nets, nnets)
DEVICE_PARSER(parseSerialElement, parseChr(node, flags, VK_DOMAIN_CHR_DEVICE_SERIAL), serials,
              nserials)
DEVICE_PARSER(parseConsoleElement, parseChr(node, flags, VK_DOMAIN_CHR_DEVICE_CONSOLE), consoles,
              nconsoles)
DEVICE_PARSER(parseInputElement, parseInput(node, flags), inputs, ninputs)
DEVICE_PARSER(parseGraphicsElement, vkDomainGraphicsDefParse(node, flags), graphics, ngraphics)

static int parseAudioElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainAudioDef *audio = parseAudio(node, flags);

    if (!audio)
        return -1;
    for (size_t i = 0; i < def->naudios; i++) {
        if (def->audios[i]->id == audio->id) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "audio id '%u' is not unique",
                          audio->id);
            vkDomainAudioDefFree(audio);
            return -1;
        }
    }
    VK_DOMAIN_APPEND(def->audios, def->naudios, audio);
    return 0;
}

static int parseControllerElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainControllerDef *cont = parseController(node, flags);

    if (!cont)
        return -1;
    vkDomainControllerInsert(def, cont);
    return 0;
}

static int parseVideoElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainVideoDef *video = parseVideo(node, flags);

    if (!video)
        return -1;
    VK_DOMAIN_APPEND(def->videos, def->nvideos, video);
    /* libvirt keeps the primary video first. */
    if (video->primary && def->nvideos > 1) {
        memmove(def->videos + 1, def->videos, (def->nvideos - 1) * sizeof(*def->videos));
        def->videos[0] = video;
    }
    return 0;
}

static int parseMemballoonElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    if (def->memballoon)
        return vkDomainReportDuplicate(node);
    return (def->memballoon = parseMemballoon(node, flags)) ? 0 : -1;
}

typedef int (*vkDomainDeviceParser)(vkDomainDef *def, xmlNodePtr node, unsigned int flags);

static const char *const deviceNames[] = {
    "emulator", "disk",     "controller", "interface", "serial",     "console",
    "input",    "graphics", "audio",      "video",     "memballoon", NULL,
};
static const vkDomainDeviceParser deviceParsers[] = {
    parseEmulator,      parseDiskElement,    parseControllerElement, parseNetElement,
    parseSerialElement, parseConsoleElement, parseInputElement,      parseGraphicsElement,
    parseAudioElement,  parseVideoElement,   parseMemballoonElement,
};
G_STATIC_ASSERT(G_N_ELEMENTS(deviceNames) == G_N_ELEMENTS(deviceParsers) + 1);

int vkDomainDevicesParse(vkDomainDef *def, xmlNodePtr devices, unsigned int flags)
{
    if (vkXMLCheckAttrs(devices, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(devices, deviceNames, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = devices->children; c; c = c->next) {
        int idx;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        idx = vkEnumFromString(deviceNames, G_N_ELEMENTS(deviceParsers), (const char *)c->name);
        if (deviceParsers[idx](def, c, flags) < 0)
            return -1;
    }
    return 0;
}

void vkDomainDevicesFormat(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    vkBufAddf(buf, "<devices>\n");
    vkBufAdjustIndent(buf, 2);
    if (def->emulator)
        vkBufEscapef(buf, "<emulator>%s</emulator>\n", def->emulator);
    for (size_t i = 0; i < def->ndisks; i++)
        formatDisk(buf, def->disks[i], flags);
    for (size_t i = 0; i < def->ncontrollers; i++)
        formatController(buf, def->controllers[i], flags);
    for (size_t i = 0; i < def->nnets; i++)
        formatNet(buf, def->nets[i], flags);
    for (size_t i = 0; i < def->nserials; i++)
        formatChr(buf, def->serials[i], VK_DOMAIN_CHR_DEVICE_SERIAL, 0, flags);
    for (size_t i = 0; i < def->nconsoles; i++) {
        const vkDomainChrDef *con = def->consoles[i];

        /* Back compat: a serial-type console is the serial port at the same index. */
        if (con->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL && i < def->nserials)
            formatChr(buf, def->serials[i], VK_DOMAIN_CHR_DEVICE_CONSOLE,
                      VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL, flags);
        else
            formatChr(buf, con, VK_DOMAIN_CHR_DEVICE_CONSOLE, con->targetType, flags);
    }
    for (size_t i = 0; i < def->ninputs; i++)
        formatInput(buf, def->inputs[i], flags);
    for (size_t i = 0; i < def->ngraphics; i++)
        vkDomainGraphicsDefFormat(buf, def->graphics[i], flags);
    for (size_t i = 0; i < def->naudios; i++)
        formatAudio(buf, def->audios[i]);
    for (size_t i = 0; i < def->nvideos; i++)
        formatVideo(buf, def->videos[i], flags);
    if (def->memballoon)
        formatMemballoon(buf, def->memballoon, flags);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</devices>\n");
}

/* Copies a pointer array element by element with copyOne. */
#define COPY_ARRAY(dst, src, field, count, copyOne)                                           \
    do {                                                                                      \
        (dst)->field = (src)->count ? g_new0(__typeof__(*(src)->field), (src)->count) : NULL; \
        for (size_t i_ = 0; i_ < (src)->count; i_++)                                          \
            (dst)->field[i_] = copyOne((src)->field[i_]);                                     \
    } while (0)

static vkDomainControllerDef *copyController(const vkDomainControllerDef *src)
{
    vkDomainControllerDef *cont = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&cont->info, &src->info);
    return cont;
}

static vkDomainInputDef *copyInput(const vkDomainInputDef *src)
{
    vkDomainInputDef *input = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&input->info, &src->info);
    return input;
}

static vkDomainAudioDef *copyAudio(const vkDomainAudioDef *src)
{
    return g_memdup2(src, sizeof(*src));
}

static vkDomainVideoDef *copyVideo(const vkDomainVideoDef *src)
{
    vkDomainVideoDef *video = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&video->info, &src->info);
    return video;
}

void vkDomainDevicesCopy(vkDomainDef *dst, const vkDomainDef *src)
{
    COPY_ARRAY(dst, src, disks, ndisks, copyDisk);
    COPY_ARRAY(dst, src, controllers, ncontrollers, copyController);
    COPY_ARRAY(dst, src, nets, nnets, copyNet);
    COPY_ARRAY(dst, src, serials, nserials, copyChr);
    COPY_ARRAY(dst, src, consoles, nconsoles, copyChr);
    COPY_ARRAY(dst, src, inputs, ninputs, copyInput);
    COPY_ARRAY(dst, src, graphics, ngraphics, vkDomainGraphicsDefCopy);
    COPY_ARRAY(dst, src, audios, naudios, copyAudio);
    COPY_ARRAY(dst, src, videos, nvideos, copyVideo);
    dst->memballoon = NULL;
    if (src->memballoon) {
        dst->memballoon = g_memdup2(src->memballoon, sizeof(*src->memballoon));
        vkDomainDeviceInfoCopy(&dst->memballoon->info, &src->memballoon->info);
    }
}

#define FREE_ARRAY(def, field, count, freeOne)       \
    do {                                             \
        for (size_t i_ = 0; i_ < (def)->count; i_++) \
            freeOne((def)->field[i_]);               \
        g_free((def)->field);                        \
    } while (0)

void vkDomainDevicesFree(vkDomainDef *def)
{
    FREE_ARRAY(def, disks, ndisks, vkDomainDiskDefFree);
    FREE_ARRAY(def, controllers, ncontrollers, vkDomainControllerDefFree);
    FREE_ARRAY(def, nets, nnets, vkDomainNetDefFree);
    FREE_ARRAY(def, serials, nserials, vkDomainChrDefFree);
    FREE_ARRAY(def, consoles, nconsoles, vkDomainChrDefFree);
    FREE_ARRAY(def, inputs, ninputs, vkDomainInputDefFree);
    FREE_ARRAY(def, graphics, ngraphics, vkDomainGraphicsDefFree);
    FREE_ARRAY(def, audios, naudios, vkDomainAudioDefFree);
    FREE_ARRAY(def, videos, nvideos, vkDomainVideoDefFree);
    vkDomainMemballoonDefFree(def->memballoon);
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
