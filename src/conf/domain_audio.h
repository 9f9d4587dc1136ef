/* <audio>: host audio backends that sound devices and graphics refer to. */
#pragma once

#include "conf/domain_common.h"

/* <audio type=...>: the backends that need no host setup. */
typedef enum {
    VK_DOMAIN_AUDIO_TYPE_NONE,
    VK_DOMAIN_AUDIO_TYPE_SPICE,
    VK_DOMAIN_AUDIO_TYPE_LAST
} vkDomainAudioType;
VK_ENUM_DECL(vkDomainAudio);

typedef struct {
    unsigned int id; /* >= 1, unique; graphics and sound devices refer to it */
    int type;        /* vkDomainAudioType */
} vkDomainAudioDef;

void vkDomainAudioDefFree(vkDomainAudioDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainAudioDef, vkDomainAudioDefFree)
