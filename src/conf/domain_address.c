/* Device bookkeeping shared by all devices: <address type='pci'|'drive'>, <boot order>,
 * <alias>, and the walk over a device's children that dispatches them. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainAddress, VK_DOMAIN_ADDRESS_TYPE_LAST, "none", "pci", "drive", "virtio-serial",
             "usb")

/* Unsigned with C base detection (0x.. hex, 0.. octal), as libvirt reads PCI addresses. */
static int parseAddressNumber(xmlNodePtr node, const char *name, unsigned int max,
                              unsigned int *out)
{
    g_autofree char *v = vkXMLProp(node, name);
    char *end = NULL;
    guint64 n;

    if (!v)
        return 0;
    n = g_ascii_strtoull(v, &end, 0);
    if (!*v || !g_ascii_isdigit(*v) || *end || n > max) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid value '%s' for attribute '%s' of <address>: expected an integer "
                      "from 0 to %#x",
                      v, name, max);
        return -1;
    }
    *out = n;
    return 1;
}

static int parsePCIAddress(xmlNodePtr node, vkDomainDeviceAddress *addr)
{
    static const char *const attrs[] = { "type",     "domain",        "bus", "slot",
                                         "function", "multifunction", NULL };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        parseAddressNumber(node, "domain", 0xFFFF, &addr->pci.domain) < 0 ||
        parseAddressNumber(node, "bus", 0xFF, &addr->pci.bus) < 0 ||
        parseAddressNumber(node, "slot", 0x1F, &addr->pci.slot) < 0 ||
        parseAddressNumber(node, "function", 7, &addr->pci.function) < 0 ||
        vkDomainPropTristate(node, "multifunction", TRUE, &addr->pci.multi) < 0)
        return -1;
    return 0;
}

static int parseDriveAddress(xmlNodePtr node, vkDomainDeviceAddress *addr)
{
    static const char *const attrs[] = { "type", "controller", "bus", "target", "unit", NULL };
    unsigned int *fields[] = { &addr->drive.controller, &addr->drive.bus, &addr->drive.target,
                               &addr->drive.unit };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        unsigned long long v = 0;
        if (vkXMLPropULL(node, attrs[i + 1], 0, G_MAXUINT, &v, VK_DOMAIN_ERR) < 0)
            return -1;
        *fields[i] = v;
    }
    return 0;
}

static int parseVirtioSerialAddress(xmlNodePtr node, vkDomainDeviceAddress *addr)
{
    static const char *const attrs[] = { "type", "controller", "bus", "port", NULL };
    unsigned int *fields[] = { &addr->vioserial.controller, &addr->vioserial.bus,
                               &addr->vioserial.port };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        unsigned long long v = 0;
        if (vkXMLPropULL(node, attrs[i + 1], 0, G_MAXINT, &v, VK_DOMAIN_ERR) < 0)
            return -1;
        *fields[i] = v;
    }
    return 0;
}

/* libvirt reads PORT as a path of up to four ports through hubs ("1.2"); without hubs only the
 * first level exists. */
static int parseUSBAddress(xmlNodePtr node, vkDomainDeviceAddress *addr)
{
    static const char *const attrs[] = { "type", "bus", "port", NULL };
    g_autofree char *port = NULL;
    unsigned long long bus = 0;
    guint64 n = 0;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropULL(node, "bus", 0, G_MAXUINT, &bus, VK_DOMAIN_ERR) < 0)
        return -1;
    addr->usb.bus = bus;
    if (!(port = vkXMLProp(node, "port")))
        return 0;
    if (strchr(port, '.')) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unsupported USB port '%s' of <address>: USB hubs are not supported", port);
        return -1;
    }
    if (!g_ascii_isdigit(*port) || !g_ascii_string_to_unsigned(port, 10, 0, G_MAXUINT, &n, NULL)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "Cannot parse <address> 'port' attribute");
        return -1;
    }
    addr->usb.port = n;
    return 0;
}

static int parseAddress(xmlNodePtr node, vkDomainDeviceInfo *info)
{
    vkDomainDeviceAddress addr = { 0 };
    int rc;

    if (info->addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE)
        return vkDomainReportDuplicate(node);
    if ((rc = vkDomainPropEnum(node, "type", vkDomainAddressTypeFromString, TRUE, &addr.type)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return -1;
    }
    switch (addr.type) {
    case VK_DOMAIN_ADDRESS_TYPE_PCI:
        rc = parsePCIAddress(node, &addr);
        break;
    case VK_DOMAIN_ADDRESS_TYPE_DRIVE:
        rc = parseDriveAddress(node, &addr);
        break;
    case VK_DOMAIN_ADDRESS_TYPE_USB:
        rc = parseUSBAddress(node, &addr);
        break;
    default:
        rc = parseVirtioSerialAddress(node, &addr);
        break;
    }
    if (rc < 0)
        return -1;
    info->addr = addr;
    return 0;
}

static int parseBootOrder(xmlNodePtr node, vkDomainDeviceInfo *info)
{
    static const char *const attrs[] = { "order", NULL };
    unsigned long long order = 0;
    int rc;

    if (info->bootIndex)
        return vkDomainReportDuplicate(node);
    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkXMLPropULL(node, "order", 1, G_MAXUINT, &order, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "order"));
        return -1;
    }
    info->bootIndex = order;
    return 0;
}

static int parseAlias(xmlNodePtr node, vkDomainDeviceInfo *info, unsigned int flags)
{
    static const char *const attrs[] = { "name", NULL };
    g_autofree char *name = NULL;

    if (info->alias)
        return vkDomainReportDuplicate(node);
    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        !(name = vkDomainPropRequired(node, "name")))
        return -1;
    /* Aliases the driver assigns are runtime data; user aliases ("ua-") are configuration. */
    if (!(flags & VK_DOMAIN_DEF_PARSE_INACTIVE) || g_str_has_prefix(name, "ua-"))
        info->alias = g_steal_pointer(&name);
    return 0;
}

int vkDomainDeviceInfoParseChild(xmlNodePtr child, vkDomainDeviceInfo *info, unsigned int flags,
                                 gboolean allowBoot)
{
    const char *name = (const char *)child->name;

    if (g_str_equal(name, "address"))
        return parseAddress(child, info) < 0 ? -1 : 1;
    if (allowBoot && g_str_equal(name, "boot"))
        return parseBootOrder(child, info) < 0 ? -1 : 1;
    if (g_str_equal(name, "alias"))
        return parseAlias(child, info, flags) < 0 ? -1 : 1;
    return 0;
}

static gboolean aliasShown(const vkDomainDeviceInfo *info, unsigned int flags)
{
    return info->alias &&
           (!(flags & VK_DOMAIN_DEF_FORMAT_INACTIVE) || g_str_has_prefix(info->alias, "ua-"));
}

gboolean vkDomainDeviceInfoHasOutput(const vkDomainDeviceInfo *info, unsigned int flags,
                                     gboolean allowBoot)
{
    return (allowBoot && info->bootIndex) || aliasShown(info, flags) ||
           info->addr.type != VK_DOMAIN_ADDRESS_TYPE_NONE;
}

void vkDomainDeviceInfoFormat(vkBuf *buf, const vkDomainDeviceInfo *info, unsigned int flags,
                              gboolean allowBoot)
{
    const vkDomainDeviceAddress *a = &info->addr;

    if (allowBoot && info->bootIndex)
        vkBufAddf(buf, "<boot order='%u'/>\n", info->bootIndex);
    if (aliasShown(info, flags))
        vkBufEscapef(buf, "<alias name='%s'/>\n", info->alias);
    switch (a->type) {
    case VK_DOMAIN_ADDRESS_TYPE_PCI:
        vkBufAddf(buf, "<address type='pci'");
        if (a->pci.domain || a->pci.bus || a->pci.slot || a->pci.function)
            vkBufAddf(buf, " domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%u'",
                      a->pci.domain, a->pci.bus, a->pci.slot, a->pci.function);
        if (a->pci.multi)
            vkBufAddf(buf, " multifunction='%s'", vkDomainTristateString(a->pci.multi, TRUE));
        vkBufAddf(buf, "/>\n");
        break;
    case VK_DOMAIN_ADDRESS_TYPE_DRIVE:
        vkBufAddf(buf, "<address type='drive' controller='%u' bus='%u' target='%u' unit='%u'/>\n",
                  a->drive.controller, a->drive.bus, a->drive.target, a->drive.unit);
        break;
    case VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL:
        vkBufAddf(buf, "<address type='virtio-serial' controller='%u' bus='%u' port='%u'/>\n",
                  a->vioserial.controller, a->vioserial.bus, a->vioserial.port);
        break;
    case VK_DOMAIN_ADDRESS_TYPE_USB:
        vkBufAddf(buf, "<address type='usb' bus='%u'", a->usb.bus);
        if (a->usb.port)
            vkBufAddf(buf, " port='%u'", a->usb.port);
        vkBufAddf(buf, "/>\n");
        break;
    default:
        break;
    }
}

void vkDomainDeviceInfoCopy(vkDomainDeviceInfo *dst, const vkDomainDeviceInfo *src)
{
    *dst = *src;
    dst->alias = g_strdup(src->alias);
}

void vkDomainDeviceInfoClear(vkDomainDeviceInfo *info)
{
    g_clear_pointer(&info->alias, g_free);
}

int vkDomainDeviceChildrenParse(xmlNodePtr node, const char *const *allowed, void *dev,
                                vkDomainDeviceInfo *info, unsigned int flags, gboolean allowBoot,
                                int (*parseChild)(void *dev, xmlNodePtr child, unsigned int flags))
{
    if (vkXMLCheckChildren(node, allowed, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        int rc;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if ((rc = vkDomainDeviceInfoParseChild(c, info, flags, allowBoot)) < 0)
            return -1;
        if (rc == 0 && parseChild(dev, c, flags) < 0)
            return -1;
    }
    return 0;
}
