/* The <devices> element: one table of the kinds of elements it may hold, in the order libvirt
 * writes them, through which every kind is parsed, formatted, copied, freed and checked. */
#include "conf/domain_priv.h"

static int parseEmulator(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    if (def->emulator)
        return vkDomainReportDuplicate(node);
    return (def->emulator = vkDomainLeafText(node, NULL)) ? 0 : -1;
}

static void formatEmulator(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    if (def->emulator)
        vkBufEscapef(buf, "<emulator>%s</emulator>\n", def->emulator);
}

static void copyEmulator(vkDomainDef *dst, const vkDomainDef *src)
{
    dst->emulator = g_strdup(src->emulator);
}

static void freeEmulator(vkDomainDef *def)
{
    g_free(def->emulator);
}

const vkDomainDeviceFamily vkDomainEmulatorFamily = {
    .name = "emulator",
    .parse = parseEmulator,
    .format = formatEmulator,
    .copy = copyEmulator,
    .free = freeEmulator,
};

static const vkDomainDeviceFamily *const families[] = {
    &vkDomainEmulatorFamily, &vkDomainDiskFamily,     &vkDomainControllerFamily,
    &vkDomainNetFamily,      &vkDomainSerialFamily,   &vkDomainConsoleFamily,
    &vkDomainChannelFamily,  &vkDomainInputFamily,    &vkDomainTPMFamily,
    &vkDomainGraphicsFamily, &vkDomainSoundFamily,    &vkDomainAudioFamily,
    &vkDomainVideoFamily,    &vkDomainRedirdevFamily, &vkDomainMemballoonFamily,
    &vkDomainRNGFamily,
};

static const vkDomainDeviceFamily *findFamily(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
        if (g_str_equal(families[i]->name, name))
            return families[i];
    }
    return NULL;
}

int vkDomainDevicesParse(vkDomainDef *def, xmlNodePtr devices, unsigned int flags)
{
    const char *names[G_N_ELEMENTS(families) + 1];

    for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
        names[i] = families[i]->name;
    names[G_N_ELEMENTS(families)] = NULL;
    if (vkXMLCheckAttrs(devices, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(devices, names, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = devices->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE &&
            findFamily((const char *)c->name)->parse(def, c, flags) < 0)
            return -1;
    }
    return 0;
}

void vkDomainDevicesFormat(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    vkBufAddf(buf, "<devices>\n");
    vkBufAdjustIndent(buf, 2);
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
        families[i]->format(buf, def, flags);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</devices>\n");
}

void vkDomainDevicesCopy(vkDomainDef *dst, const vkDomainDef *src)
{
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
        families[i]->copy(dst, src);
}

void vkDomainDevicesFree(vkDomainDef *def)
{
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
        families[i]->free(def);
}

int vkDomainDevicesValidate(const vkDomainDef *def)
{
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
        if (families[i]->validate && families[i]->validate(def) < 0)
            return -1;
    }
    return 0;
}

int vkDomainDefForEachDeviceInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
        int rc;

        if (families[i]->forEachInfo && (rc = families[i]->forEachInfo(def, fn, opaque)) < 0)
            return rc;
    }
    return 0;
}
