/* What libvirt's qemu driver adds to a definition it accepts: the implicit input devices,
 * controllers, memory balloon and audio backend, device models, the default CPU, and drive
 * and PCI addresses, so that the stored configuration names every device qemu gets. */
#include "qemu_postparse.h"

#include <string.h>

#include "util/vkerror.h"

#define PP_ERR VIR_FROM_QEMU

/* qemu's default CPU type for x86 pc and q35 machines (query-machines default-cpu-type). */
#define DEFAULT_CPU_X86_64 "qemu64"
#define DEFAULT_CPU_I686   "qemu32"
/* libvirt's default vgamem for QXL, KiB. */
#define QXL_VGAMEM_DEFAULT (16 * 1024)

typedef struct {
    gboolean x86;
    gboolean i440fx;
    gboolean q35;
} vkMachine;

static void machineInit(const vkDomainDef *def, vkMachine *m)
{
    const char *name = def->os.machine ? def->os.machine : "";

    m->x86 = g_str_equal(def->os.arch, "x86_64") || g_str_equal(def->os.arch, "i686");
    m->i440fx = m->x86 && (g_str_equal(name, "pc") || g_str_has_prefix(name, "pc-i440fx-") ||
                           g_str_has_prefix(name, "pc-0.") || g_str_has_prefix(name, "pc-1."));
    m->q35 = m->x86 && (g_str_equal(name, "q35") || g_str_has_prefix(name, "pc-q35-"));
}

static int controllerModel(int type, const char *name)
{
    return vkDomainControllerModelFromString(type, name);
}

static gboolean controllerIs(const vkDomainControllerDef *c, int type, const char *model)
{
    const char *m = c->model >= 0 ? vkDomainControllerModelToString(c->type, c->model) : NULL;

    return c->type == type && g_strcmp0(m, model) == 0;
}

static vkDomainControllerDef *findController(const vkDomainDef *def, int type, int index)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == type && def->controllers[i]->index == index)
            return def->controllers[i];
    }
    return NULL;
}

/* ---- implicit devices ---- */

static void maybeAddInput(vkDomainDef *def, int type, int bus)
{
    vkDomainInputDef *input;

    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i]->type == type && def->inputs[i]->bus == bus)
            return;
    }
    input = g_new0(vkDomainInputDef, 1);
    input->type = type;
    input->bus = bus;
    def->inputs = g_renew(vkDomainInputDef *, def->inputs, def->ninputs + 1);
    def->inputs[def->ninputs++] = input;
}

static int checkPCIRoot(vkDomainControllerDef *root, const char *want)
{
    int model = controllerModel(VK_DOMAIN_CONTROLLER_TYPE_PCI, want);

    /* A root written without a model is the machine's. */
    if (root->model == -1)
        root->model = model;
    if (root->model != model) {
        vkReportError(PP_ERR, VIR_ERR_XML_ERROR,
                      "The PCI controller with index='0' must be model='%s' for this machine "
                      "type, but model='%s' was found instead",
                      want, vkDomainControllerModelToString(root->type, root->model));
        return -1;
    }
    return 0;
}

static int addDefaultDevices(vkDomainDef *def, const vkMachine *m, const vkQEMUCaps *caps)
{
    const char *root = NULL;
    vkDomainControllerDef *pci;

    if (!m->x86)
        return 0;
    maybeAddInput(def, VK_DOMAIN_INPUT_TYPE_MOUSE, VK_DOMAIN_INPUT_BUS_PS2);
    maybeAddInput(def, VK_DOMAIN_INPUT_TYPE_KBD, VK_DOMAIN_INPUT_BUS_PS2);
    if (m->q35) {
        /* USB3 where qemu has it; otherwise the model is left to the controller default. */
        int usb = !caps || vkQEMUCapsHasDevice(caps, "qemu-xhci")
                      ? controllerModel(VK_DOMAIN_CONTROLLER_TYPE_USB, "qemu-xhci")
                      : -1;
        vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_USB, 0, usb);
        vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_SATA, 0, -1);
        root = "pcie-root";
    } else if (!g_str_equal(def->os.machine, "isapc")) {
        vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_USB, 0, -1);
        if (m->i440fx)
            root = "pci-root";
    }
    if (root) {
        if ((pci = findController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, 0))) {
            if (checkPCIRoot(pci, root) < 0)
                return -1;
        } else {
            vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, 0,
                                     controllerModel(VK_DOMAIN_CONTROLLER_TYPE_PCI, root));
        }
    }
    if (!def->memballoon) {
        def->memballoon = g_new0(vkDomainMemballoonDef, 1);
        def->memballoon->model = VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO;
    }
    return 0;
}

/* libvirt's choice with qemu.conf's defaults (no host audio for VNC or without graphics):
 * the last graphics device decides, SPICE carrying the sound itself. */
static int defaultAudioType(const vkDomainDef *def)
{
    int type = VK_DOMAIN_AUDIO_TYPE_NONE;

    for (size_t i = 0; i < def->ngraphics; i++)
        type = def->graphics[i]->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE ? VK_DOMAIN_AUDIO_TYPE_SPICE
                                                                       : VK_DOMAIN_AUDIO_TYPE_NONE;
    return type;
}

static void addDefaultAudio(vkDomainDef *def)
{
    vkDomainAudioDef *audio;

    if (def->naudios > 0)
        return;
    audio = g_new0(vkDomainAudioDef, 1);
    audio->id = 1;
    audio->type = defaultAudioType(def);
    def->audios = g_new0(vkDomainAudioDef *, 1);
    def->audios[0] = audio;
    def->naudios = 1;
}

/* ---- CPU ---- */

static void cpuDefaults(vkDomainDef *def, const vkMachine *m)
{
    vkDomainCPUDef *cpu = def->cpu;

    /* Without a model, qemu's default CPU for the machine, checked against nothing since it
     * may not run on every host. */
    if (m->x86 && (m->i440fx || m->q35) &&
        (!cpu || (cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM && !cpu->model))) {
        if (!cpu)
            cpu = def->cpu = g_new0(vkDomainCPUDef, 1);
        cpu->mode = VK_DOMAIN_CPU_MODE_CUSTOM;
        cpu->match = VK_DOMAIN_CPU_MATCH_EXACT;
        cpu->check = VK_DOMAIN_CPU_CHECK_NONE;
        cpu->fallback = VK_DOMAIN_CPU_FALLBACK_FORBID;
        cpu->model =
            g_strdup(g_str_equal(def->os.arch, "i686") ? DEFAULT_CPU_I686 : DEFAULT_CPU_X86_64);
    }
    if (!cpu)
        return;
    /* qemu 7.2 knows the migratable property. */
    if (cpu->mode == VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
        cpu->migratable == VK_DOMAIN_TRISTATE_ABSENT)
        cpu->migratable = VK_DOMAIN_TRISTATE_YES;
    if ((cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM && !cpu->model) ||
        cpu->check != VK_DOMAIN_CPU_CHECK_DEFAULT)
        return;
    switch (cpu->mode) {
    case VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
    case VK_DOMAIN_CPU_MODE_MAXIMUM:
        cpu->check = VK_DOMAIN_CPU_CHECK_NONE;
        break;
    case VK_DOMAIN_CPU_MODE_HOST_MODEL:
        cpu->check = VK_DOMAIN_CPU_CHECK_PARTIAL;
        break;
    default:
        /* A custom CPU under TCG is not compared with the host's. */
        cpu->check = def->virtType == VK_DOMAIN_VIRT_QEMU ? VK_DOMAIN_CPU_CHECK_NONE
                                                          : VK_DOMAIN_CPU_CHECK_PARTIAL;
        break;
    }
}

/* ---- device models ---- */

static void controllerDefaults(vkDomainControllerDef *c, const vkQEMUCaps *caps)
{
    if (c->model != -1)
        return;
    if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
        (!caps || vkQEMUCapsHasDevice(caps, "piix3-usb-uhci")))
        c->model = controllerModel(c->type, "piix3-uhci");
    else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_SCSI)
        c->model = controllerModel(c->type, "lsilogic");
}

static void deviceDefaults(vkDomainDef *def, const vkMachine *m, const vkQEMUCaps *caps)
{
    for (size_t i = 0; i < def->ncontrollers; i++)
        controllerDefaults(def->controllers[i], caps);
    for (size_t i = 0; i < def->ndisks; i++) {
        vkDomainDiskDef *disk = def->disks[i];

        if (!disk->driverName)
            disk->driverName = g_strdup("qemu");
        /* Image formats are never probed. */
        if (disk->format == VK_DOMAIN_DISK_FORMAT_NONE)
            disk->format = VK_DOMAIN_DISK_FORMAT_RAW;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (!def->nets[i]->model && m->x86)
            def->nets[i]->model = g_strdup("rtl8139");
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        vkDomainVideoDef *video = def->videos[i];

        if (video->type == VK_DOMAIN_VIDEO_TYPE_QXL && !video->vgamem)
            video->vgamem = QXL_VGAMEM_DEFAULT;
    }
    for (size_t i = 0; i < def->nserials && m->x86; i++) {
        vkDomainChrDef *chr = def->serials[i];

        if (chr->targetType == VK_DOMAIN_CHR_SERIAL_TARGET_NONE)
            chr->targetType = VK_DOMAIN_CHR_SERIAL_TARGET_ISA;
        if (chr->targetModel == VK_DOMAIN_CHR_SERIAL_MODEL_NONE)
            chr->targetModel = VK_DOMAIN_CHR_SERIAL_MODEL_ISA_SERIAL;
    }
}

/* ---- drive addresses and the controllers they imply ---- */

/* The position a target name gives a disk among those of its bus: hda 0, hdz 25, hdaa 26. */
static int diskIndex(const char *dst)
{
    gint64 idx = 0;

    for (const char *p = dst + 2; *p; p++) {
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > G_MAXINT)
            return -1;
    }
    return (int)idx - 1;
}

static int assignDriveAddress(vkDomainDiskDef *disk)
{
    vkDomainDeviceAddress *a = &disk->info.addr;
    int idx;

    if (a->type != VK_DOMAIN_ADDRESS_TYPE_NONE)
        return 0;
    if (disk->bus != VK_DOMAIN_DISK_BUS_IDE && disk->bus != VK_DOMAIN_DISK_BUS_SCSI &&
        disk->bus != VK_DOMAIN_DISK_BUS_SATA && disk->bus != VK_DOMAIN_DISK_BUS_FDC)
        return 0;
    if ((idx = diskIndex(disk->dst)) < 0) {
        vkReportError(PP_ERR, VIR_ERR_XML_ERROR, "Unknown disk name '%s' and no address specified",
                      disk->dst);
        return -1;
    }
    memset(a, 0, sizeof(*a));
    a->type = VK_DOMAIN_ADDRESS_TYPE_DRIVE;
    switch (disk->bus) {
    case VK_DOMAIN_DISK_BUS_IDE: /* two buses of two units per controller */
        a->drive.controller = idx / 4;
        a->drive.bus = (idx % 4) / 2;
        a->drive.unit = idx % 2;
        break;
    case VK_DOMAIN_DISK_BUS_SCSI: /* a narrow bus of seven units per controller */
        a->drive.controller = idx / 7;
        a->drive.unit = idx % 7;
        break;
    case VK_DOMAIN_DISK_BUS_SATA: /* six ports per controller */
        a->drive.controller = idx / 6;
        a->drive.unit = idx % 6;
        break;
    default: /* fdc: two drives per controller */
        a->drive.controller = idx / 2;
        a->drive.unit = idx % 2;
        break;
    }
    return 0;
}

/* The controllers the drive addresses imply, with the models this driver gives them. */
static int addDiskControllers(vkDomainDef *def, const vkQEMUCaps *caps)
{
    if (vkDomainDefAddImplicitControllers(def) < 0)
        return -1;
    for (size_t i = 0; i < def->ncontrollers; i++)
        controllerDefaults(def->controllers[i], caps);
    return 0;
}

/* ---- PCI addresses ---- */

#define PCI_SLOTS 32

/* The functions in use on each slot of each PCI bus (bus N is controller pci index N). */
typedef guint8 vkPCIBusFuncs[PCI_SLOTS];

typedef struct {
    vkPCIBusFuncs *funcs;
    gboolean *autoassign; /* buses devices may be put on without an address */
    unsigned int nbuses;
} vkPCISet;

static void pciSetClear(vkPCISet *set)
{
    g_free(set->funcs);
    g_free(set->autoassign);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkPCISet, pciSetClear)

static int pciConflict(const vkDomainDeviceAddress *a, const char *why)
{
    vkReportError(PP_ERR, VIR_ERR_XML_ERROR, "%s PCI address %04x:%02x:%02x.%x", why, a->pci.domain,
                  a->pci.bus, a->pci.slot, a->pci.function);
    return -1;
}

static int pciReserve(vkPCISet *set, const vkDomainDeviceAddress *a)
{
    guint8 bit = 1u << a->pci.function;

    if (a->pci.domain != 0 || a->pci.bus >= set->nbuses)
        return pciConflict(a, "No PCI bus for");
    if (set->funcs[a->pci.bus][a->pci.slot] & bit)
        return pciConflict(a, "Attempted double use of");
    set->funcs[a->pci.bus][a->pci.slot] |= bit;
    return 0;
}

static int pciReserveInfo(vkPCISet *set, const vkDomainDeviceInfo *info)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_PCI ? pciReserve(set, &info->addr) : 0;
}

/* The first slot no function of which is used, on the first bus that takes devices. */
static int pciReserveNext(vkPCISet *set, vkDomainDeviceInfo *info, unsigned int function)
{
    for (unsigned int bus = 0; bus < set->nbuses; bus++) {
        if (!set->autoassign[bus])
            continue;
        for (unsigned int slot = 1; slot < PCI_SLOTS; slot++) {
            if (set->funcs[bus][slot])
                continue;
            memset(&info->addr, 0, sizeof(info->addr));
            info->addr.type = VK_DOMAIN_ADDRESS_TYPE_PCI;
            info->addr.pci.bus = bus;
            info->addr.pci.slot = slot;
            info->addr.pci.function = function;
            set->funcs[bus][slot] |= 1u << function;
            return 0;
        }
    }
    vkReportError(PP_ERR, VIR_ERR_INTERNAL_ERROR, "%s", "No more available PCI slots");
    return -1;
}

static int pciWanted(vkPCISet *set, vkDomainDeviceInfo *info)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE ? pciReserveNext(set, info, 0) : 0;
}

static int pciSetInit(vkPCISet *set, const vkDomainDef *def)
{
    int max = -1;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VK_DOMAIN_CONTROLLER_TYPE_PCI)
            max = MAX(max, def->controllers[i]->index);
    }
    set->nbuses = max + 1;
    set->funcs = g_new0(vkPCIBusFuncs, set->nbuses + 1);
    set->autoassign = g_new0(gboolean, set->nbuses + 1);
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI &&
            (controllerIs(c, c->type, "pci-root") || controllerIs(c, c->type, "pci-bridge")))
            set->autoassign[c->index] = TRUE;
    }
    /* Every address already written is taken. */
    for (size_t i = 0; i < def->ndisks; i++) {
        if (pciReserveInfo(set, &def->disks[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (pciReserveInfo(set, &def->controllers[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (pciReserveInfo(set, &def->nets[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (pciReserveInfo(set, &def->inputs[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        if (pciReserveInfo(set, &def->videos[i]->info) < 0)
            return -1;
    }
    return def->memballoon ? pciReserveInfo(set, &def->memballoon->info) : 0;
}

/* A controller the PIIX3 holds at a fixed function of slot 1. */
static int piix3Fixed(vkPCISet *set, vkDomainControllerDef *c, unsigned int function,
                      const char *what)
{
    vkDomainDeviceAddress *a = &c->info.addr;

    if (a->type == VK_DOMAIN_ADDRESS_TYPE_PCI) {
        if (a->pci.domain || a->pci.bus || a->pci.slot != 1 || a->pci.function != function) {
            vkReportError(PP_ERR, VIR_ERR_INTERNAL_ERROR, "%s must have PCI address 0:0:1.%u", what,
                          function);
            return -1;
        }
        return 0;
    }
    memset(a, 0, sizeof(*a));
    a->type = VK_DOMAIN_ADDRESS_TYPE_PCI;
    a->pci.slot = 1;
    a->pci.function = function;
    return pciReserve(set, a);
}

/* The i440FX's own devices: the PIIX3 (ISA bridge, IDE, USB, power management) in slot 1, and
 * the primary video card, which qemu always puts in the next slot, 2. */
static int pciAssignPIIX3(vkPCISet *set, vkDomainDef *def)
{
    vkDomainDeviceAddress isa = { .type = VK_DOMAIN_ADDRESS_TYPE_PCI, .pci.slot = 1 };
    vkDomainVideoDef *video = def->nvideos ? def->videos[0] : NULL;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0) {
            if (piix3Fixed(set, c, 1, "Primary IDE controller") < 0)
                return -1;
        } else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB && c->index == 0 &&
                   (c->model == -1 || controllerIs(c, c->type, "piix3-uhci"))) {
            if (piix3Fixed(set, c, 2, "PIIX3 USB controller at index 0") < 0)
                return -1;
        }
    }
    for (unsigned int function = 0; function <= 3; function += 3) {
        isa.pci.function = function;
        if (pciReserve(set, &isa) < 0)
            return -1;
    }
    if (!video || video->type == VK_DOMAIN_VIDEO_TYPE_NONE ||
        video->type == VK_DOMAIN_VIDEO_TYPE_RAMFB ||
        video->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE)
        return 0;
    if (set->funcs[0][2])
        return pciReserveNext(set, &video->info, 0);
    video->info.addr.type = VK_DOMAIN_ADDRESS_TYPE_PCI;
    video->info.addr.pci.slot = 2;
    set->funcs[0][2] |= 1;
    return 0;
}

static gboolean isUSB2Companion(const vkDomainControllerDef *c)
{
    static const char *const models[] = { "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3" };

    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (controllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_USB, models[i]))
            return TRUE;
    }
    return FALSE;
}

/* An EHCI controller and its UHCI companions share one slot, each at its own function. */
static int pciAssignUSB2(vkPCISet *set, const vkDomainDef *def, vkDomainControllerDef *c)
{
    const char *model = vkDomainControllerModelToString(c->type, c->model);
    unsigned int function = g_str_equal(model, "ich9-ehci1") ? 7 : (unsigned int)(model[9] - '1');
    int multi = function == 0 ? VK_DOMAIN_TRISTATE_YES : VK_DOMAIN_TRISTATE_ABSENT;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *o = def->controllers[i];

        if (o != c && isUSB2Companion(o) && o->index == c->index &&
            o->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_PCI) {
            c->info.addr = o->info.addr;
            c->info.addr.pci.function = function;
            c->info.addr.pci.multi = multi;
            return pciReserve(set, &c->info.addr);
        }
    }
    if (pciReserveNext(set, &c->info, function) < 0)
        return -1;
    c->info.addr.pci.multi = multi;
    return 0;
}

static int pciAssignControllers(vkPCISet *set, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI || c->type == VK_DOMAIN_CONTROLLER_TYPE_FDC ||
            (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0) ||
            controllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_USB, "none") ||
            controllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_SCSI, "ncr53c90") ||
            c->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE)
            continue;
        if ((isUSB2Companion(c) ? pciAssignUSB2(set, def, c) : pciWanted(set, &c->info)) < 0)
            return -1;
    }
    return 0;
}

/* Function 0 of a slot with several functions in use must say so. */
static void pciSetMulti(vkPCISet *set, vkDomainDeviceInfo *info)
{
    vkDomainDeviceAddress *a = &info->addr;

    if (a->type == VK_DOMAIN_ADDRESS_TYPE_PCI && a->pci.function == 0 &&
        a->pci.multi == VK_DOMAIN_TRISTATE_ABSENT && a->pci.bus < set->nbuses &&
        (set->funcs[a->pci.bus][a->pci.slot] & ~1u))
        a->pci.multi = VK_DOMAIN_TRISTATE_YES;
}

static void pciSetAllMulti(vkPCISet *set, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++)
        pciSetMulti(set, &def->disks[i]->info);
    for (size_t i = 0; i < def->ncontrollers; i++)
        pciSetMulti(set, &def->controllers[i]->info);
    for (size_t i = 0; i < def->nnets; i++)
        pciSetMulti(set, &def->nets[i]->info);
    for (size_t i = 0; i < def->ninputs; i++)
        pciSetMulti(set, &def->inputs[i]->info);
    for (size_t i = 0; i < def->nvideos; i++)
        pciSetMulti(set, &def->videos[i]->info);
    if (def->memballoon)
        pciSetMulti(set, &def->memballoon->info);
}

/* libvirt's order (kept from qemu 0.12 so that old guests keep their slots): bridges,
 * network interfaces, controllers, virtio disks, the balloon, video cards, virtio input. */
static int pciAssignDevices(vkPCISet *set, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI && !controllerIs(c, c->type, "pci-root") &&
            !controllerIs(c, c->type, "pcie-root") && pciWanted(set, &c->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        /* A USB network adapter sits on the USB bus. */
        if (g_strcmp0(def->nets[i]->model, "usb-net") != 0 &&
            pciWanted(set, &def->nets[i]->info) < 0)
            return -1;
    }
    if (pciAssignControllers(set, def) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VK_DOMAIN_DISK_BUS_VIRTIO &&
            pciWanted(set, &def->disks[i]->info) < 0)
            return -1;
    }
    if (def->memballoon && def->memballoon->model != VK_DOMAIN_MEMBALLOON_MODEL_NONE &&
        pciWanted(set, &def->memballoon->info) < 0)
        return -1;
    for (size_t i = 0; i < def->nvideos; i++) {
        vkDomainVideoDef *video = def->videos[i];

        if (video->type != VK_DOMAIN_VIDEO_TYPE_NONE && video->type != VK_DOMAIN_VIDEO_TYPE_RAMFB &&
            pciWanted(set, &video->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i]->bus == VK_DOMAIN_INPUT_BUS_VIRTIO &&
            pciWanted(set, &def->inputs[i]->info) < 0)
            return -1;
    }
    return 0;
}

static int assignPCIAddresses(vkDomainDef *def, const vkMachine *m)
{
    g_auto(vkPCISet) set = { 0 };

    /* The q35 machine's PCI Express topology (root ports per device) is not built here:
     * its devices keep the addresses written, and qemu places the others. */
    if (!m->i440fx)
        return 0;
    if (pciSetInit(&set, def) < 0 || pciAssignPIIX3(&set, def) < 0 ||
        pciAssignDevices(&set, def) < 0)
        return -1;
    pciSetAllMulti(&set, def);
    return 0;
}

/* ---- the whole ---- */

int vkQEMUDomainDefPostParse(vkDomainDef *def, const vkQEMUCaps *caps)
{
    vkMachine m;

    machineInit(def, &m);
    if (addDefaultDevices(def, &m, caps) < 0)
        return -1;
    addDefaultAudio(def);
    cpuDefaults(def, &m);
    deviceDefaults(def, &m, caps);
    for (size_t i = 0; i < def->ndisks; i++) {
        if (assignDriveAddress(def->disks[i]) < 0)
            return -1;
    }
    if (addDiskControllers(def, caps) < 0)
        return -1;
    return assignPCIAddresses(def, &m);
}

/* ---- the migratable form ---- */

static gboolean userAlias(const vkDomainDeviceInfo *info)
{
    return info->alias && g_str_has_prefix(info->alias, "ua-");
}

/* The only controller of TYPE, or NULL when there are none or several. */
static vkDomainControllerDef *soleController(const vkDomainDef *def, int type)
{
    vkDomainControllerDef *found = NULL;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type != type)
            continue;
        if (found)
            return NULL;
        found = def->controllers[i];
    }
    return found;
}

static void removeController(vkDomainDef *def, vkDomainControllerDef *c)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i] != c)
            continue;
        memmove(&def->controllers[i], &def->controllers[i + 1],
                (def->ncontrollers - i - 1) * sizeof(*def->controllers));
        def->ncontrollers--;
        vkDomainControllerDefFree(c);
        return;
    }
}

void vkQEMUDomainDefMigratable(vkDomainDef *def)
{
    vkMachine m;
    vkDomainControllerDef *usb = soleController(def, VK_DOMAIN_CONTROLLER_TYPE_USB);
    vkDomainControllerDef *pci = soleController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI);

    machineInit(def, &m);
    if (m.i440fx && usb && usb->index == 0 &&
        (usb->model < 0 || controllerIs(usb, VK_DOMAIN_CONTROLLER_TYPE_USB, "piix3-uhci")) &&
        !userAlias(&usb->info))
        removeController(def, usb);
    if (pci && pci->index == 0 && controllerIs(pci, VK_DOMAIN_CONTROLLER_TYPE_PCI, "pci-root") &&
        !userAlias(&pci->info))
        removeController(def, pci);
    /* The default backend is whatever the post-parse would pick for these graphics. */
    if (def->naudios == 1 && def->audios[0]->id == 1 &&
        def->audios[0]->type == defaultAudioType(def)) {
        vkDomainAudioDefFree(def->audios[0]);
        g_clear_pointer(&def->audios, g_free);
        def->naudios = 0;
    }
}
