/* The guest's devices on qemu's command line: controllers, disks (-blockdev + -device),
 * network interfaces, serial ports and consoles, input, video and the memory balloon. */
#include "qemu_command_priv.h"

#include <string.h>

static const char *devAlias(const vkDomainDeviceInfo *info, const char *generated)
{
    return info->alias ? info->alias : generated;
}

/* ---- device addresses ---- */

static int addPCIAddress(vkCmd *cmd, json_object *dev, const vkDomainDeviceInfo *info)
{
    const vkDomainDeviceAddress *addr = &info->addr;
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;

    if (addr->type != VK_DOMAIN_ADDRESS_TYPE_PCI)
        return 0;
    if (addr->pci.domain != 0) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "PCI domain %#x is not supported; only domain 0 exists", addr->pci.domain);
        return -1;
    }
    if (addr->pci.bus == 0)
        bus = g_strdup(cmd->q35 ? "pcie.0" : "pci.0");
    else
        bus = g_strdup_printf("pci.%u", addr->pci.bus);
    if (addr->pci.function)
        slot = g_strdup_printf("0x%x.0x%x", addr->pci.slot, addr->pci.function);
    else
        slot = g_strdup_printf("0x%x", addr->pci.slot);
    /* libvirt's order: bus, multifunction, addr. */
    vkJSONAddStr(dev, "bus", bus);
    if (addr->pci.multi == VK_DOMAIN_TRISTATE_YES)
        vkJSONAddBool(dev, "multifunction", TRUE);
    vkJSONAddStr(dev, "addr", slot);
    return 0;
}

/* Adds "-device OBJ" with the PCI address of INFO; releases OBJ either way. */
int vkCmdAddPCIDevice(vkCmd *cmd, json_object *dev, const vkDomainDeviceInfo *info)
{
    if (addPCIAddress(cmd, dev, info) < 0) {
        json_object_put(dev);
        return -1;
    }
    vkCmdAddJSON(cmd, "-device", dev);
    return 0;
}

/* ---- drive addresses ---- */

typedef struct {
    unsigned int controller, bus, target, unit;
} vkDriveAddr;

/* The drive address libvirt derives from the target name when the XML gives none. */
static void diskDriveAddress(const vkDomainDiskDef *disk, vkDriveAddr *out)
{
    int idx = MAX(vkDomainDiskNameIndex(disk->dst), 0);

    memset(out, 0, sizeof(*out));
    if (disk->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_DRIVE) {
        out->controller = disk->info.addr.drive.controller;
        out->bus = disk->info.addr.drive.bus;
        out->target = disk->info.addr.drive.target;
        out->unit = disk->info.addr.drive.unit;
        return;
    }
    switch (disk->bus) {
    case VK_DOMAIN_DISK_BUS_IDE:
        out->controller = idx / 4;
        out->bus = (idx % 4) / 2;
        out->unit = idx % 2;
        break;
    case VK_DOMAIN_DISK_BUS_SCSI:
        out->controller = idx / 7;
        out->unit = idx % 7;
        break;
    case VK_DOMAIN_DISK_BUS_SATA:
        out->controller = idx / 6;
        out->unit = idx % 6;
        break;
    case VK_DOMAIN_DISK_BUS_FDC:
        out->unit = idx % 2;
        out->controller = idx / 2;
        break;
    default:
        break;
    }
}

/* ---- controllers ---- */

static const vkDomainControllerDef *findController(const vkDomainDef *def, int type, int index)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (c->type == type && c->index == index)
            return c;
    }
    return NULL;
}

static const char *modelName(const vkDomainControllerDef *c)
{
    return c->model >= 0 ? vkDomainControllerModelToString(c->type, c->model) : "default";
}

static int controllerUnsupported(const vkDomainControllerDef *c)
{
    vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                  "controller model '%s' of type '%s' is not supported", modelName(c),
                  vkDomainControllerTypeToString(c->type));
    return -1;
}

/* qemu device names of libvirt's controller models; NULL where qemu has none. */
static const char *usbControllerDevice(const vkCmd *cmd, const char *model)
{
    static const char *const table[][2] = {
        { "piix3-uhci", "piix3-usb-uhci" },
        { "piix4-uhci", "piix4-usb-uhci" },
        { "ehci", "usb-ehci" },
        { "ich9-ehci1", "ich9-usb-ehci1" },
        { "ich9-uhci1", "ich9-usb-uhci1" },
        { "ich9-uhci2", "ich9-usb-uhci2" },
        { "ich9-uhci3", "ich9-usb-uhci3" },
        { "vt82c686b-uhci", "vt82c686b-usb-uhci" },
        { "pci-ohci", "pci-ohci" },
        { "nec-xhci", "nec-usb-xhci" },
        { "qemu-xhci", "qemu-xhci" },
    };

    if (!model)
        return cmd->q35 ? "qemu-xhci" : "piix3-usb-uhci";
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (g_str_equal(table[i][0], model))
            return table[i][1];
    }
    return NULL;
}

/* The model a SCSI controller gets when none is written: libvirt's, the LSI 53C895A. */
static const char *scsiControllerModel(const vkDomainDef *def, unsigned int index)
{
    const vkDomainControllerDef *c = findController(def, VK_DOMAIN_CONTROLLER_TYPE_SCSI, index);
    const char *model = c && c->model >= 0 ? modelName(c) : "auto";

    return g_str_equal(model, "auto") ? "lsilogic" : model;
}

static const char *scsiControllerDevice(const char *model)
{
    static const char *const table[][2] = {
        { "lsilogic", "lsi" },
        { "virtio-scsi", "virtio-scsi-pci" },
        { "virtio-transitional", "virtio-scsi-pci-transitional" },
        { "virtio-non-transitional", "virtio-scsi-pci-non-transitional" },
        { "lsisas1068", "mptsas1068" },
        { "lsisas1078", "megasas-gen2" },
        { "vmpvscsi", "pvscsi" },
        { "am53c974", "am53c974" },
        { "dc390", "dc390" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (g_str_equal(table[i][0], model))
            return table[i][1];
    }
    return NULL;
}

static char *controllerAlias(const vkDomainControllerDef *c)
{
    if (c->info.alias)
        return g_strdup(c->info.alias);
    switch (c->type) {
    case VK_DOMAIN_CONTROLLER_TYPE_USB:
        return c->index == 0 ? g_strdup("usb") : g_strdup_printf("usb%d", c->index);
    case VK_DOMAIN_CONTROLLER_TYPE_PCI:
        return g_strdup_printf("pci.%d", c->index);
    case VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        return g_strdup_printf("virtio-serial%d", c->index);
    default:
        return g_strdup_printf("%s%d", vkDomainControllerTypeToString(c->type), c->index);
    }
}

/* The name of bus BUS of controller INDEX of TYPE: its alias, a dot, the bus number. */
static char *controllerBus(const vkDomainDef *def, int type, int index, unsigned int bus)
{
    const vkDomainControllerDef *c = findController(def, type, index);
    vkDomainControllerDef implicit = { .type = type, .index = index, .model = -1 };
    g_autofree char *alias = controllerAlias(c ? c : &implicit);

    return g_strdup_printf("%s.%u", alias, bus);
}

void vkCmdAddUSBAddress(vkCmd *cmd, json_object *dev, const vkDomainDeviceInfo *info)
{
    gboolean usb = info->addr.type == VK_DOMAIN_ADDRESS_TYPE_USB;
    g_autofree char *bus =
        controllerBus(cmd->def, VK_DOMAIN_CONTROLLER_TYPE_USB, usb ? info->addr.usb.bus : 0, 0);

    vkJSONAddStr(dev, "bus", bus);
    if (usb && info->addr.usb.port) {
        g_autofree char *port = g_strdup_printf("%u", info->addr.usb.port);

        vkJSONAddStr(dev, "port", port);
    }
}

static int buildUSBController(vkCmd *cmd, const vkDomainControllerDef *c, json_object **dev)
{
    const char *model = c->model >= 0 ? modelName(c) : NULL;
    const char *driver;
    g_autofree char *alias = controllerAlias(c);

    if (model && g_str_equal(model, "none"))
        return 0;
    if (!(driver = usbControllerDevice(cmd, model)))
        return controllerUnsupported(c);
    if (c->ports >= 0 && (!model || !g_str_has_suffix(model, "-xhci"))) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "usb controller type %s doesn't support 'ports' with this QEMU binary",
                      model ? model : "default");
        return -1;
    }
    *dev = vkJSONDevice(driver);
    /* Companions hang off the EHCI controller of the same index, from their first port. */
    if (c->masterStartPort >= 0) {
        /* The EHCI controller is listed first, so it is the one found for the index. */
        g_autofree char *master = controllerBus(cmd->def, c->type, c->index, 0);

        vkJSONAddStr(*dev, "masterbus", master);
        vkJSONAddInt(*dev, "firstport", c->masterStartPort);
        if (c->info.alias)
            vkJSONAddStr(*dev, "id", alias);
    } else {
        vkJSONAddStr(*dev, "id", alias);
    }
    /* As many USB 2 as USB 3 ports. */
    if (c->ports >= 0) {
        vkJSONAddInt(*dev, "p2", c->ports);
        vkJSONAddInt(*dev, "p3", c->ports);
    }
    return 0;
}

static int buildPCIController(vkCmd *cmd, const vkDomainControllerDef *c, json_object **dev)
{
    const char *model = c->model >= 0 ? modelName(c) : (c->index == 0 ? "root" : "pci-bridge");
    g_autofree char *alias = controllerAlias(c);

    if (g_str_has_suffix(model, "root")) {
        gboolean wantPCIe = g_str_equal(model, "pcie-root");
        if (c->index != 0 || (!g_str_equal(model, "root") && wantPCIe != cmd->q35)) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "controller '%s' with index %d does not match machine '%s'", model,
                          c->index, cmd->machine);
            return -1;
        }
        return 0;
    }
    if (g_str_equal(model, "pci-bridge")) {
        *dev = vkJSONDevice("pci-bridge");
        vkJSONAddInt(*dev, "chassis_nr", c->chassisNr >= 0 ? c->chassisNr : c->index);
    } else if (g_str_equal(model, "pcie-root-port")) {
        const vkDomainDeviceAddress *a = &c->info.addr;
        gint64 port = c->port;

        /* Without <target port>, libvirt numbers a root port after its own slot and function. */
        if (port < 0)
            port = a->type == VK_DOMAIN_ADDRESS_TYPE_PCI
                       ? (gint64)((a->pci.slot << 3) | a->pci.function)
                       : c->index;
        *dev = vkJSONDevice("pcie-root-port");
        vkJSONAddInt(*dev, "port", port);
        vkJSONAddInt(*dev, "chassis", c->chassis >= 0 ? c->chassis : c->index);
    } else if (g_str_equal(model, "dmi-to-pci-bridge")) {
        *dev = vkJSONDevice("i82801b11-bridge");
    } else if (g_str_equal(model, "pcie-to-pci-bridge")) {
        *dev = vkJSONDevice("pcie-pci-bridge");
    } else {
        return controllerUnsupported(c);
    }
    vkJSONAddStr(*dev, "id", alias);
    return 0;
}

static int buildController(vkCmd *cmd, const vkDomainControllerDef *c)
{
    g_autofree char *alias = controllerAlias(c);
    json_object *dev = NULL;
    const char *driver;

    switch (c->type) {
    case VK_DOMAIN_CONTROLLER_TYPE_USB:
        if (buildUSBController(cmd, c, &dev) < 0)
            return -1;
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_PCI:
        if (buildPCIController(cmd, c, &dev) < 0)
            return -1;
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_SCSI:
        if (!(driver = scsiControllerDevice(scsiControllerModel(cmd->def, c->index))))
            return controllerUnsupported(c);
        dev = vkJSONDevice(driver);
        vkJSONAddStr(dev, "id", alias);
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL: {
        /* The models are "virtio", "virtio-transitional" and "virtio-non-transitional", and
         * qemu names the variants of a device with the same suffixes. */
        const char *variant = c->model >= 0 ? modelName(c) + strlen("virtio") : "";
        g_autofree char *name = g_strconcat("virtio-serial-pci", variant, NULL);

        dev = vkJSONDevice(name);
        vkJSONAddStr(dev, "id", alias);
        if (c->ports >= 0)
            vkJSONAddInt(dev, "max_ports", c->ports);
        if (c->vectors >= 0)
            vkJSONAddInt(dev, "vectors", c->vectors);
        break;
    }
    case VK_DOMAIN_CONTROLLER_TYPE_SATA:
        /* q35 has its AHCI controller built in, as "ide". */
        if (cmd->q35 && c->index == 0)
            return 0;
        dev = vkJSONDevice("ich9-ahci");
        vkJSONAddStr(dev, "id", alias);
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_IDE:
    case VK_DOMAIN_CONTROLLER_TYPE_FDC:
        /* Built into the machine (pc); checked where disks use them. */
        return 0;
    default:
        return controllerUnsupported(c);
    }
    return dev ? vkCmdAddPCIDevice(cmd, dev, &c->info) : 0;
}

static gboolean domainNeedsUSB(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i]->bus == VK_DOMAIN_INPUT_BUS_USB)
            return TRUE;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VK_DOMAIN_DISK_BUS_USB)
            return TRUE;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (g_strcmp0(def->nets[i]->model, "usb-net") == 0)
            return TRUE;
    }
    return FALSE;
}

/* Disks name their controller through their drive address; like libvirt, give them the
 * default model of any controller the definition leaves out. */
static int buildImplicitDiskControllers(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    g_autoptr(GHashTable) added = g_hash_table_new(NULL, NULL);

    for (size_t i = 0; i < def->ndisks; i++) {
        const vkDomainDiskDef *disk = def->disks[i];
        vkDomainControllerDef implicit = { .model = -1 };
        vkDriveAddr a;

        if (disk->bus == VK_DOMAIN_DISK_BUS_SCSI)
            implicit.type = VK_DOMAIN_CONTROLLER_TYPE_SCSI;
        else if (disk->bus == VK_DOMAIN_DISK_BUS_SATA)
            implicit.type = VK_DOMAIN_CONTROLLER_TYPE_SATA;
        else
            continue;
        diskDriveAddress(disk, &a);
        implicit.index = (int)a.controller;
        if (findController(def, implicit.type, implicit.index) ||
            !g_hash_table_add(added, GINT_TO_POINTER(implicit.type << 16 | implicit.index)))
            continue;
        if (buildController(cmd, &implicit) < 0)
            return -1;
    }
    return 0;
}

int vkCmdBuildControllers(vkCmd *cmd)
{
    static const int order[] = {
        VK_DOMAIN_CONTROLLER_TYPE_PCI,  VK_DOMAIN_CONTROLLER_TYPE_USB,
        VK_DOMAIN_CONTROLLER_TYPE_SCSI, VK_DOMAIN_CONTROLLER_TYPE_IDE,
        VK_DOMAIN_CONTROLLER_TYPE_SATA, VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL,
        VK_DOMAIN_CONTROLLER_TYPE_FDC,
    };
    const vkDomainDef *def = cmd->def;
    const vkDomainControllerDef *usb = findController(def, VK_DOMAIN_CONTROLLER_TYPE_USB, 0);

    if (domainNeedsUSB(def)) {
        if (usb && usb->model >= 0 && g_str_equal(modelName(usb), "none")) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "USB devices need a USB controller, but its model is 'none'");
            return -1;
        }
        /* libvirt gives every x86 guest a USB controller; we add it only when used. */
        if (!usb) {
            json_object *dev = vkJSONDevice(usbControllerDevice(cmd, NULL));
            vkJSONAddStr(dev, "id", "usb");
            vkCmdAddJSON(cmd, "-device", dev);
        }
    }
    /* libvirt's order, by type: the PCI controllers first, as the others may sit on them. */
    for (size_t t = 0; t < G_N_ELEMENTS(order); t++) {
        for (size_t i = 0; i < def->ncontrollers; i++) {
            if (def->controllers[i]->type == order[t] &&
                buildController(cmd, def->controllers[i]) < 0)
                return -1;
        }
    }
    return buildImplicitDiskControllers(cmd);
}

/* ---- disks ---- */

char *vkQEMUDiskAlias(const vkDomainDef *def, size_t i)
{
    const vkDomainDiskDef *disk = def->disks[i];
    vkDriveAddr a;

    if (disk->info.alias)
        return g_strdup(disk->info.alias);
    diskDriveAddress(disk, &a);
    switch (disk->bus) {
    case VK_DOMAIN_DISK_BUS_IDE:
        return g_strdup_printf("ide%u-%u-%u", a.controller, a.bus, a.unit);
    case VK_DOMAIN_DISK_BUS_SATA:
        return g_strdup_printf("sata%u-%u-%u", a.controller, a.bus, a.unit);
    case VK_DOMAIN_DISK_BUS_SCSI:
        return g_strdup_printf("scsi%u-%u-%u-%u", a.controller, a.bus, a.target, a.unit);
    case VK_DOMAIN_DISK_BUS_FDC:
        return g_strdup_printf("fdc%u-%u-%u", a.controller, a.bus, a.unit);
    case VK_DOMAIN_DISK_BUS_USB:
        return g_strdup_printf("usb-disk%d", vkDomainDiskNameIndex(disk->dst));
    default:
        return g_strdup_printf("virtio-disk%d", vkDomainDiskNameIndex(disk->dst));
    }
}

static const char *diskFormatDriver(int format)
{
    switch (format) {
    case VK_DOMAIN_DISK_FORMAT_NONE:
    case VK_DOMAIN_DISK_FORMAT_RAW:
    case VK_DOMAIN_DISK_FORMAT_ISO:
        return "raw";
    case VK_DOMAIN_DISK_FORMAT_VHD:
        return "vhdx";
    case VK_DOMAIN_DISK_FORMAT_PLOOP:
        return "parallels";
    case VK_DOMAIN_DISK_FORMAT_BOCHS:
    case VK_DOMAIN_DISK_FORMAT_CLOOP:
    case VK_DOMAIN_DISK_FORMAT_DMG:
    case VK_DOMAIN_DISK_FORMAT_VPC:
    case VK_DOMAIN_DISK_FORMAT_VDI:
    case VK_DOMAIN_DISK_FORMAT_QCOW:
    case VK_DOMAIN_DISK_FORMAT_QCOW2:
    case VK_DOMAIN_DISK_FORMAT_QED:
    case VK_DOMAIN_DISK_FORMAT_VMDK:
        return vkDomainDiskFormatTypeToString(format);
    default:
        return NULL;
    }
}

/* The host cache of each libvirt cache mode, and whether the guest sees a volatile write
 * cache; -1: qemu's defaults. */
static void diskCacheMode(int cache, int *direct, int *noFlush, int *writeCache)
{
    *direct = *noFlush = *writeCache = -1;
    switch (cache) {
    case VK_DOMAIN_DISK_CACHE_NONE:
        *direct = 1, *noFlush = 0, *writeCache = 1;
        break;
    case VK_DOMAIN_DISK_CACHE_WRITETHROUGH:
        *direct = 0, *noFlush = 0, *writeCache = 0;
        break;
    case VK_DOMAIN_DISK_CACHE_WRITEBACK:
        *direct = 0, *noFlush = 0, *writeCache = 1;
        break;
    case VK_DOMAIN_DISK_CACHE_DIRECTSYNC:
        *direct = 1, *noFlush = 0, *writeCache = 0;
        break;
    case VK_DOMAIN_DISK_CACHE_UNSAFE:
        *direct = 0, *noFlush = 1, *writeCache = 1;
        break;
    default:
        break;
    }
}

static void addCacheProps(json_object *node, const vkDomainDiskDef *disk)
{
    int direct, noFlush, writeCache;
    json_object *cache;

    diskCacheMode(disk->cache, &direct, &noFlush, &writeCache);
    if (direct < 0)
        return;
    cache = json_object_new_object();
    vkJSONAddBool(cache, "direct", direct);
    vkJSONAddBool(cache, "no-flush", noFlush);
    json_object_object_add(node, "cache", cache);
}

static void buildDiskBlockdevs(vkCmd *cmd, const vkDomainDiskDef *disk, size_t i,
                               const char *format)
{
    g_autofree char *storage = g_strdup_printf("disk%zu-storage", i);
    g_autofree char *fmt = g_strdup_printf("disk%zu-format", i);
    json_object *node = json_object_new_object();
    const char *driver = "file";

    if (disk->type == VK_DOMAIN_DISK_TYPE_BLOCK)
        driver = disk->device == VK_DOMAIN_DISK_DEVICE_CDROM ? "host_cdrom" : "host_device";
    vkJSONAddStr(node, "driver", driver);
    vkJSONAddStr(node, "filename", disk->src);
    vkJSONAddStr(node, "node-name", storage);
    addCacheProps(node, disk);
    /* The storage node follows the format node's read-only setting. */
    vkJSONAddBool(node, "auto-read-only", TRUE);
    if (disk->discard)
        vkJSONAddStr(node, "discard", vkDomainDiskDiscardTypeToString(disk->discard));
    if (disk->io)
        vkJSONAddStr(node, "aio", vkDomainDiskIoTypeToString(disk->io));
    vkCmdAddJSON(cmd, "-blockdev", node);

    node = json_object_new_object();
    vkJSONAddStr(node, "node-name", fmt);
    vkJSONAddBool(node, "read-only", disk->readonly);
    addCacheProps(node, disk);
    vkJSONAddStr(node, "driver", format);
    vkJSONAddStr(node, "file", storage);
    if (disk->discard)
        vkJSONAddStr(node, "discard", vkDomainDiskDiscardTypeToString(disk->discard));
    vkCmdAddJSON(cmd, "-blockdev", node);
}

static int diskUnsupported(const vkDomainDiskDef *disk, const char *what)
{
    vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': %s", disk->dst, what);
    return -1;
}

/* The -device for a disk on its bus: driver and bus position. */
static int diskDeviceProps(vkCmd *cmd, const vkDomainDiskDef *disk, json_object **out)
{
    gboolean cdrom = disk->device == VK_DOMAIN_DISK_DEVICE_CDROM;
    g_autofree char *bus = NULL;
    json_object *dev;
    vkDriveAddr a;

    diskDriveAddress(disk, &a);
    switch (disk->bus) {
    case VK_DOMAIN_DISK_BUS_IDE:
        if (cmd->q35)
            return diskUnsupported(disk, "the q35 machine has no IDE bus; use bus 'sata'");
        if (a.controller != 0 || a.bus > 1 || a.unit > 1)
            return diskUnsupported(disk, "the machine has one IDE controller with two buses "
                                         "of two units");
        dev = vkJSONDevice(cdrom ? "ide-cd" : "ide-hd");
        bus = g_strdup_printf("ide.%u", a.bus);
        vkJSONAddStr(dev, "bus", bus);
        vkJSONAddInt(dev, "unit", a.unit);
        break;
    case VK_DOMAIN_DISK_BUS_SATA:
        if (a.unit > 5)
            return diskUnsupported(disk, "an AHCI controller has six ports");
        dev = vkJSONDevice(cdrom ? "ide-cd" : "ide-hd");
        if (cmd->q35 && a.controller == 0)
            bus = g_strdup_printf("ide.%u", a.unit);
        else
            bus = controllerBus(cmd->def, VK_DOMAIN_CONTROLLER_TYPE_SATA, a.controller, a.unit);
        vkJSONAddStr(dev, "bus", bus);
        break;
    case VK_DOMAIN_DISK_BUS_SCSI:
        dev = vkJSONDevice(cdrom ? "scsi-cd" : "scsi-hd");
        bus = controllerBus(cmd->def, VK_DOMAIN_CONTROLLER_TYPE_SCSI, a.controller, 0);
        vkJSONAddStr(dev, "bus", bus);
        if (g_str_equal(scsiControllerModel(cmd->def, a.controller), "lsilogic")) {
            vkJSONAddInt(dev, "scsi-id", a.unit);
        } else {
            vkJSONAddInt(dev, "channel", a.bus);
            vkJSONAddInt(dev, "scsi-id", a.target);
            vkJSONAddInt(dev, "lun", a.unit);
        }
        break;
    case VK_DOMAIN_DISK_BUS_VIRTIO:
        if (cdrom)
            return diskUnsupported(disk, "a CD-ROM cannot be on bus 'virtio'");
        dev = vkJSONDevice("virtio-blk-pci");
        break;
    case VK_DOMAIN_DISK_BUS_USB:
        dev = vkJSONDevice("usb-storage");
        vkCmdAddUSBAddress(cmd, dev, &disk->info);
        break;
    case VK_DOMAIN_DISK_BUS_FDC:
        if (cmd->q35)
            return diskUnsupported(disk, "the q35 machine has no floppy controller");
        dev = vkJSONDevice("floppy");
        vkJSONAddInt(dev, "unit", a.unit);
        break;
    default:
        return diskUnsupported(disk, "unsupported bus");
    }
    *out = dev;
    return 0;
}

static int buildDisk(vkCmd *cmd, size_t i)
{
    const vkDomainDiskDef *disk = cmd->def->disks[i];
    g_autofree char *alias = vkQEMUDiskAlias(cmd->def, i);
    const char *format = diskFormatDriver(disk->format);
    int direct, noFlush, writeCache;
    json_object *dev = NULL;

    if (!format)
        return diskUnsupported(disk, "unsupported image format");
    if (disk->type != VK_DOMAIN_DISK_TYPE_FILE && disk->type != VK_DOMAIN_DISK_TYPE_BLOCK)
        return diskUnsupported(disk, "only file and block disks are supported");
    if (diskDeviceProps(cmd, disk, &dev) < 0)
        return -1;
    if (disk->src) {
        g_autofree char *node = g_strdup_printf("disk%zu-format", i);
        buildDiskBlockdevs(cmd, disk, i, format);
        vkJSONAddStr(dev, "drive", node);
    }
    vkJSONAddStr(dev, "id", alias);
    if (cmd->diskBoot[i])
        vkJSONAddInt(dev, "bootindex", cmd->diskBoot[i]);
    if (disk->bus == VK_DOMAIN_DISK_BUS_USB)
        vkJSONAddBool(dev, "removable", FALSE);
    diskCacheMode(disk->cache, &direct, &noFlush, &writeCache);
    if (writeCache >= 0)
        vkJSONAddStr(dev, "write-cache", writeCache ? "on" : "off");
    if (disk->shareable)
        vkJSONAddBool(dev, "share-rw", TRUE);
    return vkCmdAddPCIDevice(cmd, dev, &disk->info);
}

int vkCmdBuildDisks(vkCmd *cmd)
{
    for (size_t i = 0; i < cmd->def->ndisks; i++) {
        if (buildDisk(cmd, i) < 0)
            return -1;
    }
    return 0;
}

/* ---- network interfaces ---- */

static const char *netDevice(const char *model)
{
    static const char *const table[][2] = {
        { "virtio", "virtio-net-pci" },
        { "virtio-transitional", "virtio-net-pci-transitional" },
        { "virtio-non-transitional", "virtio-net-pci-non-transitional" },
    };

    /* libvirt's default for x86 guests. */
    if (!model)
        return "rtl8139";
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (g_str_equal(table[i][0], model))
            return table[i][1];
    }
    return model;
}

static int buildNet(vkCmd *cmd, size_t i)
{
    const vkDomainNetDef *net = cmd->def->nets[i];
    g_autofree char *generated = g_strdup_printf("net%zu", i);
    const char *alias = devAlias(&net->info, generated);
    g_autofree char *hostAlias = g_strconcat("host", alias, NULL);
    char mac[VK_DOMAIN_MAC_STRLEN];
    g_autoptr(GString) netdev = g_string_new(NULL);
    json_object *dev;

    if (vkQEMUNetUsesTap(net)) {
        int fd = i < cmd->rt->nnets ? cmd->rt->nets[i].tapFd : -1;
        if (fd < 0) {
            vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR,
                          "interface %zu (type '%s') has no tap descriptor", i,
                          vkDomainNetTypeToString(net->type));
            return -1;
        }
        g_string_append_printf(netdev, "tap,fd=%d,id=", fd);
    } else {
        g_string_append(netdev, "user,id=");
    }
    vkCmdAppendEscaped(netdev, hostAlias);
    vkCmdAddString(cmd, "-netdev", g_steal_pointer(&netdev));

    dev = vkJSONDevice(netDevice(net->model));
    vkJSONAddStr(dev, "netdev", hostAlias);
    vkJSONAddStr(dev, "id", alias);
    vkDomainNetFormatMAC(net->mac, mac);
    vkJSONAddStr(dev, "mac", mac);
    if (cmd->netBoot[i])
        vkJSONAddInt(dev, "bootindex", cmd->netBoot[i]);
    return vkCmdAddPCIDevice(cmd, dev, &net->info);
}

int vkCmdBuildNets(vkCmd *cmd)
{
    for (size_t i = 0; i < cmd->def->nnets; i++) {
        if (buildNet(cmd, i) < 0)
            return -1;
    }
    return 0;
}

/* ---- serial ports and consoles ---- */

char *vkQEMUChrAlias(const vkDomainChrDef *chr, size_t i)
{
    if (chr->info.alias)
        return g_strdup(chr->info.alias);
    if (chr->deviceType == VK_DOMAIN_CHR_DEVICE_SERIAL)
        return g_strdup_printf("serial%d", chr->port);
    if (chr->deviceType == VK_DOMAIN_CHR_DEVICE_CHANNEL)
        return g_strdup_printf("channel%zu", i);
    return g_strdup_printf("console%zu", i);
}

char *vkQEMUChannelSocketPath(const char *dir, const vkDomainChrDef *chr)
{
    g_autofree char *base = NULL;

    if (chr->targetName)
        base = g_strdup(chr->targetName);
    else
        base = g_strdup_printf("vioser-%02u-%02u-%02u.sock", chr->info.addr.vioserial.controller,
                               chr->info.addr.vioserial.bus, chr->info.addr.vioserial.port);
    if (strchr(base, '/') || g_str_equal(base, ".") || g_str_equal(base, "..")) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "channel name '%s' cannot name a socket", base);
        return NULL;
    }
    return g_build_filename(dir, base, NULL);
}

static int buildChardev(vkCmd *cmd, const vkDomainChrDef *chr, const char *id)
{
    static const char *const backends[VK_DOMAIN_CHR_TYPE_LAST] = {
        [VK_DOMAIN_CHR_TYPE_NULL] = "null",         [VK_DOMAIN_CHR_TYPE_VC] = "vc",
        [VK_DOMAIN_CHR_TYPE_PTY] = "pty",           [VK_DOMAIN_CHR_TYPE_DEV] = "tty",
        [VK_DOMAIN_CHR_TYPE_FILE] = "file",         [VK_DOMAIN_CHR_TYPE_PIPE] = "pipe",
        [VK_DOMAIN_CHR_TYPE_STDIO] = "stdio",       [VK_DOMAIN_CHR_TYPE_UNIX] = "socket",
        [VK_DOMAIN_CHR_TYPE_SPICEVMC] = "spicevmc",
    };
    g_autoptr(GString) buf = NULL;

    if (chr->type < 0 || chr->type >= VK_DOMAIN_CHR_TYPE_LAST) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported character device %d",
                      chr->type);
        return -1;
    }
    buf = g_string_new(backends[chr->type]);
    g_string_append(buf, ",id=");
    vkCmdAppendEscaped(buf, id);
    /* A pty's path is what qemu allocated last time, not something to ask for. */
    if (chr->path && (chr->type == VK_DOMAIN_CHR_TYPE_DEV || chr->type == VK_DOMAIN_CHR_TYPE_FILE ||
                      chr->type == VK_DOMAIN_CHR_TYPE_PIPE)) {
        g_string_append(buf, ",path=");
        vkCmdAppendEscaped(buf, chr->path);
    }
    if (chr->type == VK_DOMAIN_CHR_TYPE_UNIX) {
        g_autofree char *placed = NULL;

        if (!chr->path && !(placed = vkQEMUChannelSocketPath(cmd->rt->channelDir, chr)))
            return -1;
        g_string_append(buf, ",path=");
        vkCmdAppendEscaped(buf, chr->path ? chr->path : placed);
        if (chr->listen)
            g_string_append(buf, ",server=on,wait=off");
    }
    /* The SPICE agent, the only spicevmc channel qemu offers on a virtio port. */
    if (chr->type == VK_DOMAIN_CHR_TYPE_SPICEVMC)
        g_string_append(buf, ",name=vdagent");
    vkCmdAddString(cmd, "-chardev", g_steal_pointer(&buf));
    return 0;
}

/* The virtio-serial port of a channel or console, on the bus its address names. */
static void addVirtioSerialPort(vkCmd *cmd, json_object *dev, const vkDomainChrDef *chr)
{
    const vkDomainDeviceAddress *a = &chr->info.addr;
    g_autofree char *bus = NULL;

    if (a->type != VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL) {
        bus = controllerBus(cmd->def, VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL, 0, 0);
        vkJSONAddStr(dev, "bus", bus);
        return;
    }
    bus = controllerBus(cmd->def, VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL, a->vioserial.controller,
                        a->vioserial.bus);
    vkJSONAddStr(dev, "bus", bus);
    vkJSONAddInt(dev, "nr", a->vioserial.port);
}

static int buildChannel(vkCmd *cmd, const vkDomainChrDef *chr, size_t i)
{
    g_autofree char *alias = vkQEMUChrAlias(chr, i);
    g_autofree char *charId = g_strconcat("char", alias, NULL);
    json_object *dev;

    if (chr->type == VK_DOMAIN_CHR_TYPE_UNIX && !chr->path && !cmd->rt->channelDir) {
        vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR, "no socket path for channel '%s'", alias);
        return -1;
    }
    if (chr->type == VK_DOMAIN_CHR_TYPE_SPICEVMC &&
        (chr->targetType != VK_DOMAIN_CHR_CHANNEL_TARGET_VIRTIO ||
         (chr->targetName && !g_str_equal(chr->targetName, "com.redhat.spice.0")))) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Unsupported spicevmc target name '%s'",
                      chr->targetName ? chr->targetName : "");
        return -1;
    }
    if (buildChardev(cmd, chr, charId) < 0)
        return -1;
    if (chr->targetType == VK_DOMAIN_CHR_CHANNEL_TARGET_GUESTFWD) {
        /* slirp forwards the guest's connections to the address to the chardev. */
        g_autoptr(GString) netdev = g_string_new("user,guestfwd=tcp:");

        g_string_append_printf(netdev, "%s:%u-chardev:", chr->fwdAddress, chr->fwdPort);
        vkCmdAppendEscaped(netdev, charId);
        g_string_append(netdev, ",id=");
        vkCmdAppendEscaped(netdev, alias);
        vkCmdAddString(cmd, "-netdev", g_steal_pointer(&netdev));
        return 0;
    }
    dev = vkJSONDevice("virtserialport");
    addVirtioSerialPort(cmd, dev, chr);
    vkJSONAddStr(dev, "chardev", charId);
    vkJSONAddStr(dev, "id", alias);
    if (chr->targetName || chr->type == VK_DOMAIN_CHR_TYPE_SPICEVMC)
        vkJSONAddStr(dev, "name", chr->targetName ? chr->targetName : "com.redhat.spice.0");
    vkCmdAddJSON(cmd, "-device", dev);
    return 0;
}

int vkCmdBuildChrs(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->nserials; i++) {
        const vkDomainChrDef *chr = def->serials[i];
        g_autofree char *alias = vkQEMUChrAlias(chr, i);
        g_autofree char *charId = g_strconcat("char", alias, NULL);
        json_object *dev;

        if (buildChardev(cmd, chr, charId) < 0)
            return -1;
        dev = vkJSONDevice("isa-serial");
        vkJSONAddStr(dev, "chardev", charId);
        vkJSONAddStr(dev, "id", alias);
        vkJSONAddInt(dev, "index", chr->port);
        vkCmdAddJSON(cmd, "-device", dev);
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        if (buildChannel(cmd, def->channels[i], i) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        const vkDomainChrDef *chr = def->consoles[i];
        g_autofree char *alias = NULL;
        g_autofree char *charId = NULL;
        json_object *dev;

        /* The first console of type serial is serial port 0 under another name. */
        if (chr->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL)
            continue;
        if (chr->targetType != VK_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported console target '%s'",
                          vkDomainChrConsoleTargetTypeToString(chr->targetType));
            return -1;
        }
        alias = vkQEMUChrAlias(chr, i);
        charId = g_strconcat("char", alias, NULL);
        if (buildChardev(cmd, chr, charId) < 0)
            return -1;
        dev = vkJSONDevice("virtconsole");
        addVirtioSerialPort(cmd, dev, chr);
        vkJSONAddStr(dev, "chardev", charId);
        vkJSONAddStr(dev, "id", alias);
        vkCmdAddJSON(cmd, "-device", dev);
    }
    return 0;
}

/* ---- input, video, balloon ---- */

int vkCmdBuildInputs(vkCmd *cmd)
{
    static const char *const usbDevices[] = { "usb-mouse", "usb-tablet", "usb-kbd" };
    static const char *const virtioDevices[] = { "virtio-mouse-pci", "virtio-tablet-pci",
                                                 "virtio-keyboard-pci" };
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->ninputs; i++) {
        const vkDomainInputDef *input = def->inputs[i];
        g_autofree char *generated = g_strdup_printf("input%zu", i);
        json_object *dev;

        if (input->type < 0 || input->type >= VK_DOMAIN_INPUT_TYPE_LAST) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported input type %d",
                          input->type);
            return -1;
        }
        switch (input->bus) {
        case VK_DOMAIN_INPUT_BUS_PS2:
            /* The machine's i8042 provides the PS/2 mouse and keyboard. */
            if (input->type == VK_DOMAIN_INPUT_TYPE_TABLET) {
                vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "a tablet cannot be on bus 'ps2'");
                return -1;
            }
            continue;
        case VK_DOMAIN_INPUT_BUS_USB:
            dev = vkJSONDevice(usbDevices[input->type]);
            vkJSONAddStr(dev, "id", devAlias(&input->info, generated));
            vkCmdAddUSBAddress(cmd, dev, &input->info);
            vkCmdAddJSON(cmd, "-device", dev);
            break;
        case VK_DOMAIN_INPUT_BUS_VIRTIO:
            dev = vkJSONDevice(virtioDevices[input->type]);
            vkJSONAddStr(dev, "id", devAlias(&input->info, generated));
            if (vkCmdAddPCIDevice(cmd, dev, &input->info) < 0)
                return -1;
            break;
        default:
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported input bus '%s'",
                          vkDomainInputBusTypeToString(input->bus));
            return -1;
        }
    }
    return 0;
}

static const char *videoDevice(const vkDomainVideoDef *video)
{
    if (!video->primary) {
        /* Only paravirtual cards come without VGA compatibility. */
        if (video->type == VK_DOMAIN_VIDEO_TYPE_QXL)
            return "qxl";
        if (video->type == VK_DOMAIN_VIDEO_TYPE_VIRTIO)
            return "virtio-gpu-pci";
        return NULL;
    }
    switch (video->type) {
    case VK_DOMAIN_VIDEO_TYPE_VGA:
        return "VGA";
    case VK_DOMAIN_VIDEO_TYPE_CIRRUS:
        return "cirrus-vga";
    case VK_DOMAIN_VIDEO_TYPE_VMVGA:
        return "vmware-svga";
    case VK_DOMAIN_VIDEO_TYPE_QXL:
        return "qxl-vga";
    case VK_DOMAIN_VIDEO_TYPE_VIRTIO:
        return "virtio-vga";
    case VK_DOMAIN_VIDEO_TYPE_BOCHS:
        return "bochs-display";
    case VK_DOMAIN_VIDEO_TYPE_RAMFB:
        return "ramfb";
    default:
        return NULL;
    }
}

int vkCmdBuildVideos(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->nvideos; i++) {
        const vkDomainVideoDef *video = def->videos[i];
        g_autofree char *generated = g_strdup_printf("video%zu", i);
        const char *driver = videoDevice(video);
        json_object *dev;

        if (video->type == VK_DOMAIN_VIDEO_TYPE_NONE)
            continue;
        if (!driver) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "video type '%s' is not supported as %s device",
                          vkDomainVideoTypeToString(video->type),
                          video->primary ? "the primary" : "a secondary");
            return -1;
        }
        dev = vkJSONDevice(driver);
        vkJSONAddStr(dev, "id", devAlias(&video->info, generated));
        switch (video->type) {
        case VK_DOMAIN_VIDEO_TYPE_QXL:
            if (video->heads)
                vkJSONAddInt(dev, "max_outputs", video->heads);
            if (video->ram)
                vkJSONAddInt(dev, "ram_size", (gint64)video->ram * 1024);
            if (video->vram)
                vkJSONAddInt(dev, "vram_size", (gint64)video->vram * 1024);
            if (video->vgamem)
                vkJSONAddInt(dev, "vgamem_mb", video->vgamem / 1024);
            break;
        case VK_DOMAIN_VIDEO_TYPE_VIRTIO:
            if (video->heads)
                vkJSONAddInt(dev, "max_outputs", video->heads);
            break;
        case VK_DOMAIN_VIDEO_TYPE_VGA:
        case VK_DOMAIN_VIDEO_TYPE_VMVGA:
            if (video->vram)
                vkJSONAddInt(dev, "vgamem_mb", video->vram / 1024);
            break;
        case VK_DOMAIN_VIDEO_TYPE_BOCHS:
            if (video->vram)
                vkJSONAddInt(dev, "vgamem", (gint64)video->vram * 1024);
            break;
        default:
            break;
        }
        if (vkCmdAddPCIDevice(cmd, dev, &video->info) < 0)
            return -1;
    }
    return 0;
}

int vkCmdBuildBalloon(vkCmd *cmd)
{
    static const char *const devices[VK_DOMAIN_MEMBALLOON_MODEL_LAST] = {
        [VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO] = "virtio-balloon-pci",
        [VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL] = "virtio-balloon-pci-transitional",
        [VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL] =
            "virtio-balloon-pci-non-transitional",
    };
    const vkDomainMemballoonDef *balloon = cmd->def->memballoon;
    json_object *dev;

    if (!balloon || balloon->model < 0 || balloon->model >= VK_DOMAIN_MEMBALLOON_MODEL_LAST ||
        !devices[balloon->model])
        return 0;
    dev = vkJSONDevice(devices[balloon->model]);
    vkJSONAddStr(dev, "id", devAlias(&balloon->info, "balloon0"));
    if (balloon->autodeflate != VK_DOMAIN_TRISTATE_ABSENT)
        vkJSONAddBool(dev, "deflate-on-oom", balloon->autodeflate == VK_DOMAIN_TRISTATE_YES);
    return vkCmdAddPCIDevice(cmd, dev, &balloon->info);
}
