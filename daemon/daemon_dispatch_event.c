/* Event registrations: placeholder until the library's event API is on main. */
#include "daemon_dispatch_priv.h"

const vkDaemonProc vkDaemonEventProcs[] = {
    { 0 },
};
