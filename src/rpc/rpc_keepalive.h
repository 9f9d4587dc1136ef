/* libvirt's keepalive protocol on one connection: PINGs are always answered with a PONG; once
 * started, a PING goes out whenever the peer has been silent for INTERVAL seconds, and the
 * connection is closed after COUNT of them went unanswered. Runs in the connection's context. */
#pragma once

#include <glib.h>

#include "rpc/rpc_conn.h"

typedef struct _vkRpcKeepalive vkRpcKeepalive;

vkRpcKeepalive *vkRpcKeepaliveNew(vkRpcConn *conn);
/* In the context's thread, or once nothing iterates the context any more: the timer runs
 * there. */
void vkRpcKeepaliveFree(vkRpcKeepalive *ka);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkRpcKeepalive, vkRpcKeepaliveFree)

/* Starts the timer in CONTEXT (any thread). INTERVAL >= 1; COUNT 0 closes at the first silent
 * interval. Fails if already started. */
int vkRpcKeepaliveStart(vkRpcKeepalive *ka, GMainContext *context, int interval,
                        unsigned int count);
void vkRpcKeepaliveStop(vkRpcKeepalive *ka);

/* Feed every frame received on the connection (context thread). Any frame proves the peer
 * alive; returns TRUE when MSG belonged to the keepalive program and has been dealt with. */
gboolean vkRpcKeepaliveHandle(vkRpcKeepalive *ka, const vkRpcMessage *msg);

/* PINGs and PONGs received so far (diagnostics and tests). */
void vkRpcKeepaliveCounts(vkRpcKeepalive *ka, guint *pingsIn, guint *pongsIn);
