/* <controller>: the buses devices plug into, their models and indexes, and where libvirt
 * keeps them in the list. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainController, VK_DOMAIN_CONTROLLER_TYPE_LAST, "ide", "fdc", "scsi", "sata",
             "virtio-serial", "usb", "pci")

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
/* ---- controller ---- */

VK_ENUM_IMPL(vkDomainControllerPCIModelName, VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_LAST, "pci-bridge",
             "i82801b11-bridge", "ioh3420", "x3130-upstream", "xio3130-downstream", "pxb",
             "pxb-pcie", "pcie-root-port", "spapr-pci-host-bridge", "pcie-pci-bridge")

static vkDomainControllerDef *controllerNew(void)
{
    vkDomainControllerDef *cont = g_new0(vkDomainControllerDef, 1);

    cont->index = -1;
    cont->model = -1;
    cont->modelName = -1;
    cont->chassisNr = -1;
    cont->chassis = -1;
    cont->port = -1;
    cont->ports = -1;
    cont->vectors = -1;
    cont->masterStartPort = -1;
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
    static const char *const targetAttrs[] = { "chassisNr", "chassis", "port", "hotplug", NULL };
    static const char *const masterAttrs[] = { "startport", NULL };
    vkDomainControllerDef *cont = dev;

    if (g_str_equal((const char *)c->name, "master")) {
        if (vkXMLCheckLeaf(c, masterAttrs, VK_DOMAIN_ERR) < 0 ||
            vkXMLPropInt(c, "startport", 0, G_MAXINT, &cont->masterStartPort, VK_DOMAIN_ERR) < 0)
            return -1;
        return 0;
    }
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
        parseTargetNumber(c, "port", 0, 255, &cont->port) < 0 ||
        vkDomainPropTristate(c, "hotplug", TRUE, &cont->hotplug) < 0)
        return -1;
    return 0;
}

static vkDomainControllerDef *parseController(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", "index", "model", NULL };
    static const char *const usbAttrs[] = { "type", "index", "model", "ports", NULL };
    static const char *const serialAttrs[] = { "type", "index", "model", "ports", "vectors", NULL };
    static const char *const children[] = { "alias", "address", NULL };
    static const char *const usbChildren[] = { "master", "alias", "address", NULL };
    static const char *const pciChildren[] = { "model", "target", "alias", "address", NULL };
    const char *const *typeAttrs, *const *typeChildren;
    g_autoptr(vkDomainControllerDef) cont = controllerNew();
    g_autofree char *model = NULL;
    int rc;

    if ((rc = vkDomainPropEnum(node, "type", vkDomainControllerTypeFromString, FALSE,
                               &cont->type)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return NULL;
    }
    switch (cont->type) {
    case VK_DOMAIN_CONTROLLER_TYPE_USB:
        typeAttrs = usbAttrs, typeChildren = usbChildren;
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        typeAttrs = serialAttrs, typeChildren = children;
        break;
    case VK_DOMAIN_CONTROLLER_TYPE_PCI:
        typeAttrs = attrs, typeChildren = pciChildren;
        break;
    default:
        typeAttrs = attrs, typeChildren = children;
        break;
    }
    if (vkXMLCheckAttrs(node, typeAttrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropInt(node, "index", 0, G_MAXINT, &cont->index, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropInt(node, "ports", 0, G_MAXINT, &cont->ports, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropInt(node, "vectors", 0, G_MAXINT, &cont->vectors, VK_DOMAIN_ERR) < 0)
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
        vkXMLCheckUnique(node, "master", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, typeChildren, cont, &cont->info, flags, FALSE,
                                    parseControllerChild) < 0)
        return NULL;
    /* As libvirt: ICH9's UHCI companions serve two ports each of the EHCI controller. */
    if (cont->type == VK_DOMAIN_CONTROLLER_TYPE_USB && cont->masterStartPort < 0 && model &&
        g_str_has_prefix(model, "ich9-uhci") && model[9] >= '1' && model[9] <= '3' && !model[10])
        cont->masterStartPort = (model[9] - '1') * 2;
    if (cont->type == VK_DOMAIN_CONTROLLER_TYPE_PCI && cont->model >= 0 &&
        g_str_has_suffix(pciModels[cont->model], "-root") &&
        cont->info.addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "pci-root and pcie-root controllers should not have an address");
        return NULL;
    }
    return g_steal_pointer(&cont);
}

/* libvirt writes <master> between the alias and the address. */
static void formatControllerInfo(vkBuf *buf, const vkDomainControllerDef *cont, unsigned int flags)
{
    vkDomainDeviceInfo noAddress = cont->info;

    if (cont->masterStartPort < 0) {
        vkDomainDeviceInfoFormat(buf, &cont->info, flags, FALSE);
        return;
    }
    noAddress.addr.type = VK_DOMAIN_ADDRESS_TYPE_NONE;
    vkDomainDeviceInfoFormat(buf, &noAddress, flags, FALSE);
    vkBufAddf(buf, "<master startport='%d'/>\n", cont->masterStartPort);
    noAddress = (vkDomainDeviceInfo){ .addr = cont->info.addr };
    vkDomainDeviceInfoFormat(buf, &noAddress, flags, FALSE);
}

static void formatController(vkBuf *buf, const vkDomainControllerDef *cont, unsigned int flags)
{
    vkBufAddf(buf, "<controller type='%s' index='%d'", vkDomainControllerTypeToString(cont->type),
              cont->index);
    gboolean target =
        cont->chassisNr >= 0 || cont->chassis >= 0 || cont->port >= 0 || cont->hotplug;

    if (cont->model >= 0)
        vkBufAddf(buf, " model='%s'", vkDomainControllerModelToString(cont->type, cont->model));
    if (cont->ports >= 0)
        vkBufAddf(buf, " ports='%d'", cont->ports);
    if (cont->vectors >= 0)
        vkBufAddf(buf, " vectors='%d'", cont->vectors);
    if (cont->modelName < 0 && !target && cont->masterStartPort < 0 &&
        !vkDomainDeviceInfoHasOutput(&cont->info, flags, FALSE)) {
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
        if (cont->hotplug)
            vkBufAddf(buf, " hotplug='%s'", vkDomainTristateString(cont->hotplug, TRUE));
        vkBufAddf(buf, "/>\n");
    }
    formatControllerInfo(buf, cont, flags);
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

void vkDomainDefRemoveImplicitControllers(vkDomainDef *def)
{
    size_t kept = 0;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->implicit)
            vkDomainControllerDefFree(def->controllers[i]);
        else
            def->controllers[kept++] = def->controllers[i];
    }
    def->ncontrollers = kept;
}

void vkDomainControllerDefFree(vkDomainControllerDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- the family ---- */

static int parseControllerElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainControllerDef *cont = parseController(node, flags);

    if (!cont)
        return -1;
    vkDomainControllerInsert(def, cont);
    return 0;
}

static void formatControllers(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->ncontrollers; i++)
        formatController(buf, def->controllers[i], flags);
}

static vkDomainControllerDef *copyController(const vkDomainControllerDef *src)
{
    vkDomainControllerDef *cont = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&cont->info, &src->info);
    return cont;
}

static void copyControllers(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, controllers, ncontrollers, copyController);
}

static void freeControllers(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, controllers, ncontrollers, vkDomainControllerDefFree);
}

static int forEachControllerInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, controllers, ncontrollers, VK_DOMAIN_DEVICE_CONTROLLER, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainControllerFamily = {
    .name = "controller",
    .parse = parseControllerElement,
    .format = formatControllers,
    .copy = copyControllers,
    .free = freeControllers,
    .forEachInfo = forEachControllerInfo,
};
