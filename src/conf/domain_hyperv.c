/* <features><hyperv>: Hyper-V enlightenments, each on or off, some with a value. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainHypervMode, VK_DOMAIN_HYPERV_MODE_LAST, "none", "custom", "passthrough")
VK_ENUM_IMPL(vkDomainHyperv, VK_DOMAIN_HYPERV_LAST, "relaxed", "vapic", "spinlocks", "vpindex",
             "runtime", "synic", "stimer", "reset", "vendor_id", "frequencies", "reenlightenment",
             "tlbflush", "ipi", "evmcs", "avic")

/* libvirt's limit on the vendor id qemu passes to the guest. */
#define HYPERV_VENDOR_ID_MAX 12

static int parseStimer(vkDomainHypervDef *hv, xmlNodePtr node)
{
    static const char *const children[] = { "direct", NULL };
    static const char *const attrs[] = { "state", NULL };
    xmlNodePtr direct = vkXMLChild(node, "direct");
    int rc;

    if (vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "direct", VK_DOMAIN_ERR) < 0)
        return -1;
    if (!direct)
        return 0;
    if (vkXMLCheckLeaf(direct, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropTristate(direct, "state", TRUE, &hv->stimerDirect)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(direct, "state"));
        return -1;
    }
    return 0;
}

static int parseValue(vkDomainHypervDef *hv, int f, xmlNodePtr node)
{
    unsigned long long retries = 0;
    int rc;

    if (f == VK_DOMAIN_HYPERV_SPINLOCKS) {
        if ((rc = vkXMLPropULL(node, "retries", 0, G_MAXUINT, &retries, VK_DOMAIN_ERR)) < 0)
            return -1;
        if (rc == 0) {
            g_free(vkDomainPropRequired(node, "retries"));
            return -1;
        }
        if (retries < 0xFFF) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                          "HyperV spinlock retry count must be at least 4095");
            return -1;
        }
        hv->spinlocks = retries;
        return 0;
    }
    if (!(hv->vendorId = vkXMLProp(node, "value"))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "missing 'value' attribute for HyperV feature 'vendor_id'");
        return -1;
    }
    if (strlen(hv->vendorId) > HYPERV_VENDOR_ID_MAX) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "HyperV vendor_id value must not be more than %d characters.",
                      HYPERV_VENDOR_ID_MAX);
        return -1;
    }
    if (strchr(hv->vendorId, ',')) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "HyperV vendor_id value is invalid");
        return -1;
    }
    return 0;
}

static int parseFeature(vkDomainHypervDef *hv, xmlNodePtr node)
{
    static const char *const plain[] = { "state", NULL };
    static const char *const spinlocks[] = { "state", "retries", NULL };
    static const char *const vendor[] = { "state", "value", NULL };
    int f = vkDomainHypervTypeFromString((const char *)node->name);
    int rc;

    if (hv->features[f])
        return vkDomainReportDuplicate(node);
    if (vkXMLCheckAttrs(node,
                        f == VK_DOMAIN_HYPERV_SPINLOCKS   ? spinlocks
                        : f == VK_DOMAIN_HYPERV_VENDOR_ID ? vendor
                                                          : plain,
                        VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropTristate(node, "state", TRUE, &hv->features[f])) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "state"));
        return -1;
    }
    if (f == VK_DOMAIN_HYPERV_STIMER)
        return hv->features[f] == VK_DOMAIN_TRISTATE_YES
                   ? parseStimer(hv, node)
                   : vkXMLCheckChildren(node, NULL, VK_DOMAIN_ERR);
    if (vkXMLCheckChildren(node, NULL, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((f == VK_DOMAIN_HYPERV_SPINLOCKS || f == VK_DOMAIN_HYPERV_VENDOR_ID) &&
        hv->features[f] == VK_DOMAIN_TRISTATE_YES)
        return parseValue(hv, f, node);
    return 0;
}

int vkDomainHypervParse(vkDomainHypervDef *hv, xmlNodePtr node)
{
    static const char *const attrs[] = { "mode", NULL };
    const char *names[VK_DOMAIN_HYPERV_LAST + 1];

    for (int f = 0; f < VK_DOMAIN_HYPERV_LAST; f++)
        names[f] = vkDomainHypervTypeToString(f);
    names[VK_DOMAIN_HYPERV_LAST] = NULL;
    hv->mode = VK_DOMAIN_HYPERV_MODE_CUSTOM;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "mode", vkDomainHypervModeTypeFromString, TRUE, &hv->mode) < 0 ||
        vkXMLCheckChildren(node, names, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && parseFeature(hv, c) < 0)
            return -1;
    }
    return 0;
}

void vkDomainHypervFormat(vkBuf *buf, const vkDomainHypervDef *hv)
{
    if (!hv->mode)
        return;
    vkBufAddf(buf, "<hyperv mode='%s'>\n", vkDomainHypervModeTypeToString(hv->mode));
    vkBufAdjustIndent(buf, 2);
    for (int f = 0; f < VK_DOMAIN_HYPERV_LAST; f++) {
        gboolean on = hv->features[f] == VK_DOMAIN_TRISTATE_YES;

        if (!hv->features[f])
            continue;
        vkBufAddf(buf, "<%s state='%s'", vkDomainHypervTypeToString(f),
                  vkDomainTristateString(hv->features[f], TRUE));
        if (on && f == VK_DOMAIN_HYPERV_SPINLOCKS) {
            vkBufAddf(buf, " retries='%u'/>\n", hv->spinlocks);
        } else if (on && f == VK_DOMAIN_HYPERV_VENDOR_ID) {
            vkBufEscapef(buf, " value='%s'/>\n", hv->vendorId);
        } else if (on && f == VK_DOMAIN_HYPERV_STIMER &&
                   hv->stimerDirect == VK_DOMAIN_TRISTATE_YES) {
            vkBufAddf(buf, ">\n");
            vkBufAdjustIndent(buf, 2);
            vkBufAddf(buf, "<direct state='on'/>\n");
            vkBufAdjustIndent(buf, -2);
            vkBufAddf(buf, "</stimer>\n");
        } else {
            vkBufAddf(buf, "/>\n");
        }
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</hyperv>\n");
}
