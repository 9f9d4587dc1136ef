/* Emulated TPMs: the guest's swtpm, its state under the root and its control socket. */
#pragma once

#include "conf/domain_conf.h"
#include "qemu/qemu_command.h"

typedef struct {
    const char *libDir; /* ROOT/lib/qemu: swtpm/UUID/tpm2 holds the TPM's state */
    const char *runDir; /* ROOT/run/qemu: NAME.swtpm (the helper's record), NAME.swtpm.sock */
    const char *logDir; /* ROOT/log/qemu: NAME-swtpm.log */
} vkQemuTPMPaths;

/* Starts swtpm for DEF's emulated TPM, if it has one, and tells RT its socket. */
int vkQemuTPMStart(const vkQemuTPMPaths *paths, const vkDomainDef *def, vkQEMURuntime *rt);
/* Stops the swtpm of guest NAME, if one runs; after qemu is gone. */
int vkQemuTPMStop(const vkQemuTPMPaths *paths, const char *name);
/* At undefine, as libvirt: the TPM's state goes with VIR_DOMAIN_UNDEFINE_TPM, stays with
 * VIR_DOMAIN_UNDEFINE_KEEP_TPM, and otherwise goes unless the backend keeps persistent_state. */
int vkQemuTPMUndefine(const vkQemuTPMPaths *paths, const vkDomainDef *def, unsigned int flags);
/* The TPM state directory of DEF: ROOT/lib/qemu/swtpm/UUID. */
char *vkQemuTPMStateDir(const vkQemuTPMPaths *paths, const vkDomainDef *def);
