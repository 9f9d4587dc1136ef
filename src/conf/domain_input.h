/* <input>: mice, tablets and keyboards. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_INPUT_TYPE_MOUSE,
    VK_DOMAIN_INPUT_TYPE_TABLET,
    VK_DOMAIN_INPUT_TYPE_KBD,
    VK_DOMAIN_INPUT_TYPE_LAST
} vkDomainInputType;
VK_ENUM_DECL(vkDomainInput);

typedef enum {
    VK_DOMAIN_INPUT_BUS_PS2,
    VK_DOMAIN_INPUT_BUS_USB,
    VK_DOMAIN_INPUT_BUS_VIRTIO,
    VK_DOMAIN_INPUT_BUS_LAST
} vkDomainInputBus;
VK_ENUM_DECL(vkDomainInputBus);

typedef enum {
    VK_DOMAIN_INPUT_MODEL_DEFAULT = 0,
    VK_DOMAIN_INPUT_MODEL_VIRTIO,
    VK_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_INPUT_MODEL_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_INPUT_MODEL_LAST
} vkDomainInputModel;
VK_ENUM_DECL(vkDomainInputModel);

typedef struct {
    int type;  /* vkDomainInputType */
    int bus;   /* vkDomainInputBus */
    int model; /* vkDomainInputModel */
    vkDomainDeviceInfo info;
} vkDomainInputDef;

void vkDomainInputDefFree(vkDomainInputDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainInputDef, vkDomainInputDefFree)
