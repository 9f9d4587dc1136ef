/* <redirdev>: USB redirection from SPICE clients (bus usb over a spicevmc channel). */
#include "conf/domain_priv.h"

static int parseRedirdevChild(void *dev, xmlNodePtr node, unsigned int flags)
{
    /* Every child the walk passes on is a device info child. */
    return 0;
}

static int parseRedirdevElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "bus", "type", NULL };
    static const char *const children[] = { "boot", "alias", "address", NULL };
    g_autoptr(vkDomainRedirdevDef) redir = g_new0(vkDomainRedirdevDef, 1);
    g_autofree char *bus = NULL;
    g_autofree char *type = NULL;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(bus = vkXMLProp(node, "bus")) || !g_str_equal(bus, "usb")) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown redirdev bus '%s'",
                      bus ? bus : "");
        return -1;
    }
    if (!(type = vkDomainPropRequired(node, "type")))
        return -1;
    if (!g_str_equal(type, "spicevmc")) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unsupported type '%s' for <redirdev>: only 'spicevmc' is supported", type);
        return -1;
    }
    if (vkDomainDeviceChildrenParse(node, children, redir, &redir->info, flags, TRUE,
                                    parseRedirdevChild) < 0)
        return -1;
    VK_DOMAIN_APPEND(def->redirdevs, def->nredirdevs, g_steal_pointer(&redir));
    return 0;
}

static void formatRedirdevs(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nredirdevs; i++) {
        const vkDomainRedirdevDef *redir = def->redirdevs[i];

        /* libvirt opens the element even when nothing goes in it. */
        vkBufAddf(buf, "<redirdev bus='usb' type='spicevmc'>\n");
        vkBufAdjustIndent(buf, 2);
        vkDomainDeviceInfoFormat(buf, &redir->info, flags, TRUE);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</redirdev>\n");
    }
}

static vkDomainRedirdevDef *copyRedirdev(const vkDomainRedirdevDef *src)
{
    vkDomainRedirdevDef *redir = g_memdup2(src, sizeof(*src));

    vkDomainDeviceInfoCopy(&redir->info, &src->info);
    return redir;
}

void vkDomainRedirdevDefFree(vkDomainRedirdevDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

static void copyRedirdevs(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, redirdevs, nredirdevs, copyRedirdev);
}

static void freeRedirdevs(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, redirdevs, nredirdevs, vkDomainRedirdevDefFree);
}

/* The spicevmc channel needs SPICE, and USB. */
static int validateRedirdevs(const vkDomainDef *def)
{
    gboolean spice = FALSE;

    for (size_t i = 0; i < def->ncontrollers && def->nredirdevs; i++) {
        const vkDomainControllerDef *c = def->controllers[i];

        if (c->type == VK_DOMAIN_CONTROLLER_TYPE_USB &&
            c->model == VK_DOMAIN_CONTROLLER_MODEL_USB_NONE) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "cannot add redirected USB device: USB is disabled for this domain");
            return -1;
        }
    }
    for (size_t i = 0; i < def->ngraphics; i++)
        spice |= def->graphics[i]->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE;
    if (def->nredirdevs && !spice) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "spicevmc redirdev needs a <graphics type='spice'>");
        return -1;
    }
    return 0;
}

static int forEachRedirdevInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, redirdevs, nredirdevs, VK_DOMAIN_DEVICE_REDIRDEV, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainRedirdevFamily = {
    .name = "redirdev",
    .parse = parseRedirdevElement,
    .format = formatRedirdevs,
    .copy = copyRedirdevs,
    .free = freeRedirdevs,
    .validate = validateRedirdevs,
    .forEachInfo = forEachRedirdevInfo,
};
