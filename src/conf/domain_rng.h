/* <rng>: the virtio random number generator and where its entropy comes from. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_RNG_MODEL_VIRTIO,
    VK_DOMAIN_RNG_MODEL_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_RNG_MODEL_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_RNG_MODEL_LAST
} vkDomainRNGModel;
VK_ENUM_DECL(vkDomainRNGModel);

typedef enum {
    VK_DOMAIN_RNG_BACKEND_RANDOM,
    VK_DOMAIN_RNG_BACKEND_EGD,
    VK_DOMAIN_RNG_BACKEND_BUILTIN,
    VK_DOMAIN_RNG_BACKEND_LAST
} vkDomainRNGBackend;
VK_ENUM_DECL(vkDomainRNGBackend);

typedef struct {
    int model;           /* vkDomainRNGModel */
    unsigned int rate;   /* <rate bytes=...>; 0 when absent */
    unsigned int period; /* <rate period=...> milliseconds; 0 when absent */
    int backend;         /* vkDomainRNGBackend */
    char *file;          /* random: the host device; /dev/random when not written */
    /* egd: the daemon's unix socket (<backend type='unix'><source mode=... path=...>) */
    char *egdPath;
    gboolean egdListen;
    vkDomainDeviceInfo info;
} vkDomainRNGDef;

void vkDomainRNGDefFree(vkDomainRNGDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainRNGDef, vkDomainRNGDefFree)
