/* <rng>: virtio-rng devices, fed by a host device, an EGD daemon or qemu's own generator. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainRNGModel, VK_DOMAIN_RNG_MODEL_LAST, "virtio", "virtio-transitional",
             "virtio-non-transitional")
VK_ENUM_IMPL(vkDomainRNGBackend, VK_DOMAIN_RNG_BACKEND_LAST, "random", "egd", "builtin")

typedef struct {
    unsigned int bytes, period;
} rngRate;

static const vkAttrSpec rateAttrs[] = {
    { "bytes", VK_ATTR_UINT, offsetof(rngRate, bytes), NULL, NULL, 0, 0, 0 },
    { "period", VK_ATTR_UINT, offsetof(rngRate, period), NULL, NULL, 0, 0, 0 },
    VK_ATTR_END,
};

/* An EGD daemon on a unix socket: <source mode='connect|bind' path=.../>. */
static int parseEGDSource(vkDomainRNGDef *rng, xmlNodePtr backend)
{
    static const char *const children[] = { "source", NULL };
    static const char *const attrs[] = { "mode", "path", NULL };
    xmlNodePtr source = vkXMLChild(backend, "source");
    g_autofree char *mode = NULL;

    if (vkXMLCheckChildren(backend, children, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(backend, "source", VK_DOMAIN_ERR) < 0)
        return -1;
    if (!source || vkXMLCheckLeaf(source, attrs, VK_DOMAIN_ERR) < 0 ||
        !(rng->egdPath = vkDomainPropRequired(source ? source : backend, "path"))) {
        if (!source)
            vkXMLReportAt(backend, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                          "missing <source> of the EGD backend");
        return -1;
    }
    mode = vkXMLProp(source, "mode");
    if (mode && !g_str_equal(mode, "bind") && !g_str_equal(mode, "connect")) {
        vkXMLReportAt(source, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unknown mode '%s' for <source>", mode);
        return -1;
    }
    rng->egdListen = g_strcmp0(mode, "bind") == 0;
    return 0;
}

static int parseBackend(vkDomainRNGDef *rng, xmlNodePtr node)
{
    static const char *const attrs[] = { "model", "type", NULL };
    g_autofree char *model = vkXMLProp(node, "model");
    g_autofree char *type = NULL;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!model) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "missing RNG device backend model");
        return -1;
    }
    if ((rng->backend = vkDomainRNGBackendTypeFromString(model)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unknown RNG backend model '%s'", model);
        return -1;
    }
    switch (rng->backend) {
    case VK_DOMAIN_RNG_BACKEND_RANDOM:
        if (!(rng->file = vkDomainLeafText(node, attrs)))
            return -1;
        g_strstrip(rng->file);
        if (!*rng->file)
            g_clear_pointer(&rng->file, g_free);
        return 0;
    case VK_DOMAIN_RNG_BACKEND_EGD:
        if (!(type = vkXMLProp(node, "type"))) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "missing EGD backend type");
            return -1;
        }
        /* Sockets over TCP or UDP need character device sources this model lacks. */
        if (!g_str_equal(type, "unix")) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "unsupported backend type '%s' for egd: only 'unix' is supported", type);
            return -1;
        }
        return parseEGDSource(rng, node);
    default:
        return vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR);
    }
}

static int parseRNGChild(void *dev, xmlNodePtr node, unsigned int flags)
{
    vkDomainRNGDef *rng = dev;
    rngRate rate = { 0, 0 };

    if (xmlStrEqual(node->name, BAD_CAST "backend"))
        return parseBackend(rng, node);
    if (vkAttrsParseLeaf(node, rateAttrs, &rate) < 0)
        return -1;
    rng->rate = rate.bytes;
    /* As libvirt: a period without a rate means nothing. */
    rng->period = rate.bytes ? rate.period : 0;
    return 0;
}

static int parseRNGElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "model", NULL };
    static const char *const children[] = { "rate", "backend", "alias", "address", NULL };
    g_autoptr(vkDomainRNGDef) rng = g_new0(vkDomainRNGDef, 1);
    g_autofree char *model = NULL;

    rng->backend = -1;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(model = vkXMLProp(node, "model"))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "missing RNG device model");
        return -1;
    }
    if ((rng->model = vkDomainRNGModelTypeFromString(model)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown RNG model '%s'",
                      model);
        return -1;
    }
    if (vkXMLCheckUnique(node, "rate", VK_DOMAIN_ERR) < 0)
        return -1;
    if (vkXMLCheckUnique(node, "backend", VK_DOMAIN_ERR) < 0) {
        vkResetLastError();
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "only one RNG backend is supported");
        return -1;
    }
    if (vkDomainDeviceChildrenParse(node, children, rng, &rng->info, flags, FALSE, parseRNGChild) <
        0)
        return -1;
    if (rng->backend < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "missing RNG device backend model");
        return -1;
    }
    /* libvirt's default source for the random backend. */
    if (rng->backend == VK_DOMAIN_RNG_BACKEND_RANDOM && !rng->file)
        rng->file = g_strdup("/dev/random");
    VK_DOMAIN_APPEND(def->rngs, def->nrngs, g_steal_pointer(&rng));
    return 0;
}

static void formatRNG(vkBuf *buf, const vkDomainRNGDef *rng, unsigned int flags)
{
    vkBufAddf(buf, "<rng model='%s'>\n", vkDomainRNGModelTypeToString(rng->model));
    vkBufAdjustIndent(buf, 2);
    if (rng->rate) {
        vkBufAddf(buf, "<rate bytes='%u'", rng->rate);
        if (rng->period)
            vkBufAddf(buf, " period='%u'", rng->period);
        vkBufAddf(buf, "/>\n");
    }
    vkBufAddf(buf, "<backend model='%s'", vkDomainRNGBackendTypeToString(rng->backend));
    switch (rng->backend) {
    case VK_DOMAIN_RNG_BACKEND_RANDOM:
        vkBufEscapef(buf, ">%s</backend>\n", rng->file);
        break;
    case VK_DOMAIN_RNG_BACKEND_EGD:
        vkBufAddf(buf, " type='unix'>\n");
        vkBufAdjustIndent(buf, 2);
        vkBufAddf(buf, "<source mode='%s'", rng->egdListen ? "bind" : "connect");
        vkBufEscapef(buf, " path='%s'/>\n", rng->egdPath);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</backend>\n");
        break;
    default:
        vkBufAddf(buf, "/>\n");
        break;
    }
    vkDomainDeviceInfoFormat(buf, &rng->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</rng>\n");
}

static void formatRNGs(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nrngs; i++)
        formatRNG(buf, def->rngs[i], flags);
}

static vkDomainRNGDef *copyRNG(const vkDomainRNGDef *src)
{
    vkDomainRNGDef *rng = g_memdup2(src, sizeof(*src));

    rng->file = g_strdup(src->file);
    rng->egdPath = g_strdup(src->egdPath);
    vkDomainDeviceInfoCopy(&rng->info, &src->info);
    return rng;
}

void vkDomainRNGDefFree(vkDomainRNGDef *def)
{
    if (!def)
        return;
    g_free(def->file);
    g_free(def->egdPath);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

static void copyRNGs(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, rngs, nrngs, copyRNG);
}

static void freeRNGs(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, rngs, nrngs, vkDomainRNGDefFree);
}

static int forEachRNGInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, rngs, nrngs, VK_DOMAIN_DEVICE_RNG, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainRNGFamily = {
    .name = "rng",
    .parse = parseRNGElement,
    .format = formatRNGs,
    .copy = copyRNGs,
    .free = freeRNGs,
    .forEachInfo = forEachRNGInfo,
};
