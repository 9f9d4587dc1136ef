/* One connection speaking the wire protocol, for either side: a socket (unix or TCP) with an
 * optional TLS session, driven by a GMainContext. Reads are non-blocking and hand over whole
 * frames; writes go through a queue that any thread may add to. */
#pragma once

#include <glib.h>

#include "rpc/rpc_message.h"
#include "rpc/rpc_socket.h"
#include "rpc/rpc_tls.h"

typedef struct _vkRpcConn vkRpcConn;

typedef struct {
    /* A whole frame arrived; the callee owns MSG. */
    void (*message)(vkRpcConn *conn, vkRpcMessage *msg, gpointer opaque);
    /* The connection is closed, once: WHY is the error that closed it (end of data, I/O,
     * TLS, a malformed frame), NULL after vkRpcConnClose. */
    void (*closed)(vkRpcConn *conn, const virError *why, gpointer opaque);
    /* Optional: the TLS handshake and certificate checks succeeded (right at attach without
     * TLS). Frames queued earlier go out after this. */
    void (*ready)(vkRpcConn *conn, gpointer opaque);
} vkRpcConnCallbacks;

/* Takes FD (a connected socket). */
vkRpcConn *vkRpcConnNew(int fd, gboolean isServer);
vkRpcConn *vkRpcConnRef(vkRpcConn *conn);
void vkRpcConnUnref(vkRpcConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkRpcConn, vkRpcConnUnref)

/* Before attaching: run TLS on the connection. A client passes the HOSTNAME the server's
 * certificate must name (NULL: no host name check). After the handshake a libvirt server
 * sends one confirmation byte once it accepted the client's certificate; both sides do that
 * here. */
int vkRpcConnSetTLS(vkRpcConn *conn, vkRpcTLSContext *ctx, const char *hostname);

/* Starts I/O in CONTEXT; the callbacks run in the thread that iterates it. Holds a reference
 * until closed. */
void vkRpcConnAttach(vkRpcConn *conn, GMainContext *context, const vkRpcConnCallbacks *cb,
                     gpointer opaque);

/* Queues MSG (taken, freed on failure) for sending; any thread. Fails once the connection is
 * closed or closing, and closes it when more than the queue limit would be waiting. */
int vkRpcConnSend(vkRpcConn *conn, vkRpcMessage *msg);
/* Closes from any thread; the closed callback follows in the context's thread. With FLUSH,
 * what is queued goes out first (a final error reply). */
void vkRpcConnClose(vkRpcConn *conn, gboolean flush);
/* From the context's thread only: closes now because of the calling thread's last error
 * (consumed), which the closed callback receives. */
void vkRpcConnCloseWithError(vkRpcConn *conn);
/* Stop or resume reading (flow control for a peer sending faster than it is served). */
void vkRpcConnSetReadPaused(vkRpcConn *conn, gboolean paused);
/* Bytes a peer that stops reading may leave queued before it is disconnected (0: no limit). */
void vkRpcConnSetMaxQueued(vkRpcConn *conn, size_t bytes);
size_t vkRpcConnQueuedBytes(vkRpcConn *conn);
/* Waits until at most BYTES are queued (back-pressure for a sender faster than the peer);
 * -1, without an error, once the connection closed. Not from the context's thread. */
int vkRpcConnWaitQueued(vkRpcConn *conn, size_t bytes);

gboolean vkRpcConnIsClosed(vkRpcConn *conn);
/* TLS, or a unix socket (no one between the ends), as virConnectIsSecure means it. */
gboolean vkRpcConnIsSecure(vkRpcConn *conn);
gboolean vkRpcConnIsEncrypted(vkRpcConn *conn);
gboolean vkRpcConnIsUnix(vkRpcConn *conn);
/* SO_PEERCRED of a unix peer. */
int vkRpcConnPeerCred(vkRpcConn *conn, vkRpcPeerCred *cred);
/* The distinguished name of the TLS peer's certificate once verified, or NULL. */
const char *vkRpcConnTLSPeerDN(vkRpcConn *conn);
