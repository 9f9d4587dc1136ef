/* One client of virtkitd: its wire connection, keepalive, access (read-only, authenticated),
 * the library connection it opened, its calls in flight, event registrations and streams.
 * Frames arrive in the main loop; calls are checked there before anything is decoded, then
 * served inline or on a worker, and answered by serial in whatever order they finish. */
#pragma once

#include <glib.h>

#include "daemon_dispatch.h"
#include "rpc/rpc_conn.h"
#include "virtkit/virtkit.h"

typedef struct _vkDaemonServer vkDaemonServer;

typedef enum {
    VK_DAEMON_CLIENT_READONLY = 1 << 0,        /* came through a read-only socket */
    VK_DAEMON_CLIENT_UNAUTHENTICATED = 1 << 1, /* must authenticate before anything else */
} vkDaemonClientFlags;

/* Takes CONN (not yet attached) and attaches it to the server's context. */
vkDaemonClient *vkDaemonClientNew(vkDaemonServer *server, vkRpcConn *conn, unsigned int flags);
vkDaemonClient *vkDaemonClientRef(vkDaemonClient *client);
/* Any thread; the last reference closes the library connection. */
void vkDaemonClientUnref(vkDaemonClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDaemonClient, vkDaemonClientUnref)

/* Asks the connection to close (any thread); the server learns it in the main loop. */
void vkDaemonClientClose(vkDaemonClient *client);

vkDaemonServer *vkDaemonClientServer(vkDaemonClient *client);
vkRpcConn *vkDaemonClientRpcConn(vkDaemonClient *client);
gboolean vkDaemonClientIsReadonly(vkDaemonClient *client);

/* The library connection opened by CONNECT_OPEN (a new reference), or NULL. */
virConnectPtr vkDaemonClientGetConn(vkDaemonClient *client);
/* Installs CONN (taken) and the URI the client asked for; fails if one is open already. */
int vkDaemonClientSetConn(vkDaemonClient *client, virConnectPtr conn, const char *uri,
                          gboolean readonly);
/* The URI the client opened, as it named it. */
char *vkDaemonClientGetURI(vkDaemonClient *client);

/* CONNECT_SUPPORTS_FEATURE(10): the client answers PINGs, so it may be pinged. */
int vkDaemonClientStartKeepalive(vkDaemonClient *client);

/* Close callbacks (CONNECT_REGISTER_CLOSE_CALLBACK): whether one is registered. */
gboolean vkDaemonClientSetCloseCallback(vkDaemonClient *client, gboolean on);

/* Per-client state of other parts of the daemon (event registrations, streams), by KEY; any
 * thread. Set fails (and destroys DATA) once the client is closed; whatever is set is
 * destroyed in the main loop when the client closes. */
gpointer vkDaemonClientGetPrivate(vkDaemonClient *client, const char *key);
gboolean vkDaemonClientSetPrivate(vkDaemonClient *client, const char *key, gpointer data,
                                  GDestroyNotify destroy);

/* Sends a frame to the client (any thread); takes MSG. */
int vkDaemonClientSend(vkDaemonClient *client, vkRpcMessage *msg);
