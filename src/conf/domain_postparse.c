/* What libvirt does once a <domain> is parsed: fill in the defaults it stores (memory, vcpus,
 * arch, boot device, controller indexes, serial ports and consoles, input buses, video) and
 * check the rules that span several elements. */
#include "conf/domain_priv.h"

#include <string.h>

/* The architecture assumed when <type arch> is absent. libvirt asks the host or the driver's
 * capabilities; our guests are x86_64 unless told otherwise, which keeps parsing host-free. */
#define VK_DOMAIN_DEFAULT_ARCH "x86_64"

static gboolean archIsX86(const char *arch)
{
    return g_str_equal(arch, "x86_64") || g_str_equal(arch, "i686");
}

static int postParseMemory(vkDomainDef *def)
{
    if (def->memory == 0) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "Memory size must be specified via <memory>");
        return -1;
    }
    if (def->currentMemory == 0 || def->currentMemory > def->memory)
        def->currentMemory = def->memory;
    if (!def->maxMemory != !def->maxMemorySlots) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "both maximum memory size and memory slot count must be specified");
        return -1;
    }
    if (def->maxMemory && def->maxMemory < def->memory) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "maximum memory size must be equal or greater than the actual memory "
                      "size");
        return -1;
    }
    return 0;
}

static void postParseVcpus(vkDomainDef *def)
{
    if (def->vcpus == 0)
        def->vcpus = def->vcpusCurrent = 1;
    /* Automatic vcpu placement implies automatic memory placement. */
    if (def->placement == VK_DOMAIN_PLACEMENT_AUTO && !def->numatune.specified) {
        def->numatune.specified = TRUE;
        def->numatune.mode = VK_DOMAIN_NUMATUNE_STRICT;
    }
}

static int collectBootIndex(GHashTable *seen, unsigned int index)
{
    if (!index)
        return 0;
    if (!g_hash_table_add(seen, GUINT_TO_POINTER(index))) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "boot order '%u' used for more than one device", index);
        return -1;
    }
    return 0;
}

static int collectDeviceBootIndex(vkDomainDef *def, int type, void *dev, vkDomainDeviceInfo *info,
                                  void *opaque)
{
    return collectBootIndex(opaque, info->bootIndex);
}

static int postParseBoot(vkDomainDef *def)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

    if (vkDomainDefForEachDeviceInfo(def, collectDeviceBootIndex, seen) < 0)
        return -1;
    if (def->os.nBootDevs > 0 && g_hash_table_size(seen) > 0) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "per-device boot elements cannot be used together with os/boot elements");
        return -1;
    }
    if (def->os.nBootDevs == 0 && g_hash_table_size(seen) == 0)
        def->os.bootDevs[def->os.nBootDevs++] = VK_DOMAIN_BOOT_DISK;
    return 0;
}

int vkDomainDefCheckDriveAddresses(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const vkDomainDiskDef *a = def->disks[i];
        const vkDomainDeviceAddress *x = &a->info.addr;

        if (x->type != VK_DOMAIN_ADDRESS_TYPE_DRIVE)
            continue;
        for (size_t j = i + 1; j < def->ndisks; j++) {
            const vkDomainDiskDef *b = def->disks[j];
            const vkDomainDeviceAddress *y = &b->info.addr;

            if (a->bus != b->bus || y->type != VK_DOMAIN_ADDRESS_TYPE_DRIVE ||
                x->drive.controller != y->drive.controller || x->drive.bus != y->drive.bus ||
                x->drive.target != y->drive.target || x->drive.unit != y->drive.unit)
                continue;
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "Found duplicate drive address for disk with target name '%s' "
                          "controller='%u' bus='%u' target='%u' unit='%u'",
                          a->dst, x->drive.controller, x->drive.bus, x->drive.target,
                          x->drive.unit);
            return -1;
        }
    }
    return 0;
}

static gboolean controllerExists(const vkDomainDef *def, int type, int index)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == type && def->controllers[i]->index == index)
            return TRUE;
    }
    return FALSE;
}

static void addImplicit(vkDomainDef *def, int type, int index)
{
    vkDomainControllerDef *cont = vkDomainDefAddController(def, type, index, -1);

    if (cont)
        cont->implicit = TRUE;
}

/* The virtio-serial controllers up to the one CHR's address names (the first without one). */
static void addVirtioSerialControllers(vkDomainDef *def, const vkDomainChrDef *chr)
{
    unsigned int last = 0;

    if (chr->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL)
        last = chr->info.addr.vioserial.controller;
    for (unsigned int idx = 0; idx <= last; idx++)
        addImplicit(def, VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL, idx);
}

int vkDomainDefAddImplicitControllers(vkDomainDef *def)
{
    static const struct {
        int bus;
        int type;
    } diskControllers[] = {
        { VK_DOMAIN_DISK_BUS_SCSI, VK_DOMAIN_CONTROLLER_TYPE_SCSI },
        { VK_DOMAIN_DISK_BUS_FDC, VK_DOMAIN_CONTROLLER_TYPE_FDC },
        { VK_DOMAIN_DISK_BUS_IDE, VK_DOMAIN_CONTROLLER_TYPE_IDE },
        { VK_DOMAIN_DISK_BUS_SATA, VK_DOMAIN_CONTROLLER_TYPE_SATA },
    };

    for (size_t t = 0; t < G_N_ELEMENTS(diskControllers); t++) {
        gint64 max = -1;

        for (size_t i = 0; i < def->ndisks; i++) {
            const vkDomainDiskDef *disk = def->disks[i];

            if (disk->bus != diskControllers[t].bus ||
                disk->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_DRIVE)
                continue;
            /* Every controller up to the one named is implied: a huge number would mean
             * billions of them. */
            if (disk->info.addr.drive.controller >= VK_DOMAIN_MAX_IMPLIED_CONTROLLERS) {
                vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                              "disk '%s' names drive controller %u; at most %d are supported",
                              disk->dst, disk->info.addr.drive.controller,
                              VK_DOMAIN_MAX_IMPLIED_CONTROLLERS);
                return -1;
            }
            max = MAX(max, (gint64)disk->info.addr.drive.controller);
        }
        for (gint64 idx = 0; idx <= max; idx++)
            addImplicit(def, diskControllers[t].type, idx);
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO)
            addVirtioSerialControllers(def, def->consoles[i]);
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        if (def->channels[i]->targetType == VK_DOMAIN_CHR_CHANNEL_TARGET_VIRTIO)
            addVirtioSerialControllers(def, def->channels[i]);
    }
    return 0;
}

/* Give controllers without an index the lowest free one, then put them where that index
 * sorts. libvirt leaves them where they were parsed, so its output would not parse back to
 * the same order. */
static gboolean isUSB2(const vkDomainControllerDef *c)
{
    return c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
           c->model >= VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_EHCI1 &&
           c->model <= VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI3;
}

/* libvirt's one exception to "the lowest free index": a USB2 controller right after another
 * USB2 controller (EHCI and its UHCI companions, as virt-install writes them) joins its index,
 * unless that index already has one of its model. -1 when the rule does not apply. */
static int usb2GroupIndex(vkDomainControllerDef **all, size_t n, size_t at)
{
    const vkDomainControllerDef *cont = all[at], *prev = NULL;

    if (!isUSB2(cont))
        return -1;
    for (size_t i = at; i-- > 0;) {
        if (all[i]->type == VK_DOMAIN_CONTROLLER_TYPE_USB) {
            prev = all[i];
            break;
        }
    }
    if (!prev || !isUSB2(prev) || prev->index < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (all[i]->type == VK_DOMAIN_CONTROLLER_TYPE_USB && all[i]->index == prev->index &&
            all[i]->model == cont->model)
            return -1;
    }
    return prev->index;
}

/* Give controllers without an index the lowest free one (or their USB2 group's), in the order
 * they were parsed, then put them where that index sorts. libvirt leaves them where they were
 * parsed, so its output would not parse back to the same order. */
static void assignControllerIndexes(vkDomainDef *def)
{
    g_autofree vkDomainControllerDef **all =
        g_memdup2(def->controllers, def->ncontrollers * sizeof(*def->controllers));
    size_t n = def->ncontrollers, kept = 0;
    g_autofree gboolean *assigned = g_new0(gboolean, n + 1);

    for (size_t i = 0; i < n; i++) {
        vkDomainControllerDef *cont = all[i];
        int idx;

        if (cont->index != -1)
            continue;
        assigned[i] = TRUE;
        if ((idx = usb2GroupIndex(all, n, i)) < 0) {
            idx = 0;
            while (controllerExists(def, cont->type, idx))
                idx++;
        }
        cont->index = idx;
    }
    for (size_t i = 0; i < n; i++) {
        if (!assigned[i])
            def->controllers[kept++] = all[i];
    }
    def->ncontrollers = kept;
    for (size_t i = 0; i < n; i++) {
        if (assigned[i])
            vkDomainControllerInsert(def, all[i]);
    }
}

static int postParseControllers(vkDomainDef *def)
{
    assignControllerIndexes(def);
    if (vkDomainDefAddImplicitControllers(def) < 0)
        return -1;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *a = def->controllers[i];

        /* Several USB controllers may share an index (companion controllers). */
        if (a->type == VK_DOMAIN_CONTROLLER_TYPE_USB)
            continue;
        for (size_t j = i + 1; j < def->ncontrollers; j++) {
            if (a->type == def->controllers[j]->type && a->index == def->controllers[j]->index) {
                vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                              "Multiple '%s' controllers with index '%d'",
                              vkDomainControllerTypeToString(a->type), a->index);
                return -1;
            }
        }
    }
    return 0;
}

static void assignChrPorts(vkDomainChrDef **chrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int max = -1;

        if (chrs[i]->port != -1)
            continue;
        for (size_t j = 0; j < n; j++)
            max = MAX(max, chrs[j]->port);
        chrs[i]->port = max + 1;
    }
}

static gboolean chrSourceEqual(const vkDomainChrDef *a, const vkDomainChrDef *b)
{
    return a->type == b->type && g_strcmp0(a->path, b->path) == 0;
}

static vkDomainChrDef *consoleStub(void)
{
    vkDomainChrDef *stub = vkDomainChrDefNew(VK_DOMAIN_CHR_DEVICE_CONSOLE);

    stub->targetType = VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL;
    stub->port = 0;
    return stub;
}

/* libvirt's back compat: the first console of an hvm guest is an alias of the first serial
 * port, creating the serial port from the console, or a console for the serial port. */
static int postParseConsoles(vkDomainDef *def)
{
    vkDomainChrDef *first;

    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_NONE)
            def->consoles[i]->targetType = VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL;
        if (i > 0 && def->consoles[i]->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "Only the first console can be a serial port");
            return -1;
        }
    }
    first = def->nconsoles ? def->consoles[0] : NULL;
    if (first && first->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL) {
        if (def->nserials == 0) {
            first->deviceType = VK_DOMAIN_CHR_DEVICE_SERIAL;
            first->targetType = 0;
            first->port = 0;
            VK_DOMAIN_APPEND(def->serials, def->nserials, first);
            def->consoles[0] = consoleStub();
        } else if (!chrSourceEqual(def->serials[0], first)) {
            vkDomainChrDefFree(first);
            def->consoles[0] = consoleStub();
        }
    } else if (def->nserials > 0) {
        def->consoles = g_renew(vkDomainChrDef *, def->consoles, def->nconsoles + 1);
        memmove(def->consoles + 1, def->consoles, def->nconsoles * sizeof(*def->consoles));
        def->consoles[0] = consoleStub();
        def->nconsoles++;
    }
    return 0;
}

static void postParseInputs(vkDomainDef *def)
{
    for (size_t i = 0; i < def->ninputs; i++) {
        vkDomainInputDef *input = def->inputs[i];

        if (input->bus != -1)
            continue;
        if (input->type != VK_DOMAIN_INPUT_TYPE_TABLET && archIsX86(def->os.arch))
            input->bus = VK_DOMAIN_INPUT_BUS_PS2;
        else
            input->bus = VK_DOMAIN_INPUT_BUS_USB;
    }
}

static unsigned int videoDefaultRAM(int type)
{
    switch (type) {
    case VK_DOMAIN_VIDEO_TYPE_VGA:
    case VK_DOMAIN_VIDEO_TYPE_CIRRUS:
    case VK_DOMAIN_VIDEO_TYPE_VMVGA:
    case VK_DOMAIN_VIDEO_TYPE_BOCHS:
        return 16 * 1024;
    case VK_DOMAIN_VIDEO_TYPE_QXL:
        return 64 * 1024;
    default:
        return 0;
    }
}

static unsigned int roundUpPowerOfTwo(unsigned int v)
{
    unsigned int p = 1;

    if (v <= 1)
        return v;
    while (p < v)
        p <<= 1;
    return p;
}

static int postParseVideos(vkDomainDef *def)
{
    /* A graphical console needs a video card; libvirt adds one of the default model. */
    if (def->ngraphics > 0 && def->nvideos == 0)
        VK_DOMAIN_APPEND(def->videos, def->nvideos, vkDomainVideoDefNew());
    for (size_t i = 0; i < def->nvideos; i++) {
        vkDomainVideoDef *video = def->videos[i];

        /* The default model, chosen as libvirt's test driver chooses it. */
        if (video->type == VK_DOMAIN_VIDEO_TYPE_DEFAULT)
            video->type = g_str_has_prefix(def->os.arch, "ppc64") ? VK_DOMAIN_VIDEO_TYPE_VGA
                                                                  : VK_DOMAIN_VIDEO_TYPE_CIRRUS;
        if (video->ram == 0 && video->type == VK_DOMAIN_VIDEO_TYPE_QXL)
            video->ram = videoDefaultRAM(video->type);
        if (video->vram == 0)
            video->vram = videoDefaultRAM(video->type);
        video->ram = roundUpPowerOfTwo(video->ram);
        video->vram = roundUpPowerOfTwo(video->vram);
        if (video->type == VK_DOMAIN_VIDEO_TYPE_NONE && def->nvideos > 1) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "a 'none' video type must be the only video device defined for the "
                          "domain");
            return -1;
        }
        if (i > 0 && video->primary && def->videos[0]->primary) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "Only one primary video device is supported");
            return -1;
        }
    }
    if (def->nvideos == 0)
        return 0;
    if (def->videos[0]->type == VK_DOMAIN_VIDEO_TYPE_NONE) {
        /* 'none' carries no settings at all. */
        vkDomainVideoDef *video = def->videos[0];
        g_autofree char *alias = g_steal_pointer(&video->info.alias);

        memset(video, 0, sizeof(*video));
        video->type = VK_DOMAIN_VIDEO_TYPE_NONE;
        video->info.alias = g_steal_pointer(&alias);
    } else {
        def->videos[0]->primary = TRUE;
    }
    return 0;
}

/* A virtio-serial address only places a port on a virtio-serial bus. */
static int checkVirtioSerialAddress(vkDomainDef *def, int type, void *dev, vkDomainDeviceInfo *info,
                                    void *opaque)
{
    const vkDomainChrDef *chr = dev;
    gboolean port;

    if (info->addr.type != VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL)
        return 0;
    port =
        type == VK_DOMAIN_DEVICE_CHR && ((chr->deviceType == VK_DOMAIN_CHR_DEVICE_CHANNEL &&
                                          chr->targetType == VK_DOMAIN_CHR_CHANNEL_TARGET_VIRTIO) ||
                                         (chr->deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE &&
                                          chr->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO));
    if (!port) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "virtio-serial addresses are only for virtio consoles and channels");
        return -1;
    }
    if (info->addr.vioserial.controller >= VK_DOMAIN_MAX_IMPLIED_CONTROLLERS) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "virtio-serial controller index %u is too large",
                      info->addr.vioserial.controller);
        return -1;
    }
    return 0;
}

/* The firmware: what autoselection is asked for, and a loader that says what autoselection
 * would decide is refused, as libvirt does. */
static int postParseOS(vkDomainDef *def, unsigned int flags)
{
    int *fw = def->os.firmwareFeatures;
    const typeof(def->os.loader) *l = &def->os.loader;
    const char *bad = NULL;

    if (fw[VK_DOMAIN_OS_FIRMWARE_FEATURE_ENROLLED_KEYS] == VK_DOMAIN_TRISTATE_YES) {
        if (fw[VK_DOMAIN_OS_FIRMWARE_FEATURE_SECURE_BOOT] == VK_DOMAIN_TRISTATE_NO) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_DETAIL, "%s",
                          "firmware feature 'enrolled-keys' cannot be enabled when firmware "
                          "feature 'secure-boot' is disabled");
            return -1;
        }
        /* Keys enrolled means Secure Boot, as libvirt writes it out. */
        fw[VK_DOMAIN_OS_FIRMWARE_FEATURE_SECURE_BOOT] = VK_DOMAIN_TRISTATE_YES;
    }
    if (l->path && !l->type)
        def->os.loader.type = VK_DOMAIN_LOADER_TYPE_ROM;
    if (!def->os.firmware) {
        gboolean anyFeature = fw[0] || fw[1];

        /* A running guest's firmware was picked: its features stay as the user wrote them. */
        if (anyFeature && !(flags & VK_DOMAIN_DEF_PARSE_STATUS)) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_DETAIL, "%s",
                          "cannot use feature-based firmware autoselection when firmware "
                          "autoselection is disabled");
            return -1;
        }
        if ((l->readonly || l->secure || l->type) && !l->path) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_DETAIL, "%s",
                          "no loader path specified and firmware auto selection disabled");
            return -1;
        }
        return 0;
    }
    if (l->readonly)
        bad = "loader attribute 'readonly'";
    else if (l->type)
        bad = "loader attribute 'type'";
    else if (l->path)
        bad = "loader path";
    else if (def->os.nvramTemplate)
        bad = "nvram attribute 'template'";
    else if (l->secure == VK_DOMAIN_TRISTATE_NO)
        bad = "loader attribute 'secure'";
    if (bad) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_DETAIL,
                      "%s cannot be specified when firmware autoselection is enabled", bad);
        return -1;
    }
    if (def->os.nvram && def->os.firmware != VK_DOMAIN_OS_FIRMWARE_EFI) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_DETAIL,
                      "firmware type '%s' does not support nvram",
                      vkDomainOSFirmwareTypeToString(def->os.firmware));
        return -1;
    }
    return 0;
}

int vkDomainDefPostParse(vkDomainDef *def, unsigned int flags)
{
    if (postParseMemory(def) < 0)
        return -1;
    postParseVcpus(def);
    if (postParseOS(def, flags) < 0)
        return -1;
    if (!def->os.arch)
        def->os.arch = g_strdup(VK_DOMAIN_DEFAULT_ARCH);
    if (postParseBoot(def) < 0 || vkDomainDevicesValidate(def) < 0 ||
        vkDomainDefCheckDriveAddresses(def) < 0 ||
        vkDomainDefForEachDeviceInfo(def, checkVirtioSerialAddress, NULL) < 0)
        return -1;
    assignChrPorts(def->serials, def->nserials);
    assignChrPorts(def->consoles, def->nconsoles);
    if (postParseConsoles(def) < 0 || postParseControllers(def) < 0)
        return -1;
    postParseInputs(def);
    return postParseVideos(def);
}
