/* PCI addresses for the devices of a new definition, as libvirt's qemu driver assigns them: the
 * chipset's fixed slots, then every device without an address in libvirt's order, adding the
 * root ports and bridges a q35 guest's devices need. */
#include "qemu_postparse_priv.h"

#include <string.h>

#include "util/vkerror.h"

#define PP_ERR VIR_FROM_QEMU

static int controllerModel(int type, const char *name)
{
    return vkDomainControllerModelFromString(type, name);
}

/* ---- PCI addresses ---- */

#define PCI_SLOTS 32

/* What a bus takes when addresses are picked for devices. */
typedef enum {
    BUS_NONE,        /* nothing is placed here automatically */
    BUS_PCI,         /* pci-root, pci-bridge, pcie-to-pci-bridge: conventional devices */
    BUS_PCIE_ROOT,   /* pcie-root: only its root ports */
    BUS_PORT,        /* a PCIe port: one PCIe device (or a pcie-to-pci-bridge) in slot 0 */
    BUS_PORT_BRIDGE, /* a port added for a pcie-to-pci-bridge only */
} vkPCIBusKind;

/* How a device plugs in. On machines without PCIe every device is CONNECT_PCI. */
typedef enum {
    CONNECT_PCI,
    CONNECT_PCIE,
    CONNECT_ROOT_PORT, /* several root ports share a slot of pcie-root, one per function */
    CONNECT_PCIE_TO_PCI_BRIDGE,
} vkPCIConnect;

/* The functions in use on each slot of each PCI bus (bus N is controller pci index N). */
typedef guint8 vkPCIBusFuncs[PCI_SLOTS];

typedef struct {
    vkPCIBusFuncs *funcs;
    guint32 *aggregate; /* per bus, the slots holding root ports */
    vkPCIBusKind *kinds;
    int *models; /* the controller model of each bus; -1 where none */
    unsigned int nbuses;
    gboolean q35;
    /* The first pass: only counts the buses needed, adding them as devices overflow, and
     * leaves the devices' addresses alone. */
    gboolean dryRun;
} vkPCISet;

static void pciSetClear(vkPCISet *set)
{
    g_free(set->funcs);
    g_free(set->aggregate);
    g_free(set->kinds);
    g_free(set->models);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkPCISet, pciSetClear)

static int pciModel(const char *name)
{
    return controllerModel(VK_DOMAIN_CONTROLLER_TYPE_PCI, name);
}

static vkPCIBusKind pciBusKind(int model)
{
    const char *name =
        model >= 0 ? vkDomainControllerModelToString(VK_DOMAIN_CONTROLLER_TYPE_PCI, model) : "";

    if (g_str_equal(name, "pci-root") || g_str_equal(name, "pci-bridge") ||
        g_str_equal(name, "pcie-to-pci-bridge"))
        return BUS_PCI;
    if (g_str_equal(name, "pcie-root"))
        return BUS_PCIE_ROOT;
    if (g_str_equal(name, "pcie-root-port") || g_str_equal(name, "pcie-switch-downstream-port"))
        return BUS_PORT;
    return BUS_NONE;
}

static void pciSetGrow(vkPCISet *set, int model, vkPCIBusKind kind)
{
    unsigned int n = set->nbuses++;

    set->funcs = g_renew(vkPCIBusFuncs, set->funcs, set->nbuses);
    set->aggregate = g_renew(guint32, set->aggregate, set->nbuses);
    set->kinds = g_renew(vkPCIBusKind, set->kinds, set->nbuses);
    set->models = g_renew(int, set->models, set->nbuses);
    memset(set->funcs[n], 0, sizeof(set->funcs[n]));
    set->aggregate[n] = 0;
    set->kinds[n] = kind;
    set->models[n] = model;
}

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

static gboolean pciBusTakes(const vkPCISet *set, unsigned int bus, vkPCIConnect connect)
{
    switch (set->kinds[bus]) {
    case BUS_PCI:
        return connect == CONNECT_PCI;
    case BUS_PCIE_ROOT:
        return connect == CONNECT_ROOT_PORT;
    case BUS_PORT:
        return connect == CONNECT_PCIE || connect == CONNECT_PCIE_TO_PCI_BRIDGE;
    case BUS_PORT_BRIDGE:
        return connect == CONNECT_PCIE_TO_PCI_BRIDGE;
    case BUS_NONE:
    default:
        return FALSE;
    }
}

/* A free slot (or, for root ports, a free function of a slot other root ports hold) on the
 * first bus that takes CONNECT; FALSE when there is none. */
static gboolean pciFindFree(const vkPCISet *set, vkPCIConnect connect, unsigned int *bus,
                            unsigned int *slot, unsigned int *function)
{
    for (*bus = 0; *bus < set->nbuses; (*bus)++) {
        gboolean port = set->kinds[*bus] == BUS_PORT || set->kinds[*bus] == BUS_PORT_BRIDGE;

        if (!pciBusTakes(set, *bus, connect))
            continue;
        for (*slot = port ? 0 : 1; *slot < (port ? 1u : PCI_SLOTS); (*slot)++) {
            guint8 used = set->funcs[*bus][*slot];

            if (!used)
                return TRUE;
            if (connect != CONNECT_ROOT_PORT || !(set->aggregate[*bus] & (1u << *slot)))
                continue;
            for (*function = 0; *function < 8; (*function)++) {
                if (!(used & (1u << *function)))
                    return TRUE;
            }
        }
    }
    return FALSE;
}

/* The first pass adds the bus a device overflows onto, as libvirt does: a root port for a
 * PCIe device, a root port and a pcie-to-pci-bridge for the first conventional one. */
static int pciGrowFor(vkPCISet *set, vkPCIConnect connect, unsigned int *bus)
{
    gboolean havePCI = FALSE;

    for (unsigned int i = 0; i < set->nbuses; i++)
        havePCI |= set->kinds[i] == BUS_PCI;
    if (connect == CONNECT_PCIE) {
        pciSetGrow(set, pciModel("pcie-root-port"), BUS_PORT);
    } else if (connect == CONNECT_PCI && !havePCI) {
        pciSetGrow(set, pciModel("pcie-root-port"), BUS_PORT_BRIDGE);
        pciSetGrow(set, pciModel("pcie-to-pci-bridge"), BUS_PCI);
    } else if (connect == CONNECT_PCI) {
        pciSetGrow(set, pciModel("pci-bridge"), BUS_PCI);
    } else {
        return -1;
    }
    *bus = set->nbuses - 1;
    return 0;
}

static int pciReserveNext(vkPCISet *set, vkDomainDeviceInfo *info, vkPCIConnect connect,
                          int function)
{
    unsigned int bus, slot, func = 0;

    if (!pciFindFree(set, connect, &bus, &slot, &func)) {
        if (!set->dryRun || !set->q35 || pciGrowFor(set, connect, &bus) < 0) {
            vkReportError(PP_ERR, VIR_ERR_INTERNAL_ERROR, "%s", "No more available PCI slots");
            return -1;
        }
        slot = set->kinds[bus] == BUS_PCI ? 1 : 0;
    }
    if (function >= 0)
        func = function;
    set->funcs[bus][slot] |= 1u << func;
    if (connect == CONNECT_ROOT_PORT)
        set->aggregate[bus] |= 1u << slot;
    if (set->dryRun)
        return 0;
    memset(&info->addr, 0, sizeof(info->addr));
    info->addr.type = VK_DOMAIN_ADDRESS_TYPE_PCI;
    info->addr.pci.bus = bus;
    info->addr.pci.slot = slot;
    info->addr.pci.function = func;
    return 0;
}

static int pciWanted(vkPCISet *set, vkDomainDeviceInfo *info, vkPCIConnect connect)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE ? pciReserveNext(set, info, connect, -1)
                                                          : 0;
}

/* On q35 a virtio device is PCIe, unless it is one of the transitional models. */
static vkPCIConnect pcieIf(const vkPCISet *set, gboolean pcie)
{
    return set->q35 && pcie ? CONNECT_PCIE : CONNECT_PCI;
}

static vkPCIConnect pciControllerConnect(const vkPCISet *set, const vkDomainControllerDef *c)
{
    const char *model = c->model >= 0 ? vkDomainControllerModelToString(c->type, c->model) : "";

    switch (c->type) {
    case VK_DOMAIN_CONTROLLER_TYPE_PCI:
        if (g_str_equal(model, "pcie-root-port"))
            return CONNECT_ROOT_PORT;
        if (g_str_equal(model, "pcie-to-pci-bridge"))
            return CONNECT_PCIE_TO_PCI_BRIDGE;
        return pcieIf(set, !g_str_equal(model, "pci-bridge"));
    case VK_DOMAIN_CONTROLLER_TYPE_USB:
        return pcieIf(set, g_str_has_suffix(model, "-xhci"));
    case VK_DOMAIN_CONTROLLER_TYPE_SCSI:
    case VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        return pcieIf(set, g_str_has_prefix(model, "virtio") && !strstr(model, "-transitional"));
    default:
        return CONNECT_PCI;
    }
}

static int pciSetInit(vkPCISet *set, const vkDomainDef *def, unsigned int nbuses)
{
    for (unsigned int i = 0; i < nbuses; i++) {
        const vkDomainControllerDef *c =
            vkQEMUFindController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, i);

        pciSetGrow(set, c ? c->model : -1, c ? pciBusKind(c->model) : BUS_NONE);
    }
    /* Every address already written is taken. */
    for (size_t i = 0; i < def->ndisks; i++) {
        if (pciReserveInfo(set, &def->disks[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (pciReserveInfo(set, &c->info) < 0)
            return -1;
        if (vkQEMUControllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_PCI, "pcie-root-port") &&
            c->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_PCI && c->info.addr.pci.bus < set->nbuses)
            set->aggregate[c->info.addr.pci.bus] |= 1u << c->info.addr.pci.slot;
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

/* A controller the chipset holds at a fixed address of bus 0. */
static int chipsetFixed(vkPCISet *set, vkDomainControllerDef *c, unsigned int slot,
                        unsigned int function, const char *what)
{
    vkDomainDeviceAddress *a = &c->info.addr;

    if (a->type == VK_DOMAIN_ADDRESS_TYPE_PCI) {
        if (a->pci.domain || a->pci.bus || a->pci.slot != slot || a->pci.function != function) {
            vkReportError(PP_ERR, VIR_ERR_INTERNAL_ERROR, "%s must have PCI address 0:0:%x.%u",
                          what, slot, function);
            return -1;
        }
        return 0;
    }
    memset(a, 0, sizeof(*a));
    a->type = VK_DOMAIN_ADDRESS_TYPE_PCI;
    a->pci.slot = slot;
    a->pci.function = function;
    return pciReserve(set, a);
}

/* The primary video card goes to SLOT of bus 0, where qemu would put it itself. */
static int pciAssignPrimaryVideo(vkPCISet *set, vkDomainDef *def, unsigned int slot)
{
    vkDomainVideoDef *video = def->nvideos ? def->videos[0] : NULL;

    if (!video || video->type == VK_DOMAIN_VIDEO_TYPE_NONE ||
        video->type == VK_DOMAIN_VIDEO_TYPE_RAMFB ||
        video->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE)
        return 0;
    if (set->funcs[0][slot])
        return pciReserveNext(set, &video->info,
                              pcieIf(set, video->type == VK_DOMAIN_VIDEO_TYPE_VIRTIO), 0);
    video->info.addr.type = VK_DOMAIN_ADDRESS_TYPE_PCI;
    video->info.addr.pci.slot = slot;
    set->funcs[0][slot] |= 1;
    return 0;
}

/* The i440FX's own devices: the PIIX3 (ISA bridge, IDE, USB, power management) in slot 1, and
 * the primary video card, which qemu always puts in the next slot, 2. */
static int pciAssignPIIX3(vkPCISet *set, vkDomainDef *def)
{
    vkDomainDeviceAddress isa = { .type = VK_DOMAIN_ADDRESS_TYPE_PCI, .pci.slot = 1 };

    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0) {
            if (chipsetFixed(set, c, 1, 1, "Primary IDE controller") < 0)
                return -1;
        } else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB && c->index == 0 &&
                   (c->model == -1 || vkQEMUControllerIs(c, c->type, "piix3-uhci"))) {
            if (chipsetFixed(set, c, 1, 2, "PIIX3 USB controller at index 0") < 0)
                return -1;
        }
    }
    for (unsigned int function = 0; function <= 3; function += 3) {
        isa.pci.function = function;
        if (pciReserve(set, &isa) < 0)
            return -1;
    }
    return pciAssignPrimaryVideo(set, def, 2);
}

/* The ICH9's own devices in slot 0x1f (LPC bridge, SATA, SMBus), and the primary video card
 * in slot 1. */
static int pciAssignICH9(vkPCISet *set, vkDomainDef *def)
{
    vkDomainDeviceAddress lpc = { .type = VK_DOMAIN_ADDRESS_TYPE_PCI, .pci.slot = 0x1f };
    vkDomainControllerDef *sata = vkQEMUFindController(def, VK_DOMAIN_CONTROLLER_TYPE_SATA, 0);

    if (sata && chipsetFixed(set, sata, 0x1f, 2, "Primary SATA controller") < 0)
        return -1;
    for (unsigned int function = 0; function <= 3; function += 3) {
        lpc.pci.function = function;
        if (pciReserve(set, &lpc) < 0)
            return -1;
    }
    return pciAssignPrimaryVideo(set, def, 1);
}

static gboolean isUSB2Companion(const vkDomainControllerDef *c)
{
    static const char *const models[] = { "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3" };

    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (vkQEMUControllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_USB, models[i]))
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
            if (set->dryRun)
                return 0;
            c->info.addr = o->info.addr;
            c->info.addr.pci.function = function;
            c->info.addr.pci.multi = multi;
            return pciReserve(set, &c->info.addr);
        }
    }
    if (pciReserveNext(set, &c->info, CONNECT_PCI, function) < 0)
        return -1;
    if (!set->dryRun)
        c->info.addr.pci.multi = multi;
    return 0;
}

static int pciAssignControllers(vkPCISet *set, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI || c->type == VK_DOMAIN_CONTROLLER_TYPE_FDC ||
            (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0) ||
            vkQEMUControllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_USB, "none") ||
            vkQEMUControllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_SCSI, "ncr53c90") ||
            c->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE)
            continue;
        if ((isUSB2Companion(c) ? pciAssignUSB2(set, def, c)
                                : pciWanted(set, &c->info, pciControllerConnect(set, c))) < 0)
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

static vkPCIConnect netConnect(const vkPCISet *set, const vkDomainNetDef *net)
{
    const char *model = net->model ? net->model : "";

    return pcieIf(set, g_str_equal(model, "virtio") ||
                           g_str_equal(model, "virtio-non-transitional") ||
                           g_str_equal(model, "e1000e"));
}

/* libvirt's order (kept from qemu 0.12 so that old guests keep their slots): bridges,
 * network interfaces, controllers, virtio disks, the balloon, video cards, virtio input. */
static int pciAssignDevices(vkPCISet *set, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI &&
            !vkQEMUControllerIs(c, c->type, "pci-root") &&
            !vkQEMUControllerIs(c, c->type, "pcie-root") &&
            pciWanted(set, &c->info, pciControllerConnect(set, c)) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        /* A USB network adapter sits on the USB bus. */
        if (g_strcmp0(def->nets[i]->model, "usb-net") != 0 &&
            pciWanted(set, &def->nets[i]->info, netConnect(set, def->nets[i])) < 0)
            return -1;
    }
    if (pciAssignControllers(set, def) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VK_DOMAIN_DISK_BUS_VIRTIO &&
            pciWanted(set, &def->disks[i]->info, pcieIf(set, TRUE)) < 0)
            return -1;
    }
    if (def->memballoon && def->memballoon->model != VK_DOMAIN_MEMBALLOON_MODEL_NONE &&
        pciWanted(set, &def->memballoon->info,
                  pcieIf(set, def->memballoon->model !=
                                  VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL)) < 0)
        return -1;
    for (size_t i = 0; i < def->nvideos; i++) {
        vkDomainVideoDef *video = def->videos[i];

        if (video->type != VK_DOMAIN_VIDEO_TYPE_NONE && video->type != VK_DOMAIN_VIDEO_TYPE_RAMFB &&
            pciWanted(set, &video->info, pcieIf(set, video->type == VK_DOMAIN_VIDEO_TYPE_VIRTIO)) <
                0)
            return -1;
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        vkDomainInputDef *input = def->inputs[i];

        if (input->bus == VK_DOMAIN_INPUT_BUS_VIRTIO &&
            pciWanted(set, &input->info,
                      pcieIf(set, input->model != VK_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL)) < 0)
            return -1;
    }
    return 0;
}

static int pciAssignAll(vkPCISet *set, vkDomainDef *def, const vkQEMUMachine *m)
{
    if ((m->q35 ? pciAssignICH9(set, def) : pciAssignPIIX3(set, def)) < 0)
        return -1;
    return pciAssignDevices(set, def);
}

/* The first pass on q35: the root ports (and bridge) the devices without an address need,
 * added to the definition. A definition that names no PCI controller but the root is left to
 * us entirely; it gets one spare root port for hotplug. */
static int pciAddBuses(vkDomainDef *def, const vkQEMUMachine *m, unsigned int *nbuses)
{
    g_auto(vkPCISet) set = { .q35 = TRUE, .dryRun = TRUE };
    unsigned int given = *nbuses;

    if (pciSetInit(&set, def, given) < 0 || pciAssignAll(&set, def, m) < 0)
        return -1;
    if (given <= 1 && set.nbuses > given && pciReserveNext(&set, NULL, CONNECT_PCIE, -1) < 0)
        return -1;
    for (unsigned int i = given; i < set.nbuses; i++)
        vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, i, set.models[i]);
    *nbuses = set.nbuses;
    return 0;
}

/* What libvirt fills in for a PCI controller left at its defaults: the qemu device behind it
 * and the numbers that device needs. */
static void pciControllerDefaults(vkDomainControllerDef *c)
{
    static const struct {
        const char *model;
        int name;
    } names[] = {
        { "pci-bridge", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCI_BRIDGE },
        { "dmi-to-pci-bridge", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_I82801B11_BRIDGE },
        { "pcie-root-port", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_ROOT_PORT },
        { "pcie-switch-upstream-port", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_X3130_UPSTREAM },
        { "pcie-switch-downstream-port", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_XIO3130_DOWNSTREAM },
        { "pci-expander-bus", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB },
        { "pcie-expander-bus", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB_PCIE },
        { "pcie-to-pci-bridge", VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_PCI_BRIDGE },
    };
    const vkDomainDeviceAddress *a = &c->info.addr;
    gboolean addr = a->type == VK_DOMAIN_ADDRESS_TYPE_PCI;

    for (size_t i = 0; i < G_N_ELEMENTS(names) && c->modelName < 0; i++) {
        if (vkQEMUControllerIs(c, c->type, names[i].model))
            c->modelName = names[i].name;
    }
    if (vkQEMUControllerIs(c, c->type, "pci-bridge") && c->chassisNr < 0) {
        c->chassisNr = c->index;
    } else if (vkQEMUControllerIs(c, c->type, "pcie-root-port")) {
        if (c->chassis < 0)
            c->chassis = c->index;
        if (c->port < 0 && addr)
            c->port = (a->pci.slot << 3) + a->pci.function;
    } else if (vkQEMUControllerIs(c, c->type, "pcie-switch-downstream-port")) {
        if (c->chassis < 0)
            c->chassis = c->index;
        if (c->port < 0 && addr)
            c->port = a->pci.slot;
    }
}

int vkQEMUDomainAssignPCIAddresses(vkDomainDef *def, const vkQEMUMachine *m)
{
    g_auto(vkPCISet) set = { .q35 = m->q35 };
    unsigned int nbuses = 0;

    if (!m->i440fx && !m->q35)
        return 0;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VK_DOMAIN_CONTROLLER_TYPE_PCI)
            nbuses = MAX(nbuses, (unsigned int)def->controllers[i]->index + 1);
    }
    if (m->q35 && pciAddBuses(def, m, &nbuses) < 0)
        return -1;
    if (pciSetInit(&set, def, nbuses) < 0 || pciAssignAll(&set, def, m) < 0)
        return -1;
    pciSetAllMulti(&set, def);
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VK_DOMAIN_CONTROLLER_TYPE_PCI)
            pciControllerDefaults(def->controllers[i]);
    }
    return 0;
}
