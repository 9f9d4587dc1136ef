/* USB ports for a definition's USB devices, as libvirt's qemu driver gives them at define: one
 * bus per USB controller index, ports taken first come first served in libvirt's device order.
 * libvirt adds usb-hub devices when the controllers' ports run out; virtkit has no hubs and
 * refuses such a definition instead. */
#include "qemu_postparse_priv.h"

#include <string.h>

#include "util/vkerror.h"

#define USB_ERR VIR_FROM_DOMAIN

typedef struct {
    unsigned int nports; /* 0: no controller with this index */
    gboolean *taken;     /* [nports], port N at N - 1 */
} vkUSBBus;

typedef struct {
    vkUSBBus *buses;
    unsigned int nbuses;
} vkUSBSet;

/* How many ports libvirt counts for a controller: companions count none (their EHCI has them
 * all), and qemu-xhci without ports= counts 4. */
static unsigned int controllerPorts(const vkDomainControllerDef *c)
{
    switch (c->model) {
    case -1:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX3_UHCI:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX4_UHCI:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_VT82C686B_UHCI:
        return 2;
    case VK_DOMAIN_CONTROLLER_MODEL_USB_EHCI:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_EHCI1:
        return 6;
    case VK_DOMAIN_CONTROLLER_MODEL_USB_PCI_OHCI:
        return 3;
    case VK_DOMAIN_CONTROLLER_MODEL_USB_NEC_XHCI:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_QEMU_XHCI:
        return c->ports >= 0 ? (unsigned int)c->ports : 4;
    case VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB1:
    case VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB2:
        return c->ports >= 0 ? (unsigned int)c->ports : 8;
    default:
        return 0;
    }
}

static void setFree(vkUSBSet *set)
{
    for (unsigned int i = 0; i < set->nbuses; i++)
        g_free(set->buses[i].taken);
    g_free(set->buses);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkUSBSet, setFree)

static int setCreate(const vkDomainDef *def, vkUSBSet *set, unsigned int *total)
{
    *total = 0;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];
        unsigned int n;

        if (c->type != VK_DOMAIN_CONTROLLER_TYPE_USB || !(n = controllerPorts(c)))
            continue;
        if ((unsigned int)c->index >= set->nbuses) {
            set->buses = g_renew(vkUSBBus, set->buses, c->index + 1);
            memset(set->buses + set->nbuses, 0, (c->index + 1 - set->nbuses) * sizeof(vkUSBBus));
            set->nbuses = c->index + 1;
        } else if (set->buses[c->index].nports) {
            vkReportError(USB_ERR, VIR_ERR_XML_ERROR, "Duplicate USB controllers with index %u",
                          (unsigned int)c->index);
            return -1;
        }
        set->buses[c->index].nports = n;
        set->buses[c->index].taken = g_new0(gboolean, n);
        *total += n;
    }
    return 0;
}

/* The USB devices of DEF in libvirt's order (host devices and smartcard readers, which virtkit
 * does not model here, would come first and after the disks). */
static GPtrArray *usbDevices(vkDomainDef *def)
{
    GPtrArray *infos = g_ptr_array_new();

    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VK_DOMAIN_DISK_BUS_USB)
            g_ptr_array_add(infos, &def->disks[i]->info);
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        if (def->inputs[i]->bus == VK_DOMAIN_INPUT_BUS_USB)
            g_ptr_array_add(infos, &def->inputs[i]->info);
    }
    for (size_t i = 0; i < def->nsounds; i++) {
        if (def->sounds[i]->model == VK_DOMAIN_SOUND_MODEL_USB)
            g_ptr_array_add(infos, &def->sounds[i]->info);
    }
    for (size_t i = 0; i < def->nredirdevs; i++)
        g_ptr_array_add(infos, &def->redirdevs[i]->info);
    return infos;
}

static gboolean portGiven(const vkDomainDeviceInfo *info)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_USB && info->addr.usb.port;
}

/* A device with an address of another kind keeps it, as in libvirt. */
static gboolean portWanted(const vkDomainDeviceInfo *info)
{
    return info->addr.type == VK_DOMAIN_ADDRESS_TYPE_NONE ||
           (info->addr.type == VK_DOMAIN_ADDRESS_TYPE_USB && !info->addr.usb.port);
}

static int reserve(vkUSBSet *set, const vkDomainDeviceInfo *info)
{
    unsigned int bus = info->addr.usb.bus, port = info->addr.usb.port;

    if (bus >= set->nbuses || !set->buses[bus].nports) {
        vkReportError(USB_ERR, VIR_ERR_XML_ERROR, "Missing USB bus %u", bus);
        return -1;
    }
    if (port > set->buses[bus].nports) {
        vkReportError(USB_ERR, VIR_ERR_XML_ERROR, "requested USB port %u not present on USB bus %u",
                      port, bus);
        return -1;
    }
    if (set->buses[bus].taken[port - 1]) {
        vkReportError(USB_ERR, VIR_ERR_XML_ERROR, "Duplicate USB address bus %u port %u", bus,
                      port);
        return -1;
    }
    set->buses[bus].taken[port - 1] = TRUE;
    return 0;
}

static gboolean takeFree(vkUSBBus *bus, vkDomainDeviceInfo *info, unsigned int index)
{
    for (unsigned int p = 0; p < bus->nports; p++) {
        if (!bus->taken[p]) {
            bus->taken[p] = TRUE;
            info->addr.type = VK_DOMAIN_ADDRESS_TYPE_USB;
            info->addr.usb.bus = index;
            info->addr.usb.port = p + 1;
            return TRUE;
        }
    }
    return FALSE;
}

static int assign(vkUSBSet *set, vkDomainDeviceInfo *info)
{
    if (info->addr.type == VK_DOMAIN_ADDRESS_TYPE_USB) {
        unsigned int bus = info->addr.usb.bus;

        if (bus >= set->nbuses || !set->buses[bus].nports) {
            vkReportError(USB_ERR, VIR_ERR_XML_ERROR,
                          "USB bus %u requested but no controller with that index is present", bus);
            return -1;
        }
        if (takeFree(&set->buses[bus], info, bus))
            return 0;
    } else {
        for (unsigned int i = 0; i < set->nbuses; i++) {
            if (takeFree(&set->buses[i], info, i))
                return 0;
        }
    }
    vkReportError(USB_ERR, VIR_ERR_INTERNAL_ERROR, "%s", "No free USB ports");
    return -1;
}

static gboolean hasUSB(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
            c->model != VK_DOMAIN_CONTROLLER_MODEL_USB_NONE)
            return TRUE;
    }
    return FALSE;
}

int vkQEMUDomainAssignUSBAddresses(vkDomainDef *def, gboolean newDomain)
{
    g_autoptr(GPtrArray) infos = usbDevices(def);
    g_auto(vkUSBSet) set = { 0 };
    unsigned int total;

    if (infos->len == 0)
        return 0;
    /* A definition libvirt did not just receive keeps the ports it has, checked only when
     * every USB device has one (it rebuilds qemu's USB topology from them). */
    for (guint i = 0; !newDomain && i < infos->len; i++) {
        if (!portGiven(infos->pdata[i]))
            return 0;
    }
    if (!hasUSB(def)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "USB is disabled for this domain, but USB devices are present in the "
                      "domain XML");
        return -1;
    }
    if (setCreate(def, &set, &total) < 0)
        return -1;
    if (infos->len > total) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%u USB devices need more than the %u ports of the USB controllers: "
                      "USB hubs are not supported",
                      infos->len, total);
        return -1;
    }
    for (guint i = 0; i < infos->len; i++) {
        if (portGiven(infos->pdata[i]) && reserve(&set, infos->pdata[i]) < 0)
            return -1;
    }
    for (guint i = 0; i < infos->len; i++) {
        if (portWanted(infos->pdata[i]) && assign(&set, infos->pdata[i]) < 0)
            return -1;
    }
    return 0;
}
