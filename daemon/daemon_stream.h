/* Streams of virtkitd (the console): STREAM frames from clients go to the stream open on their
 * serial; data from the guest goes back as STREAM frames. */
#pragma once

#include "daemon_client.h"

/* A STREAM frame from CLIENT (main loop); MSG stays the caller's. */
void vkDaemonStreamHandleMessage(vkDaemonClient *client, vkRpcMessage *msg);
