/* <video>: display adapters, their models, memory sizes and which one is primary. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainVideo, VK_DOMAIN_VIDEO_TYPE_LAST, "default", "vga", "cirrus", "vmvga", "qxl",
             "virtio", "none", "bochs", "ramfb")

/* ---- video ---- */

vkDomainVideoDef *vkDomainVideoDefNew(void)
{
    vkDomainVideoDef *video = g_new0(vkDomainVideoDef, 1);

    video->heads = 1;
    return video;
}

static int parseVideoModel(void *dev, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = {
        "type", "ram", "vram", "vgamem", "heads", "primary", NULL
    };
    static const char *const sizes[] = { "ram", "vram", "vgamem", "heads" };
    vkDomainVideoDef *video = dev;
    unsigned int *fields[] = { &video->ram, &video->vram, &video->vgamem, &video->heads };
    gboolean primary = FALSE;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainVideoTypeFromString, TRUE, &video->type) < 0 ||
        vkXMLPropBool(node, "primary", FALSE, &primary, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        unsigned long long v = *fields[i];
        /* heads='0' would not be printed and would read back as the default, 1. */
        unsigned long long min = fields[i] == &video->heads ? 1 : 0;

        if (vkXMLPropULL(node, sizes[i], min, G_MAXUINT / 2, &v, VK_DOMAIN_ERR) < 0)
            return -1;
        *fields[i] = v;
    }
    if (video->type != VK_DOMAIN_VIDEO_TYPE_QXL && (video->ram || video->vgamem)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s attribute only supported for video type qxl",
                      video->ram ? "ram" : "vgamem");
        return -1;
    }
    video->primary = primary;
    return 0;
}

static vkDomainVideoDef *parseVideo(xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = { "model", "alias", "address", NULL };
    g_autoptr(vkDomainVideoDef) video = vkDomainVideoDefNew();

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "model", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, video, &video->info, flags, FALSE,
                                    parseVideoModel) < 0)
        return NULL;
    return g_steal_pointer(&video);
}

static void formatVideo(vkBuf *buf, const vkDomainVideoDef *video, unsigned int flags)
{
    vkBufAddf(buf, "<video>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<model type='%s'", vkDomainVideoTypeToString(video->type));
    if (video->ram)
        vkBufAddf(buf, " ram='%u'", video->ram);
    if (video->vram)
        vkBufAddf(buf, " vram='%u'", video->vram);
    if (video->vgamem)
        vkBufAddf(buf, " vgamem='%u'", video->vgamem);
    if (video->heads)
        vkBufAddf(buf, " heads='%u'", video->heads);
    if (video->primary)
        vkBufAddf(buf, " primary='yes'");
    vkBufAddf(buf, "/>\n");
    vkDomainDeviceInfoFormat(buf, &video->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</video>\n");
}

void vkDomainVideoDefFree(vkDomainVideoDef *def)
{
    if (!def)
        return;
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

/* ---- the family ---- */

static int parseVideoElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainVideoDef *video = parseVideo(node, flags);

    if (!video)
        return -1;
    VK_DOMAIN_APPEND(def->videos, def->nvideos, video);
    /* libvirt keeps the primary video first. */
    if (video->primary && def->nvideos > 1) {
        memmove(def->videos + 1, def->videos, (def->nvideos - 1) * sizeof(*def->videos));
        def->videos[0] = video;
    }
    return 0;
}

static void formatVideos(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nvideos; i++)
        formatVideo(buf, def->videos[i], flags);
}

static vkDomainVideoDef *copyVideo(const vkDomainVideoDef *src)
{
    vkDomainVideoDef *video = g_memdup2(src, sizeof(*src));
    vkDomainDeviceInfoCopy(&video->info, &src->info);
    return video;
}

static void copyVideos(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, videos, nvideos, copyVideo);
}

static void freeVideos(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, videos, nvideos, vkDomainVideoDefFree);
}

static int forEachVideoInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, videos, nvideos, VK_DOMAIN_DEVICE_VIDEO, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainVideoFamily = {
    .name = "video",
    .parse = parseVideoElement,
    .format = formatVideos,
    .copy = copyVideos,
    .free = freeVideos,
    .forEachInfo = forEachVideoInfo,
};
