/* libvirt's <network> XML: each element's parser sits next to its formatter, followed by the
 * checks that tie elements to the forward mode, and the document-level entry points. */
#include "network_conf.h"

#include <string.h>

#include "conf/object_name.h"
#include "util/vkerror.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

#define DOM VIR_FROM_NETWORK

/* Linux refuses longer interface names (IFNAMSIZ - 1). */
#define VK_NETWORK_IFNAME_MAX 15
#define VK_NETWORK_MAC_STRLEN 18

VK_ENUM_IMPL(vkNetworkForward, VK_NETWORK_FORWARD_LAST, "none", "nat", "route", "open", "bridge",
             "private", "vepa", "passthrough", "hostdev")

/* Nodes kept while parsing so that checks across elements can point at a line. */
typedef struct {
    xmlNodePtr forward;
    xmlNodePtr bridge;
    xmlNodePtr mac;
    xmlNodePtr domain;
    xmlNodePtr mtu;
    xmlNodePtr ip; /* the first <ip> */
} vkNetworkNodes;

static void ipDefClear(vkNetworkIPDef *ip)
{
    for (size_t i = 0; i < ip->nhosts; i++) {
        g_free(ip->hosts[i].mac);
        g_free(ip->hosts[i].name);
    }
    g_free(ip->hosts);
    g_free(ip->ranges);
    memset(ip, 0, sizeof(*ip));
}

void vkNetworkDefFree(vkNetworkDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->forward.dev);
    g_strfreev(def->forward.ifs);
    g_free(def->bridge.name);
    g_free(def->mac);
    g_free(def->domainName);
    for (size_t i = 0; i < def->nips; i++)
        ipDefClear(&def->ips[i]);
    g_free(def->ips);
    g_free(def);
}

const vkNetworkIPDef *vkNetworkDefGetIP(const vkNetworkDef *def, int family, size_t n)
{
    for (size_t i = 0; i < def->nips; i++) {
        if (family != AF_UNSPEC && def->ips[i].family != family)
            continue;
        if (n-- == 0)
            return &def->ips[i];
    }
    return NULL;
}

int vkNetworkIPDefPrefix(const vkNetworkIPDef *ip)
{
    if (ip->prefix > 0)
        return (int)ip->prefix;
    if (vkSocketAddrIsValid(&ip->netmask))
        return vkSocketAddrNetmaskToPrefix(&ip->netmask);
    return vkSocketAddrNaturalPrefix(&ip->address);
}

static gboolean forwardMakesBridge(int type)
{
    return type == VK_NETWORK_FORWARD_NONE || type == VK_NETWORK_FORWARD_NAT ||
           type == VK_NETWORK_FORWARD_ROUTE || type == VK_NETWORK_FORWARD_OPEN;
}

/* ---- shared value checks ---- */

static void reportBadValue(xmlNodePtr node, const char *attr, const char *value, const char *why)
{
    vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "invalid value '%s' for attribute '%s' of <%s>: %s",
                  value, attr, (const char *)node->name, why);
}

static char *requireProp(xmlNodePtr node, const char *attr)
{
    char *value = vkXMLProp(node, attr);
    if (!value)
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "missing required attribute '%s' on element <%s>", attr,
                      (const char *)node->name);
    return value;
}

/* The kernel's rules for interface names, within the characters libvirt's schema allows, so
 * that what we accept can exist on the host and what we print validates. */
static int checkDeviceName(xmlNodePtr node, const char *attr, const char *value)
{
    static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_.-";
    size_t len = strlen(value);

    if (len == 0 || len > VK_NETWORK_IFNAME_MAX || strspn(value, allowed) != len ||
        g_str_equal(value, ".") || g_str_equal(value, "..")) {
        reportBadValue(node, attr, value,
                       "expected an interface name of 1 to 15 letters, digits, '_', '.' or '-'");
        return -1;
    }
    return 0;
}

/* Six ':'-separated groups of one or two hex digits (libvirt takes single digits too). OUT
 * gets the canonical lower-case form. */
static gboolean parseMACText(const char *str, char out[VK_NETWORK_MAC_STRLEN], gboolean *multicast)
{
    guint8 b[6];
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        int digits = 0, value = 0;
        while (g_ascii_isxdigit(*p) && digits < 3) {
            value = value * 16 + g_ascii_xdigit_value(*p++);
            digits++;
        }
        if (digits == 0 || digits > 2)
            return FALSE;
        b[i] = (guint8)value;
        if (i < 5 && *p++ != ':')
            return FALSE;
    }
    if (*p)
        return FALSE;
    g_snprintf(out, VK_NETWORK_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3],
               b[4], b[5]);
    *multicast = (b[0] & 1) != 0;
    return TRUE;
}

/* ---- <name> and <uuid> ---- */

static int parseName(xmlNodePtr root, vkNetworkDef *def)
{
    xmlNodePtr node = vkXMLChild(root, "name");
    g_autofree char *name = NULL;

    if (!node) {
        vkReportError(DOM, VIR_ERR_NO_NAME, "%s", "");
        return -1;
    }
    if (vkXMLCheckLeaf(node, NULL, DOM) < 0)
        return -1;
    /* The name becomes file names and dnsmasq's configuration lines. */
    name = vkXMLText(node);
    if (vkObjectNameCheck(VK_OBJECT_NETWORK, name) < 0)
        return -1;
    def->name = g_steal_pointer(&name);
    return 0;
}

static int parseUUID(xmlNodePtr root, vkNetworkDef *def)
{
    xmlNodePtr node = vkXMLChild(root, "uuid");
    g_autofree char *text = NULL;

    if (!node) {
        vkUUIDGenerate(def->uuid);
        return 0;
    }
    if (vkXMLCheckLeaf(node, NULL, DOM) < 0)
        return -1;
    text = vkXMLText(node);
    if (vkUUIDParse(text, def->uuid) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "malformed uuid element: '%s'",
                      g_strstrip(text));
        return -1;
    }
    return 0;
}

/* ---- <forward> ---- */

static int parseForwardPort(xmlNodePtr node, const char *netName, vkNetworkDef *def)
{
    static const char *const attrs[] = { "start", "end", NULL };
    g_autofree char *start = NULL;
    g_autofree char *end = NULL;
    guint64 s = 0, e = 0;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    start = vkXMLProp(node, "start");
    if (!start || !g_ascii_string_to_unsigned(start, 10, 1, 65535, &s, NULL)) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_DETAIL,
                      "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in "
                      "network %s",
                      netName);
        return -1;
    }
    end = vkXMLProp(node, "end");
    if (!end || !g_ascii_string_to_unsigned(end, 10, 1, 65535, &e, NULL) || e < s) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_DETAIL,
                      "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in "
                      "network %s",
                      netName);
        return -1;
    }
    def->forward.natPortStart = (unsigned int)s;
    def->forward.natPortEnd = (unsigned int)e;
    return 0;
}

static int parseForwardNat(xmlNodePtr node, const char *netName, vkNetworkDef *def)
{
    static const char *const children[] = { "port", NULL };
    xmlNodePtr port;

    if (def->forward.type != VK_NETWORK_FORWARD_NAT) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "The <nat> element can only be used when <forward> 'mode' is 'nat' in "
                      "network %s",
                      netName);
        return -1;
    }
    if (vkXMLCheckAttrs(node, NULL, DOM) < 0 || vkXMLCheckChildren(node, children, DOM) < 0)
        return -1;
    if (vkXMLCountChildren(node, "port") > 1) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Only one <port> element is allowed in <nat> in <forward> in network %s",
                      netName);
        return -1;
    }
    if ((port = vkXMLChild(node, "port")))
        return parseForwardPort(port, netName, def);
    return 0;
}

/* <forward dev='x'> and the <interface dev='...'/> list describe one pool whose first member
 * is dev, as in libvirt. */
static int parseForwardInterfaces(xmlNodePtr node, const char *netName, const char *dev,
                                  vkNetworkDef *def)
{
    static const char *const attrs[] = { "dev", NULL };
    g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func(g_free);

    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *ifdev = NULL;

        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "interface"))
            continue;
        if (vkXMLCheckAttrs(c, attrs, DOM) < 0 || vkXMLCheckChildren(c, NULL, DOM) < 0)
            return -1;
        if (!(ifdev = vkXMLProp(c, "dev"))) {
            vkXMLReportAt(c, DOM, VIR_ERR_XML_ERROR,
                          "Missing required dev attribute in <forward> <interface> element of "
                          "network %s",
                          netName);
            return -1;
        }
        if (checkDeviceName(c, "dev", ifdev) < 0)
            return -1;
        if (pool->len == 0 && dev && !g_str_equal(dev, ifdev)) {
            vkXMLReportAt(c, DOM, VIR_ERR_XML_ERROR,
                          "<forward dev='%s'> must match first <interface dev='%s'/> in "
                          "network %s",
                          dev, ifdev, netName);
            return -1;
        }
        for (guint i = 0; i < pool->len; i++) {
            if (g_str_equal(pool->pdata[i], ifdev)) {
                vkXMLReportAt(c, DOM, VIR_ERR_XML_ERROR,
                              "interface '%s' can only be listed once in network %s", ifdev,
                              netName);
                return -1;
            }
        }
        g_ptr_array_add(pool, g_steal_pointer(&ifdev));
    }
    if (pool->len == 0 && dev)
        g_ptr_array_add(pool, g_strdup(dev));
    if (pool->len == 0)
        return 0;
    def->forward.nifs = pool->len;
    def->forward.dev = g_strdup(pool->pdata[0]);
    g_ptr_array_set_free_func(pool, NULL);
    g_ptr_array_add(pool, NULL);
    def->forward.ifs = (char **)g_ptr_array_free(g_steal_pointer(&pool), FALSE);
    return 0;
}

static int parseForward(xmlNodePtr node, const char *netName, vkNetworkDef *def)
{
    static const char *const attrs[] = { "dev", "mode", "managed", NULL };
    static const char *const children[] = { "interface", "nat", NULL };
    g_autofree char *mode = NULL;
    g_autofree char *dev = NULL;
    xmlNodePtr nat;
    int rc;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, children, DOM) < 0)
        return -1;

    def->forward.type = VK_NETWORK_FORWARD_NAT;
    if ((mode = vkXMLProp(node, "mode"))) {
        /* "none" is the absence of <forward>, not a mode one can write. */
        int type = vkNetworkForwardTypeFromString(mode);
        if (type <= VK_NETWORK_FORWARD_NONE) {
            vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'",
                          mode);
            return -1;
        }
        def->forward.type = type;
    }

    if ((rc = vkXMLPropBool(node, "managed", FALSE, &def->forward.managed, DOM)) < 0)
        return -1;
    if (rc > 0 && def->forward.type != VK_NETWORK_FORWARD_HOSTDEV) {
        vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "attribute 'managed' of <forward> is only valid with mode='hostdev', not "
                      "mode='%s' (network '%s')",
                      vkNetworkForwardTypeToString(def->forward.type), netName);
        return -1;
    }

    if ((dev = vkXMLProp(node, "dev")) && checkDeviceName(node, "dev", dev) < 0)
        return -1;
    if (parseForwardInterfaces(node, netName, dev, def) < 0)
        return -1;

    if (vkXMLCountChildren(node, "nat") > 1) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Only one <nat> element is allowed in <forward> of network %s", netName);
        return -1;
    }
    if ((nat = vkXMLChild(node, "nat")) && parseForwardNat(nat, netName, def) < 0)
        return -1;
    return 0;
}

static int formatForward(vkBuf *buf, const vkNetworkDef *def)
{
    const char *mode = vkNetworkForwardTypeToString(def->forward.type);
    /* A hand-built definition may set only dev: it is still a pool of one. */
    const char *const soleDev[] = { def->forward.dev, NULL };
    const char *const *pool = def->forward.nifs ? (const char *const *)def->forward.ifs : soleDev;
    gboolean hasNat = def->forward.type == VK_NETWORK_FORWARD_NAT &&
                      (def->forward.natPortStart || def->forward.natPortEnd);

    if (!mode) {
        vkReportError(DOM, VIR_ERR_INTERNAL_ERROR, "Unknown forward type %d in network '%s'",
                      def->forward.type, def->name);
        return -1;
    }
    if (def->forward.type == VK_NETWORK_FORWARD_NONE)
        return 0;

    vkBufAddf(buf, "<forward");
    if (pool[0])
        vkBufEscapef(buf, " dev='%s'", pool[0]);
    vkBufAddf(buf, " mode='%s'", mode);
    if (def->forward.type == VK_NETWORK_FORWARD_HOSTDEV)
        vkBufAddf(buf, " managed='%s'", def->forward.managed ? "yes" : "no");
    if (!pool[0] && !hasNat) {
        vkBufAddf(buf, "/>\n");
        return 0;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (hasNat) {
        vkBufAddf(buf, "<nat>\n");
        vkBufAdjustIndent(buf, 2);
        vkBufAddf(buf, "<port start='%u'", def->forward.natPortStart);
        if (def->forward.natPortEnd)
            vkBufAddf(buf, " end='%u'", def->forward.natPortEnd);
        vkBufAddf(buf, "/>\n");
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</nat>\n");
    }
    for (size_t i = 0; pool[i]; i++)
        vkBufEscapef(buf, "<interface dev='%s'/>\n", pool[i]);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</forward>\n");
    return 0;
}

/* ---- <bridge> ---- */

static int parseBridge(xmlNodePtr node, vkNetworkDef *def)
{
    static const char *const attrs[] = { "name", "stp", "delay", NULL };
    g_autofree char *name = NULL;
    gboolean stp = FALSE;
    unsigned long long delay = 0;
    int rc;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    if ((name = vkXMLProp(node, "name")) && checkDeviceName(node, "name", name) < 0)
        return -1;
    if ((rc = vkXMLPropBool(node, "stp", TRUE, &stp, DOM)) < 0)
        return -1;
    if (rc > 0)
        def->bridge.stp = stp ? VK_NETWORK_STP_ON : VK_NETWORK_STP_OFF;
    if ((rc = vkXMLPropULL(node, "delay", 0, G_MAXUINT, &delay, DOM)) < 0)
        return -1;
    def->bridge.delaySet = rc > 0;
    def->bridge.delay = (unsigned int)delay;
    def->bridge.name = g_steal_pointer(&name);
    return 0;
}

static void formatBridge(vkBuf *buf, const vkNetworkDef *def)
{
    gboolean makesBridge = forwardMakesBridge(def->forward.type);

    if (!makesBridge && !def->bridge.name)
        return;
    vkBufAddf(buf, "<bridge");
    if (def->bridge.name)
        vkBufEscapef(buf, " name='%s'", def->bridge.name);
    /* libvirt always spells out stp and delay for the bridges it creates itself. */
    if (makesBridge)
        vkBufAddf(buf, " stp='%s' delay='%u'", def->bridge.stp == VK_NETWORK_STP_OFF ? "off" : "on",
                  def->bridge.delay);
    vkBufAddf(buf, "/>\n");
}

/* ---- <mtu>, <mac>, <domain> ---- */

static int parseMTU(xmlNodePtr node, vkNetworkDef *def)
{
    static const char *const attrs[] = { "size", NULL };
    g_autofree char *size = NULL;
    unsigned long long mtu = 0;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    if (!(size = requireProp(node, "size")))
        return -1;
    /* 68 is the smallest MTU IPv4 allows, 65535 the largest a Linux bridge takes. */
    if (vkXMLPropULL(node, "size", 68, 65535, &mtu, DOM) < 0)
        return -1;
    def->mtu = (unsigned int)mtu;
    return 0;
}

static int parseMAC(xmlNodePtr node, const char *netName, vkNetworkDef *def)
{
    static const char *const attrs[] = { "address", NULL };
    g_autofree char *address = NULL;
    char mac[VK_NETWORK_MAC_STRLEN];
    gboolean multicast = FALSE;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    if (!(address = requireProp(node, "address")))
        return -1;
    if (!parseMACText(address, mac, &multicast)) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Invalid bridge mac address '%s' in network '%s'", address, netName);
        return -1;
    }
    if (multicast) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Invalid multicast bridge mac address '%s' in network '%s'", address,
                      netName);
        return -1;
    }
    def->mac = g_strdup(mac);
    return 0;
}

static int parseDomain(xmlNodePtr node, vkNetworkDef *def)
{
    static const char *const attrs[] = { "name", NULL };
    static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789.-";
    g_autofree char *name = NULL;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    if (!(name = requireProp(node, "name")))
        return -1;
    if (!*name || strspn(name, allowed) != strlen(name)) {
        reportBadValue(node, "name", name, "expected a DNS domain of letters, digits, '.' and '-'");
        return -1;
    }
    def->domainName = g_steal_pointer(&name);
    return 0;
}

/* ---- <ip> and its <dhcp> ---- */

/* libvirt's rules for a DHCP range: inside the network, not its network or broadcast address,
 * at most 65536 addresses (only the last 16 bits may differ), and in order. */
static int checkRange(xmlNodePtr node, const vkNetworkIPDef *ip, const vkSocketAddr *start,
                      const vkSocketAddr *end)
{
    g_autofree char *s = vkSocketAddrFormat(start);
    g_autofree char *e = vkSocketAddrFormat(end);
    g_autofree char *net = vkSocketAddrFormat(&ip->address);
    int prefix = vkNetworkIPDefPrefix(ip);
    guint fixedBytes = start->family == AF_INET ? 2 : 14;

    if (start->family != end->family) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "mismatch of address family in range %s - %s",
                      s, e);
        return -1;
    }
    if (start->family != ip->family) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "mismatch of address family in range %s - %s for network %s", s, e, net);
        return -1;
    }
    if (!vkSocketAddrInNetwork(start, &ip->address, prefix) ||
        !vkSocketAddrInNetwork(end, &ip->address, prefix)) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "range %s - %s is not entirely within network %s/%d", s, e, net, prefix);
        return -1;
    }
    if (start->family == AF_INET) {
        vkSocketAddr netaddr, broadcast;
        vkSocketAddrMaskByPrefix(&ip->address, prefix, &netaddr);
        vkSocketAddrBroadcastByPrefix(&ip->address, prefix, &broadcast);
        if (vkSocketAddrEqual(start, &netaddr)) {
            vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                          "start of range %s - %s in network %s/%d is the network address", s, e,
                          net, prefix);
            return -1;
        }
        if (vkSocketAddrEqual(end, &broadcast)) {
            vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                          "end of range %s - %s in network %s/%d is the broadcast address", s, e,
                          net, prefix);
            return -1;
        }
    }
    if (memcmp(start->data.bytes, end->data.bytes, fixedBytes) != 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "range %s - %s is too large (> 65535)", s, e);
        return -1;
    }
    if (vkSocketAddrCompare(start, end) > 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      start->family == AF_INET ? "range %s - %s is reversed"
                                               : "range %s - %s start larger than end",
                      s, e);
        return -1;
    }
    return 0;
}

static int parseRange(xmlNodePtr node, const char *netName, vkNetworkIPDef *ip)
{
    static const char *const attrs[] = { "start", "end", NULL };
    static const char *const which[] = { "start", "end" };
    vkSocketAddr addr[2];

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        g_autofree char *text = vkXMLProp(node, which[i]);
        if (!text) {
            vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                          "Missing '%s' attribute in dhcp range for network '%s'", which[i],
                          netName);
            return -1;
        }
        if (vkSocketAddrParse(text, &addr[i]) < 0) {
            vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                          "Invalid %s address '%s' in dhcp range for network '%s'", which[i], text,
                          netName);
            return -1;
        }
    }
    if (checkRange(node, ip, &addr[0], &addr[1]) < 0)
        return -1;
    ip->ranges = g_renew(vkNetworkDHCPRange, ip->ranges, ip->nranges + 1);
    ip->ranges[ip->nranges].start = addr[0];
    ip->ranges[ip->nranges].end = addr[1];
    ip->nranges++;
    return 0;
}

static int parseHostMAC(xmlNodePtr node, const char *netName, const vkNetworkIPDef *ip,
                        const char *text, char **out)
{
    char mac[VK_NETWORK_MAC_STRLEN];
    gboolean multicast = FALSE;

    if (ip->family == AF_INET6) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Invalid to specify MAC address '%s' in network '%s' IPv6 static host "
                      "definition",
                      text, netName);
        return -1;
    }
    if (!parseMACText(text, mac, &multicast)) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "Cannot parse MAC address '%s' in network '%s'",
                      text, netName);
        return -1;
    }
    if (multicast) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "expected unicast mac address, found multicast '%s' in network '%s'", text,
                      netName);
        return -1;
    }
    *out = g_strdup(mac);
    return 0;
}

/* libvirt's rule (a letter or digit first), and nothing that would change the meaning of the
 * dnsmasq line the name goes into as is: a newline would add directives of the author's
 * choosing, a comma fields of dhcp-host's (tags, "ignore"). */
static gboolean hasControlChar(const char *s)
{
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return TRUE;
    }
    return FALSE;
}

static gboolean hostNameFitsDnsmasq(const char *name)
{
    return g_ascii_isalnum(name[0]) && !hasControlChar(name) && !strchr(name, ',');
}

static int parseHost(xmlNodePtr node, const char *netName, vkNetworkIPDef *ip)
{
    static const char *const attrs[] = { "mac", "name", "ip", NULL };
    g_autofree char *macText = vkXMLProp(node, "mac");
    g_autofree char *mac = NULL;
    g_autofree char *name = vkXMLProp(node, "name");
    g_autofree char *addrText = vkXMLProp(node, "ip");
    vkSocketAddr addr = { .family = AF_UNSPEC };
    int prefix = vkNetworkIPDefPrefix(ip);

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, NULL, DOM) < 0)
        return -1;
    if (macText && parseHostMAC(node, netName, ip, macText, &mac) < 0)
        return -1;
    if (name && !hostNameFitsDnsmasq(name)) {
        /* Control characters escaped, so that the message stays on its line. */
        g_autofree char *shown = hasControlChar(name) ? g_strescape(name, NULL) : g_strdup(name);

        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "Cannot use host name '%s' in network '%s'",
                      shown, netName);
        return -1;
    }
    if (addrText && vkSocketAddrParse(addrText, &addr) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Invalid IP address in static host definition for network '%s'", netName);
        return -1;
    }
    if (ip->family == AF_INET6 && !name) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Static host definition in IPv6 network '%s' must have name attribute",
                      netName);
        return -1;
    }
    if (ip->family == AF_INET && !mac && !name) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Static host definition in IPv4 network '%s' must have mac or name "
                      "attribute",
                      netName);
        return -1;
    }
    if (!addrText) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Missing IP address in static host definition for network '%s'", netName);
        return -1;
    }
    /* libvirt leaves this to dnsmasq, which silently ignores such a host. */
    if (!vkSocketAddrInNetwork(&addr, &ip->address, prefix)) {
        g_autofree char *net = vkSocketAddrFormat(&ip->address);
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "static host address %s is not within network %s/%d", addrText, net, prefix);
        return -1;
    }
    ip->hosts = g_renew(vkNetworkDHCPHost, ip->hosts, ip->nhosts + 1);
    ip->hosts[ip->nhosts].mac = g_steal_pointer(&mac);
    ip->hosts[ip->nhosts].name = g_steal_pointer(&name);
    ip->hosts[ip->nhosts].ip = addr;
    ip->nhosts++;
    return 0;
}

static int parseDHCP(xmlNodePtr node, const char *netName, vkNetworkIPDef *ip)
{
    static const char *const children[] = { "range", "host", NULL };

    if (vkXMLCheckAttrs(node, NULL, DOM) < 0 || vkXMLCheckChildren(node, children, DOM) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(c->name, BAD_CAST "range") ? parseRange(c, netName, ip) < 0
                                                   : parseHost(c, netName, ip) < 0)
            return -1;
    }
    return 0;
}

static int parseIPAddressing(xmlNodePtr node, const char *netName, vkNetworkIPDef *ip)
{
    g_autofree char *family = vkXMLProp(node, "family");
    g_autofree char *address = vkXMLProp(node, "address");
    g_autofree char *netmask = vkXMLProp(node, "netmask");
    unsigned long long prefix = 0;
    int hasPrefix;

    if (!address) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Missing required address attribute in network '%s'", netName);
        return -1;
    }
    if (vkSocketAddrParse(address, &ip->address) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "Invalid address '%s' in network '%s'", address,
                      netName);
        return -1;
    }
    if (netmask && vkSocketAddrParse(netmask, &ip->netmask) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'", netmask,
                      netName);
        return -1;
    }
    if ((hasPrefix = vkXMLPropULL(node, "prefix", 0, G_MAXUINT, &prefix, DOM)) < 0)
        return -1;

    if (!family || g_str_equal(family, "ipv4")) {
        if (ip->address.family != AF_INET) {
            vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s family specified for non-IPv4 address '%s' in network '%s'",
                          family ? "ipv4" : "no", address, netName);
            return -1;
        }
        if (netmask && ip->netmask.family != AF_INET) {
            vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                          "Invalid netmask '%s' for address '%s' in network '%s' (both must be "
                          "IPv4)",
                          netmask, address, netName);
            return -1;
        }
    } else if (g_str_equal(family, "ipv6")) {
        if (ip->address.family != AF_INET6) {
            vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                          "Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'",
                          address, netName);
            return -1;
        }
        if (netmask) {
            vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                          "netmask not allowed for IPv6 address '%s' in network '%s'", address,
                          netName);
            return -1;
        }
    } else {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'",
                      family, netName);
        return -1;
    }

    if (netmask && hasPrefix) {
        vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Network '%s' IP address cannot have both a prefix and a netmask", netName);
        return -1;
    }
    if (netmask && vkSocketAddrNetmaskToPrefix(&ip->netmask) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "Invalid netmask '%s' in network '%s': its one bits are not contiguous",
                      netmask, netName);
        return -1;
    }
    /* libvirt reads prefix='0' as "no prefix" and drops it; refusing it keeps what the user
     * wrote from vanishing. */
    if (hasPrefix && (prefix == 0 || prefix > vkSocketAddrMaxPrefix(ip->address.family))) {
        vkXMLReportAt(node, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Invalid %s prefix '%llu' in "
                      "network '%s'",
                      ip->address.family == AF_INET ? "IPv4" : "IPv6", prefix, netName);
        return -1;
    }
    ip->family = ip->address.family;
    ip->familySet = family != NULL;
    ip->prefix = (unsigned int)prefix;
    if (vkNetworkIPDefPrefix(ip) < 0) {
        vkXMLReportAt(node, DOM, VIR_ERR_XML_ERROR,
                      "address '%s' in network '%s' needs a netmask or prefix: it has no natural "
                      "prefix",
                      address, netName);
        return -1;
    }
    return 0;
}

static int parseIP(xmlNodePtr node, const char *netName, vkNetworkIPDef *ip)
{
    static const char *const attrs[] = { "address", "netmask", "prefix", "family", NULL };
    static const char *const children[] = { "dhcp", NULL };
    xmlNodePtr dhcp;

    if (vkXMLCheckAttrs(node, attrs, DOM) < 0 || vkXMLCheckChildren(node, children, DOM) < 0 ||
        vkXMLCheckUnique(node, "dhcp", DOM) < 0)
        return -1;
    if (parseIPAddressing(node, netName, ip) < 0)
        return -1;
    if ((dhcp = vkXMLChild(node, "dhcp")) && parseDHCP(dhcp, netName, ip) < 0)
        return -1;
    return 0;
}

static int parseIPs(xmlNodePtr root, vkNetworkDef *def, vkNetworkNodes *nodes)
{
    gboolean dhcpSeen[2] = { FALSE, FALSE }; /* IPv4, IPv6 */

    def->ips = g_new0(vkNetworkIPDef, vkXMLCountChildren(root, "ip"));
    for (xmlNodePtr c = root->children; c; c = c->next) {
        vkNetworkIPDef *ip;
        gboolean *seen;

        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "ip"))
            continue;
        ip = &def->ips[def->nips];
        if (!nodes->ip)
            nodes->ip = c;
        /* Counted only once parsed, so that vkNetworkDefFree sees whole entries. */
        if (parseIP(c, def->name, ip) < 0) {
            ipDefClear(ip);
            return -1;
        }
        def->nips++;
        /* dnsmasq serves one subnet per family for a network. */
        seen = &dhcpSeen[ip->family == AF_INET6];
        if (ip->nranges || ip->nhosts) {
            if (*seen) {
                vkXMLReportAt(c, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                              "Multiple %s dhcp sections found -- dhcp is supported only for a "
                              "single %s address on each network",
                              ip->family == AF_INET ? "IPv4" : "IPv6",
                              ip->family == AF_INET ? "IPv4" : "IPv6");
                return -1;
            }
            *seen = TRUE;
        }
    }
    return 0;
}

static void formatIP(vkBuf *buf, const vkNetworkIPDef *ip)
{
    g_autofree char *address = vkSocketAddrFormat(&ip->address);
    g_autofree char *netmask = vkSocketAddrFormat(&ip->netmask);

    vkBufAddf(buf, "<ip");
    if (ip->familySet)
        vkBufAddf(buf, " family='%s'", ip->family == AF_INET6 ? "ipv6" : "ipv4");
    if (address)
        vkBufAddf(buf, " address='%s'", address);
    if (netmask)
        vkBufAddf(buf, " netmask='%s'", netmask);
    if (ip->prefix > 0)
        vkBufAddf(buf, " prefix='%u'", ip->prefix);
    /* libvirt opens <ip> even when nothing goes inside. */
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (ip->nranges || ip->nhosts) {
        vkBufAddf(buf, "<dhcp>\n");
        vkBufAdjustIndent(buf, 2);
        for (size_t i = 0; i < ip->nranges; i++) {
            g_autofree char *start = vkSocketAddrFormat(&ip->ranges[i].start);
            g_autofree char *end = vkSocketAddrFormat(&ip->ranges[i].end);
            vkBufAddf(buf, "<range start='%s' end='%s'/>\n", start, end);
        }
        for (size_t i = 0; i < ip->nhosts; i++) {
            g_autofree char *hostIP = vkSocketAddrFormat(&ip->hosts[i].ip);
            vkBufAddf(buf, "<host");
            if (ip->hosts[i].mac)
                vkBufAddf(buf, " mac='%s'", ip->hosts[i].mac);
            if (ip->hosts[i].name)
                vkBufEscapef(buf, " name='%s'", ip->hosts[i].name);
            if (hostIP)
                vkBufAddf(buf, " ip='%s'", hostIP);
            vkBufAddf(buf, "/>\n");
        }
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</dhcp>\n");
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</ip>\n");
}

/* ---- checks across elements ---- */

/* libvirt's rules tying the other elements to the forward mode: those of its parser, then
 * those its network driver applies when a network is defined. */
static int validateForwardMode(const vkNetworkDef *def, const vkNetworkNodes *nodes)
{
    const char *mode = vkNetworkForwardTypeToString(def->forward.type);
    xmlNodePtr fwd = nodes->forward;

    if (def->forward.type == VK_NETWORK_FORWARD_NONE)
        return 0;

    if (forwardMakesBridge(def->forward.type)) {
        if (def->nips == 0) {
            vkXMLReportAt(fwd, DOM, VIR_ERR_XML_ERROR,
                          "%s forwarding requested, but no IP address provided for network "
                          "'%s'",
                          mode, def->name);
            return -1;
        }
        if (def->forward.nifs > 1) {
            vkXMLReportAt(fwd, DOM, VIR_ERR_XML_ERROR,
                          "multiple forwarding interfaces specified for network '%s', only one "
                          "is supported",
                          def->name);
            return -1;
        }
        if (def->forward.type == VK_NETWORK_FORWARD_OPEN && def->forward.nifs) {
            vkXMLReportAt(fwd, DOM, VIR_ERR_XML_ERROR,
                          "forward dev not allowed for network '%s' with forward mode='%s'",
                          def->name, mode);
            return -1;
        }
        return 0;
    }

    if (def->forward.type != VK_NETWORK_FORWARD_BRIDGE && def->bridge.name) {
        vkXMLReportAt(nodes->bridge, DOM, VIR_ERR_XML_ERROR,
                      "bridge name not allowed in %s mode (network '%s')", mode, def->name);
        return -1;
    }
    if (def->bridge.stp != VK_NETWORK_STP_DEFAULT || def->bridge.delaySet) {
        vkXMLReportAt(nodes->bridge, DOM, VIR_ERR_XML_ERROR,
                      "bridge delay/stp/zone options only allowed in route, nat, and isolated "
                      "mode, not in %s (network '%s')",
                      mode, def->name);
        return -1;
    }
    if (def->bridge.name && def->forward.nifs) {
        vkXMLReportAt(nodes->bridge, DOM, VIR_ERR_XML_ERROR,
                      "A network with forward mode='%s' can specify a bridge name or a forward "
                      "dev, but not both (network '%s')",
                      mode, def->name);
        return -1;
    }
    /* libvirt accepts this and fails only when a guest connects; we say so up front. */
    if (def->forward.type == VK_NETWORK_FORWARD_BRIDGE && !def->bridge.name && !def->forward.nifs) {
        vkXMLReportAt(fwd, DOM, VIR_ERR_XML_ERROR,
                      "A network with forward mode='%s' must specify a bridge name or a "
                      "forward dev (network '%s')",
                      mode, def->name);
        return -1;
    }
    if (def->mtu) {
        vkXMLReportAt(nodes->mtu, DOM, VIR_ERR_XML_ERROR,
                      "mtu size only allowed in open, route, nat, and isolated mode, not in %s "
                      "(network '%s')",
                      mode, def->name);
        return -1;
    }
    if (def->mac) {
        vkXMLReportAt(nodes->mac, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Unsupported <mac> element in network %s with forward mode='%s'", def->name,
                      mode);
        return -1;
    }
    if (def->nips) {
        vkXMLReportAt(nodes->ip, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Unsupported <ip> element in network %s with forward mode='%s'", def->name,
                      mode);
        return -1;
    }
    if (def->domainName) {
        vkXMLReportAt(nodes->domain, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Unsupported <domain> element in network %s with forward mode='%s'",
                      def->name, mode);
        return -1;
    }
    if (def->forward.type == VK_NETWORK_FORWARD_HOSTDEV && def->forward.nifs) {
        vkXMLReportAt(fwd, DOM, VIR_ERR_CONFIG_UNSUPPORTED,
                      "hostdev network '%s' lists '%s' in the device pool, but hostdev networks "
                      "require all devices to be listed by PCI address, not network device name",
                      def->name, def->forward.ifs[0]);
        return -1;
    }
    return 0;
}

/* ---- the document ---- */

static int parseRootChildren(xmlNodePtr root, vkNetworkDef *def, vkNetworkNodes *nodes)
{
    if ((nodes->forward = vkXMLChild(root, "forward")) &&
        parseForward(nodes->forward, def->name, def) < 0)
        return -1;
    if ((nodes->bridge = vkXMLChild(root, "bridge")) && parseBridge(nodes->bridge, def) < 0)
        return -1;
    if ((nodes->mtu = vkXMLChild(root, "mtu")) && parseMTU(nodes->mtu, def) < 0)
        return -1;
    if ((nodes->mac = vkXMLChild(root, "mac")) && parseMAC(nodes->mac, def->name, def) < 0)
        return -1;
    if ((nodes->domain = vkXMLChild(root, "domain")) && parseDomain(nodes->domain, def) < 0)
        return -1;
    return parseIPs(root, def, nodes);
}

vkNetworkDef *vkNetworkDefParseNode(xmlDocPtr doc, xmlNodePtr root, unsigned int flags)
{
    static const char *const children[] = { "name", "uuid",   "forward", "bridge", "mtu",
                                            "mac",  "domain", "ip",      NULL };
    static const char *const unique[] = { "name", "uuid", "forward", "bridge",
                                          "mtu",  "mac",  "domain",  NULL };
    g_autoptr(vkNetworkDef) def = NULL;
    vkNetworkNodes nodes = { 0 };

    if (!root || root->type != XML_ELEMENT_NODE || !xmlStrEqual(root->name, BAD_CAST "network")) {
        vkReportError(DOM, VIR_ERR_XML_ERROR, "expecting root element of 'network', not '%s'",
                      root ? (const char *)root->name : "");
        return NULL;
    }
    if (root->ns) {
        vkXMLReportAt(root, DOM, VIR_ERR_XML_ERROR, "unsupported namespace on element <network>");
        return NULL;
    }
    if (vkXMLCheckAttrs(root, NULL, DOM) < 0 || vkXMLCheckChildren(root, children, DOM) < 0)
        return NULL;
    for (size_t i = 0; unique[i]; i++) {
        if (vkXMLCheckUnique(root, unique[i], DOM) < 0)
            return NULL;
    }

    def = g_new0(vkNetworkDef, 1);
    if (parseName(root, def) < 0 || parseUUID(root, def) < 0 ||
        parseRootChildren(root, def, &nodes) < 0 || validateForwardMode(def, &nodes) < 0)
        return NULL;

    /* The defaults libvirt stores for a bridge it creates, so the struct says what the
     * network driver must do. */
    if (forwardMakesBridge(def->forward.type)) {
        if (def->bridge.stp == VK_NETWORK_STP_DEFAULT)
            def->bridge.stp = VK_NETWORK_STP_ON;
        def->bridge.delaySet = TRUE;
    }
    return g_steal_pointer(&def);
}

vkNetworkDef *vkNetworkDefParseString(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "network_definition", DOM);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "network", DOM)))
        return NULL;
    return vkNetworkDefParseNode(doc, root, flags);
}

vkNetworkDef *vkNetworkDefParseFile(const char *path, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = vkXMLParseFile(path, NULL, DOM);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "network", DOM)))
        return NULL;
    return vkNetworkDefParseNode(doc, root, flags);
}

char *vkNetworkDefFormat(const vkNetworkDef *def, unsigned int flags)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    vkBuf buf;

    vkBufInit(&buf);
    vkBufAddf(&buf, "<network>\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<name>%s</name>\n", def->name ? def->name : "");
    vkUUIDFormat(def->uuid, uuid);
    vkBufAddf(&buf, "<uuid>%s</uuid>\n", uuid);
    if (formatForward(&buf, def) < 0) {
        g_free(vkBufFinish(&buf));
        return NULL;
    }
    formatBridge(&buf, def);
    if (def->mtu)
        vkBufAddf(&buf, "<mtu size='%u'/>\n", def->mtu);
    if (def->mac)
        vkBufAddf(&buf, "<mac address='%s'/>\n", def->mac);
    if (def->domainName)
        vkBufEscapef(&buf, "<domain name='%s'/>\n", def->domainName);
    for (size_t i = 0; i < def->nips; i++)
        formatIP(&buf, &def->ips[i]);
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</network>\n");
    return vkBufFinish(&buf);
}

static void ipDefCopy(vkNetworkIPDef *dst, const vkNetworkIPDef *src)
{
    *dst = *src;
    dst->ranges = g_memdup2(src->ranges, src->nranges * sizeof(*src->ranges));
    dst->hosts = g_new0(vkNetworkDHCPHost, src->nhosts);
    for (size_t i = 0; i < src->nhosts; i++) {
        dst->hosts[i].mac = g_strdup(src->hosts[i].mac);
        dst->hosts[i].name = g_strdup(src->hosts[i].name);
        dst->hosts[i].ip = src->hosts[i].ip;
    }
}

vkNetworkDef *vkNetworkDefCopy(const vkNetworkDef *def)
{
    vkNetworkDef *copy = g_new0(vkNetworkDef, 1);

    *copy = *def;
    copy->name = g_strdup(def->name);
    copy->forward.dev = g_strdup(def->forward.dev);
    copy->forward.ifs = g_strdupv(def->forward.ifs);
    copy->bridge.name = g_strdup(def->bridge.name);
    copy->mac = g_strdup(def->mac);
    copy->domainName = g_strdup(def->domainName);
    copy->ips = g_new0(vkNetworkIPDef, def->nips);
    for (size_t i = 0; i < def->nips; i++)
        ipDefCopy(&copy->ips[i], &def->ips[i]);
    return copy;
}
