/* Volume transfers (STORAGE_VOL_UPLOAD, STORAGE_VOL_DOWNLOAD): the library's stream over the
 * volume, pumped to or from STREAM frames by a thread of the transfer's own, so that disk I/O
 * (and the final sync) never runs in the main loop nor holds a worker for a whole transfer.
 * Flow control both ways: a download waits while the client has much unread; an upload stops
 * reading the client while much is queued for the disk. */
#include <string.h>

#include "daemon_dispatch_priv.h"
#include "daemon_server.h"
#include "daemon_stream.h"

/* A download waits while this much is queued for the client. */
#define TX_QUEUED_MAX (4 * 1024 * 1024)
/* An upload stops reading the client beyond HIGH bytes queued for the disk, until LOW. */
#define RX_QUEUED_HIGH (4 * 1024 * 1024)
#define RX_QUEUED_LOW  (1024 * 1024)

typedef enum {
    END_NONE,
    END_FINISH, /* the client sent STREAM/OK */
    END_ABORT,  /* the client sent STREAM/ERROR */
} EndRequest;

typedef struct {
    vkDaemonStream base;
    gint refs;
    vkDaemonClient *client; /* a reference */
    GMainContext *context;
    virStreamPtr st;
    gboolean upload;

    GMutex lock; /* guards the fields below */
    GCond cond;
    GQueue chunks; /* upload: GBytes from the client, in order */
    size_t queued; /* bytes in chunks */
    gboolean held; /* reading the client is held for the queue */
    EndRequest end;
    gboolean gone; /* the client went away */
    gboolean done; /* the thread ended the transfer: further frames are dropped */
} Transfer;

static Transfer *transferRef(Transfer *t)
{
    g_atomic_int_inc(&t->refs);
    return t;
}

static void transferUnref(Transfer *t)
{
    if (!t || !g_atomic_int_dec_and_test(&t->refs))
        return;
    if (t->st) {
        /* the public free resets the thread's error, which may still be a reply's */
        virErrorPtr saved = vkSaveError();
        virStreamFree(t->st);
        vkRestoreError(saved);
    }
    g_queue_clear_full(&t->chunks, (GDestroyNotify)g_bytes_unref);
    g_mutex_clear(&t->lock);
    g_cond_clear(&t->cond);
    g_main_context_unref(t->context);
    vkDaemonClientUnref(t->client);
    g_free(t);
}

static void sendFrame(Transfer *t, vkRpcMessage *msg)
{
    if (vkDaemonClientSend(t->client, msg) < 0)
        vkResetLastError(); /* the client is gone: its close ends the transfer */
}

/* The transfer failed: STREAM/ERROR with the thread's error tells the client. */
static void sendError(Transfer *t)
{
    vkrpc_header h = t->base.header;

    h.type = VKRPC_STREAM;
    h.status = VKRPC_ERROR;
    sendFrame(t, vkRpcMessageEncodeError(&h, NULL));
    vkResetLastError();
}

static void sendData(Transfer *t, const void *data, size_t len)
{
    const vkrpc_header *h = &t->base.header;

    sendFrame(t, vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, data, len));
}

/* The client's finish or abort, answered as libvirtd does: an empty STREAM/OK once the
 * library's stream ended well, else the error. */
static void endTransfer(Transfer *t, EndRequest end)
{
    const vkrpc_header *h = &t->base.header;
    int rc = end == END_FINISH ? virStreamFinish(t->st) : virStreamAbort(t->st);

    if (rc < 0)
        sendError(t);
    else
        sendFrame(t, vkRpcMessageNewStreamFinish(h->prog, h->vers, h->proc, h->serial));
}

/* Releases the hold on reading the client; lock held. */
static void releaseHold(Transfer *t)
{
    if (t->held) {
        t->held = FALSE;
        vkDaemonClientHoldReading(t->client, FALSE);
    }
}

/* ---- the transfer's thread ---- */

/* Waits for the client's end request (or its going away); lock held. */
static EndRequest waitEnd(Transfer *t)
{
    while (!t->gone && t->end == END_NONE)
        g_cond_wait(&t->cond, &t->lock);
    return t->gone ? END_ABORT : t->end;
}

static void runUpload(Transfer *t)
{
    g_mutex_lock(&t->lock);
    for (;;) {
        GBytes *chunk;
        gboolean failed = FALSE;
        gsize len;
        const char *data;

        while (!t->gone && t->end == END_NONE && g_queue_is_empty(&t->chunks))
            g_cond_wait(&t->cond, &t->lock);
        if (t->gone) {
            g_mutex_unlock(&t->lock);
            endTransfer(t, END_ABORT);
            return;
        }
        if (!(chunk = g_queue_pop_head(&t->chunks))) {
            EndRequest end = t->end;
            g_mutex_unlock(&t->lock);
            endTransfer(t, end);
            return;
        }
        t->queued -= g_bytes_get_size(chunk);
        if (t->queued <= RX_QUEUED_LOW)
            releaseHold(t);
        g_mutex_unlock(&t->lock);

        data = g_bytes_get_data(chunk, &len);
        while (len > 0 && !failed) {
            int n = virStreamSend(t->st, data, len);
            if (n < 0) {
                failed = TRUE;
            } else {
                data += n;
                len -= (gsize)n;
            }
        }
        g_bytes_unref(chunk);
        if (failed) {
            /* as libvirtd: the stream is aborted and the client told why */
            virErrorPtr saved = vkSaveError();
            virStreamAbort(t->st);
            vkRestoreError(saved);
            sendError(t);
            return;
        }
        g_mutex_lock(&t->lock);
    }
}

/* Whether the client's side stays usable for more data; waits while it has much unread. */
static gboolean waitClientReads(Transfer *t)
{
    vkRpcConn *conn = vkDaemonClientRpcConn(t->client);
    gboolean usable;

    g_mutex_lock(&t->lock);
    while (!t->gone && t->end == END_NONE && vkRpcConnQueuedBytes(conn) > TX_QUEUED_MAX)
        g_cond_wait_until(&t->cond, &t->lock,
                          g_get_monotonic_time() + 20 * G_TIME_SPAN_MILLISECOND);
    usable = !t->gone && t->end == END_NONE;
    g_mutex_unlock(&t->lock);
    return usable;
}

static void runDownload(Transfer *t)
{
    g_autofree char *buf = g_malloc(VKRPC_STREAM_CHUNK_MAX);
    EndRequest end;
    int n;

    do {
        if (!waitClientReads(t))
            break; /* the client ended the stream early, or is gone */
        if ((n = virStreamRecv(t->st, buf, VKRPC_STREAM_CHUNK_MAX)) < 0) {
            virErrorPtr saved = vkSaveError();
            virStreamAbort(t->st);
            vkRestoreError(saved);
            sendError(t);
            return;
        }
        /* n == 0 is the end of data, which the client confirms with its finish */
        sendData(t, buf, (size_t)n);
    } while (n > 0);
    g_mutex_lock(&t->lock);
    end = waitEnd(t);
    g_mutex_unlock(&t->lock);
    endTransfer(t, end); /* to a client gone, nothing is sent */
}

static gboolean forgetInLoop(gpointer data)
{
    Transfer *t = data;

    vkDaemonStreamForget(t->client, t->base.header.serial, &t->base);
    return G_SOURCE_REMOVE;
}

static gpointer transferThread(gpointer data)
{
    Transfer *t = data;

    if (t->upload)
        runUpload(t);
    else
        runDownload(t);
    vkResetLastError();
    g_mutex_lock(&t->lock);
    t->done = TRUE;
    releaseHold(t);
    g_mutex_unlock(&t->lock);
    g_main_context_invoke_full(t->context, G_PRIORITY_DEFAULT, forgetInLoop, transferRef(t),
                               (GDestroyNotify)transferUnref);
    transferUnref(t);
    return NULL;
}

/* ---- frames from the client (main loop) ---- */

static void transferMessage(vkDaemonStream *st, vkRpcMessage *msg)
{
    Transfer *t = (Transfer *)st;
    const guint8 *data;
    size_t len;

    g_mutex_lock(&t->lock);
    if (t->done || t->gone || t->end != END_NONE) {
        g_mutex_unlock(&t->lock);
        return; /* the transfer is over or ending: like libvirtd, nothing more is taken */
    }
    switch (msg->header.status) {
    case VKRPC_CONTINUE:
        data = vkRpcMessageBody(msg, &len);
        /* data for a download, or an upload's empty end of data, changes nothing */
        if (!t->upload || len == 0)
            break;
        g_queue_push_tail(&t->chunks, g_bytes_new(data, len));
        t->queued += len;
        if (t->queued > RX_QUEUED_HIGH && !t->held) {
            t->held = TRUE;
            vkDaemonClientHoldReading(t->client, TRUE);
        }
        break;
    case VKRPC_OK:
        t->end = END_FINISH;
        break;
    default:
        t->end = END_ABORT;
        break;
    }
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
}

static void transferClose(vkDaemonStream *st)
{
    Transfer *t = (Transfer *)st;

    g_mutex_lock(&t->lock);
    t->gone = TRUE;
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
}

static vkDaemonStream *transferStreamRef(vkDaemonStream *st)
{
    return &transferRef((Transfer *)st)->base;
}

static void transferStreamUnref(vkDaemonStream *st)
{
    transferUnref((Transfer *)st);
}

static const vkDaemonStreamOps transferOps = {
    .message = transferMessage,
    .close = transferClose,
    .ref = transferStreamRef,
    .unref = transferStreamUnref,
};

/* ---- opening (a worker) ---- */

/* After the reply went out: the data may flow. */
static void startAfterReply(vkDaemonCall *call)
{
    Transfer *t = call->afterData;

    g_thread_unref(g_thread_new("vk-transfer", transferThread, transferRef(t)));
}

static int openTransfer(vkDaemonCall *call, vkr_storage_vol_transfer_args *args, gboolean upload)
{
    Transfer *t;
    virStreamPtr st;
    int rc;

    CALL_VOL(call, &args->vol);
    if (!(st = virStreamNew(conn, 0)))
        return -1;
    rc = upload ? virStorageVolUpload(vol, st, args->offset, args->length, args->flags)
                : virStorageVolDownload(vol, st, args->offset, args->length, args->flags);
    if (rc < 0) {
        virErrorPtr saved = vkSaveError();
        virStreamFree(st);
        vkRestoreError(saved);
        return -1;
    }

    t = g_new0(Transfer, 1);
    t->base.ops = &transferOps;
    t->base.header = call->header;
    t->refs = 1;
    t->client = vkDaemonClientRef(call->client);
    t->context = g_main_context_ref(vkDaemonServerContext(vkDaemonClientServer(call->client)));
    t->st = st;
    t->upload = upload;
    g_mutex_init(&t->lock);
    g_cond_init(&t->cond);
    g_queue_init(&t->chunks);
    /* before the reply goes out: the frames the client sends once it has it find the stream */
    if (!vkDaemonStreamAdd(t->client, t->base.header.serial, &t->base))
        transferClose(&t->base); /* the client is gone: the thread ends the stream at once */
    call->afterReply = startAfterReply;
    call->afterData = t;
    call->afterDataFree = (GDestroyNotify)transferUnref;
    return 0;
}

static int volUpload(vkDaemonCall *call, vkr_storage_vol_transfer_args *args, void *ret)
{
    return openTransfer(call, args, TRUE);
}

static int volDownload(vkDaemonCall *call, vkr_storage_vol_transfer_args *args, void *ret)
{
    return openTransfer(call, args, FALSE);
}

const vkDaemonProc vkDaemonVolumeStreamProcs[] = {
    { VKR_PROC_STORAGE_VOL_UPLOAD, HANDLER(volUpload), VK_DAEMON_RUN_LONG, 0, "virStorageVolUpload",
      VIR_FROM_STORAGE },
    { VKR_PROC_STORAGE_VOL_DOWNLOAD, HANDLER(volDownload), VK_DAEMON_RUN_LONG, 0,
      "virStorageVolDownload", VIR_FROM_STORAGE },
    { 0 },
};
