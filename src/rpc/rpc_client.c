/* Client calls over one connection: an I/O thread per client, callers waiting by serial,
 * events and stream data routed from the I/O thread. */
#include "rpc/rpc_client.h"

#include <string.h>

#include "rpc/rpc_keepalive.h"
#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

typedef struct {
    GCond cond;
    vkRpcMessage *reply; /* set by the I/O thread */
    gboolean done;       /* replied, or the connection closed */
} Call;

struct _vkRpcClientStream {
    vkRpcClient *client;
    const vkRpcProgram *program;
    const vkRpcProc *proc;
    guint32 serial; /* 0 until opened */
    GCond cond;
    GQueue incoming;   /* STREAM frames not consumed yet; guarded by the client's lock */
    size_t headOffset; /* bytes of the head data frame already handed out */
    gboolean eof;
    gboolean ended; /* finished or aborted by us */
    vkRpcClientStreamFunc func;
    gpointer funcData;
    guint funcRunning; /* calls of FUNC in progress in the I/O thread */
};

/* Bytes of stream data a sender may leave queued before it waits for them to go out. */
#define STREAM_QUEUE_MAX (4 * VKRPC_STREAM_CHUNK_MAX)

struct _vkRpcClient {
    GMutex lock;
    GCond stateCond; /* ready or closed */
    vkRpcConn *conn;
    vkRpcKeepalive *keepalive;
    GMainContext *context;
    GMainLoop *loop;
    GThread *thread;
    guint32 nextSerial;
    GHashTable *calls;   /* serial -> Call */
    GHashTable *streams; /* serial -> vkRpcClientStream */
    gboolean ready;
    gboolean closed;
    virErrorPtr closeError; /* why, for every call that comes too late */
    vkRpcClientEventFunc eventFunc;
    gpointer eventData;
    vkRpcClientCloseFunc closeFunc;
    gpointer closeData;
};

/* The error that ended the connection becomes the calling thread's. Lock held. */
static void raiseClosed(vkRpcClient *client)
{
    if (client->closeError && client->closeError->code != VIR_ERR_OK) {
        virErrorPtr copy = g_new0(virError, 1);
        vkErrorCopy(client->closeError, copy);
        vkRestoreError(copy);
    } else {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
    }
}

/* ---- the I/O thread's side ---- */

static void closeProtocolError(vkRpcClient *client)
{
    vkRpcConnCloseWithError(client->conn);
}

static void dispatchReply(vkRpcClient *client, vkRpcMessage *msg)
{
    Call *call;

    g_mutex_lock(&client->lock);
    call = g_hash_table_lookup(client->calls, GUINT_TO_POINTER(msg->header.serial));
    if (!call || call->done) {
        g_mutex_unlock(&client->lock);
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "no call waiting for reply with prog %u vers %u serial %u", msg->header.prog,
                      msg->header.vers, msg->header.serial);
        vkRpcMessageFree(msg);
        closeProtocolError(client);
        return;
    }
    call->reply = msg;
    call->done = TRUE;
    g_cond_signal(&call->cond);
    g_mutex_unlock(&client->lock);
}

static void dispatchEvent(vkRpcClient *client, vkRpcMessage *msg)
{
    const vkRpcProgram *program = vkRpcProgramFind(msg->header.prog, msg->header.vers);
    const vkRpcProc *proc = program ? vkRpcProgramLookup(program, msg->header.proc) : NULL;
    g_autofree void *body = NULL;

    if (!proc || !(proc->flags & VK_RPC_PROC_EVENT) || msg->header.status != VKRPC_OK) {
        g_debug("ignoring message prog %u proc %d", msg->header.prog, msg->header.proc);
        return;
    }
    body = g_malloc0(proc->argsSize);
    if (vkRpcMessageDecodeBody(msg, proc->args, body, proc->argsSize) < 0) {
        /* a broken event is the server's fault, not a reason to drop the connection */
        g_debug("ignoring undecodable event %s: %s", proc->name, virGetLastErrorMessage());
        vkResetLastError();
        return;
    }
    if (client->eventFunc)
        client->eventFunc(client, program, proc, body, client->eventData);
    vkRpcXdrFree(proc->args, body, proc->argsSize);
}

/* Calls FUNC, counted in funcRunning by the caller, so that freeing the stream waits for it. */
static void runStreamFunc(vkRpcClient *client, vkRpcClientStream *stream,
                          vkRpcClientStreamFunc func, gpointer funcData)
{
    func(stream, funcData);
    g_mutex_lock(&client->lock);
    stream->funcRunning--;
    g_cond_broadcast(&stream->cond);
    g_mutex_unlock(&client->lock);
}

static void dispatchStream(vkRpcClient *client, vkRpcMessage *msg)
{
    vkRpcClientStream *stream;
    vkRpcClientStreamFunc func = NULL;
    gpointer funcData = NULL;

    g_mutex_lock(&client->lock);
    stream = g_hash_table_lookup(client->streams, GUINT_TO_POINTER(msg->header.serial));
    if (!stream) {
        g_mutex_unlock(&client->lock);
        g_debug("ignoring stream frame for serial %u", msg->header.serial);
        vkRpcMessageFree(msg);
        return;
    }
    g_queue_push_tail(&stream->incoming, msg);
    g_cond_broadcast(&stream->cond);
    func = stream->func;
    funcData = stream->funcData;
    if (func)
        stream->funcRunning++;
    g_mutex_unlock(&client->lock);
    if (func)
        runStreamFunc(client, stream, func, funcData);
}

static void onMessage(vkRpcConn *conn, vkRpcMessage *msg, gpointer opaque)
{
    vkRpcClient *client = opaque;

    if (vkRpcKeepaliveHandle(client->keepalive, msg)) {
        vkRpcMessageFree(msg);
        return;
    }
    switch (msg->header.type) {
    case VKRPC_REPLY:
    case VKRPC_REPLY_WITH_FDS:
        dispatchReply(client, msg);
        return;
    case VKRPC_MESSAGE:
        dispatchEvent(client, msg);
        break;
    case VKRPC_STREAM:
        dispatchStream(client, msg);
        return;
    default:
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "got unexpected RPC call prog %u vers %u proc %d type %d", msg->header.prog,
                      msg->header.vers, msg->header.proc, msg->header.type);
        closeProtocolError(client);
        break;
    }
    vkRpcMessageFree(msg);
}

static void wakeStreams(gpointer key, gpointer value, gpointer data)
{
    vkRpcClientStream *stream = value;
    g_cond_broadcast(&stream->cond);
}

static void onClosed(vkRpcConn *conn, const virError *why, gpointer opaque)
{
    vkRpcClient *client = opaque;
    GHashTableIter iter;
    gpointer value;
    GPtrArray *notify = g_ptr_array_new();

    g_mutex_lock(&client->lock);
    client->closed = TRUE;
    client->closeError = g_new0(virError, 1);
    if (why)
        vkErrorCopy(why, client->closeError);
    g_hash_table_iter_init(&iter, client->calls);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Call *call = value;
        call->done = TRUE;
        g_cond_signal(&call->cond);
    }
    g_hash_table_foreach(client->streams, wakeStreams, NULL);
    g_hash_table_iter_init(&iter, client->streams);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        vkRpcClientStream *stream = value;
        if (stream->func) {
            stream->funcRunning++;
            g_ptr_array_add(notify, stream);
        }
    }
    g_cond_broadcast(&client->stateCond);
    g_mutex_unlock(&client->lock);

    for (guint i = 0; i < notify->len; i++) {
        vkRpcClientStream *stream = notify->pdata[i];
        runStreamFunc(client, stream, stream->func, stream->funcData);
    }
    g_ptr_array_free(notify, TRUE);
    if (client->closeFunc)
        client->closeFunc(client, why, client->closeData);
}

static void onReady(vkRpcConn *conn, gpointer opaque)
{
    vkRpcClient *client = opaque;

    g_mutex_lock(&client->lock);
    client->ready = TRUE;
    g_cond_broadcast(&client->stateCond);
    g_mutex_unlock(&client->lock);
}

static gpointer ioThread(gpointer data)
{
    vkRpcClient *client = data;

    g_main_context_push_thread_default(client->context);
    g_main_loop_run(client->loop);
    g_main_context_pop_thread_default(client->context);
    return NULL;
}

/* ---- construction ---- */

static void callFree(gpointer data)
{
    Call *call = data;
    g_cond_clear(&call->cond);
    vkRpcMessageFree(call->reply);
    g_free(call);
}

vkRpcClient *vkRpcClientNewFd(int fd, vkRpcTLSContext *tls, const char *hostname)
{
    static const vkRpcConnCallbacks callbacks = { onMessage, onClosed, onReady };
    vkRpcClient *client = g_new0(vkRpcClient, 1);
    gboolean failed;

    g_mutex_init(&client->lock);
    g_cond_init(&client->stateCond);
    client->nextSerial = 1;
    client->calls = g_hash_table_new_full(NULL, NULL, NULL, NULL);
    client->streams = g_hash_table_new(NULL, NULL);
    client->conn = vkRpcConnNew(fd, FALSE);
    client->keepalive = vkRpcKeepaliveNew(client->conn);
    client->context = g_main_context_new();
    client->loop = g_main_loop_new(client->context, FALSE);
    if (tls && vkRpcConnSetTLS(client->conn, tls, hostname) < 0) {
        vkRpcClientFree(client);
        return NULL;
    }
    vkRpcConnAttach(client->conn, client->context, &callbacks, client);
    client->thread = g_thread_new("vkrpc-client", ioThread, client);

    g_mutex_lock(&client->lock);
    while (!client->ready && !client->closed)
        g_cond_wait(&client->stateCond, &client->lock);
    failed = !client->ready;
    if (failed)
        raiseClosed(client);
    g_mutex_unlock(&client->lock);
    if (failed) {
        virErrorPtr saved = vkSaveError();
        vkRpcClientFree(client);
        vkRestoreError(saved);
        return NULL;
    }
    return client;
}

vkRpcClient *vkRpcClientNewUnix(const char *path)
{
    int fd = vkRpcSocketConnectUnix(path);
    return fd < 0 ? NULL : vkRpcClientNewFd(fd, NULL, NULL);
}

vkRpcClient *vkRpcClientNewTCP(const char *host, const char *service, vkRpcTLSContext *tls,
                               const char *hostname)
{
    int fd = vkRpcSocketConnectTCP(host, service);
    return fd < 0 ? NULL : vkRpcClientNewFd(fd, tls, hostname);
}

static gboolean quitLoop(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

void vkRpcClientFree(vkRpcClient *client)
{
    if (!client)
        return;
    if (client->thread) {
        vkRpcConnClose(client->conn, FALSE);
        g_mutex_lock(&client->lock);
        while (!client->closed)
            g_cond_wait(&client->stateCond, &client->lock);
        g_mutex_unlock(&client->lock);
        g_main_context_invoke(client->context, quitLoop, client->loop);
        g_thread_join(client->thread);
    }
    vkRpcKeepaliveFree(client->keepalive);
    vkRpcConnUnref(client->conn);
    g_main_loop_unref(client->loop);
    g_main_context_unref(client->context);
    g_hash_table_destroy(client->calls);
    g_hash_table_destroy(client->streams);
    virFreeError(client->closeError);
    g_cond_clear(&client->stateCond);
    g_mutex_clear(&client->lock);
    g_free(client);
}

void vkRpcClientSetEventCallback(vkRpcClient *client, vkRpcClientEventFunc func, gpointer opaque)
{
    client->eventFunc = func;
    client->eventData = opaque;
}

void vkRpcClientSetCloseCallback(vkRpcClient *client, vkRpcClientCloseFunc func, gpointer opaque)
{
    client->closeFunc = func;
    client->closeData = opaque;
}

int vkRpcClientStartKeepalive(vkRpcClient *client, int interval, unsigned int count)
{
    return vkRpcKeepaliveStart(client->keepalive, client->context, interval, count);
}

void vkRpcClientKeepaliveCounts(vkRpcClient *client, guint *pingsIn, guint *pongsIn)
{
    vkRpcKeepaliveCounts(client->keepalive, pingsIn, pongsIn);
}

gboolean vkRpcClientIsOpen(vkRpcClient *client)
{
    gboolean open;

    g_mutex_lock(&client->lock);
    open = !client->closed;
    g_mutex_unlock(&client->lock);
    return open;
}

gboolean vkRpcClientIsSecure(vkRpcClient *client)
{
    return vkRpcConnIsSecure(client->conn);
}

gboolean vkRpcClientIsEncrypted(vkRpcClient *client)
{
    return vkRpcConnIsEncrypted(client->conn);
}

/* ---- calls ---- */

/* Sends the CALL and waits for its reply; STREAM, if any, starts listening on the serial
 * first. Returns the reply, or NULL with an error. */
static vkRpcMessage *callRaw(vkRpcClient *client, const vkRpcProgram *program,
                             const vkRpcProc *proc, const void *args, vkRpcClientStream *stream)
{
    Call *call;
    vkRpcMessage *msg;
    vkRpcMessage *reply;
    guint32 serial;

    if (g_main_context_is_owner(client->context)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s",
                      "an RPC call cannot be made from the client's I/O thread");
        return NULL;
    }
    g_mutex_lock(&client->lock);
    if (client->closed) {
        raiseClosed(client);
        g_mutex_unlock(&client->lock);
        return NULL;
    }
    serial = client->nextSerial++;
    if (client->nextSerial == 0)
        client->nextSerial = 1;
    call = g_new0(Call, 1);
    g_cond_init(&call->cond);
    g_hash_table_insert(client->calls, GUINT_TO_POINTER(serial), call);
    if (stream) {
        stream->serial = serial;
        g_hash_table_insert(client->streams, GUINT_TO_POINTER(serial), stream);
    }
    g_mutex_unlock(&client->lock);

    msg = vkRpcMessageNewCall(program->prog, program->vers, proc->proc, serial, proc->args, args);
    g_mutex_lock(&client->lock);
    if (!msg || vkRpcConnSend(client->conn, msg) < 0) {
        call->done = TRUE;
    } else {
        while (!call->done)
            g_cond_wait(&call->cond, &client->lock);
        if (!call->reply)
            raiseClosed(client);
    }
    reply = g_steal_pointer(&call->reply);
    g_hash_table_remove(client->calls, GUINT_TO_POINTER(serial));
    if (stream && !reply) {
        g_hash_table_remove(client->streams, GUINT_TO_POINTER(serial));
        stream->serial = 0;
    }
    g_mutex_unlock(&client->lock);
    callFree(call);
    return reply;
}

/* The reply's outcome: RET decoded, or the server's error raised. */
static int finishCall(vkRpcMessage *reply, const vkRpcProc *proc, void *ret)
{
    int rc = -1;

    if (reply->header.status == VKRPC_OK) {
        rc = ret || !proc->ret ? vkRpcMessageDecodeBody(reply, proc->ret, ret, proc->retSize) : 0;
    } else if (reply->header.status == VKRPC_ERROR) {
        vkRpcMessageRaiseError(reply);
        if (!vkHasError())
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to decode message payload");
    } else {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Unexpected message status %u",
                      (guint)reply->header.status);
    }
    vkRpcMessageFree(reply);
    return rc;
}

static const vkRpcProc *lookupProc(const vkRpcProgram *program, int proc)
{
    const vkRpcProc *p = vkRpcProgramLookup(program, proc);

    if (!p || (p->flags & VK_RPC_PROC_EVENT)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR,
                      "procedure %d of program %s cannot be called", proc, program->name);
        return NULL;
    }
    return p;
}

int vkRpcClientCall(vkRpcClient *client, const vkRpcProgram *program, int proc, const void *args,
                    void *ret)
{
    const vkRpcProc *p = lookupProc(program, proc);
    vkRpcMessage *reply;

    if (!p || !(reply = callRaw(client, program, p, args, NULL)))
        return -1;
    return finishCall(reply, p, ret);
}

/* ---- streams ---- */

vkRpcClientStream *vkRpcClientStreamNew(vkRpcClient *client, const vkRpcProgram *program, int proc)
{
    const vkRpcProc *p = lookupProc(program, proc);
    vkRpcClientStream *stream;

    if (!p)
        return NULL;
    stream = g_new0(vkRpcClientStream, 1);
    stream->client = client;
    stream->program = program;
    stream->proc = p;
    g_cond_init(&stream->cond);
    g_queue_init(&stream->incoming);
    return stream;
}

int vkRpcClientStreamOpen(vkRpcClientStream *stream, const void *args, void *ret)
{
    vkRpcClient *client = stream->client;
    vkRpcMessage *reply;
    int rc;

    if (stream->serial) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "stream already opened");
        return -1;
    }
    if (!(reply = callRaw(client, stream->program, stream->proc, args, stream)))
        return -1;
    if ((rc = finishCall(reply, stream->proc, ret)) < 0) {
        g_mutex_lock(&client->lock);
        g_hash_table_remove(client->streams, GUINT_TO_POINTER(stream->serial));
        stream->serial = 0;
        g_mutex_unlock(&client->lock);
    }
    return rc;
}

void vkRpcClientStreamSetCallback(vkRpcClientStream *stream, vkRpcClientStreamFunc func,
                                  gpointer opaque)
{
    g_mutex_lock(&stream->client->lock);
    stream->func = func;
    stream->funcData = opaque;
    g_mutex_unlock(&stream->client->lock);
}

static int streamUsable(vkRpcClientStream *stream)
{
    if (!stream->serial || stream->ended) {
        vkReportError(VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM, "%s", "stream is not open");
        return -1;
    }
    return 0;
}

/* Whether the server aborted the stream or the connection ended: then the error is raised.
 * Lock held. */
static gboolean streamFailed(vkRpcClientStream *stream)
{
    vkRpcClient *client = stream->client;

    for (GList *l = stream->incoming.head; l; l = l->next) {
        vkRpcMessage *msg = l->data;

        if (msg->header.status == VKRPC_ERROR) {
            vkRpcMessageRaiseError(msg);
            if (!vkHasError())
                vkReportError(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream aborted by server");
            return TRUE;
        }
    }
    if (client->closed) {
        raiseClosed(client);
        return TRUE;
    }
    return FALSE;
}

int vkRpcClientStreamSend(vkRpcClientStream *stream, const void *data, size_t len)
{
    vkRpcClient *client = stream->client;
    const guint8 *p = data;
    gboolean failed;

    if (streamUsable(stream) < 0)
        return -1;
    g_mutex_lock(&client->lock);
    failed = streamFailed(stream);
    g_mutex_unlock(&client->lock);
    if (failed)
        return -1;
    do {
        size_t chunk = MIN(len, (size_t)VKRPC_STREAM_CHUNK_MAX);
        vkRpcMessage *msg = vkRpcMessageNewStreamData(stream->program->prog, stream->program->vers,
                                                      stream->proc->proc, stream->serial, p, chunk);
        if (!msg || vkRpcConnSend(stream->client->conn, msg) < 0)
            return -1;
        p += chunk;
        len -= chunk;
        /* As libvirt's client, which returns once its frame is written: a caller sending a
         * whole disk never has more than a few frames in memory. */
        if (vkRpcConnWaitQueued(client->conn, STREAM_QUEUE_MAX) < 0) {
            g_mutex_lock(&client->lock);
            raiseClosed(client);
            g_mutex_unlock(&client->lock);
            return -1;
        }
    } while (len > 0);
    return 0;
}

gboolean vkRpcClientStreamHasInput(vkRpcClientStream *stream)
{
    vkRpcClient *client = stream->client;
    gboolean ready;

    g_mutex_lock(&client->lock);
    ready = !g_queue_is_empty(&stream->incoming) || stream->eof || stream->ended || client->closed;
    g_mutex_unlock(&client->lock);
    return ready;
}

ssize_t vkRpcClientStreamRecv(vkRpcClientStream *stream, void *buf, size_t len, gboolean nonblock)
{
    vkRpcClient *client = stream->client;
    ssize_t rc = -1;

    if (streamUsable(stream) < 0)
        return -1;
    g_mutex_lock(&client->lock);
    for (;;) {
        vkRpcMessage *head = g_queue_peek_head(&stream->incoming);

        if (head && head->header.status == VKRPC_CONTINUE) {
            size_t avail;
            const guint8 *body = vkRpcMessageBody(head, &avail);

            if (avail == 0) {
                stream->eof = TRUE;
                vkRpcMessageFree(g_queue_pop_head(&stream->incoming));
                continue;
            }
            avail -= stream->headOffset;
            rc = MIN(avail, len);
            memcpy(buf, body + stream->headOffset, rc);
            stream->headOffset += rc;
            if ((size_t)rc == avail) {
                vkRpcMessageFree(g_queue_pop_head(&stream->incoming));
                stream->headOffset = 0;
            }
            break;
        }
        if (head && head->header.status == VKRPC_ERROR) {
            vkRpcMessageRaiseError(head);
            if (!vkHasError())
                vkReportError(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream aborted by server");
            vkRpcMessageFree(g_queue_pop_head(&stream->incoming));
            stream->ended = TRUE;
            rc = -1;
            break;
        }
        if (head) { /* STREAM/OK: the server finished */
            vkRpcMessageFree(g_queue_pop_head(&stream->incoming));
            stream->eof = TRUE;
        }
        if (stream->eof) {
            rc = 0;
            break;
        }
        if (client->closed) {
            raiseClosed(client);
            rc = -1;
            break;
        }
        if (nonblock) {
            rc = -2;
            break;
        }
        g_cond_wait(&stream->cond, &client->lock);
    }
    g_mutex_unlock(&client->lock);
    return rc;
}

/* Sends the closing frame and waits for the server's STREAM/OK or STREAM/ERROR. */
static int streamEnd(vkRpcClientStream *stream, gboolean abort)
{
    vkRpcClient *client = stream->client;
    const vkRpcProgram *prog = stream->program;
    vkRpcMessage *msg;
    int rc = -1;

    if (streamUsable(stream) < 0)
        return -1;
    stream->ended = TRUE;
    msg = abort ? vkRpcMessageNewStreamAbort(prog->prog, prog->vers, stream->proc->proc,
                                             stream->serial, NULL)
                : vkRpcMessageNewStreamFinish(prog->prog, prog->vers, stream->proc->proc,
                                              stream->serial);
    if (!msg || vkRpcConnSend(client->conn, msg) < 0)
        return -1;

    g_mutex_lock(&client->lock);
    for (;;) {
        vkRpcMessage *head = g_queue_pop_head(&stream->incoming);

        if (head && head->header.status == VKRPC_CONTINUE) {
            vkRpcMessageFree(head); /* data nobody will read any more */
            continue;
        }
        if (head) {
            if (head->header.status == VKRPC_OK || abort) {
                rc = 0;
            } else {
                vkRpcMessageRaiseError(head);
                if (!vkHasError())
                    vkReportError(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream failed");
            }
            vkRpcMessageFree(head);
            break;
        }
        if (client->closed) {
            raiseClosed(client);
            break;
        }
        g_cond_wait(&stream->cond, &client->lock);
    }
    stream->headOffset = 0;
    g_mutex_unlock(&client->lock);
    return rc;
}

int vkRpcClientStreamFinish(vkRpcClientStream *stream)
{
    return streamEnd(stream, FALSE);
}

int vkRpcClientStreamAbort(vkRpcClientStream *stream)
{
    return streamEnd(stream, TRUE);
}

void vkRpcClientStreamFree(vkRpcClientStream *stream)
{
    vkRpcClient *client;

    if (!stream)
        return;
    client = stream->client;
    g_mutex_lock(&client->lock);
    if (stream->serial)
        g_hash_table_remove(client->streams, GUINT_TO_POINTER(stream->serial));
    stream->func = NULL;
    /* The I/O thread may be calling FUNC right now (unless this is that call). */
    while (stream->funcRunning > 0 && !g_main_context_is_owner(client->context))
        g_cond_wait(&stream->cond, &client->lock);
    g_mutex_unlock(&client->lock);
    g_queue_clear_full(&stream->incoming, (GDestroyNotify)vkRpcMessageFree);
    g_cond_clear(&stream->cond);
    g_free(stream);
}
