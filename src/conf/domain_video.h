/* <video>: the guest's display adapters. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_VIDEO_TYPE_DEFAULT = 0, /* not written; resolved when parsing */
    VK_DOMAIN_VIDEO_TYPE_VGA,
    VK_DOMAIN_VIDEO_TYPE_CIRRUS,
    VK_DOMAIN_VIDEO_TYPE_VMVGA,
    VK_DOMAIN_VIDEO_TYPE_QXL,
    VK_DOMAIN_VIDEO_TYPE_VIRTIO,
    VK_DOMAIN_VIDEO_TYPE_NONE,
    VK_DOMAIN_VIDEO_TYPE_BOCHS,
    VK_DOMAIN_VIDEO_TYPE_RAMFB,
    VK_DOMAIN_VIDEO_TYPE_LAST
} vkDomainVideoType;
VK_ENUM_DECL(vkDomainVideo);

typedef struct {
    int type;                              /* vkDomainVideoType */
    unsigned int ram, vram, vgamem, heads; /* KiB; 0 when not set */
    gboolean primary;
    vkDomainDeviceInfo info;
} vkDomainVideoDef;

void vkDomainVideoDefFree(vkDomainVideoDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainVideoDef, vkDomainVideoDefFree)
