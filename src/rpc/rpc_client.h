/* The client side of the wire protocol, for the remote driver. Each client owns one I/O
 * thread with its own GMainContext that reads and writes the connection; API threads call
 * vkRpcClientCall, which sends a CALL and sleeps until the REPLY with its serial arrives, so
 * calls from several threads run pipelined and may be answered in any order. Events (MESSAGE
 * frames) and the connection's end are handed to callbacks in the I/O thread. */
#pragma once

#include <glib.h>

#include "rpc/rpc_conn.h"
#include "rpc/rpc_procs.h"

typedef struct _vkRpcClient vkRpcClient;
typedef struct _vkRpcClientStream vkRpcClientStream;

/* An event arrived: BODY is the decoded message of PROC (an EVENT row of PROGRAM), valid
 * during the call only. Runs in the I/O thread: it must not call vkRpcClientCall. */
typedef void (*vkRpcClientEventFunc)(vkRpcClient *client, const vkRpcProgram *program,
                                     const vkRpcProc *proc, void *body, gpointer opaque);
/* The connection closed (WHY: the error that closed it, NULL when we closed it). I/O thread. */
typedef void (*vkRpcClientCloseFunc)(vkRpcClient *client, const virError *why, gpointer opaque);

/* Connects; with TLS (ctx != NULL) the handshake, the certificate checks and the server's
 * confirmation are done when this returns. HOSTNAME: what the server's certificate must name
 * (NULL: not checked). */
vkRpcClient *vkRpcClientNewUnix(const char *path);
vkRpcClient *vkRpcClientNewTCP(const char *host, const char *service, vkRpcTLSContext *tls,
                               const char *hostname);
/* Over an already connected socket FD (taken). */
vkRpcClient *vkRpcClientNewFd(int fd, vkRpcTLSContext *tls, const char *hostname);

/* Closes the connection (pending calls fail), stops the I/O thread, frees. Not from a
 * callback (they run in the I/O thread); streams must be freed first. */
void vkRpcClientFree(vkRpcClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkRpcClient, vkRpcClientFree)

/* Set these before the first call that may cause events. */
void vkRpcClientSetEventCallback(vkRpcClient *client, vkRpcClientEventFunc func, gpointer opaque);
void vkRpcClientSetCloseCallback(vkRpcClient *client, vkRpcClientCloseFunc func, gpointer opaque);

/* Calls procedure PROC of PROGRAM: ARGS of the row's args type (NULL for none), the reply
 * decoded into RET (zeroed, of the row's ret type; NULL for none), to be released with
 * vkRpcXdrFree(row->ret, ret, row->retSize). Returns 0, or -1 with the server's error (or the
 * connection's) as the thread's last error. Any thread but the I/O thread. */
int vkRpcClientCall(vkRpcClient *client, const vkRpcProgram *program, int proc, const void *args,
                    void *ret);

/* Sends PINGs after INTERVAL silent seconds, closes after COUNT unanswered (start it only when
 * the server said yes to CONNECT_SUPPORTS_FEATURE(10), as libvirt does). PINGs from the
 * server are answered from the start. */
int vkRpcClientStartKeepalive(vkRpcClient *client, int interval, unsigned int count);

/* Keepalive PINGs and PONGs received from the server so far. */
void vkRpcClientKeepaliveCounts(vkRpcClient *client, guint *pingsIn, guint *pongsIn);

/* FALSE once the connection closed for whatever reason. */
gboolean vkRpcClientIsOpen(vkRpcClient *client);
gboolean vkRpcClientIsSecure(vkRpcClient *client);
gboolean vkRpcClientIsEncrypted(vkRpcClient *client);

/* ---- streams (console, volume upload and download) ---- */

/* Called in the I/O thread whenever something arrived for the stream or it ended. */
typedef void (*vkRpcClientStreamFunc)(vkRpcClientStream *stream, gpointer opaque);

/* A stream that the call to PROC opens; make the call with vkRpcClientStreamOpen. */
vkRpcClientStream *vkRpcClientStreamNew(vkRpcClient *client, const vkRpcProgram *program, int proc);
/* The opening call: like vkRpcClientCall, with the stream listening on its serial before the
 * call goes out, so that no data is lost. */
int vkRpcClientStreamOpen(vkRpcClientStream *stream, const void *args, void *ret);
void vkRpcClientStreamSetCallback(vkRpcClientStream *stream, vkRpcClientStreamFunc func,
                                  gpointer opaque);
/* (vkRpcClientStreamFree waits for a call of the callback in progress to return.) */
/* Sends LEN bytes (split into chunks of at most VKRPC_STREAM_CHUNK_MAX), returning once no
 * more than a few chunks wait to go out. Fails with the server's error once it aborted the
 * stream. */
int vkRpcClientStreamSend(vkRpcClientStream *stream, const void *data, size_t len);
/* Up to LEN bytes received: their number; 0 at the server's end of data; -1 with an error
 * (the server's abort, the connection's end); -2 with NONBLOCK when nothing is waiting. */
ssize_t vkRpcClientStreamRecv(vkRpcClientStream *stream, void *buf, size_t len, gboolean nonblock);
/* Whether a Recv would return at once (data, end of data, an error). */
gboolean vkRpcClientStreamHasInput(vkRpcClientStream *stream);
/* Ends the stream: finish (STREAM/OK) or abort (STREAM/ERROR), waiting for the server's
 * answer. */
int vkRpcClientStreamFinish(vkRpcClientStream *stream);
int vkRpcClientStreamAbort(vkRpcClientStream *stream);
void vkRpcClientStreamFree(vkRpcClientStream *stream);
