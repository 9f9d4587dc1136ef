/* <graphics type='vnc'|'spice'>: ports, passwords and <listen> children, with libvirt's rules
 * tying the legacy listen/socket attributes to the first <listen>. */
#include "conf/domain_priv.h"

#include "util/vksocketaddr.h"

VK_ENUM_IMPL(vkDomainGraphics, VK_DOMAIN_GRAPHICS_TYPE_LAST, "vnc", "spice")
VK_ENUM_IMPL(vkDomainGraphicsListen, VK_DOMAIN_GRAPHICS_LISTEN_TYPE_LAST, "none", "address",
             "network", "socket")

vkDomainGraphicsListenDef *vkDomainGraphicsGetListen(vkDomainGraphicsDef *def, size_t i)
{
    return def && i < def->nlistens ? &def->listens[i] : NULL;
}

static void listenClear(vkDomainGraphicsListenDef *l)
{
    g_free(l->address);
    g_free(l->network);
    g_free(l->socket);
}

/* An attribute value, with an empty one treated as absent, as libvirt does. */
static char *propNonEmpty(xmlNodePtr node, const char *name)
{
    char *v = vkXMLProp(node, name);

    if (v && !*v)
        g_clear_pointer(&v, g_free);
    return v;
}

static int checkListenAddress(xmlNodePtr node, const char *address)
{
    vkSocketAddr addr;

    if (vkSocketAddrParse(address, &addr) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid listen address '%s': expected an IPv4 or IPv6 address", address);
        return -1;
    }
    return 0;
}

/* The graphics element's legacy listen/socket attributes, which must agree with the first
 * <listen> and fill it in when it leaves the value out. */
typedef struct {
    const char *listen;
    const char *socket;
} vkGraphicsCompat;

static int applyCompat(vkDomainGraphicsListenDef *l, xmlNodePtr node, vkGraphicsCompat *compat,
                       unsigned int flags)
{
    const char *type = vkDomainGraphicsListenTypeToString(l->type);

    switch (l->type) {
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS:
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK:
        if (compat->socket) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics 'socket' attribute '%s' cannot be used with a first listen "
                          "of type '%s'",
                          compat->socket, type);
            return -1;
        }
        if (!compat->listen)
            return 0;
        if (l->address && !g_str_equal(l->address, compat->listen)) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics 'listen' attribute '%s' must match 'address' attribute of "
                          "first listen element (found '%s')",
                          compat->listen, l->address);
            return -1;
        }
        /* For a network listen the attribute mirrors the resolved address: runtime data. */
        if (!l->address && (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS ||
                            !(flags & VK_DOMAIN_DEF_PARSE_INACTIVE)))
            l->address = g_strdup(compat->listen);
        return 0;
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET:
        if (compat->listen) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics 'listen' attribute '%s' cannot be used with a first listen "
                          "of type 'socket'",
                          compat->listen);
            return -1;
        }
        if (!compat->socket)
            return 0;
        if (l->socket && !g_str_equal(l->socket, compat->socket)) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics 'socket' attribute '%s' must match 'socket' attribute of "
                          "first listen element (found '%s')",
                          compat->socket, l->socket);
            return -1;
        }
        if (!l->socket)
            l->socket = g_strdup(compat->socket);
        return 0;
    default:
        if (compat->listen || compat->socket) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics '%s' attribute cannot be used with a first listen of type "
                          "'none'",
                          compat->listen ? "listen" : "socket");
            return -1;
        }
        return 0;
    }
}

static int parseListen(vkDomainGraphicsDef *g, xmlNodePtr node, vkGraphicsCompat *compat,
                       unsigned int flags, vkDomainGraphicsListenDef *l)
{
    static const char *const attrs[] = { "type", "address", "network", "socket", NULL };
    g_autofree char *address = NULL;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "type", vkDomainGraphicsListenTypeFromString, FALSE,
                               &l->type)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return -1;
    }
    if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET &&
        g->type != VK_DOMAIN_GRAPHICS_TYPE_VNC) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "listen type 'socket' is not available for graphics type '%s'",
                      vkDomainGraphicsTypeToString(g->type));
        return -1;
    }
    address = propNonEmpty(node, "address");
    l->network = propNonEmpty(node, "network");
    l->socket = propNonEmpty(node, "socket");
    if (address) {
        if (l->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS &&
            l->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "'address' attribute is valid only for listen type 'address' or "
                          "'network'");
            return -1;
        }
        if (checkListenAddress(node, address) < 0)
            return -1;
        /* The address of a network listen is what the network resolved to at start. */
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS ||
            !(flags & VK_DOMAIN_DEF_PARSE_INACTIVE))
            l->address = g_steal_pointer(&address);
    }
    if (l->network && l->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "'network' attribute is valid only for listen type 'network'");
        return -1;
    }
    if (!l->network && l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "'network' attribute is required for listen type 'network'");
        return -1;
    }
    if (l->socket && l->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "'socket' attribute is valid only for listen type 'socket'");
        return -1;
    }
    return compat ? applyCompat(l, node, compat, flags) : 0;
}

static int parseListens(vkDomainGraphicsDef *g, xmlNodePtr node, unsigned int flags)
{
    g_autofree char *listen = propNonEmpty(node, "listen");
    g_autofree char *socket = NULL;
    vkGraphicsCompat compat;
    guint n = vkXMLCountChildren(node, "listen");

    if (g->type == VK_DOMAIN_GRAPHICS_TYPE_VNC)
        socket = propNonEmpty(node, "socket");
    if (listen && checkListenAddress(node, listen) < 0)
        return -1;
    if (n == 0) {
        /* Without <listen> children the attributes describe the only listen. */
        if (socket && listen) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics 'listen' and 'socket' attributes cannot be combined");
            return -1;
        }
        g->listens = g_new0(vkDomainGraphicsListenDef, 1);
        g->nlistens = 1;
        if (socket) {
            g->listens[0].type = VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET;
            g->listens[0].socket = g_steal_pointer(&socket);
        } else {
            g->listens[0].type = VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS;
            g->listens[0].address = g_steal_pointer(&listen);
        }
        return 0;
    }
    compat.listen = listen;
    compat.socket = socket;
    g->listens = g_new0(vkDomainGraphicsListenDef, n);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        vkGraphicsCompat *first = g->nlistens == 0 ? &compat : NULL;

        if (parseListen(g, c, first, flags, &g->listens[g->nlistens++]) < 0)
            return -1;
    }
    return 0;
}

/* A port attribute: -1 (the legacy spelling of autoport) or a TCP port; 0 when absent. */
static int parsePort(xmlNodePtr node, const char *name, int *out)
{
    return vkXMLPropInt(node, name, -1, 65535, out, VK_DOMAIN_ERR);
}

static int parseVNCPorts(vkDomainGraphicsDef *g, xmlNodePtr node, unsigned int flags)
{
    gboolean autoport = FALSE;
    int rc;

    if ((rc = parsePort(node, "port", &g->port)) < 0)
        return -1;
    if (rc == 0 || g->port == -1) {
        g->autoport = TRUE;
        if (flags & VK_DOMAIN_DEF_PARSE_INACTIVE)
            g->port = 0;
    }
    if ((rc = vkXMLPropBool(node, "autoport", FALSE, &autoport, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc > 0) {
        g->autoport = autoport;
        if (autoport && (flags & VK_DOMAIN_DEF_PARSE_INACTIVE))
            g->port = 0;
    }
    return parsePort(node, "websocket", &g->websocket) < 0 ? -1 : 0;
}

static int parseSpicePorts(vkDomainGraphicsDef *g, xmlNodePtr node, unsigned int flags)
{
    vkDomainGraphicsListenDef *first = &g->listens[0];

    if (parsePort(node, "port", &g->port) < 0 || parsePort(node, "tlsPort", &g->tlsPort) < 0 ||
        vkXMLPropBool(node, "autoport", FALSE, &g->autoport, VK_DOMAIN_ERR) < 0)
        return -1;
    if (g->port == -1 && g->tlsPort == -1)
        g->autoport = TRUE;
    if (g->autoport && (flags & VK_DOMAIN_DEF_PARSE_INACTIVE))
        g->port = g->tlsPort = 0;
    /* Spice with no port and no autoport listens nowhere: libvirt spells that type 'none'. */
    if (first->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS && !g->port && !g->tlsPort &&
        !g->autoport) {
        g_clear_pointer(&first->address, g_free);
        first->type = VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NONE;
    }
    return 0;
}

vkDomainGraphicsDef *vkDomainGraphicsDefParse(xmlNodePtr node, unsigned int flags)
{
    static const char *const vncAttrs[] = { "type",   "port",   "autoport", "websocket", "listen",
                                            "socket", "keymap", "passwd",   NULL };
    static const char *const spiceAttrs[] = { "type",   "port",   "tlsPort", "autoport",
                                              "listen", "keymap", "passwd",  NULL };
    static const char *const children[] = { "listen", NULL };
    g_autoptr(vkDomainGraphicsDef) g = g_new0(vkDomainGraphicsDef, 1);
    int rc;

    if ((rc = vkDomainPropEnum(node, "type", vkDomainGraphicsTypeFromString, FALSE, &g->type)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return NULL;
    }
    if (vkXMLCheckAttrs(node, g->type == VK_DOMAIN_GRAPHICS_TYPE_VNC ? vncAttrs : spiceAttrs,
                        VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 || parseListens(g, node, flags) < 0)
        return NULL;
    if ((g->type == VK_DOMAIN_GRAPHICS_TYPE_VNC ? parseVNCPorts(g, node, flags)
                                                : parseSpicePorts(g, node, flags)) < 0)
        return NULL;
    g->keymap = vkXMLProp(node, "keymap");
    g->passwd = vkXMLProp(node, "passwd");
    return g_steal_pointer(&g);
}

/* The legacy listen attribute: the first listen's address, unless that is a network's
 * resolved address and only the persistent form is wanted. */
static void formatListenAttr(vkBuf *buf, const vkDomainGraphicsListenDef *first, unsigned int flags)
{
    if (first->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK &&
        (flags & VK_DOMAIN_DEF_FORMAT_INACTIVE))
        return;
    if (first->address)
        vkBufEscapef(buf, " listen='%s'", first->address);
}

static gboolean socketShown(const vkDomainGraphicsListenDef *l, unsigned int flags)
{
    return l->socket && !(l->autoGenerated && (flags & VK_DOMAIN_DEF_FORMAT_INACTIVE));
}

static void formatVNCAttrs(vkBuf *buf, const vkDomainGraphicsDef *g, unsigned int flags)
{
    const vkDomainGraphicsListenDef *first = &g->listens[0];
    gboolean inactive = flags & VK_DOMAIN_DEF_FORMAT_INACTIVE;

    switch (first->type) {
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET:
        if (socketShown(first, flags))
            vkBufEscapef(buf, " socket='%s'", first->socket);
        break;
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS:
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK:
        /* An automatically allocated port belongs to the running instance only. */
        if (g->port && (!g->autoport || !inactive))
            vkBufAddf(buf, " port='%d'", g->port);
        else if (g->autoport)
            vkBufAddf(buf, " port='-1'");
        vkBufAddf(buf, " autoport='%s'", g->autoport ? "yes" : "no");
        if (g->websocketGenerated && inactive)
            vkBufAddf(buf, " websocket='-1'");
        else if (g->websocket)
            vkBufAddf(buf, " websocket='%d'", g->websocket);
        formatListenAttr(buf, first, flags);
        break;
    default:
        break;
    }
}

static void formatSpiceAttrs(vkBuf *buf, const vkDomainGraphicsDef *g, unsigned int flags)
{
    const vkDomainGraphicsListenDef *first = &g->listens[0];
    gboolean ports = !(g->autoport && (flags & VK_DOMAIN_DEF_FORMAT_INACTIVE));

    if (first->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS &&
        first->type != VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK)
        return;
    if (g->port && ports)
        vkBufAddf(buf, " port='%d'", g->port);
    if (g->tlsPort && ports)
        vkBufAddf(buf, " tlsPort='%d'", g->tlsPort);
    vkBufAddf(buf, " autoport='%s'", g->autoport ? "yes" : "no");
    formatListenAttr(buf, first, flags);
}

static void formatListen(vkBuf *buf, const vkDomainGraphicsListenDef *l, unsigned int flags)
{
    vkBufAddf(buf, "<listen type='%s'", vkDomainGraphicsListenTypeToString(l->type));
    if (l->address && (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS ||
                       (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK &&
                        !(flags & VK_DOMAIN_DEF_FORMAT_INACTIVE))))
        vkBufEscapef(buf, " address='%s'", l->address);
    if (l->network && l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK)
        vkBufEscapef(buf, " network='%s'", l->network);
    if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET && socketShown(l, flags))
        vkBufEscapef(buf, " socket='%s'", l->socket);
    vkBufAddf(buf, "/>\n");
}

void vkDomainGraphicsDefFormat(vkBuf *buf, const vkDomainGraphicsDef *g, unsigned int flags)
{
    vkBufAddf(buf, "<graphics type='%s'", vkDomainGraphicsTypeToString(g->type));
    if (g->nlistens) {
        if (g->type == VK_DOMAIN_GRAPHICS_TYPE_VNC)
            formatVNCAttrs(buf, g, flags);
        else
            formatSpiceAttrs(buf, g, flags);
    }
    if (g->keymap)
        vkBufEscapef(buf, " keymap='%s'", g->keymap);
    if (g->passwd && (flags & VK_DOMAIN_DEF_FORMAT_SECURE))
        vkBufEscapef(buf, " passwd='%s'", g->passwd);
    if (!g->nlistens) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    for (size_t i = 0; i < g->nlistens; i++)
        formatListen(buf, &g->listens[i], flags);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</graphics>\n");
}

vkDomainGraphicsDef *vkDomainGraphicsDefCopy(const vkDomainGraphicsDef *src)
{
    vkDomainGraphicsDef *g = g_memdup2(src, sizeof(*src));

    g->passwd = g_strdup(src->passwd);
    g->keymap = g_strdup(src->keymap);
    g->listens = src->nlistens ? g_new0(vkDomainGraphicsListenDef, src->nlistens) : NULL;
    for (size_t i = 0; i < src->nlistens; i++) {
        g->listens[i] = src->listens[i];
        g->listens[i].address = g_strdup(src->listens[i].address);
        g->listens[i].network = g_strdup(src->listens[i].network);
        g->listens[i].socket = g_strdup(src->listens[i].socket);
    }
    return g;
}

void vkDomainGraphicsDefFree(vkDomainGraphicsDef *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->nlistens; i++)
        listenClear(&def->listens[i]);
    g_free(def->listens);
    g_free(def->passwd);
    g_free(def->keymap);
    g_free(def);
}
