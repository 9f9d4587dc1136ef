/* <input>: mice, tablets and keyboards on their buses. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainInput, VK_DOMAIN_INPUT_TYPE_LAST, "mouse", "tablet", "keyboard")
VK_ENUM_IMPL(vkDomainInputBus, VK_DOMAIN_INPUT_BUS_LAST, "ps2", "usb", "virtio")
VK_ENUM_IMPL(vkDomainInputModel, VK_DOMAIN_INPUT_MODEL_LAST, "default", "virtio",
             "virtio-transitional", "virtio-non-transitional")

static int parseNoChild(void *dev, xmlNodePtr c, unsigned int flags)
{
    /* Unreachable: the allowed list holds only info elements. */
    return 0;
}
/* ---- input ---- */

static vkDomainInputDef *parseInput(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "type", "bus", "model", NULL };
    static const char *const children[] = { "alias", "address", NULL };
    g_autoptr(vkDomainInputDef) input = g_new0(vkDomainInputDef, 1);
    int rc;

    input->bus = -1;
    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "type", vkDomainInputTypeFromString, FALSE, &input->type)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return NULL;
    }
    if (vkDomainPropEnum(node, "bus", vkDomainInputBusTypeFromString, FALSE, &input->bus) < 0 ||
        vkDomainPropEnum(node, "model", vkDomainInputModelTypeFromString, TRUE, &input->model) <
            0 ||
        vkDomainDeviceChildrenParse(node, children, input, &input->info, flags, FALSE,
                                    parseNoChild) < 0)
        return NULL;
    return g_steal_pointer(&input);
}

static void formatInput(vkBuf *buf, const vkDomainInputDef *input, unsigned int flags)
{
    /* Older libvirt did not know the implicit PS/2 keyboard: the migratable form leaves it out
     * (a receiver adds it back), as libvirt does. */
    if ((flags & VK_DOMAIN_DEF_FORMAT_MIGRATABLE) && input->type == VK_DOMAIN_INPUT_TYPE_KBD &&
        input->bus == VK_DOMAIN_INPUT_BUS_PS2)
        return;
    vkBufAddf(buf, "<input type='%s' bus='%s'", vkDomainInputTypeToString(input->type),
              vkDomainInputBusTypeToString(input->bus));
    if (input->model)
        vkBufAddf(buf, " model='%s'", vkDomainInputModelTypeToString(input->model));
    if (!vkDomainDeviceInfoHasOutput(&input->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    vkDomainDeviceInfoFormat(buf, &input->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</input>\n");
}

void vkDomainInputDefFree(vkDomainInputDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- the family ---- */

static int parseInputElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainInputDef *input = parseInput(node, flags);

    if (!input)
        return -1;
    VK_DOMAIN_APPEND(def->inputs, def->ninputs, input);
    return 0;
}

static void formatInputs(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->ninputs; i++)
        formatInput(buf, def->inputs[i], flags);
}

static vkDomainInputDef *copyInput(const vkDomainInputDef *src)
{
    vkDomainInputDef *input = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&input->info, &src->info);
    return input;
}

static void copyInputs(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, inputs, ninputs, copyInput);
}

static void freeInputs(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, inputs, ninputs, vkDomainInputDefFree);
}

static int forEachInputInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, inputs, ninputs, VK_DOMAIN_DEVICE_INPUT, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainInputFamily = {
    .name = "input",
    .parse = parseInputElement,
    .format = formatInputs,
    .copy = copyInputs,
    .free = freeInputs,
    .forEachInfo = forEachInputInfo,
};
