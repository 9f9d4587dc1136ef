/* What libvirt's qemu driver adds to a definition it accepts: the implicit input devices,
 * controllers, memory balloon and audio backend, device models, the default CPU, and drive
 * and PCI addresses, so that the stored configuration names every device qemu gets. */
#include "qemu_postparse_priv.h"

#include <string.h>

#include "util/vkerror.h"

#define PP_ERR VIR_FROM_QEMU

/* qemu's default CPU type for x86 pc and q35 machines (query-machines default-cpu-type). */
#define DEFAULT_CPU_X86_64 "qemu64"
#define DEFAULT_CPU_I686   "qemu32"
/* libvirt's default vgamem for QXL, KiB. */
#define QXL_VGAMEM_DEFAULT (16 * 1024)

void vkQEMUMachineInit(const vkDomainDef *def, vkQEMUMachine *m)
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

gboolean vkQEMUControllerIs(const vkDomainControllerDef *c, int type, const char *model)
{
    const char *m = c->model >= 0 ? vkDomainControllerModelToString(c->type, c->model) : NULL;

    return c->type == type && g_strcmp0(m, model) == 0;
}

vkDomainControllerDef *vkQEMUFindController(const vkDomainDef *def, int type, int index)
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

static int addDefaultDevices(vkDomainDef *def, const vkQEMUMachine *m, const vkQEMUCaps *caps)
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
        if ((pci = vkQEMUFindController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, 0))) {
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

static void cpuDefaults(vkDomainDef *def, const vkQEMUMachine *m)
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

/* The qemu driver's rules for <cpu><cache> (libvirt validates them at define). */
static int checkCPUCache(const vkDomainCPUDef *cpu)
{
    const char *mode;

    if (!cpu || !cpu->hasCache)
        return 0;
    mode = vkDomainCPUCacheModeTypeToString(cpu->cacheMode);
    switch (cpu->cacheMode) {
    case VK_DOMAIN_CPU_CACHE_EMULATE:
        if (cpu->cacheLevel != 3) {
            vkReportError(PP_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "CPU cache mode '%s' can only be used with level='3'", mode);
            return -1;
        }
        return 0;
    case VK_DOMAIN_CPU_CACHE_PASSTHROUGH:
        if (cpu->mode != VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
            cpu->mode != VK_DOMAIN_CPU_MODE_MAXIMUM) {
            vkReportError(PP_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "CPU cache mode '%s' can only be used with '%s' / '%s' CPUs", mode,
                          "host-passthrough", "maximum");
            return -1;
        }
        break;
    default:
        break;
    }
    if (cpu->cacheLevel != -1) {
        vkReportError(PP_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unsupported CPU cache level for mode '%s'", mode);
        return -1;
    }
    return 0;
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

/* libvirt's qemu driver: tpm-tis on x86, and TPM 2.0 for CRB (1.2 for TIS, for old guests). */
static void tpmDefaults(vkDomainTPMDef *tpm)
{
    if (!tpm->model)
        tpm->model = VK_DOMAIN_TPM_MODEL_TIS;
    if (tpm->type == VK_DOMAIN_TPM_TYPE_EMULATOR && !tpm->version)
        tpm->version =
            tpm->model == VK_DOMAIN_TPM_MODEL_CRB || tpm->model == VK_DOMAIN_TPM_MODEL_SPAPR
                ? VK_DOMAIN_TPM_VERSION_2_0
                : VK_DOMAIN_TPM_VERSION_1_2;
}

static void deviceDefaults(vkDomainDef *def, const vkQEMUMachine *m, const vkQEMUCaps *caps)
{
    for (size_t i = 0; i < def->ntpms; i++)
        tpmDefaults(def->tpms[i]);
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

static int assignDriveAddress(vkDomainDiskDef *disk)
{
    vkDomainDeviceAddress *a = &disk->info.addr;
    int idx;

    if (a->type != VK_DOMAIN_ADDRESS_TYPE_NONE)
        return 0;
    if (disk->bus != VK_DOMAIN_DISK_BUS_IDE && disk->bus != VK_DOMAIN_DISK_BUS_SCSI &&
        disk->bus != VK_DOMAIN_DISK_BUS_SATA && disk->bus != VK_DOMAIN_DISK_BUS_FDC)
        return 0;
    if ((idx = vkDomainDiskNameIndex(disk->dst)) < 0) {
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

/* ---- what the driver refuses once the definition is complete ---- */

/* qemu would quietly give the guest one NUMA node with the memory hotplug backend, so libvirt
 * asks for the nodes to be configured; only ppc64 guests have their own way. This model has
 * no NUMA nodes yet, so elsewhere than ppc64 memory hotplug cannot be defined. */
static int validateMemoryHotplug(const vkDomainDef *def)
{
    if (!def->maxMemory && !def->maxMemorySlots)
        return 0;
    if (g_str_has_prefix(def->os.arch, "ppc64"))
        return 0;
    vkReportError(PP_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                  "At least one numa node has to be configured when enabling memory hotplug");
    return -1;
}

/* ---- virtio-serial ports ---- */

/* libvirt's default number of ports of a virtio-serial controller. */
#define VIRTIO_SERIAL_PORTS 31

static gboolean vioserialTaken(const vkDomainDef *def, unsigned int controller, unsigned int port,
                               const vkDomainChrDef *except)
{
    const struct {
        vkDomainChrDef **chrs;
        size_t n;
    } lists[] = { { def->consoles, def->nconsoles }, { def->channels, def->nchannels } };

    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (size_t i = 0; i < lists[l].n; i++) {
            const vkDomainDeviceAddress *a = &lists[l].chrs[i]->info.addr;

            if (lists[l].chrs[i] != except && a->type == VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL &&
                a->vioserial.controller == controller && a->vioserial.bus == 0 &&
                a->vioserial.port == port && (port != 0 || lists[l].chrs == def->consoles))
                return TRUE;
        }
    }
    return FALSE;
}

/* As libvirt: a port on the first virtio-serial controller with one free (or on the
 * controller the address names), from 1 for channels (port 0 is the console's). */
static int assignVirtioSerialPort(vkDomainDef *def, vkDomainChrDef *chr, gboolean console)
{
    vkDomainDeviceAddress *a = &chr->info.addr;
    gboolean placed = a->type == VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL;

    if (placed && (a->vioserial.port != 0 || console))
        return 0;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];
        unsigned int ports = c->ports > 0 ? (unsigned int)c->ports : VIRTIO_SERIAL_PORTS;

        if (c->type != VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL ||
            (placed && (unsigned int)c->index != a->vioserial.controller))
            continue;
        for (unsigned int port = console ? 0 : 1; port < ports; port++) {
            if (!vioserialTaken(def, c->index, port, chr)) {
                a->type = VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL;
                a->vioserial.controller = c->index;
                a->vioserial.bus = 0;
                a->vioserial.port = port;
                return 0;
            }
        }
    }
    vkReportError(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s",
                  "Unable to find a free virtio-serial port");
    return -1;
}

/* Consoles keep no address in libvirt's stored definition (qemu gives virtconsole port 0). */
static int assignVirtioSerialPorts(vkDomainDef *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        if (def->channels[i]->targetType == VK_DOMAIN_CHR_CHANNEL_TARGET_VIRTIO &&
            assignVirtioSerialPort(def, def->channels[i], FALSE) < 0)
            return -1;
    }
    return 0;
}

/* ---- the whole ---- */

/* OVMF finds its tables through ACPI: libvirt refuses UEFI without it on x86. */
static int validateFirmware(const vkDomainDef *def)
{
    gboolean uefi = def->os.firmware == VK_DOMAIN_OS_FIRMWARE_EFI ||
                    def->os.loader.type == VK_DOMAIN_LOADER_TYPE_PFLASH;
    gboolean x86 = g_str_equal(def->os.arch, "x86_64") || g_str_equal(def->os.arch, "i686");

    if (uefi && x86 && !def->features[VK_DOMAIN_FEATURE_ACPI]) {
        vkReportError(PP_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "UEFI requires ACPI on this architecture");
        return -1;
    }
    return 0;
}

static int postParse(vkDomainDef *def, const vkQEMUCaps *caps, gboolean newDomain)
{
    vkQEMUMachine m;

    if (validateFirmware(def) < 0)
        return -1;
    vkQEMUMachineInit(def, &m);
    /* libvirt adds the driver's defaults before the controllers the devices imply. */
    vkDomainDefRemoveImplicitControllers(def);
    if (addDefaultDevices(def, &m, caps) < 0)
        return -1;
    addDefaultAudio(def);
    if (checkCPUCache(def->cpu) < 0)
        return -1;
    cpuDefaults(def, &m);
    deviceDefaults(def, &m, caps);
    for (size_t i = 0; i < def->ndisks; i++) {
        if (assignDriveAddress(def->disks[i]) < 0)
            return -1;
    }
    /* The addresses given here may meet those the definition named. */
    if (vkDomainDefCheckDriveAddresses(def) < 0 || addDiskControllers(def, caps) < 0 ||
        assignVirtioSerialPorts(def) < 0 || vkQEMUDomainAssignUSBAddresses(def, newDomain) < 0 ||
        vkQEMUDomainAssignPCIAddresses(def, &m, caps) < 0)
        return -1;
    return validateMemoryHotplug(def);
}

int vkQEMUDomainDefPostParse(vkDomainDef *def, const vkQEMUCaps *caps)
{
    return postParse(def, caps, TRUE);
}

int vkQEMUDomainDefPostParseExisting(vkDomainDef *def, const vkQEMUCaps *caps)
{
    return postParse(def, caps, FALSE);
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
    vkQEMUMachine m;
    vkDomainControllerDef *usb = soleController(def, VK_DOMAIN_CONTROLLER_TYPE_USB);
    vkDomainControllerDef *pci = soleController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI);

    vkQEMUMachineInit(def, &m);
    if (m.i440fx && usb && usb->index == 0 &&
        (usb->model < 0 || vkQEMUControllerIs(usb, VK_DOMAIN_CONTROLLER_TYPE_USB, "piix3-uhci")) &&
        !userAlias(&usb->info))
        removeController(def, usb);
    if (pci && pci->index == 0 &&
        vkQEMUControllerIs(pci, VK_DOMAIN_CONTROLLER_TYPE_PCI, "pci-root") &&
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
