/* <tpm>: a TPM for the guest, emulated by swtpm or passed through from the host. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_TPM_MODEL_DEFAULT = 0,
    VK_DOMAIN_TPM_MODEL_TIS,
    VK_DOMAIN_TPM_MODEL_CRB,
    VK_DOMAIN_TPM_MODEL_SPAPR,
    VK_DOMAIN_TPM_MODEL_SPAPR_PROXY,
    VK_DOMAIN_TPM_MODEL_LAST
} vkDomainTPMModel;
VK_ENUM_DECL(vkDomainTPMModel);

typedef enum {
    VK_DOMAIN_TPM_TYPE_PASSTHROUGH,
    VK_DOMAIN_TPM_TYPE_EMULATOR,
    VK_DOMAIN_TPM_TYPE_EXTERNAL,
    VK_DOMAIN_TPM_TYPE_LAST
} vkDomainTPMBackend;
VK_ENUM_DECL(vkDomainTPMBackend);

typedef enum {
    VK_DOMAIN_TPM_VERSION_DEFAULT = 0,
    VK_DOMAIN_TPM_VERSION_1_2,
    VK_DOMAIN_TPM_VERSION_2_0,
    VK_DOMAIN_TPM_VERSION_LAST
} vkDomainTPMVersion;
VK_ENUM_DECL(vkDomainTPMVersion);

typedef struct {
    int model;                /* vkDomainTPMModel */
    int type;                 /* vkDomainTPMBackend */
    int version;              /* vkDomainTPMVersion; emulator only */
    gboolean persistentState; /* emulator: state kept across undefine */
    char *path;               /* passthrough: the host device; external: swtpm's socket */
    vkDomainDeviceInfo info;
} vkDomainTPMDef;

void vkDomainTPMDefFree(vkDomainTPMDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainTPMDef, vkDomainTPMDefFree)
