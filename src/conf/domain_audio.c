/* <audio>: host audio backends, each with an id that graphics and sound devices name. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainAudio, VK_DOMAIN_AUDIO_TYPE_LAST, "none", "spice")

/* ---- audio backends ---- */

static vkDomainAudioDef *parseAudio(xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "id", "type", NULL };
    g_autoptr(vkDomainAudioDef) audio = g_new0(vkDomainAudioDef, 1);
    unsigned long long id = 0;
    g_autofree char *type = NULL;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return NULL;
    if (!(type = vkDomainPropRequired(node, "type")))
        return NULL;
    /* libvirt knows more backends; the others need host setup we do not do. */
    if ((audio->type = vkDomainAudioTypeFromString(type)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "unsupported audio type '%s': only 'none' and 'spice' are supported", type);
        return NULL;
    }
    if ((rc = vkXMLPropULL(node, "id", 1, G_MAXUINT, &id, VK_DOMAIN_ERR)) < 0)
        return NULL;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "id"));
        return NULL;
    }
    audio->id = id;
    return g_steal_pointer(&audio);
}

static void formatAudio(vkBuf *buf, const vkDomainAudioDef *audio)
{
    vkBufAddf(buf, "<audio id='%u' type='%s'/>\n", audio->id,
              vkDomainAudioTypeToString(audio->type));
}

void vkDomainAudioDefFree(vkDomainAudioDef *def)
{
    g_free(def);
}

/* ---- the family ---- */

static int parseAudioElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    vkDomainAudioDef *audio = parseAudio(node, flags);

    if (!audio)
        return -1;
    for (size_t i = 0; i < def->naudios; i++) {
        if (def->audios[i]->id == audio->id) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "audio id '%u' is not unique",
                          audio->id);
            vkDomainAudioDefFree(audio);
            return -1;
        }
    }
    VK_DOMAIN_APPEND(def->audios, def->naudios, audio);
    return 0;
}

static void formatAudios(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->naudios; i++)
        formatAudio(buf, def->audios[i]);
}

static vkDomainAudioDef *copyAudio(const vkDomainAudioDef *src)
{
    return g_memdup2(src, sizeof(*src));
}

static void copyAudios(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, audios, naudios, copyAudio);
}

static void freeAudios(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, audios, naudios, vkDomainAudioDefFree);
}

const vkDomainDeviceFamily vkDomainAudioFamily = {
    .name = "audio",
    .parse = parseAudioElement,
    .format = formatAudios,
    .copy = copyAudios,
    .free = freeAudios,
};
