/* A framed, queued, optionally TLS-wrapped connection driven by a GMainContext. The I/O
 * state is touched only by the context's thread; the lock guards what other threads reach:
 * the write queue and the pause/close requests. */
#include "rpc/rpc_conn.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util/vkerror.h"

#include <glib-unix.h>
#include <sys/socket.h>

#define VIR_FROM_THIS VIR_FROM_RPC

/* The read buffer starts this small however long the frame claims to be, and grows as bytes
 * really arrive: a peer cannot make us hold 32 MiB by sending four bytes. */
#define READ_CHUNK (64 * 1024)
/* Frames handled per wakeup, so that one busy peer does not starve the others. */
#define FRAMES_PER_DISPATCH 32

typedef enum {
    PHASE_HANDSHAKE, /* TLS handshake in progress */
    PHASE_CONFIRM,   /* TLS: server sends, client awaits the confirmation byte */
    PHASE_READY,
} ConnPhase;

typedef struct {
    GSource base;
    vkRpcConn *conn;
    gpointer tag;
    GIOCondition events; /* what the fd is polled for now */
} ConnSource;

struct _vkRpcConn {
    gint refs;
    GMutex lock;
    GCond drained; /* signalled when queued bytes go out or the connection closes */
    int fd;
    gboolean isServer;
    gboolean isUnix;
    vkRpcTLSSession *tls;
    ConnPhase phase;
    gboolean handshakeStarted;

    GMainContext *context;
    ConnSource *source;
    vkRpcConnCallbacks cb;
    gpointer opaque;

    /* reading (context thread) */
    guint8 lenWord[VKRPC_LEN_SIZE];
    size_t lenGot;
    guint8 *rbuf;
    size_t rcap, rgot, rtotal;

    /* guarded by lock */
    GQueue outq;      /* vkRpcMessage */
    size_t outOffset; /* bytes of the head message already written */
    size_t outBytes;
    size_t maxQueued;
    gboolean readPaused;
    gboolean closeRequested;
    gboolean closeFlush;
    virErrorPtr closeError; /* why a close was requested, if for an error */
    gboolean closed;
};

vkRpcConn *vkRpcConnNew(int fd, gboolean isServer)
{
    vkRpcConn *conn = g_new0(vkRpcConn, 1);

    conn->refs = 1;
    g_mutex_init(&conn->lock);
    g_cond_init(&conn->drained);
    conn->fd = fd;
    conn->isServer = isServer;
    conn->isUnix = vkRpcSocketIsUnix(fd);
    conn->phase = PHASE_READY;
    g_queue_init(&conn->outq);
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    return conn;
}

vkRpcConn *vkRpcConnRef(vkRpcConn *conn)
{
    g_atomic_int_inc(&conn->refs);
    return conn;
}

void vkRpcConnUnref(vkRpcConn *conn)
{
    if (!conn || !g_atomic_int_dec_and_test(&conn->refs))
        return;
    g_queue_clear_full(&conn->outq, (GDestroyNotify)vkRpcMessageFree);
    vkRpcTLSSessionFree(conn->tls);
    if (conn->fd >= 0)
        close(conn->fd);
    g_free(conn->rbuf);
    virFreeError(conn->closeError);
    if (conn->context)
        g_main_context_unref(conn->context);
    g_cond_clear(&conn->drained);
    g_mutex_clear(&conn->lock);
    g_free(conn);
}

int vkRpcConnSetTLS(vkRpcConn *conn, vkRpcTLSContext *ctx, const char *hostname)
{
    g_return_val_if_fail(!conn->source && !conn->tls, -1);
    if (!(conn->tls = vkRpcTLSSessionNew(ctx, conn->fd, conn->isServer, hostname)))
        return -1;
    conn->phase = PHASE_HANDSHAKE;
    return 0;
}

/* ---- closing ---- */

static void closeNow(vkRpcConn *conn, const virError *why)
{
    GQueue dropped = G_QUEUE_INIT;

    g_mutex_lock(&conn->lock);
    if (conn->closed) {
        g_mutex_unlock(&conn->lock);
        return;
    }
    conn->closed = TRUE;
    dropped = conn->outq;
    g_queue_init(&conn->outq);
    conn->outBytes = 0;
    g_cond_broadcast(&conn->drained);
    g_mutex_unlock(&conn->lock);

    g_queue_clear_full(&dropped, (GDestroyNotify)vkRpcMessageFree);
    if (conn->fd >= 0) {
        close(conn->fd);
        conn->fd = -1;
    }
    if (conn->source) {
        GSource *src = &conn->source->base;
        conn->source = NULL;
        g_source_destroy(src);
        g_source_unref(src);
    }
    if (conn->cb.closed)
        conn->cb.closed(conn, why, conn->opaque);
}

void vkRpcConnCloseWithError(vkRpcConn *conn)
{
    virErrorPtr why = vkSaveError();
    vkResetLastError();
    closeNow(conn, why);
    virFreeError(why);
}

void vkRpcConnClose(vkRpcConn *conn, gboolean flush)
{
    g_mutex_lock(&conn->lock);
    conn->closeRequested = TRUE;
    conn->closeFlush = flush;
    g_mutex_unlock(&conn->lock);
    if (conn->context)
        g_main_context_wakeup(conn->context);
    else
        closeNow(conn, NULL);
}

gboolean vkRpcConnIsClosed(vkRpcConn *conn)
{
    gboolean closed;

    g_mutex_lock(&conn->lock);
    closed = conn->closed || conn->closeRequested;
    g_mutex_unlock(&conn->lock);
    return closed;
}

/* ---- raw I/O through TLS or the socket ---- */

static ssize_t rawRead(vkRpcConn *conn, void *buf, size_t len)
{
    ssize_t n;

    if (conn->tls)
        return vkRpcTLSSessionRead(conn->tls, buf, len);
    do {
        n = read(conn->fd, buf, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Cannot recv data");
    if (n < 0 && errno == EWOULDBLOCK)
        errno = EAGAIN;
    return n;
}

static ssize_t rawWrite(vkRpcConn *conn, const void *buf, size_t len)
{
    ssize_t n;

    if (conn->tls)
        return vkRpcTLSSessionWrite(conn->tls, buf, len);
    do {
        n = send(conn->fd, buf, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EWOULDBLOCK)
        errno = EAGAIN;
    if (n < 0 && errno != EAGAIN)
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Cannot write data");
    return n;
}

/* ---- reading ---- */

/* Reads what is available of the current frame. Returns 1 with *out set when a frame is
 * complete, 0 when the socket has nothing more now, -1 when the connection must close (error
 * reported). */
static int readFrame(vkRpcConn *conn, vkRpcMessage **out)
{
    ssize_t n;

    if (conn->lenGot < VKRPC_LEN_SIZE) {
        n = rawRead(conn, conn->lenWord + conn->lenGot, VKRPC_LEN_SIZE - conn->lenGot);
        if (n < 0)
            return errno == EAGAIN ? 0 : -1;
        if (n == 0) {
            vkReportSystemError(VIR_FROM_THIS, EIO, "%s", "End of file while reading data");
            return -1;
        }
        conn->lenGot += n;
        if (conn->lenGot < VKRPC_LEN_SIZE)
            return 0;
        guint32 total;
        if (vkRpcFrameLength(conn->lenWord, &total) < 0)
            return -1;
        conn->rtotal = total;
        conn->rcap = MIN(total, READ_CHUNK);
        conn->rbuf = g_malloc(conn->rcap);
        memcpy(conn->rbuf, conn->lenWord, VKRPC_LEN_SIZE);
        conn->rgot = VKRPC_LEN_SIZE;
    }
    while (conn->rgot < conn->rtotal) {
        if (conn->rgot == conn->rcap) {
            conn->rcap = MIN(conn->rcap * 2, conn->rtotal);
            conn->rbuf = g_realloc(conn->rbuf, conn->rcap);
        }
        n = rawRead(conn, conn->rbuf + conn->rgot, conn->rcap - conn->rgot);
        if (n < 0)
            return errno == EAGAIN ? 0 : -1;
        if (n == 0) {
            vkReportSystemError(VIR_FROM_THIS, EIO, "%s", "End of file while reading data");
            return -1;
        }
        conn->rgot += n;
    }
    conn->lenGot = 0;
    *out = vkRpcMessageDecode(g_steal_pointer(&conn->rbuf), conn->rtotal);
    conn->rcap = conn->rgot = conn->rtotal = 0;
    return *out ? 1 : -1;
}

static gboolean readBlocked(vkRpcConn *conn)
{
    gboolean paused;

    g_mutex_lock(&conn->lock);
    paused = conn->readPaused || conn->closeRequested;
    g_mutex_unlock(&conn->lock);
    return paused;
}

/* Returns -1 once the connection is closed. */
static int handleRead(vkRpcConn *conn)
{
    for (int i = 0; i < FRAMES_PER_DISPATCH && !readBlocked(conn); i++) {
        vkRpcMessage *msg = NULL;
        int rc = readFrame(conn, &msg);

        if (rc < 0) {
            vkRpcConnCloseWithError(conn);
            return -1;
        }
        if (rc == 0)
            return 0;
        conn->cb.message(conn, msg, conn->opaque);
        if (conn->closed)
            return -1;
    }
    return 0;
}

/* ---- writing ---- */

static int handleWrite(vkRpcConn *conn)
{
    g_mutex_lock(&conn->lock);
    while (!g_queue_is_empty(&conn->outq)) {
        vkRpcMessage *msg = g_queue_peek_head(&conn->outq);
        ssize_t n = rawWrite(conn, msg->frame + conn->outOffset, msg->frameLen - conn->outOffset);

        if (n < 0) {
            g_mutex_unlock(&conn->lock);
            if (errno == EAGAIN)
                return 0;
            vkRpcConnCloseWithError(conn);
            return -1;
        }
        conn->outOffset += n;
        conn->outBytes -= n;
        g_cond_broadcast(&conn->drained);
        if (conn->outOffset == msg->frameLen) {
            g_queue_pop_head(&conn->outq);
            vkRpcMessageFree(msg);
            conn->outOffset = 0;
        }
    }
    g_mutex_unlock(&conn->lock);
    return 0;
}

/* With the lock held and MSG alone in the queue: writes what the socket takes now. Only plain
 * sockets (a TLS session is only ever used by the main loop), and quietly: an error stays for
 * the main loop to meet and report when it writes the rest. */
static void writeNow(vkRpcConn *conn, vkRpcMessage *msg)
{
    ssize_t n;

    do {
        n = send(conn->fd, msg->frame, msg->frameLen, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
        return;
    conn->outBytes -= n;
    g_cond_broadcast(&conn->drained);
    if ((size_t)n < msg->frameLen) {
        conn->outOffset = n;
        return;
    }
    g_queue_pop_head(&conn->outq);
    vkRpcMessageFree(msg);
}

int vkRpcConnSend(vkRpcConn *conn, vkRpcMessage *msg)
{
    gboolean overflow = FALSE;
    gboolean pending;

    g_mutex_lock(&conn->lock);
    if (conn->closed || conn->closeRequested) {
        g_mutex_unlock(&conn->lock);
        vkRpcMessageFree(msg);
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
        return -1;
    }
    if (conn->maxQueued && conn->outBytes + msg->frameLen > conn->maxQueued) {
        overflow = TRUE;
        conn->closeRequested = TRUE;
        conn->closeFlush = FALSE;
    } else {
        conn->outBytes += msg->frameLen;
        g_queue_push_tail(&conn->outq, msg);
        /* Nothing before it: sent from here, so that the main loop has nothing to do for it
         * and a reply from a worker costs no switch back to the loop's thread. */
        if (!conn->tls && conn->phase == PHASE_READY && conn->fd >= 0 &&
            g_queue_get_length(&conn->outq) == 1 && conn->outOffset == 0)
            writeNow(conn, msg);
        msg = NULL;
    }
    pending = overflow || !g_queue_is_empty(&conn->outq);
    g_mutex_unlock(&conn->lock);
    /* The loop's own thread looks at the queue again before it polls. */
    if (conn->context && pending && !g_main_context_is_owner(conn->context))
        g_main_context_wakeup(conn->context);
    if (overflow) {
        vkRpcMessageFree(msg);
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s",
                      "the peer does not read what is sent to it: connection closed");
        g_mutex_lock(&conn->lock);
        if (!conn->closeError)
            conn->closeError = vkSaveError();
        g_mutex_unlock(&conn->lock);
        return -1;
    }
    return 0;
}

/* ---- TLS setup ---- */

static void becomeReady(vkRpcConn *conn)
{
    conn->phase = PHASE_READY;
    if (conn->cb.ready)
        conn->cb.ready(conn, conn->opaque);
}

/* Returns -1 once the connection is closed. */
static int handleTLSSetup(vkRpcConn *conn)
{
    if (conn->phase == PHASE_HANDSHAKE) {
        int rc = vkRpcTLSSessionHandshake(conn->tls);
        conn->handshakeStarted = TRUE;
        if (rc == 1)
            return 0;
        if (rc < 0 || vkRpcTLSSessionVerify(conn->tls) < 0) {
            /* a refused client gets no confirmation byte: it sees the connection close */
            vkRpcConnCloseWithError(conn);
            return -1;
        }
        conn->phase = PHASE_CONFIRM;
    }
    if (conn->isServer) {
        static const guint8 ok = 1;
        ssize_t n = vkRpcTLSSessionWrite(conn->tls, &ok, 1);
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0) {
            vkRpcConnCloseWithError(conn);
            return -1;
        }
    } else {
        guint8 byte = 0;
        ssize_t n = vkRpcTLSSessionRead(conn->tls, &byte, 1);
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0) {
            vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Unable to read TLS confirmation");
            vkRpcConnCloseWithError(conn);
            return -1;
        }
        if (n != 1 || byte != 1) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s",
                          "server verification (of our certificate or IP address) failed");
            vkRpcConnCloseWithError(conn);
            return -1;
        }
    }
    becomeReady(conn);
    return 0;
}

/* ---- the GSource ---- */

static gboolean closeDue(vkRpcConn *conn)
{
    return conn->closeRequested && (!conn->closeFlush || g_queue_is_empty(&conn->outq));
}

static gboolean sourcePrepare(GSource *source, gint *timeout)
{
    ConnSource *cs = (ConnSource *)source;
    vkRpcConn *conn = cs->conn;
    GIOCondition events = 0;
    gboolean ready;

    *timeout = -1;
    g_mutex_lock(&conn->lock);
    if (conn->phase == PHASE_HANDSHAKE) {
        /* before the first step gnutls cannot tell; a writable socket gets it going */
        events = conn->handshakeStarted ? vkRpcTLSSessionDirection(conn->tls) : G_IO_OUT;
    } else if (conn->phase == PHASE_CONFIRM) {
        events = conn->isServer ? G_IO_OUT : G_IO_IN;
    } else {
        if (!conn->readPaused && !conn->closeRequested)
            events |= G_IO_IN;
        if (!g_queue_is_empty(&conn->outq))
            events |= G_IO_OUT;
    }
    ready = closeDue(conn) || (conn->phase == PHASE_READY && conn->tls && !conn->readPaused &&
                               vkRpcTLSSessionPending(conn->tls) > 0);
    g_mutex_unlock(&conn->lock);
    /* modifying wakes the context up: only when something changed, or the loop would spin */
    if (events != cs->events) {
        cs->events = events;
        g_source_modify_unix_fd(source, cs->tag, events);
    }
    return ready;
}

static gboolean sourceCheck(GSource *source)
{
    ConnSource *cs = (ConnSource *)source;
    gboolean due;

    g_mutex_lock(&cs->conn->lock);
    due = closeDue(cs->conn);
    g_mutex_unlock(&cs->conn->lock);
    return due || g_source_query_unix_fd(source, cs->tag) != 0;
}

static gboolean sourceDispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    ConnSource *cs = (ConnSource *)source;
    g_autoptr(vkRpcConn) conn = vkRpcConnRef(cs->conn);
    GIOCondition revents = g_source_query_unix_fd(source, cs->tag);
    gboolean due, paused;

    virErrorPtr why = NULL;

    g_mutex_lock(&conn->lock);
    due = closeDue(conn);
    paused = conn->readPaused;
    if (due)
        why = g_steal_pointer(&conn->closeError);
    g_mutex_unlock(&conn->lock);
    if (due) {
        closeNow(conn, why);
        virFreeError(why);
        return G_SOURCE_REMOVE;
    }
    if (conn->phase != PHASE_READY) {
        if (handleTLSSetup(conn) < 0)
            return G_SOURCE_REMOVE;
        if (conn->phase != PHASE_READY)
            return G_SOURCE_CONTINUE;
    }
    if ((revents & (G_IO_HUP | G_IO_ERR)) && paused) {
        /* the peer is gone and we are not reading: nothing more can come of it */
        vkReportSystemError(VIR_FROM_THIS, EIO, "%s", "End of file while reading data");
        vkRpcConnCloseWithError(conn);
        return G_SOURCE_REMOVE;
    }
    if (handleRead(conn) < 0)
        return G_SOURCE_REMOVE;
    if (handleWrite(conn) < 0)
        return G_SOURCE_REMOVE;
    return G_SOURCE_CONTINUE;
}

static void sourceFinalize(GSource *source)
{
    vkRpcConnUnref(((ConnSource *)source)->conn);
}

static GSourceFuncs connSourceFuncs = {
    .prepare = sourcePrepare,
    .check = sourceCheck,
    .dispatch = sourceDispatch,
    .finalize = sourceFinalize,
};

void vkRpcConnAttach(vkRpcConn *conn, GMainContext *context, const vkRpcConnCallbacks *cb,
                     gpointer opaque)
{
    GSource *src;

    g_return_if_fail(!conn->source && !conn->closed);
    conn->cb = *cb;
    conn->opaque = opaque;
    conn->context = g_main_context_ref(context ? context : g_main_context_default());
    src = g_source_new(&connSourceFuncs, sizeof(ConnSource));
    g_source_set_name(src, "vkRpcConn");
    conn->source = (ConnSource *)src;
    conn->source->conn = vkRpcConnRef(conn);
    conn->source->events = G_IO_IN;
    conn->source->tag = g_source_add_unix_fd(src, conn->fd, G_IO_IN);
    g_source_attach(src, conn->context);
    if (conn->phase == PHASE_READY && conn->cb.ready)
        conn->cb.ready(conn, conn->opaque);
}

/* ---- settings and queries ---- */

void vkRpcConnSetReadPaused(vkRpcConn *conn, gboolean paused)
{
    g_mutex_lock(&conn->lock);
    conn->readPaused = paused;
    g_mutex_unlock(&conn->lock);
    if (conn->context)
        g_main_context_wakeup(conn->context);
}

void vkRpcConnSetMaxQueued(vkRpcConn *conn, size_t bytes)
{
    g_mutex_lock(&conn->lock);
    conn->maxQueued = bytes;
    g_mutex_unlock(&conn->lock);
}

int vkRpcConnWaitQueued(vkRpcConn *conn, size_t bytes)
{
    gboolean closed;

    g_mutex_lock(&conn->lock);
    while (conn->outBytes > bytes && !conn->closed)
        g_cond_wait(&conn->drained, &conn->lock);
    closed = conn->closed;
    g_mutex_unlock(&conn->lock);
    return closed ? -1 : 0;
}

size_t vkRpcConnQueuedBytes(vkRpcConn *conn)
{
    size_t n;

    g_mutex_lock(&conn->lock);
    n = conn->outBytes;
    g_mutex_unlock(&conn->lock);
    return n;
}

gboolean vkRpcConnIsSecure(vkRpcConn *conn)
{
    return conn->tls != NULL || conn->isUnix;
}

gboolean vkRpcConnIsEncrypted(vkRpcConn *conn)
{
    return conn->tls != NULL;
}

gboolean vkRpcConnIsUnix(vkRpcConn *conn)
{
    return conn->isUnix;
}

int vkRpcConnPeerCred(vkRpcConn *conn, vkRpcPeerCred *cred)
{
    if (!conn->isUnix || conn->fd < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID, "%s",
                      "peer credentials exist only on open unix sockets");
        return -1;
    }
    return vkRpcSocketPeerCred(conn->fd, cred);
}

const char *vkRpcConnTLSPeerDN(vkRpcConn *conn)
{
    return conn->tls ? vkRpcTLSSessionPeerDN(conn->tls) : NULL;
}
