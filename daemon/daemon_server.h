/* The server side of virtkitd: listening sockets (unix, TCP, TLS, or handed over by systemd),
 * accepting clients up to max_clients, the worker pools that serve blocking calls, and the
 * mapping of the URIs clients open to the daemon's own root. Everything runs in the GMainContext
 * the server was made with (the default one in virtkitd, where the library's events fire). */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "daemon_client.h"
#include "daemon_config.h"
#include "rpc/rpc_tls.h"

typedef struct _vkDaemonServer vkDaemonServer;

typedef enum {
    VK_DAEMON_MODE_SYSTEM,  /* root: qemu:///system; clients may open /system or /session */
    VK_DAEMON_MODE_SESSION, /* a user: qemu:///session; clients open /session */
    VK_DAEMON_MODE_ROOT,    /* --root DIR: qemu:///embed?root=DIR, opened as /system or /session */
} vkDaemonMode;

/* CFG must outlive the server. DRIVERURI is what each client's connection opens. */
vkDaemonServer *vkDaemonServerNew(const vkDaemonConfig *cfg, vkDaemonMode mode,
                                  const char *driverURI, GMainContext *context);
/* Closes the listeners and every client, waits for the calls in flight, frees. */
void vkDaemonServerFree(vkDaemonServer *srv);

/* Listeners. A unix socket is created with MODE (and group GID unless -1) and removed again
 * when the server goes. */
int vkDaemonServerListenUnix(vkDaemonServer *srv, const char *path, mode_t mode, gid_t gid,
                             gboolean readonly);
/* Every address ADDR (NULL: all) resolves to; TLS is NULL for plain TCP. */
int vkDaemonServerListenTCP(vkDaemonServer *srv, const char *addr, const char *port,
                            vkRpcTLSContext *tls);
/* An already listening socket (systemd socket activation); taken. */
int vkDaemonServerListenFd(vkDaemonServer *srv, int fd, gboolean readonly, vkRpcTLSContext *tls);

/* A client on connected socket FD (taken), as if accepted: for tests and the fuzzer, which
 * drive the server in-process over a socketpair. FLAGS: vkDaemonClientFlags. */
vkDaemonClient *vkDaemonServerAddClient(vkDaemonServer *srv, int fd, unsigned int flags);

/* Calls ON with DATA in the main loop once no client has been connected for SECONDS. */
void vkDaemonServerSetIdleTimeout(vkDaemonServer *srv, guint seconds, GSourceFunc on,
                                  gpointer data);

guint vkDaemonServerNumClients(vkDaemonServer *srv);
/* No client connected and no call being served (main loop): what was made for them is gone. */
gboolean vkDaemonServerIdle(vkDaemonServer *srv);
const vkDaemonConfig *vkDaemonServerConfig(vkDaemonServer *srv);
GMainContext *vkDaemonServerContext(vkDaemonServer *srv);

/* The URI a client's CONNECT_OPEN of NAME (NULL or "" for the default) opens here, or NULL
 * with libvirt's error for a URI this daemon does not serve. */
char *vkDaemonServerResolveURI(vkDaemonServer *srv, const char *name);

/* What a client that opened the default (no name) sees as its URI: qemu:///system, or
 * qemu:///session for a session daemon. */
const char *vkDaemonServerPublicURI(vkDaemonServer *srv);

/* For the clients: hands a call to the workers (LONG) or the priority workers. */
void vkDaemonServerQueueCall(vkDaemonServer *srv, vkDaemonCall *call, gboolean isLong);
/* A client closed (main loop): the server forgets it and may accept again. */
void vkDaemonServerClientClosed(vkDaemonServer *srv, vkDaemonClient *client);
