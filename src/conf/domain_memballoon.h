/* <memballoon>: the memory balloon device. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO,
    VK_DOMAIN_MEMBALLOON_MODEL_NONE,
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_MEMBALLOON_MODEL_LAST
} vkDomainMemballoonModel;
VK_ENUM_DECL(vkDomainMemballoonModel);

typedef struct {
    int model;           /* vkDomainMemballoonModel */
    int autodeflate;     /* vkDomainTristate (on/off) */
    unsigned int period; /* <stats period=...> seconds; 0 when absent */
    vkDomainDeviceInfo info;
} vkDomainMemballoonDef;

void vkDomainMemballoonDefFree(vkDomainMemballoonDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainMemballoonDef, vkDomainMemballoonDefFree)
