/* <sound>: sound cards, their HD audio codecs and the <audio> backend they play through. */
#include "conf/domain_priv.h"

VK_ENUM_IMPL(vkDomainSoundModel, VK_DOMAIN_SOUND_MODEL_LAST, "sb16", "es1370", "pcspk", "ac97",
             "ich6", "ich9", "usb", "ich7")
VK_ENUM_IMPL(vkDomainSoundCodec, VK_DOMAIN_SOUND_CODEC_LAST, "duplex", "micro", "output")

gboolean vkDomainSoundModelHasCodecs(int model)
{
    return model == VK_DOMAIN_SOUND_MODEL_ICH6 || model == VK_DOMAIN_SOUND_MODEL_ICH9 ||
           model == VK_DOMAIN_SOUND_MODEL_ICH7;
}

static int parseSoundChild(void *dev, xmlNodePtr node, unsigned int flags)
{
    static const char *const codecAttrs[] = { "type", NULL };
    static const char *const audioAttrs[] = { "id", NULL };
    vkDomainSoundDef *sound = dev;
    unsigned long long id = 0;
    int type = -1, rc;

    if (xmlStrEqual(node->name, BAD_CAST "audio")) {
        if (vkXMLCheckLeaf(node, audioAttrs, VK_DOMAIN_ERR) < 0 ||
            (rc = vkXMLPropULL(node, "id", 1, G_MAXINT, &id, VK_DOMAIN_ERR)) < 0)
            return -1;
        if (rc == 0) {
            g_free(vkDomainPropRequired(node, "id"));
            return -1;
        }
        sound->audioId = id;
        return 0;
    }
    if (vkXMLCheckLeaf(node, codecAttrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkDomainPropEnum(node, "type", vkDomainSoundCodecTypeFromString, FALSE, &type)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "type"));
        return -1;
    }
    if (!vkDomainSoundModelHasCodecs(sound->model)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "unsupported element <codec> in <sound model='%s'>",
                      vkDomainSoundModelTypeToString(sound->model));
        return -1;
    }
    sound->codecs = g_renew(int, sound->codecs, sound->ncodecs + 1);
    sound->codecs[sound->ncodecs++] = type;
    return 0;
}

static int parseSoundElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "model", NULL };
    static const char *const children[] = { "codec", "audio", "alias", "address", NULL };
    g_autoptr(vkDomainSoundDef) sound = g_new0(vkDomainSoundDef, 1);
    g_autofree char *model = NULL;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(model = vkXMLProp(node, "model"))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "missing sound model");
        return -1;
    }
    if ((sound->model = vkDomainSoundModelTypeFromString(model)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown sound model '%s'",
                      model);
        return -1;
    }
    if (vkXMLCheckUnique(node, "audio", VK_DOMAIN_ERR) < 0 ||
        vkDomainDeviceChildrenParse(node, children, sound, &sound->info, flags, FALSE,
                                    parseSoundChild) < 0)
        return -1;
    VK_DOMAIN_APPEND(def->sounds, def->nsounds, g_steal_pointer(&sound));
    return 0;
}

static void formatSound(vkBuf *buf, const vkDomainSoundDef *sound, unsigned int flags)
{
    vkBufAddf(buf, "<sound model='%s'", vkDomainSoundModelTypeToString(sound->model));
    if (!sound->ncodecs && !sound->audioId &&
        !vkDomainDeviceInfoHasOutput(&sound->info, flags, FALSE)) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    for (size_t i = 0; i < sound->ncodecs; i++)
        vkBufAddf(buf, "<codec type='%s'/>\n", vkDomainSoundCodecTypeToString(sound->codecs[i]));
    if (sound->audioId)
        vkBufAddf(buf, "<audio id='%u'/>\n", sound->audioId);
    vkDomainDeviceInfoFormat(buf, &sound->info, flags, FALSE);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</sound>\n");
}

static void formatSounds(vkBuf *buf, const vkDomainDef *def, unsigned int flags)
{
    for (size_t i = 0; i < def->nsounds; i++)
        formatSound(buf, def->sounds[i], flags);
}

static vkDomainSoundDef *copySound(const vkDomainSoundDef *src)
{
    vkDomainSoundDef *sound = g_memdup2(src, sizeof(*src));

    sound->codecs = src->ncodecs ? g_memdup2(src->codecs, src->ncodecs * sizeof(int)) : NULL;
    vkDomainDeviceInfoCopy(&sound->info, &src->info);
    return sound;
}

void vkDomainSoundDefFree(vkDomainSoundDef *def)
{
    if (!def)
        return;
    g_free(def->codecs);
    vkDomainDeviceInfoClear(&def->info);
    g_free(def);
}

static void copySounds(vkDomainDef *dst, const vkDomainDef *src)
{
    VK_DOMAIN_COPY_ARRAY(dst, src, sounds, nsounds, copySound);
}

static void freeSounds(vkDomainDef *def)
{
    VK_DOMAIN_FREE_ARRAY(def, sounds, nsounds, vkDomainSoundDefFree);
}

/* A sound card plays through the <audio> backend it names, which must exist. */
static int validateSounds(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->nsounds; i++) {
        gboolean found = def->sounds[i]->audioId == 0;

        for (size_t j = 0; j < def->naudios && !found; j++)
            found = def->audios[j]->id == def->sounds[i]->audioId;
        if (!found) {
            vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "no audio device with id '%u' for sound model '%s'",
                          def->sounds[i]->audioId,
                          vkDomainSoundModelTypeToString(def->sounds[i]->model));
            return -1;
        }
    }
    return 0;
}

static int forEachSoundInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque)
{
    VK_DOMAIN_FOREACH_INFO(def, sounds, nsounds, VK_DOMAIN_DEVICE_SOUND, fn, opaque);
    return 0;
}

const vkDomainDeviceFamily vkDomainSoundFamily = {
    .name = "sound",
    .parse = parseSoundElement,
    .format = formatSounds,
    .copy = copySounds,
    .free = freeSounds,
    .validate = validateSounds,
    .forEachInfo = forEachSoundInfo,
};
