/* <memballoon>: the memory balloon, at most one per domain. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainMemballoonModel, VK_DOMAIN_MEMBALLOON_MODEL_LAST, "virtio", "none",
             "virtio-transitional", "virtio-non-transitional")

/* ---- memory balloon ---- */

static int parseBalloonStats(void *dev, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "period", NULL };
    vkDomainMemballoonDef *balloon = dev;
    unsigned long long period = 0;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkXMLPropULL(node, "period", 0, G_MAXINT, &period, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "period"));
        return -1;
    }
    balloon->period = period;
    return 0;
}

static vkDomainMemballoonDef *parseMemballoon(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "model", "autodeflate", NULL };
    static const char *const children[] = { "stats", "alias", "address", NULL };
    g_autoptr(vkDomainMemballoonDef) balloon = g_new0(vkDomainMemballoonDef, 1);
    int rc;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "model", vkDomainMemballoonModelTypeFromString, FALSE,
                               &balloon->model)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "model"));
        return NULL;
    }
    if (vkDomainPropTristate(node, "autodeflate", TRUE, &balloon->autodeflate) < 0 ||
        vkXMLCheckUnique(node, "stats", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, balloon, &balloon->info, flags, FALSE,
                                    parseBalloonStats) < 0)
        return NULL;
    return g_steal_pointer(&balloon);
}

static void formatMemballoon(vkBuf *buf, const vkDomainMemballoonDef *balloon, unsigned int flags)
{
    vkBufAddf(buf, "<memballoon model='%s'", vkDomainMemballoonModelTypeToString(balloon->model));
    if (balloon->autodeflate)
        vkBufAddf(buf, " autodeflate='%s'", vkDomainTristateString(balloon->autodeflate, TRUE));
    if (!balloon->period && !vkDomainDeviceInfoHasOutput(&balloon->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (balloon->period)
        vkBufAddf(buf, "<stats period='%u'/>\n", balloon->period);
    vkDomainDeviceInfoFormat(buf, &balloon->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</memballoon>\n");
}

void vkDomainMemballoonDefFree(vkDomainMemballoonDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- the family ---- */

static int parseMemballoonElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    if (def->memballoon)
        return vkDomainReportDuplicate(node);
    return (def->memballoon = parseMemballoon(node, flags)) ? 0 : -1;
}

static void formatMemballoons(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    if (def->memballoon)
        formatMemballoon(buf, def->memballoon, flags);
}

static void copyMemballoons(vkDomainDef *dst, const vkDomainDef *src)
{
    dst->memballoon = NULL;
    if (src->memballoon) {
        dst->memballoon = g_memdup2(src->memballoon, sizeof(*src->memballoon));
        vkDomainDeviceInfoCopy(&dst->memballoon->info, &src->memballoon->info);
    }
}

static void freeMemballoons(vkDomainDef *def)
{
    vkDomainMemballoonDefFree(def->memballoon);
}

static int forEachMemballoonInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    if (!def->memballoon)
        return 0;
    return fn(def, VK_DOMAIN_DEVICE_MEMBALLOON, def->memballoon, &def->memballoon->info, opaque);
}

const vkDomainDeviceFamily vkDomainMemballoonFamily = {
    .name = "memballoon",
    .parse = parseMemballoonElement,
    .format = formatMemballoons,
    .copy = copyMemballoons,
    .free = freeMemballoons,
    .forEachInfo = forEachMemballoonInfo,
};
