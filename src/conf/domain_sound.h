/* <sound>: emulated sound cards and their codecs. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_SOUND_MODEL_SB16,
    VK_DOMAIN_SOUND_MODEL_ES1370,
    VK_DOMAIN_SOUND_MODEL_PCSPK,
    VK_DOMAIN_SOUND_MODEL_AC97,
    VK_DOMAIN_SOUND_MODEL_ICH6,
    VK_DOMAIN_SOUND_MODEL_ICH9,
    VK_DOMAIN_SOUND_MODEL_USB,
    VK_DOMAIN_SOUND_MODEL_ICH7,
    VK_DOMAIN_SOUND_MODEL_LAST
} vkDomainSoundModel;
VK_ENUM_DECL(vkDomainSoundModel);

typedef enum {
    VK_DOMAIN_SOUND_CODEC_DUPLEX,
    VK_DOMAIN_SOUND_CODEC_MICRO,
    VK_DOMAIN_SOUND_CODEC_OUTPUT,
    VK_DOMAIN_SOUND_CODEC_LAST
} vkDomainSoundCodecType;
VK_ENUM_DECL(vkDomainSoundCodec);

typedef struct {
    int model;   /* vkDomainSoundModel */
    int *codecs; /* vkDomainSoundCodecType; codec N has cad N */
    size_t ncodecs;
    unsigned int audioId; /* <audio id=...>: the backend; 0 for the first */
    vkDomainDeviceInfo info;
} vkDomainSoundDef;

/* Whether MODEL is an HD audio controller, whose codecs are devices of their own. */
gboolean vkDomainSoundModelHasCodecs(int model);

void vkDomainSoundDefFree(vkDomainSoundDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainSoundDef, vkDomainSoundDefFree)
