/* <tpm>: the TPM model and its backend (swtpm, a host device, or an external swtpm socket). */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainTPMModel, VK_DOMAIN_TPM_MODEL_LAST, "default", "tpm-tis", "tpm-crb",
             "tpm-spapr", "spapr-tpm-proxy")
VK_ENUM_IMPL(vkDomainTPMBackend, VK_DOMAIN_TPM_TYPE_LAST, "passthrough", "emulator", "external")
VK_ENUM_IMPL(vkDomainTPMVersion, VK_DOMAIN_TPM_VERSION_LAST, "default", "1.2", "2.0")

/* The one child that names a file: <device path/> (passthrough), <source type='unix'
 * mode='connect' path/> (external). */
static int parseBackendPath(vkDomainTPMDef *tpm, xmlNodePtr backend)
{
    static const char *const deviceAttrs[] = { "path", NULL };
    static const char *const sourceAttrs[] = { "type", "mode", "path", NULL };
    const char *child = tpm->type == VK_DOMAIN_TPM_TYPE_PASSTHROUGH ? "device" : "source";
    const char *const children[] = { child, NULL };
    xmlNodePtr node = vkXMLChild(backend, child);

    if (vkXMLCheckChildren(backend, children, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(backend, child, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!node) {
        if (tpm->type == VK_DOMAIN_TPM_TYPE_PASSTHROUGH) {
            /* libvirt's default host device. */
            tpm->path = g_strdup("/dev/tpm0");
            return 0;
        }
        vkXMLReportAt(backend, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "missing TPM source for the external backend");
        return -1;
    }
    if (vkXMLCheckLeaf(node,
                       tpm->type == VK_DOMAIN_TPM_TYPE_PASSTHROUGH ? deviceAttrs : sourceAttrs,
                       VK_DOMAIN_ERR) < 0)
        return -1;
    if (tpm->type == VK_DOMAIN_TPM_TYPE_EXTERNAL) {
        g_autofree char *type = vkXMLProp(node, "type");
        g_autofree char *mode = vkXMLProp(node, "mode");

        if (g_strcmp0(type, "unix") != 0 || (mode && !g_str_equal(mode, "connect"))) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "only a unix socket in connect mode is supported for an external TPM");
            return -1;
        }
    }
    return (tpm->path = vkDomainPropRequired(node, "path")) ? 0 : -1;
}

static int parseBackend(vkDomainTPMDef *tpm, xmlNodePtr node)
{
    static const char *const attrs[] = { "type", "version", "persistent_state", NULL };
    static const char *const emulatorChildren[] = { NULL };
    int persistent = 0, rc;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((rc = vkDomainPropEnum(node, "type", vkDomainTPMBackendTypeFromString, FALSE, &tpm->type)) <
        0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return -1;
    }
    if (tpm->type != VK_DOMAIN_TPM_TYPE_EMULATOR &&
        (xmlHasProp(node, BAD_CAST "version") || xmlHasProp(node, BAD_CAST "persistent_state"))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "version and persistent_state are for the emulator backend only");
        return -1;
    }
    if (tpm->type != VK_DOMAIN_TPM_TYPE_EMULATOR)
        return parseBackendPath(tpm, node);
    /* swtpm's encryption secret and PCR banks are not supported: refused as unknown. */
    if (vkXMLCheckChildren(node, emulatorChildren, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "version", vkDomainTPMVersionTypeFromString, TRUE, &tpm->version) <
            0 ||
        vkDomainPropTristate(node, "persistent_state", FALSE, &persistent) < 0)
        return -1;
    tpm->persistentState = persistent == VK_DOMAIN_TRISTATE_YES;
    return 0;
}

static int parseTPMChild(void *dev, xmlNodePtr node, unsigned int flags)
{
    return parseBackend(dev, node);
}

static int parseTPMElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "model", NULL };
    static const char *const children[] = { "backend", "alias", "address", NULL };
    g_autoptr(vkDomainTPMDef) tpm = g_new0(vkDomainTPMDef, 1);

    tpm->type = -1;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "model", vkDomainTPMModelTypeFromString, TRUE, &tpm->model) < 0 ||
        vkXMLCheckUnique(node, "backend", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, tpm, &tpm->info, flags, FALSE, parseTPMChild) <
            0)
        return -1;
    if (tpm->type < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "missing TPM device backend");
        return -1;
    }
    VK_DOMAIN_APPEND(def->tpms, def->ntpms, g_steal_pointer(&tpm));
    return 0;
}

static void formatTPM(vkBuf *buf, const vkDomainTPMDef *tpm, unsigned int flags)
{
    vkBufAddf(buf, "<tpm");
    if (tpm->model)
        vkBufAddf(buf, " model='%s'", vkDomainTPMModelTypeToString(tpm->model));
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<backend type='%s'", vkDomainTPMBackendTypeToString(tpm->type));
    switch (tpm->type) {
    case VK_DOMAIN_TPM_TYPE_EMULATOR:
        if (tpm->version)
            vkBufAddf(buf, " version='%s'", vkDomainTPMVersionTypeToString(tpm->version));
        if (tpm->persistentState)
            vkBufAddf(buf, " persistent_state='yes'");
        vkBufAddf(buf, "/>\n");
        break;
    default:
        vkBufAddf(buf, ">\n");
        vkBufAdjustIndent(buf, 2);
        if (tpm->type == VK_DOMAIN_TPM_TYPE_PASSTHROUGH)
            vkBufEscapef(buf, "<device path='%s'/>\n", tpm->path);
        else
            vkBufEscapef(buf, "<source type='unix' mode='connect' path='%s'/>\n", tpm->path);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</backend>\n");
        break;
    }
    vkDomainDeviceInfoFormat(buf, &tpm->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</tpm>\n");
}

static void formatTPMs(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->ntpms; i++)
        formatTPM(buf, def->tpms[i], flags);
}

static vkDomainTPMDef *copyTPM(const vkDomainTPMDef *src)
{
    vkDomainTPMDef *tpm = g_memdup2(src, sizeof(*src));

    tpm->path = g_strdup(src->path);
    vkDomainDeviceInfoCopy(&tpm->info, &src->info);
    return tpm;
}

void vkDomainTPMDefFree(vkDomainTPMDef *def)
{
    if (!def)
        return;
    g_free(def->path);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

static void copyTPMs(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, tpms, ntpms, copyTPM);
}

static void freeTPMs(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, tpms, ntpms, vkDomainTPMDefFree);
}

/* As libvirt: two TPMs only as a TPM beside the SPAPR proxy. */
static int validateTPMs(const vkDomainDef *def)
{
    if (def->ntpms > 2) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "a maximum of two TPM devices is supported, one of them being a TPM "
                      "Proxy device");
        return -1;
    }
    if (def->ntpms == 2 && (def->tpms[0]->model == VK_DOMAIN_TPM_MODEL_SPAPR_PROXY) ==
                               (def->tpms[1]->model == VK_DOMAIN_TPM_MODEL_SPAPR_PROXY)) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "a TPM Proxy device and a TPM device are the only two TPMs allowed");
        return -1;
    }
    return 0;
}

static int forEachTPMInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, tpms, ntpms, VK_DOMAIN_DEVICE_TPM, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainTPMFamily = {
    .name = "tpm",
    .parse = parseTPMElement,
    .format = formatTPMs,
    .copy = copyTPMs,
    .free = freeTPMs,
    .validate = validateTPMs,
    .forEachInfo = forEachTPMInfo,
};
