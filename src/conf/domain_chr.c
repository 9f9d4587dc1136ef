/* Character devices: <serial> ports and <console>s, their sources and targets. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainChrDevice, VK_DOMAIN_CHR_DEVICE_LAST, "serial", "console")
VK_ENUM_IMPL(vkDomainChr, VK_DOMAIN_CHR_TYPE_LAST, "null", "vc", "pty", "dev", "file", "pipe",
             "stdio")
VK_ENUM_IMPL(vkDomainChrConsoleTarget, VK_DOMAIN_CHR_CONSOLE_TARGET_LAST, "none", "serial",
             "virtio")
VK_ENUM_IMPL(vkDomainChrSerialTarget, VK_DOMAIN_CHR_SERIAL_TARGET_LAST, "none", "isa-serial")
VK_ENUM_IMPL(vkDomainChrSerialModel, VK_DOMAIN_CHR_SERIAL_MODEL_LAST, "none", "isa-serial")

/* ---- serial ports and consoles ---- */

vkDomainChrDef *vkDomainChrDefNew(int deviceType)
{
    vkDomainChrDef *chr = g_new0(vkDomainChrDef, 1);

    chr->deviceType = deviceType;
    chr->type = VK_DOMAIN_CHR_TYPE_PTY;
    chr->port = -1;
    return chr;
}

static gboolean chrHasPath(int type)
{
    return type == VK_DOMAIN_CHR_TYPE_PTY || type == VK_DOMAIN_CHR_TYPE_DEV ||
           type == VK_DOMAIN_CHR_TYPE_FILE || type == VK_DOMAIN_CHR_TYPE_PIPE;
}

static int parseChrSource(vkDomainChrDef *chr, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "path", NULL };
    g_autofree char *path = NULL;

    if (!chrHasPath(chr->type)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "unsupported element <source> in <%s type='%s'>",
                      vkDomainChrDeviceTypeToString(chr->deviceType),
                      vkDomainChrTypeToString(chr->type));
        return -1;
    }
    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    path = vkXMLProp(node, "path");
    /* A pty's path is allocated at start: it is runtime data. */
    if (path && *path &&
        !(chr->type == VK_DOMAIN_CHR_TYPE_PTY && (flags & VK_DOMAIN_DEF_PARSE_INACTIVE)))
        chr->path = g_steal_pointer(&path);
    return 0;
}

/* <serial><target><model name=.../></target>. */
static int parseSerialTargetModel(vkDomainChrDef *chr, xmlNodePtr target)
{
    static const char *const attrs[] = { "name", NULL };
    xmlNodePtr model = vkXMLChild(target, "model");
    int rc;

    if (!model)
        return 0;
    if (vkXMLCheckUnique(target, "model", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckLeaf(model, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(model, "name", vkDomainChrSerialModelTypeFromString, TRUE,
                               &chr->targetModel)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(model, "name"));
        return -1;
    }
    return 0;
}

static int parseChrTarget(vkDomainChrDef *chr, xmlNodePtr node)
{
    static const char *const attrs[] = { "type", "port", NULL };
    static const char *const serialChildren[] = { "model", NULL };
    gboolean console = chr->deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, console ? NULL : serialChildren, VK_DOMAIN_ERR) < 0 ||
        vkXMLPropInt(node, "port", 0, G_MAXINT, &chr->port, VK_DOMAIN_ERR) < 0)
        return -1;
    if (console)
        return vkDomainPropEnum(node, "type", vkDomainChrConsoleTargetTypeFromString, TRUE,
                                &chr->targetType) < 0
                   ? -1
                   : 0;
    if (vkDomainPropEnum(node, "type", vkDomainChrSerialTargetTypeFromString, TRUE,
                         &chr->targetType) < 0)
        return -1;
    return parseSerialTargetModel(chr, node);
}

static int parseChrChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    vkDomainChrDef *chr = dev;

    if (g_str_equal((const char *)c->name, "source"))
        return parseChrSource(chr, c, flags);
    return parseChrTarget(chr, c);
}

static vkDomainChrDef *parseChr(xmlNodePtr node, unsigned int flags, int deviceType)
{
    static const char *const serialAttrs[] = { "type", NULL };
    /* tty='...' mirrors the pty path on a console; libvirt ignores it when parsing too. */
    static const char *const consoleAttrs[] = { "type", "tty", NULL };
    static const char *const children[] = { "source", "target", "alias", "address", NULL };
    g_autoptr(vkDomainChrDef) chr = vkDomainChrDefNew(deviceType);
    gboolean console = deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE;

    if (vkXMLCheckAttrs(node, console ? consoleAttrs : serialAttrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainChrTypeFromString, FALSE, &chr->type) < 0 ||
        vkXMLCheckUnique(node, "source", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "target", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, chr, &chr->info, flags, FALSE, parseChrChild) <
            0)
        return NULL;
    if (!chr->path && chrHasPath(chr->type) && chr->type != VK_DOMAIN_CHR_TYPE_PTY) {
        vkXMLReportAt(
            node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "missing source path for <%s type='%s'>",
            vkDomainChrDeviceTypeToString(deviceType), vkDomainChrTypeToString(chr->type));
        return NULL;
    }
    return g_steal_pointer(&chr);
}

/* Formats chr as deviceType with targetType: a console aliasing a serial port is printed with
 * the serial port's data. */
static void formatChr(vkBuf *buf, const vkDomainChrDef *chr, int deviceType, int targetType,
                      unsigned int flags)
{
    const char *element = vkDomainChrDeviceTypeToString(deviceType);
    gboolean live = !(flags & VK_DOMAIN_DEF_FORMAT_INACTIVE);
    gboolean pty = chr->type == VK_DOMAIN_CHR_TYPE_PTY;

    vkBufAddf(buf, "<%s type='%s'", element, vkDomainChrTypeToString(chr->type));
    /* The legacy tty attribute, as libvirt prints it for the first console. */
    if (deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE && chr->port == 0 && pty && live && chr->path)
        vkBufEscapef(buf, " tty='%s'", chr->path);
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    if (chr->path && (!pty || live))
        vkBufEscapef(buf, "<source path='%s'/>\n", chr->path);
    if (deviceType == VK_DOMAIN_CHR_DEVICE_CONSOLE) {
        vkBufAddf(buf, "<target type='%s' port='%d'/>\n",
                  vkDomainChrConsoleTargetTypeToString(targetType), chr->port);
    } else {
        vkBufAddf(buf, "<target");
        if (chr->targetType)
            vkBufAddf(buf, " type='%s'", vkDomainChrSerialTargetTypeToString(chr->targetType));
        vkBufAddf(buf, " port='%d'", chr->port);
        if (chr->targetModel) {
            vkBufAddf(buf, ">\n");
            vkBufAdjustIndent(buf, 2);
            vkBufAddf(buf, "<model name='%s'/>\n",
                      vkDomainChrSerialModelTypeToString(chr->targetModel));
            vkBufAdjustIndent(buf, -2);
            vkBufAddf(buf, "</target>\n");
        } else {
            vkBufAddf(buf, "/>\n");
        }
    }
    vkDomainDeviceInfoFormat(buf, &chr->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</%s>\n", element);
}

static vkDomainChrDef *copyChr(const vkDomainChrDef *src)
{
    vkDomainChrDef *chr = g_memdup2(src, sizeof(*src));

    chr->path = g_strdup(src->path);
    vkDomainDeviceInfoCopy(&chr->info, &src->info);
    return chr;
}

void vkDomainChrDefFree(vkDomainChrDef *def)
{
    if (!def)
        return;
    g_free(def->path);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- the families ---- */

static int parseSerialElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainChrDef *chr = parseChr(node, flags, VK_DOMAIN_CHR_DEVICE_SERIAL);

    if (!chr)
        return -1;
    VK_DOMAIN_APPEND(def->serials, def->nserials, chr);
    return 0;
}

static int parseConsoleElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainChrDef *chr = parseChr(node, flags, VK_DOMAIN_CHR_DEVICE_CONSOLE);

    if (!chr)
        return -1;
    VK_DOMAIN_APPEND(def->consoles, def->nconsoles, chr);
    return 0;
}

static void formatSerials(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nserials; i++)
        formatChr(buf, def->serials[i], VK_DOMAIN_CHR_DEVICE_SERIAL, 0, flags);
}

static void formatConsoles(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nconsoles; i++) {
        const vkDomainChrDef *con = def->consoles[i];

        /* Back compat: a serial-type console is the serial port at the same index. */
        if (con->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL && i < def->nserials)
            formatChr(buf, def->serials[i], VK_DOMAIN_CHR_DEVICE_CONSOLE,
                      VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL, flags);
        else
            formatChr(buf, con, VK_DOMAIN_CHR_DEVICE_CONSOLE, con->targetType, flags);
    }
}

static void copySerials(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, serials, nserials, copyChr);
}

static void copyConsoles(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, consoles, nconsoles, copyChr);
}

static void freeSerials(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, serials, nserials, vkDomainChrDefFree);
}

static void freeConsoles(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, consoles, nconsoles, vkDomainChrDefFree);
}

static int forEachSerialInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, serials, nserials, VK_DOMAIN_DEVICE_CHR, fn, opaque);
    return 0;
}

static int forEachConsoleInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, consoles, nconsoles, VK_DOMAIN_DEVICE_CHR, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainSerialFamily = {
    .name = "serial",
    .parse = parseSerialElement,
    .format = formatSerials,
    .copy = copySerials,
    .free = freeSerials,
    .forEachInfo = forEachSerialInfo,
};

const vkDomainDeviceFamily vkDomainConsoleFamily = {
    .name = "console",
    .parse = parseConsoleElement,
    .format = formatConsoles,
    .copy = copyConsoles,
    .free = freeConsoles,
    .forEachInfo = forEachConsoleInfo,
};
