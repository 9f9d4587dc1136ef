/* The QEMU-specific public API, libvirt's libvirt-qemu.h: talking to a guest's qemu directly,
 * outside what the driver tracks. */
#pragma once

#include "virtkit/virtkit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_DEFAULT = 0,
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP = (1 << 0), /* CMD is a human monitor command line */
} virDomainQemuMonitorCommandFlags;

/* Sends CMD to the running guest's monitor: a QMP command in JSON (*RESULT: qemu's whole
 * reply) or, with VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP, a human monitor command (*RESULT: its
 * output). *RESULT is freed by the caller with free(). */
int virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                                unsigned int flags);

#ifdef __cplusplus
}
#endif
