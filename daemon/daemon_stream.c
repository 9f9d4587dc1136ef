/* Console streams: placeholder until DOMAIN_OPEN_CONSOLE is served. */
#include "daemon_stream.h"

#include "daemon_dispatch_priv.h"

void vkDaemonStreamHandleMessage(vkDaemonClient *client, vkRpcMessage *msg)
{
    /* data for a stream that is gone (or never was): libvirtd drops it too */
    g_debug("dropping stream data for serial %u", msg->header.serial);
}

const vkDaemonProc vkDaemonStreamProcs[] = {
    { 0 },
};
