/* <interface>: network interfaces, their MAC addresses, sources, targets and models. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainNet, VK_DOMAIN_NET_TYPE_LAST, "user", "ethernet", "network", "bridge")

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

gboolean vkDomainNetModelIsKnown(const char *model)
{
    for (const char *const *m = netModels; *m; m++) {
        if (g_str_equal(*m, model))
            return TRUE;
    }
    return FALSE;
}

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

/* ---- the family ---- */

static int parseNetElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainNetDef *net = parseNet(node, flags);

    if (!net)
        return -1;
    VK_DOMAIN_APPEND(def->nets, def->nnets, net);
    return 0;
}

static void formatNets(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nnets; i++)
        formatNet(buf, def->nets[i], flags);
}

static void copyNets(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, nets, nnets, copyNet);
}

static void freeNets(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, nets, nnets, vkDomainNetDefFree);
}

static int forEachNetInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, nets, nnets, VK_DOMAIN_DEVICE_NET, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainNetFamily = {
    .name = "interface",
    .parse = parseNetElement,
    .format = formatNets,
    .copy = copyNets,
    .free = freeNets,
    .forEachInfo = forEachNetInfo,
};
