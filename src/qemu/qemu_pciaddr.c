/* PCI addresses for the devices of a new definition, as libvirt's qemu driver assigns them: a
 * first pass that only counts the buses the devices need (adding the controllers for them),
 * then the chipset's fixed slots and every device without an address in libvirt's order. */
#include "qemu_postparse_priv.h"

#include <string.h>

#include "util/vkerror.h"

#define PCI_ERR      VIR_FROM_QEMU
#define SLOT_LAST    31
#define FUNCTION_MAX 7

/* What a device needs from the bus it plugs into, and what a bus offers (libvirt's
 * virDomainPCIConnectFlags). */
enum {
    CONNECT_AUTOASSIGN = 1 << 0,
    CONNECT_HOTPLUGGABLE = 1 << 1,
    CONNECT_INTEGRATED = 1 << 2,
    CONNECT_AGGREGATE_SLOT = 1 << 3, /* several of these may share a slot, one per function */
    CONNECT_PCI_DEVICE = 1 << 4,
    CONNECT_PCIE_DEVICE = 1 << 5,
    CONNECT_PCIE_ROOT_PORT = 1 << 6,
    CONNECT_SWITCH_UPSTREAM_PORT = 1 << 7,
    CONNECT_SWITCH_DOWNSTREAM_PORT = 1 << 8,
    CONNECT_DMI_TO_PCI_BRIDGE = 1 << 9,
    CONNECT_PCI_EXPANDER_BUS = 1 << 10,
    CONNECT_PCIE_EXPANDER_BUS = 1 << 11,
    CONNECT_PCI_BRIDGE = 1 << 12,
    CONNECT_PCIE_TO_PCI_BRIDGE = 1 << 13,
};

#define CONNECT_TYPES_MASK                                                                 \
    (CONNECT_PCI_DEVICE | CONNECT_PCIE_DEVICE | CONNECT_SWITCH_UPSTREAM_PORT |             \
     CONNECT_SWITCH_DOWNSTREAM_PORT | CONNECT_PCIE_ROOT_PORT | CONNECT_DMI_TO_PCI_BRIDGE | \
     CONNECT_PCI_EXPANDER_BUS | CONNECT_PCIE_EXPANDER_BUS | CONNECT_PCI_BRIDGE |           \
     CONNECT_PCIE_TO_PCI_BRIDGE)
#define CONNECT_TYPES_ENDPOINT (CONNECT_PCI_DEVICE | CONNECT_PCIE_DEVICE)

typedef struct {
    guint8 functions;   /* one bit per function in use */
    gboolean aggregate; /* holds only devices that may share it (root ports) */
} vkPCISlot;

typedef struct {
    int model; /* vkDomainControllerModelPCI; -1 until known */
    unsigned int flags;
    unsigned int minSlot, maxSlot;
    vkPCISlot slots[SLOT_LAST + 1];
} vkPCIBus;

typedef struct {
    vkPCIBus *buses;
    unsigned int nbuses;
    /* The first pass: only counts the buses needed, adding them as devices overflow, and
     * leaves the devices' addresses alone. */
    gboolean dryRun;
    gboolean pcieToPCIBridge; /* qemu has pcie-pci-bridge */
} vkPCISet;

/* What devices of the definition need, and what qemu offers. */
typedef struct {
    const vkQEMUMachine *m;
    const vkQEMUCaps *caps;
    unsigned int pcieFlags;   /* an endpoint that prefers PCIe on this machine */
    unsigned int virtioFlags; /* a virtio device (non-transitional) */
} vkPCIContext;

static void pciSetFree(vkPCISet *set)
{
    if (!set)
        return;
    g_free(set->buses);
    g_free(set);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkPCISet, pciSetFree)

static gboolean hasDevice(const vkPCIContext *ctx, const char *name)
{
    return !ctx->caps || vkQEMUCapsHasDevice(ctx->caps, name);
}

static char *addrString(const vkDomainDeviceAddress *a)
{
    return g_strdup_printf("%04x:%02x:%02x.%x", a->pci.domain, a->pci.bus, a->pci.slot,
                           a->pci.function);
}

static vkDomainDeviceAddress pciAddr(unsigned int bus, unsigned int slot, unsigned int function)
{
    vkDomainDeviceAddress a = { .type = VK_DOMAIN_ADDRESS_TYPE_PCI };

    a.pci.bus = bus;
    a.pci.slot = slot;
    a.pci.function = function;
    return a;
}

static gboolean addrEqual(const vkDomainDeviceAddress *a, const vkDomainDeviceAddress *b)
{
    return a->pci.domain == b->pci.domain && a->pci.bus == b->pci.bus &&
           a->pci.slot == b->pci.slot && a->pci.function == b->pci.function;
}

/* An address was written (an empty <address type='pci'/> asks for one). */
static gboolean addrPresent(const vkDomainDeviceInfo *info)
{
    const vkDomainDeviceAddress *a = &info->addr;

    return a->type == VK_DOMAIN_ADDRESS_TYPE_PCI &&
           (a->pci.domain || a->pci.bus || a->pci.slot || a->pci.function);
}

static gboolean addrWanted(const vkDomainDeviceInfo *info)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE ||
           (info->addr.type == VK_DOMAIN_ADDRESS_TYPE_PCI && !addrPresent(info));
}

/* ---- buses ---- */

/* What can be plugged into a bus of MODEL, and where. */
static int busSetModel(vkPCIBus *bus, int model, gboolean hotplug)
{
    unsigned int hp = hotplug ? CONNECT_HOTPLUGGABLE : 0;

    bus->model = model;
    bus->minSlot = 0;
    bus->maxSlot = SLOT_LAST;
    switch (model) {
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT:
        bus->flags = CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE | CONNECT_PCI_BRIDGE |
                     CONNECT_PCI_EXPANDER_BUS | hp;
        bus->minSlot = 1;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE:
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_TO_PCI_BRIDGE:
        /* Slot 0 of a bridge holds its hotplug controller. */
        bus->flags = CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE | CONNECT_PCI_BRIDGE | hp;
        bus->minSlot = 1;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_EXPANDER_BUS:
        bus->flags = CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE | CONNECT_PCI_BRIDGE | hp;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT:
        /* Endpoints only where the definition puts them; root ports anywhere. */
        bus->flags = CONNECT_PCIE_DEVICE | CONNECT_PCIE_ROOT_PORT | CONNECT_DMI_TO_PCI_BRIDGE |
                     CONNECT_PCIE_EXPANDER_BUS;
        bus->minSlot = 1;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE:
        bus->flags = CONNECT_PCI_DEVICE | CONNECT_PCI_BRIDGE;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT:
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT:
        /* A port is a single slot. */
        bus->flags = CONNECT_AUTOASSIGN | CONNECT_PCIE_DEVICE | CONNECT_SWITCH_UPSTREAM_PORT |
                     CONNECT_PCIE_TO_PCI_BRIDGE | hp;
        bus->maxSlot = 0;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_UPSTREAM_PORT:
        bus->flags = CONNECT_SWITCH_DOWNSTREAM_PORT;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_EXPANDER_BUS:
        bus->flags = CONNECT_PCIE_ROOT_PORT | CONNECT_DMI_TO_PCI_BRIDGE;
        break;
    default:
        vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "PCI controller model was not set correctly");
        return -1;
    }
    return 0;
}

static gboolean busFullyReserved(const vkPCIBus *bus)
{
    for (unsigned int i = bus->minSlot; i <= bus->maxSlot; i++) {
        if (!bus->slots[i].functions)
            return FALSE;
    }
    return TRUE;
}

/* How a PCI controller of MODEL plugs in. */
static unsigned int controllerModelConnect(int model)
{
    switch (model) {
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE:
        return CONNECT_PCI_BRIDGE;
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_EXPANDER_BUS:
        return CONNECT_PCI_EXPANDER_BUS;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_EXPANDER_BUS:
        return CONNECT_PCIE_EXPANDER_BUS;
    case VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE:
        return CONNECT_DMI_TO_PCI_BRIDGE;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_TO_PCI_BRIDGE:
        return CONNECT_PCIE_TO_PCI_BRIDGE;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT:
        return CONNECT_PCIE_ROOT_PORT | CONNECT_AGGREGATE_SLOT;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_UPSTREAM_PORT:
        return CONNECT_SWITCH_UPSTREAM_PORT;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT:
        return CONNECT_SWITCH_DOWNSTREAM_PORT;
    default: /* the roots plug into nothing */
        return 0;
    }
}

/* The controller a device of these connect flags could plug into, for messages. */
static int connectToControllerModel(unsigned int flags)
{
    static const struct {
        unsigned int flag;
        int model;
    } table[] = {
        { CONNECT_PCIE_ROOT_PORT, VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT },
        { CONNECT_SWITCH_UPSTREAM_PORT, VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_UPSTREAM_PORT },
        { CONNECT_SWITCH_DOWNSTREAM_PORT, VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT },
        { CONNECT_DMI_TO_PCI_BRIDGE, VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE },
        { CONNECT_PCI_EXPANDER_BUS, VK_DOMAIN_CONTROLLER_MODEL_PCI_EXPANDER_BUS },
        { CONNECT_PCIE_EXPANDER_BUS, VK_DOMAIN_CONTROLLER_MODEL_PCIE_EXPANDER_BUS },
        { CONNECT_PCI_BRIDGE, VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (flags & table[i].flag)
            return table[i].model;
    }
    return -1;
}

static const char *connectName(unsigned int flags)
{
    static const struct {
        unsigned int flag;
        const char *name;
    } table[] = {
        { CONNECT_PCI_DEVICE, "standard PCI device" },
        { CONNECT_PCIE_DEVICE, "PCI Express device" },
        { CONNECT_PCIE_ROOT_PORT, "pcie-root-port" },
        { CONNECT_SWITCH_UPSTREAM_PORT, "pcie-switch-upstream-port" },
        { CONNECT_SWITCH_DOWNSTREAM_PORT, "pcie-switch-downstream-port" },
        { CONNECT_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge" },
        { CONNECT_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge" },
        { CONNECT_PCI_EXPANDER_BUS, "pci-expander-bus" },
        { CONNECT_PCIE_EXPANDER_BUS, "pcie-expander-bus" },
        { CONNECT_PCI_BRIDGE, "pci-bridge" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (flags & table[i].flag)
            return table[i].name;
    }
    return NULL;
}

/* Whether a device with DEVFLAGS may sit at A on a bus offering BUSFLAGS. An address from the
 * definition may put a PCI device in a PCIe slot and the other way round. */
static gboolean flagsCompatible(const vkDomainDeviceAddress *a, unsigned int busFlags,
                                unsigned int devFlags, gboolean report, gboolean fromConfig)
{
    int code = fromConfig ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR;
    g_autofree char *str = addrString(a);
    const char *name;

    if (devFlags & CONNECT_INTEGRATED) {
        if (a->pci.bus != 0) {
            if (report)
                vkReportError(PCI_ERR, code,
                              "The device at PCI address %s needs to be an integrated device "
                              "(bus=0)",
                              str);
            return FALSE;
        }
        busFlags |= CONNECT_AUTOASSIGN;
    }
    if (fromConfig) {
        if (busFlags & CONNECT_TYPES_ENDPOINT)
            busFlags |= CONNECT_TYPES_ENDPOINT;
        if (devFlags & CONNECT_PCI_BRIDGE)
            devFlags |= CONNECT_PCI_DEVICE;
    } else if ((devFlags & CONNECT_AUTOASSIGN) && !(busFlags & CONNECT_AUTOASSIGN)) {
        if (report)
            vkReportError(PCI_ERR, code,
                          "The device at PCI address %s was auto-assigned this address, but the "
                          "PCI controller with index='%u' doesn't allow auto-assignment",
                          str, a->pci.bus);
        return FALSE;
    }
    if ((devFlags & CONNECT_HOTPLUGGABLE) && !(busFlags & CONNECT_HOTPLUGGABLE)) {
        if (report)
            vkReportError(PCI_ERR, code,
                          "The device at PCI address %s requires hotplug capability, but the PCI "
                          "controller with index='%u' doesn't support hotplug",
                          str, a->pci.bus);
        return FALSE;
    }
    if (devFlags & busFlags & CONNECT_TYPES_MASK)
        return TRUE;
    if (!report)
        return FALSE;
    if (!(name = connectName(devFlags))) {
        vkReportError(PCI_ERR, code,
                      "The device at PCI address %s has unrecognized connection type flags "
                      "0x%.2x",
                      str, devFlags & CONNECT_TYPES_MASK);
        return FALSE;
    }
    vkReportError(PCI_ERR, code,
                  "The device at PCI address %s cannot be plugged into the PCI controller with "
                  "index='%u'. It requires a controller that accepts a %s.",
                  str, a->pci.bus, name);
    return FALSE;
}

static gboolean addrValidate(const vkPCISet *set, const vkDomainDeviceAddress *a,
                             unsigned int flags, gboolean fromConfig)
{
    int code = fromConfig ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR;
    g_autofree char *str = addrString(a);
    const vkPCIBus *bus;

    if (set->nbuses == 0) {
        vkReportError(PCI_ERR, code, "%s", "No PCI buses available");
        return FALSE;
    }
    if (a->pci.domain != 0) {
        vkReportError(PCI_ERR, code, "Invalid PCI address %s. Only PCI domain 0 is available", str);
        return FALSE;
    }
    if (a->pci.bus >= set->nbuses) {
        vkReportError(PCI_ERR, code,
                      "Invalid PCI address %s. Only PCI buses up to %u are available", str,
                      set->nbuses - 1);
        return FALSE;
    }
    bus = &set->buses[a->pci.bus];
    if (!flagsCompatible(a, bus->flags, flags, TRUE, fromConfig))
        return FALSE;
    if (bus->minSlot && a->pci.slot < bus->minSlot) {
        vkReportError(PCI_ERR, code, "Invalid PCI address %s. slot must be >= %u", str,
                      bus->minSlot);
        return FALSE;
    }
    if (a->pci.slot > bus->maxSlot) {
        vkReportError(PCI_ERR, code, "Invalid PCI address %s. slot must be <= %u", str,
                      bus->maxSlot);
        return FALSE;
    }
    return TRUE;
}

/* The first pass adds the buses a device's address needs beyond the last one: bridges for
 * conventional devices (on a PCIe-only machine first a root port and a pcie-to-pci-bridge, or
 * a dmi-to-pci-bridge when qemu lacks that), root ports for PCIe devices. */
static int setGrow(vkPCISet *set, vkDomainDeviceAddress *a, unsigned int flags)
{
    int add = (int)a->pci.bus - (int)set->nbuses + 1;
    gboolean needDMI = FALSE, needPCIeToPCI = FALSE;
    unsigned int i;
    int model;

    if (add <= 0)
        return 0;
    if (flags & CONNECT_PCI_DEVICE) {
        gboolean haveBridgeBus = FALSE;

        model = VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE;
        for (i = 0; i < set->nbuses; i++)
            haveBridgeBus |= (set->buses[i].flags & CONNECT_PCI_BRIDGE) != 0;
        if (!haveBridgeBus) {
            needPCIeToPCI = set->pcieToPCIBridge;
            needDMI = !set->pcieToPCIBridge;
        }
        if ((needDMI || needPCIeToPCI) && add == 1) {
            add++;
            a->pci.bus++;
        }
    } else if (flags & (CONNECT_PCIE_DEVICE | CONNECT_SWITCH_UPSTREAM_PORT)) {
        model = VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT;
    } else {
        int existing = connectToControllerModel(flags);

        if (existing >= 0)
            vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR,
                          "a PCI slot is needed to connect a PCI controller model='%s', but "
                          "none is available, and it cannot be automatically added",
                          vkDomainControllerModelToString(VK_DOMAIN_CONTROLLER_TYPE_PCI, existing));
        else
            vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR,
                          "Cannot automatically add a new PCI bus for a device with connect "
                          "flags %.2x",
                          flags);
        return -1;
    }
    i = set->nbuses;
    set->nbuses += add;
    set->buses = g_renew(vkPCIBus, set->buses, set->nbuses);
    memset(set->buses + i, 0, add * sizeof(*set->buses));
    if (needDMI &&
        busSetModel(&set->buses[i++], VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE, FALSE) < 0)
        return -1;
    if (needPCIeToPCI) {
        /* This port takes the bridge only; the spare port for hotplug comes after it. */
        if (busSetModel(&set->buses[i], VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT, TRUE) < 0)
            return -1;
        set->buses[i++].flags = CONNECT_PCIE_TO_PCI_BRIDGE;
        if (busSetModel(&set->buses[i++], VK_DOMAIN_CONTROLLER_MODEL_PCIE_TO_PCI_BRIDGE, TRUE) < 0)
            return -1;
    }
    for (; i < set->nbuses; i++) {
        if (busSetModel(&set->buses[i], model, TRUE) < 0)
            return -1;
    }
    return add;
}

static int reserveAddr(vkPCISet *set, vkDomainDeviceAddress *a, unsigned int flags,
                       gboolean fromConfig)
{
    int code = fromConfig ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR;
    vkPCISlot *slot;

    if (set->dryRun && setGrow(set, a, flags) < 0)
        return -1;
    if (!addrValidate(set, a, flags, fromConfig))
        return -1;
    slot = &set->buses[a->pci.bus].slots[a->pci.slot];
    if (slot->functions & (1u << a->pci.function)) {
        g_autofree char *str = addrString(a);

        vkReportError(PCI_ERR, code, "Attempted double use of PCI Address %s", str);
        return -1;
    }
    if (!slot->functions && (flags & CONNECT_AGGREGATE_SLOT))
        slot->aggregate = TRUE;
    slot->functions |= 1u << a->pci.function;
    return 0;
}

/* A free slot of BUS for a device with FLAGS, searching from A's slot; with FUNCTION -1 a
 * free function of a slot that root ports share also counts. */
static gboolean findOnBus(const vkPCIBus *bus, vkDomainDeviceAddress *a, int function,
                          unsigned int flags)
{
    if (!flagsCompatible(a, bus->flags, flags, FALSE, FALSE))
        return FALSE;
    for (; a->pci.slot <= bus->maxSlot; a->pci.slot++) {
        const vkPCISlot *slot = &bus->slots[a->pci.slot];

        if (!slot->functions)
            return TRUE;
        if (!(flags & CONNECT_AGGREGATE_SLOT) || !slot->aggregate)
            continue;
        if (!(slot->functions & (1u << a->pci.function)))
            return TRUE;
        if (function != -1)
            continue;
        for (; a->pci.function <= FUNCTION_MAX; a->pci.function++) {
            if (!(slot->functions & (1u << a->pci.function)))
                return TRUE;
        }
        /* The next slot is searched from its first function. */
        a->pci.function = 0;
    }
    return FALSE;
}

static int nextAddr(vkPCISet *set, vkDomainDeviceAddress *a, unsigned int flags, int function)
{
    *a = pciAddr(0, 0, function == -1 ? 0 : (unsigned int)function);
    if (set->nbuses == 0) {
        vkReportError(PCI_ERR, VIR_ERR_XML_ERROR, "%s", "No PCI buses available");
        return -1;
    }
    for (a->pci.bus = 0; a->pci.bus < set->nbuses; a->pci.bus++) {
        a->pci.slot = set->buses[a->pci.bus].minSlot;
        if (findOnBus(&set->buses[a->pci.bus], a, function, flags))
            return 0;
    }
    if (set->dryRun) {
        if (setGrow(set, a, flags) < 0)
            return -1;
        a->pci.slot = set->buses[a->pci.bus].minSlot;
        return 0;
    }
    vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR, "%s", "No more available PCI slots");
    return -1;
}

/* Reserves the next free address for a device with FLAGS; INFO (NULL for a placeholder) gets
 * it unless this is the first pass. */
static int reserveNext(vkPCISet *set, vkDomainDeviceInfo *info, unsigned int flags, int function)
{
    vkDomainDeviceAddress a;

    if (nextAddr(set, &a, flags, function) < 0 || reserveAddr(set, &a, flags, FALSE) < 0)
        return -1;
    if (!set->dryRun && info)
        info->addr = a;
    return 0;
}

/* ---- what each device needs ---- */

static unsigned int controllerConnect(const vkPCIContext *ctx, const vkDomainControllerDef *c)
{
    const unsigned int pci = CONNECT_PCI_DEVICE | CONNECT_AUTOASSIGN;

    switch (c->type) {
    case VK_DOMAIN_CONTROLLER_TYPE_PCI:
        return controllerModelConnect(c->model);
    case VK_DOMAIN_CONTROLLER_TYPE_SATA:
    case VK_DOMAIN_CONTROLLER_TYPE_IDE:
        return pci;
    case VK_DOMAIN_CONTROLLER_TYPE_USB:
        switch (c->model) {
        case VK_DOMAIN_CONTROLLER_MODEL_USB_NEC_XHCI:
        case VK_DOMAIN_CONTROLLER_MODEL_USB_QEMU_XHCI:
            return ctx->pcieFlags;
        case VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB1:
        case VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB2:
        case VK_DOMAIN_CONTROLLER_MODEL_USB_NONE:
            return 0;
        default:
            return pci;
        }
    case VK_DOMAIN_CONTROLLER_TYPE_SCSI:
        switch (c->model) {
        case -1:
        case VK_DOMAIN_CONTROLLER_MODEL_SCSI_NCR53C90:
            return 0;
        case VK_DOMAIN_CONTROLLER_MODEL_SCSI_VIRTIO_SCSI:
        case VK_DOMAIN_CONTROLLER_MODEL_SCSI_VIRTIO_NON_TRANSITIONAL:
            return ctx->virtioFlags;
        default:
            return pci;
        }
    case VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        return c->model == VK_DOMAIN_CONTROLLER_MODEL_VIRTIO_SERIAL_TRANSITIONAL ? pci
                                                                                 : ctx->virtioFlags;
    default:
        return 0;
    }
}

static unsigned int netConnect(const vkPCIContext *ctx, const vkDomainNetDef *net)
{
    const char *model = net->model;

    if (g_strcmp0(model, "usb-net") == 0)
        return 0;
    if (g_strcmp0(model, "virtio") == 0 || g_strcmp0(model, "virtio-non-transitional") == 0)
        return ctx->virtioFlags;
    if (g_strcmp0(model, "virtio-transitional") == 0)
        return CONNECT_PCI_DEVICE | CONNECT_AUTOASSIGN;
    /* e1000e is PCIe; so is a model libvirt does not know. */
    if (!model || g_str_equal(model, "e1000e") || !vkDomainNetModelIsKnown(model))
        return ctx->pcieFlags;
    return CONNECT_PCI_DEVICE | CONNECT_AUTOASSIGN;
}

static unsigned int deviceConnect(const vkPCIContext *ctx, int type, void *dev)
{
    const unsigned int pci = CONNECT_PCI_DEVICE | CONNECT_AUTOASSIGN;

    switch (type) {
    case VK_DOMAIN_DEVICE_CONTROLLER:
        return controllerConnect(ctx, dev);
    case VK_DOMAIN_DEVICE_NET:
        return netConnect(ctx, dev);
    case VK_DOMAIN_DEVICE_DISK:
        return ((vkDomainDiskDef *)dev)->bus == VK_DOMAIN_DISK_BUS_VIRTIO ? ctx->virtioFlags : 0;
    case VK_DOMAIN_DEVICE_MEMBALLOON:
        switch (((vkDomainMemballoonDef *)dev)->model) {
        case VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL:
            return pci;
        case VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO:
        case VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL:
            return ctx->virtioFlags;
        default:
            return 0;
        }
    case VK_DOMAIN_DEVICE_VIDEO:
        switch (((vkDomainVideoDef *)dev)->type) {
        case VK_DOMAIN_VIDEO_TYPE_VIRTIO:
            return ctx->virtioFlags;
        case VK_DOMAIN_VIDEO_TYPE_BOCHS:
            return ctx->pcieFlags;
        case VK_DOMAIN_VIDEO_TYPE_VGA:
        case VK_DOMAIN_VIDEO_TYPE_CIRRUS:
        case VK_DOMAIN_VIDEO_TYPE_VMVGA:
        case VK_DOMAIN_VIDEO_TYPE_QXL:
            return pci;
        default:
            return 0;
        }
    case VK_DOMAIN_DEVICE_SOUND:
        switch (((vkDomainSoundDef *)dev)->model) {
        case VK_DOMAIN_SOUND_MODEL_ES1370:
        case VK_DOMAIN_SOUND_MODEL_AC97:
        case VK_DOMAIN_SOUND_MODEL_ICH6:
        case VK_DOMAIN_SOUND_MODEL_ICH9:
            return pci;
        default:
            return 0;
        }
    case VK_DOMAIN_DEVICE_RNG:
        return ((vkDomainRNGDef *)dev)->model == VK_DOMAIN_RNG_MODEL_VIRTIO_TRANSITIONAL
                   ? pci
                   : ctx->virtioFlags;
    case VK_DOMAIN_DEVICE_INPUT: {
        const vkDomainInputDef *input = dev;

        if (input->bus != VK_DOMAIN_INPUT_BUS_VIRTIO)
            return 0;
        return input->model == VK_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL ? pci : ctx->virtioFlags;
    }
    default:
        return 0;
    }
}

/* ---- the set ---- */

typedef struct {
    vkPCISet *set;
    const vkPCIContext *ctx;
} vkPCICollect;

static gboolean isPIIX3Builtin(const vkDomainControllerDef *c)
{
    const vkDomainDeviceAddress *a = &c->info.addr;

    if (a->pci.domain || a->pci.bus || a->pci.slot != 1 || c->index != 0)
        return FALSE;
    return (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && a->pci.function == 1) ||
           (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB && a->pci.function == 2 &&
            (c->model == -1 || c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX3_UHCI));
}

/* Takes the address a device was given in the definition. */
static int collectAddress(vkDomainDef *def, int type, void *dev, vkDomainDeviceInfo *info,
                          void *opaque)
{
    vkPCICollect *data = opaque;
    unsigned int flags;

    if (!addrPresent(info))
        return 0;
    /* A device that should have no PCI address is taken for a conventional one, as libvirt
     * does so that old definitions keep loading. */
    if (!(flags = deviceConnect(data->ctx, type, dev)))
        flags = CONNECT_PCI_DEVICE;
    /* The PIIX3's own functions are reserved with the chipset. */
    if (type == VK_DOMAIN_DEVICE_CONTROLLER && isPIIX3Builtin(dev)) {
        if (data->set->nbuses > 0 && !(data->set->buses[0].flags & CONNECT_PCI_DEVICE)) {
            vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                          "Bus 0 must be PCI for integrated PIIX3 USB or IDE controllers");
            return -1;
        }
        return 0;
    }
    return reserveAddr(data->set, &info->addr, flags, TRUE);
}

static gboolean hasPCIeRoot(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (vkQEMUControllerIs(def->controllers[i], VK_DOMAIN_CONTROLLER_TYPE_PCI, "pcie-root"))
            return TRUE;
    }
    return FALSE;
}

static vkPCISet *setCreate(vkDomainDef *def, const vkPCIContext *ctx, unsigned int nbuses,
                           gboolean dryRun)
{
    g_autoptr(vkPCISet) set = g_new0(vkPCISet, 1);
    vkPCICollect collect = { .ctx = ctx };
    int defaultModel = hasPCIeRoot(def) ? VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT
                                        : VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE;

    set->dryRun = dryRun;
    set->pcieToPCIBridge = hasDevice(ctx, "pcie-pci-bridge");
    set->nbuses = nbuses;
    set->buses = g_new0(vkPCIBus, nbuses + 1);
    for (unsigned int i = 0; i < nbuses; i++)
        set->buses[i].model = -1;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (c->type != VK_DOMAIN_CONTROLLER_TYPE_PCI)
            continue;
        if ((unsigned int)c->index >= nbuses) {
            vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR,
                          "Inappropriate new pci controller index %d exceeds addrs array "
                          "length",
                          c->index);
            return NULL;
        }
        if (busSetModel(&set->buses[c->index], c->model, c->hotplug != VK_DOMAIN_TRISTATE_NO) < 0)
            return NULL;
    }
    if (nbuses > 0 && set->buses[0].model < 0 &&
        busSetModel(&set->buses[0], VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT, TRUE) < 0)
        return NULL;
    for (unsigned int i = 1; i < nbuses; i++) {
        if (set->buses[i].model < 0 && busSetModel(&set->buses[i], defaultModel, TRUE) < 0)
            return NULL;
    }
    collect.set = set;
    if (vkDomainDefForEachDeviceInfo(def, collectAddress, &collect) < 0)
        return NULL;
    return g_steal_pointer(&set);
}

/* ---- the chipsets' own devices ---- */

/* A controller the chipset holds at a fixed address of bus 0: given it, or checked. */
static int chipsetFixed(vkDomainControllerDef *c, unsigned int slot, unsigned int function,
                        const char *what)
{
    vkDomainDeviceAddress want = pciAddr(0, slot, function);

    if (addrPresent(&c->info)) {
        if (!addrEqual(&c->info.addr, &want)) {
            vkReportError(PCI_ERR, VIR_ERR_INTERNAL_ERROR, "%s must have PCI address 0:0:%x.%u",
                          what, slot, function);
            return -1;
        }
        return 0;
    }
    c->info.addr = want;
    return 1;
}

static gboolean slotInUse(const vkPCISet *set, const vkDomainDeviceAddress *a)
{
    return set->buses[a->pci.bus].slots[a->pci.slot].functions != 0;
}

/* The primary video card goes to SLOT of bus 0, where qemu would put it itself. */
static int primaryVideo(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def, unsigned int slot,
                        unsigned int flags)
{
    vkDomainVideoDef *video = def->nvideos ? def->videos[0] : NULL;
    vkDomainDeviceAddress a = pciAddr(0, slot, 0);

    if (!video || video->type == VK_DOMAIN_VIDEO_TYPE_NONE ||
        video->type == VK_DOMAIN_VIDEO_TYPE_RAMFB || !addrWanted(&video->info))
        return 0;
    if (!addrValidate(set, &a, flags, TRUE))
        return -1;
    if (slotInUse(set, &a))
        return reserveNext(set, &video->info, deviceConnect(ctx, VK_DOMAIN_DEVICE_VIDEO, video),
                           -1);
    if (reserveAddr(set, &a, flags, TRUE) < 0)
        return -1;
    video->info.addr = a;
    return 0;
}

/* The i440FX's PIIX3 (ISA bridge, IDE, USB, power management) in slot 1; the primary video
 * card comes next, in slot 2. */
static int chipsetPIIX3(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def)
{
    const unsigned int flags = CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE;
    int rc;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0)
            rc = chipsetFixed(c, 1, 1, "Primary IDE controller");
        else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB && c->index == 0 &&
                 (c->model == -1 || c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX3_UHCI))
            rc = chipsetFixed(c, 1, 2, "PIIX3 USB controller at index 0");
        else
            continue;
        if (rc < 0 || (set->nbuses && reserveAddr(set, &c->info.addr, flags, TRUE) < 0))
            return -1;
    }
    if (set->nbuses) {
        vkDomainDeviceAddress isa = pciAddr(0, 1, 0), pm = pciAddr(0, 1, 3);

        if (reserveAddr(set, &isa, flags, TRUE) < 0 || reserveAddr(set, &pm, flags, TRUE) < 0)
            return -1;
    }
    return primaryVideo(set, ctx, def, 2, flags);
}

/* Puts C at SLOT of bus 0, function 0, unless that slot is taken. */
static int preferSlot(vkPCISet *set, vkDomainDeviceInfo *info, unsigned int slot,
                      unsigned int flags, int multi)
{
    vkDomainDeviceAddress a = pciAddr(0, slot, 0);

    if (slotInUse(set, &a))
        return 0;
    if (reserveAddr(set, &a, flags, TRUE) < 0)
        return -1;
    a.pci.multi = multi;
    info->addr = a;
    return 1;
}

/* The ICH9's own devices in slot 0x1f (LPC bridge, SATA, SMBus), and what real q35 hardware
 * has at fixed places when the definition leaves them free: USB2 at 0x1d (then 0x1a), the
 * DMI-to-PCI bridge at 0x1e; the primary video card in slot 1. */
static int chipsetICH9(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def)
{
    const unsigned int flags = CONNECT_PCIE_DEVICE;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_SATA && c->index == 0) {
            if (chipsetFixed(c, 0x1f, 2, "Primary SATA controller") < 0)
                return -1;
        } else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
                   c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI1 &&
                   c->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE) {
            int rc = preferSlot(set, &c->info, 0x1d, flags, VK_DOMAIN_TRISTATE_YES);

            if (rc == 0)
                rc = preferSlot(set, &c->info, 0x1a, flags, VK_DOMAIN_TRISTATE_YES);
            if (rc < 0)
                return -1;
        } else if (vkQEMUControllerIs(c, VK_DOMAIN_CONTROLLER_TYPE_PCI, "dmi-to-pci-bridge") &&
                   c->info.addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE) {
            if (preferSlot(set, &c->info, 0x1e, flags, VK_DOMAIN_TRISTATE_ABSENT) < 0)
                return -1;
        }
    }
    if (set->nbuses) {
        vkDomainDeviceAddress lpc = pciAddr(0, 0x1f, 0), smbus = pciAddr(0, 0x1f, 3);

        if (reserveAddr(set, &lpc, flags, TRUE) < 0 || reserveAddr(set, &smbus, flags, TRUE) < 0)
            return -1;
    }
    if (primaryVideo(set, ctx, def, 1, flags) < 0)
        return -1;
    /* Real q35 hardware has its HD audio at 00:1b.0: the first ICH9 sound card goes there. */
    for (size_t i = 0; i < def->nsounds; i++) {
        vkDomainSoundDef *sound = def->sounds[i];

        if (sound->model == VK_DOMAIN_SOUND_MODEL_ICH9 && addrWanted(&sound->info))
            return preferSlot(set, &sound->info, 0x1b, flags, VK_DOMAIN_TRISTATE_ABSENT) < 0 ? -1
                                                                                             : 0;
    }
    return 0;
}

/* ---- every other device, in libvirt's order ---- */

static int reserveWanted(vkPCISet *set, const vkPCIContext *ctx, int type, void *dev,
                         vkDomainDeviceInfo *info)
{
    if (!addrWanted(info))
        return 0;
    return reserveNext(set, info, deviceConnect(ctx, type, dev), -1);
}

static gboolean isUSB2(const vkDomainControllerDef *c)
{
    return c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
           (c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_EHCI1 ||
            c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI1 ||
            c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI2 ||
            c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI3);
}

/* An EHCI controller and its UHCI companions share one slot, each at its own function. */
static int assignUSB2(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def,
                      vkDomainControllerDef *c)
{
    vkDomainDeviceAddress a = pciAddr(0, 0, 0);
    gboolean found = FALSE;

    for (size_t j = 0; j < def->ncontrollers && !found; j++) {
        const vkDomainControllerDef *o = def->controllers[j];

        if (isUSB2(o) && o->index == c->index && addrPresent(&o->info)) {
            a = o->info.addr;
            found = TRUE;
        }
    }
    a.pci.multi = VK_DOMAIN_TRISTATE_ABSENT;
    switch (c->model) {
    case VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_EHCI1:
        a.pci.function = 7;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI1:
        a.pci.function = 0;
        a.pci.multi = VK_DOMAIN_TRISTATE_YES;
        break;
    default:
        a.pci.function = c->model - VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI1;
        break;
    }
    if (found) {
        if (reserveAddr(set, &a, controllerConnect(ctx, c), TRUE) < 0)
            return -1;
        c->info.addr = a;
        return 0;
    }
    if (reserveNext(set, &c->info, controllerConnect(ctx, c), (int)a.pci.function) < 0)
        return -1;
    if (!set->dryRun)
        c->info.addr.pci.multi = a.pci.multi;
    return 0;
}

static int assignControllers(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def, gboolean pci)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        vkDomainControllerDef *c = def->controllers[i];

        if ((c->type == VK_DOMAIN_CONTROLLER_TYPE_PCI) != pci || !addrWanted(&c->info))
            continue;
        if (pci) {
            if (c->model == VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT ||
                c->model == VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT)
                continue;
        } else if (c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_NONE &&
                   c->type == VK_DOMAIN_CONTROLLER_TYPE_USB) {
            continue;
        } else if (c->type == VK_DOMAIN_CONTROLLER_TYPE_FDC ||
                   (c->type == VK_DOMAIN_CONTROLLER_TYPE_IDE && c->index == 0) ||
                   (c->type == VK_DOMAIN_CONTROLLER_TYPE_SCSI &&
                    c->model == VK_DOMAIN_CONTROLLER_MODEL_SCSI_NCR53C90)) {
            continue;
        }
        if ((isUSB2(c) ? assignUSB2(set, ctx, def, c)
                       : reserveNext(set, &c->info, controllerConnect(ctx, c), -1)) < 0)
            return -1;
    }
    return 0;
}

static int assignDisks(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        vkDomainDiskDef *disk = def->disks[i];

        if (disk->bus != VK_DOMAIN_DISK_BUS_VIRTIO || addrPresent(&disk->info))
            continue;
        if (!addrWanted(&disk->info)) {
            vkReportError(PCI_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "virtio disk cannot have an address of type '%s'",
                          vkDomainAddressTypeToString(disk->info.addr.type));
            return -1;
        }
        if (reserveWanted(set, ctx, VK_DOMAIN_DEVICE_DISK, disk, &disk->info) < 0)
            return -1;
    }
    return 0;
}

/* libvirt's order (kept from qemu 0.12 so that old guests keep their slots): PCI controllers,
 * network interfaces, sound cards, the other controllers, virtio disks, the balloon, RNGs,
 * video cards, virtio input. */
static int assignDevices(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def)
{
    if (assignControllers(set, ctx, def, TRUE) < 0)
        return -1;
    for (size_t i = 0; i < def->nnets; i++) {
        if (reserveWanted(set, ctx, VK_DOMAIN_DEVICE_NET, def->nets[i], &def->nets[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nsounds; i++) {
        vkDomainSoundDef *sound = def->sounds[i];

        if (deviceConnect(ctx, VK_DOMAIN_DEVICE_SOUND, sound) &&
            reserveWanted(set, ctx, VK_DOMAIN_DEVICE_SOUND, sound, &sound->info) < 0)
            return -1;
    }
    if (assignControllers(set, ctx, def, FALSE) < 0 || assignDisks(set, ctx, def) < 0)
        return -1;
    if (def->memballoon && deviceConnect(ctx, VK_DOMAIN_DEVICE_MEMBALLOON, def->memballoon) &&
        reserveWanted(set, ctx, VK_DOMAIN_DEVICE_MEMBALLOON, def->memballoon,
                      &def->memballoon->info) < 0)
        return -1;
    for (size_t i = 0; i < def->nrngs; i++) {
        if (reserveWanted(set, ctx, VK_DOMAIN_DEVICE_RNG, def->rngs[i], &def->rngs[i]->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        vkDomainVideoDef *video = def->videos[i];

        if (video->type == VK_DOMAIN_VIDEO_TYPE_NONE || video->type == VK_DOMAIN_VIDEO_TYPE_RAMFB)
            continue;
        if (reserveWanted(set, ctx, VK_DOMAIN_DEVICE_VIDEO, video, &video->info) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        vkDomainInputDef *input = def->inputs[i];

        if (input->bus == VK_DOMAIN_INPUT_BUS_VIRTIO &&
            reserveWanted(set, ctx, VK_DOMAIN_DEVICE_INPUT, input, &input->info) < 0)
            return -1;
    }
    return 0;
}

static int assignAll(vkPCISet *set, const vkPCIContext *ctx, vkDomainDef *def)
{
    if ((ctx->m->q35 ? chipsetICH9(set, ctx, def) : chipsetPIIX3(set, ctx, def)) < 0)
        return -1;
    return assignDevices(set, ctx, def);
}

/* ---- after the addresses ---- */

static int markFunctionZero(vkDomainDef *def, int type, void *dev, vkDomainDeviceInfo *info,
                            void *opaque)
{
    const vkDomainDeviceAddress *at = opaque;
    vkDomainDeviceAddress *a = &info->addr;

    if (a->type != VK_DOMAIN_ADDRESS_TYPE_PCI || a->pci.domain != at->pci.domain ||
        a->pci.bus != at->pci.bus || a->pci.slot != at->pci.slot || a->pci.function != 0)
        return 0;
    /* Left off on purpose in the definition: the user knows better. */
    if (a->pci.multi == VK_DOMAIN_TRISTATE_ABSENT)
        a->pci.multi = VK_DOMAIN_TRISTATE_YES;
    return -1; /* found: stop */
}

/* Function 0 of a slot with other functions in use says multifunction='on'. */
static int setMulti(vkDomainDef *def, int type, void *dev, vkDomainDeviceInfo *info, void *opaque)
{
    if (info->addr.type == VK_DOMAIN_ADDRESS_TYPE_PCI && info->addr.pci.function != 0) {
        vkDomainDeviceAddress at = info->addr;

        vkDomainDefForEachDeviceInfo(def, markFunctionZero, &at);
    }
    return 0;
}

/* What libvirt fills in for a PCI controller left at its defaults: the qemu device behind it
 * and the numbers that device needs. */
static int pciControllerDefaults(vkDomainControllerDef *c, const vkPCIContext *ctx)
{
    static const int names[] = {
        [VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT] = -1,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT] = -1,
        [VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE] = VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCI_BRIDGE,
        [VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_I82801B11_BRIDGE,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_TO_PCI_BRIDGE] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_PCI_BRIDGE,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_ROOT_PORT,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_UPSTREAM_PORT] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_X3130_UPSTREAM,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_XIO3130_DOWNSTREAM,
        [VK_DOMAIN_CONTROLLER_MODEL_PCI_EXPANDER_BUS] = VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB,
        [VK_DOMAIN_CONTROLLER_MODEL_PCIE_EXPANDER_BUS] =
            VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB_PCIE,
    };
    const vkDomainDeviceAddress *a = &c->info.addr;

    if (c->model < 0 || c->model >= (int)G_N_ELEMENTS(names))
        return 0;
    if (c->modelName < 0) {
        c->modelName = names[c->model];
        /* Without the generic root port, qemu's Intel one. */
        if (c->model == VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT &&
            !hasDevice(ctx, "pcie-root-port"))
            c->modelName = VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_IOH3420;
    }
    switch (c->model) {
    case VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE:
        if (c->chassisNr < 0)
            c->chassisNr = c->index;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT:
        if (c->chassis < 0)
            c->chassis = c->index;
        if (c->port < 0)
            c->port = (a->pci.slot << 3) + a->pci.function;
        break;
    case VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT:
        if (c->chassis < 0)
            c->chassis = c->index;
        if (c->port < 0)
            c->port = a->pci.slot;
        break;
    default:
        break;
    }
    if (c->model == VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE && (unsigned int)c->index <= a->pci.bus) {
        vkReportError(PCI_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "PCI controller at index %d (0x%02x) has bus='0x%02x', but index must be "
                      "larger than bus",
                      c->index, c->index, a->pci.bus);
        return -1;
    }
    return 0;
}

/* ---- the whole ---- */

/* The first pass: the buses the devices need, added to the definition as controllers. A
 * definition with nothing but the root is left to us entirely: on q35 it gets one spare root
 * port for hotplug; with a pci-root one slot is kept free for a future bridge. */
static int addBuses(vkDomainDef *def, const vkPCIContext *ctx, int maxIndex, unsigned int *nbuses)
{
    g_autoptr(vkPCISet) set = NULL;
    gboolean pcieRoot = hasPCIeRoot(def);

    if (!(set = setCreate(def, ctx, *nbuses, TRUE)) ||
        (ctx->m->q35 ? chipsetICH9(set, ctx, def) : chipsetPIIX3(set, ctx, def)) < 0)
        return -1;
    if (set->buses[0].model == VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT) {
        gboolean full = TRUE;

        for (unsigned int i = 0; i < set->nbuses && full; i++)
            full = busFullyReserved(&set->buses[i]);
        if (!full && reserveNext(set, NULL, CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE, -1) < 0)
            return -1;
    }
    if (assignDevices(set, ctx, def) < 0)
        return -1;
    if (maxIndex <= 0 && set->nbuses > (unsigned int)maxIndex + 1 && pcieRoot &&
        reserveNext(set, NULL, CONNECT_AUTOASSIGN | CONNECT_PCIE_DEVICE, -1) < 0)
        return -1;
    for (unsigned int i = 1; i < set->nbuses; i++) {
        vkDomainControllerDef *c =
            vkDomainDefAddController(def, VK_DOMAIN_CONTROLLER_TYPE_PCI, i, set->buses[i].model);

        if (c && c->model != VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT &&
            c->model != VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT &&
            reserveNext(set, &c->info, controllerConnect(ctx, c), -1) < 0)
            return -1;
    }
    *nbuses = set->nbuses;
    return 0;
}

int vkQEMUDomainAssignPCIAddresses(vkDomainDef *def, const vkQEMUMachine *m, const vkQEMUCaps *caps)
{
    g_autoptr(vkPCISet) set = NULL;
    vkPCIContext ctx = { .m = m, .caps = caps };
    int maxIndex = -1;
    unsigned int nbuses;

    if (!m->i440fx && !m->q35)
        return 0;
    ctx.pcieFlags =
        CONNECT_AUTOASSIGN | (hasPCIeRoot(def) ? CONNECT_PCIE_DEVICE : CONNECT_PCI_DEVICE);
    /* qemu knows virtio's transitional models only from 5.0 on; before, every virtio device
     * was a conventional one. */
    ctx.virtioFlags = hasDevice(&ctx, "virtio-blk-pci-transitional")
                          ? ctx.pcieFlags
                          : CONNECT_AUTOASSIGN | CONNECT_PCI_DEVICE;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VK_DOMAIN_CONTROLLER_TYPE_PCI)
            maxIndex = MAX(maxIndex, def->controllers[i]->index);
    }
    nbuses = maxIndex + 1;
    if (nbuses > 0 && addBuses(def, &ctx, maxIndex, &nbuses) < 0)
        return -1;
    if (!(set = setCreate(def, &ctx, nbuses, FALSE)) || assignAll(set, &ctx, def) < 0)
        return -1;
    vkDomainDefForEachDeviceInfo(def, setMulti, NULL);
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VK_DOMAIN_CONTROLLER_TYPE_PCI &&
            pciControllerDefaults(def->controllers[i], &ctx) < 0)
            return -1;
    }
    return 0;
}
