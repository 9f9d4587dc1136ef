/* The QEMU program (qemu-monitor-command): nothing served yet. */
#include "daemon_dispatch_priv.h"

const vkDaemonProc vkDaemonQemuProcs[] = {
    { 0 },
};
