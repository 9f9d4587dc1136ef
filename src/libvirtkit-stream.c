/* Public entry points for streams: data through the backend an opening call attached, and
 * the event callback (virStreamEventAddCallback) on the registered event loop. */
#include "libvirtkit-priv.h"
#include "stream.h"

#define ERR_STREAM   VIR_FROM_STREAMS
#define STREAM_MAGIC 0x766b5374u

gboolean vkIsStream(virStreamPtr st)
{
    return st && st->magic == STREAM_MAGIC && vkIsConnect(st->conn);
}

static gboolean enterStream(virStreamPtr st, const char *func)
{
    vkResetLastError();
    if (vkIsStream(st))
        return TRUE;
    vkReportError(ERR_STREAM, VIR_ERR_INVALID_STREAM, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags)
{
    virStreamPtr st;

    if (!vkApiEnterConnect(conn, ERR_STREAM, __func__))
        return NULL;
    st = g_new0(virStream, 1);
    st->magic = STREAM_MAGIC;
    st->refs = 1;
    vkConnectRef(conn);
    st->conn = conn;
    st->flags = flags;
    g_mutex_init(&st->lock);
    g_mutex_init(&st->evLock);
    return st;
}

int virStreamRef(virStreamPtr st)
{
    if (!enterStream(st, __func__))
        return -1;
    g_atomic_int_inc(&st->refs);
    return 0;
}

int vkStreamAttach(virStreamPtr st, const vkStreamBackend *backend, void *data)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&st->lock);

    if (st->backend) {
        vkReportError(ERR_STREAM, VIR_ERR_OPERATION_INVALID, "%s", "stream is already in use");
        return -1;
    }
    st->backend = backend;
    st->backendData = data;
    return 0;
}

static void eventsRemove(virStreamPtr st);

/* Detaches the backend after its last call; caller holds the lock. The event callback goes
 * with it: nothing would be ready any more, and a descriptor it watched is closed. */
static void detach(virStreamPtr st)
{
    if (st->backend && st->backend->release)
        st->backend->release(st);
    st->backend = NULL;
    st->backendData = NULL;
    eventsRemove(st);
}

void vkStreamDetach(virStreamPtr st)
{
    g_mutex_lock(&st->lock);
    detach(st);
    g_mutex_unlock(&st->lock);
}

static int noBackend(virStreamPtr st)
{
    vkReportError(ERR_STREAM, VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
    return -1;
}

int virStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    int rc;

    if (!enterStream(st, __func__) || vkApiDenyNull(st->conn, data, ERR_STREAM, __func__, "data"))
        return -1;
    g_mutex_lock(&st->lock);
    rc = st->backend && st->backend->send ? st->backend->send(st, data, nbytes) : noBackend(st);
    g_mutex_unlock(&st->lock);
    return rc == -1 ? vkApiResultInt(st->conn, rc) : rc;
}

int virStreamRecv(virStreamPtr st, char *data, size_t nbytes)
{
    int rc;

    if (!enterStream(st, __func__) || vkApiDenyNull(st->conn, data, ERR_STREAM, __func__, "data"))
        return -1;
    g_mutex_lock(&st->lock);
    rc = st->backend && st->backend->recv ? st->backend->recv(st, data, nbytes) : noBackend(st);
    g_mutex_unlock(&st->lock);
    return rc == -1 ? vkApiResultInt(st->conn, rc) : rc;
}

/* Ends the transfer with FINISH or ABORT. */
static int endTransfer(virStreamPtr st, gboolean finish, const char *func)
{
    int rc = 0;

    if (!enterStream(st, func))
        return -1;
    g_mutex_lock(&st->lock);
    if (!st->backend)
        rc = finish ? noBackend(st) : 0;
    else if (finish && st->backend->finish)
        rc = st->backend->finish(st);
    else if (!finish && st->backend->abort)
        rc = st->backend->abort(st);
    detach(st);
    g_mutex_unlock(&st->lock);
    return vkApiResultInt(st->conn, rc);
}

int virStreamFinish(virStreamPtr st)
{
    return endTransfer(st, TRUE, __func__);
}

int virStreamAbort(virStreamPtr st)
{
    return endTransfer(st, FALSE, __func__);
}

static void streamUnref(virStreamPtr st)
{
    if (!g_atomic_int_dec_and_test(&st->refs))
        return;
    /* A transfer never finished is abandoned. */
    g_mutex_lock(&st->lock);
    if (st->backend && st->backend->abort)
        st->backend->abort(st);
    detach(st);
    g_mutex_unlock(&st->lock);
    st->magic = 0;
    g_mutex_clear(&st->lock);
    g_mutex_clear(&st->evLock);
    vkConnectUnref(st->conn);
    g_free(st);
}

int virStreamFree(virStreamPtr st)
{
    if (!enterStream(st, __func__))
        return -1;
    streamUnref(st);
    return 0;
}

#define CHUNK (256 * 1024)

int virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    if (!enterStream(st, __func__) ||
        vkApiDenyNull(st->conn, handler, ERR_STREAM, __func__, "handler"))
        return -1;
    buf = g_malloc(CHUNK);
    for (;;) {
        int got = handler(st, buf, CHUNK, opaque);
        int off = 0;

        if (got < 0) {
            virStreamAbort(st);
            if (!vkHasError())
                vkReportError(ERR_STREAM, VIR_ERR_OPERATION_FAILED, "%s", "send handler failed");
            vkApiDispatch(st->conn);
            return -1;
        }
        if (got == 0)
            return 0;
        while (off < got) {
            int sent = virStreamSend(st, buf + off, got - off);
            if (sent < 0)
                return -1;
            off += sent;
        }
    }
}

int virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    if (!enterStream(st, __func__) ||
        vkApiDenyNull(st->conn, handler, ERR_STREAM, __func__, "handler"))
        return -1;
    buf = g_malloc(CHUNK);
    for (;;) {
        int got = virStreamRecv(st, buf, CHUNK);
        int off = 0;

        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        while (off < got) {
            int done = handler(st, buf + off, got - off, opaque);
            if (done < 0) {
                virStreamAbort(st);
                if (!vkHasError())
                    vkReportError(ERR_STREAM, VIR_ERR_OPERATION_FAILED, "%s",
                                  "receive handler failed");
                vkApiDispatch(st->conn);
                return -1;
            }
            off += done;
        }
    }
}

/* ---- the event callback ---- */

/* A registration: its event loop entry (a handle on the backend's descriptor, or a timer that
 * runs while something may be ready) holds it, and through it a reference to the stream. */
struct _vkStreamEvents {
    virStreamPtr st;
    virStreamEventCallback cb;
    void *opaque;
    virFreeCallback ff;
    int events; /* what the caller wants; guarded by st->evLock */
    int watch;  /* the descriptor's handle, or -1 */
    int timer;  /* the timer, or -1 */
    gint wakes; /* vkStreamEventWake calls so far (atomic) */
    gboolean removed;
};

static int toHandleEvents(int events)
{
    int h = 0;

    if (events & VIR_STREAM_EVENT_READABLE)
        h |= VIR_EVENT_HANDLE_READABLE;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        h |= VIR_EVENT_HANDLE_WRITABLE;
    return h;
}

static int fromHandleEvents(int h)
{
    int events = 0;

    if (h & VIR_EVENT_HANDLE_READABLE)
        events |= VIR_STREAM_EVENT_READABLE;
    if (h & VIR_EVENT_HANDLE_WRITABLE)
        events |= VIR_STREAM_EVENT_WRITABLE;
    if (h & VIR_EVENT_HANDLE_ERROR)
        events |= VIR_STREAM_EVENT_ERROR;
    if (h & VIR_EVENT_HANDLE_HANGUP)
        events |= VIR_STREAM_EVENT_HANGUP;
    return events;
}

/* What the caller wants, or 0 once removed. */
static int eventsWanted(vkStreamEvents *ev)
{
    int wanted;

    g_mutex_lock(&ev->st->evLock);
    wanted = ev->removed ? 0 : ev->events;
    g_mutex_unlock(&ev->st->evLock);
    return wanted;
}

static void onHandle(int watch, int fd, int events, void *opaque)
{
    vkStreamEvents *ev = opaque;
    int wanted = eventsWanted(ev);
    int ready =
        fromHandleEvents(events) & (wanted | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP);

    if (wanted && ready)
        ev->cb(ev->st, ready, ev->opaque);
}

static void onTimer(int timer, void *opaque)
{
    vkStreamEvents *ev = opaque;
    virStreamPtr st = ev->st;
    gint wakes = g_atomic_int_get(&ev->wakes);
    int wanted = eventsWanted(ev);
    int ready = 0;

    g_mutex_lock(&st->lock);
    if (wanted && st->backend && st->backend->eventPending)
        ready = st->backend->eventPending(st) & wanted;
    g_mutex_unlock(&st->lock);
    if (ready) {
        ev->cb(st, ready, ev->opaque); /* and look again at the next iteration */
        return;
    }
    /* Nothing to do until woken; a wake that came while we looked sets it going again. */
    virEventUpdateTimeout(timer, -1);
    if (g_atomic_int_get(&ev->wakes) != wakes)
        virEventUpdateTimeout(timer, 0);
}

/* The event loop is done with the registration. */
static void eventsRelease(void *opaque)
{
    vkStreamEvents *ev = opaque;

    if (ev->ff)
        ev->ff(ev->opaque);
    streamUnref(ev->st);
    g_free(ev);
}

/* Takes the registration off ST (if any) and out of the event loop, which releases it. */
static void eventsRemove(virStreamPtr st)
{
    vkStreamEvents *ev;

    g_mutex_lock(&st->evLock);
    ev = g_steal_pointer(&st->events);
    if (ev)
        ev->removed = TRUE;
    g_mutex_unlock(&st->evLock);
    if (!ev)
        return;
    if (ev->watch >= 0)
        virEventRemoveHandle(ev->watch);
    else if (ev->timer >= 0)
        virEventRemoveTimeout(ev->timer);
}

void vkStreamEventWake(virStreamPtr st)
{
    int timer = -1;

    g_mutex_lock(&st->evLock);
    if (st->events) {
        g_atomic_int_inc(&st->events->wakes);
        timer = st->events->timer;
    }
    g_mutex_unlock(&st->evLock);
    if (timer >= 0)
        virEventUpdateTimeout(timer, 0);
}

int virStreamEventAddCallback(virStreamPtr stream, int events, virStreamEventCallback cb,
                              void *opaque, virFreeCallback ff)
{
    vkStreamEvents *ev;
    gboolean pending = FALSE;
    int fd = -1;
    int id;

    if (!enterStream(stream, __func__) ||
        vkApiDenyNull(stream->conn, cb, ERR_STREAM, __func__, "cb"))
        return -1;
    g_mutex_lock(&stream->lock);
    if (stream->backend && stream->backend->eventFd)
        fd = stream->backend->eventFd(stream);
    else if (stream->backend && stream->backend->eventPending)
        pending = TRUE;
    g_mutex_unlock(&stream->lock);
    if (fd < 0 && !pending)
        return vkApiUnsupported(stream->conn, ERR_STREAM, __func__);

    ev = g_new0(vkStreamEvents, 1);
    ev->st = stream;
    ev->cb = cb;
    ev->opaque = opaque;
    ev->ff = ff;
    ev->events = events;
    ev->watch = ev->timer = -1;
    g_mutex_lock(&stream->evLock);
    if (stream->events) {
        g_mutex_unlock(&stream->evLock);
        g_free(ev);
        vkReportError(ERR_STREAM, VIR_ERR_INTERNAL_ERROR, "%s",
                      "multiple stream callbacks not supported");
        return vkApiResultInt(stream->conn, -1);
    }
    stream->events = ev;
    g_mutex_unlock(&stream->evLock);

    g_atomic_int_inc(&stream->refs); /* the registration's */
    /* A timer starts at once: something may be waiting already. */
    id = fd >= 0 ? virEventAddHandle(fd, toHandleEvents(events), onHandle, ev, eventsRelease)
                 : virEventAddTimeout(0, onTimer, ev, eventsRelease);
    g_mutex_lock(&stream->evLock);
    if (id < 0)
        stream->events = NULL;
    else if (fd >= 0)
        ev->watch = id;
    else
        ev->timer = id;
    g_mutex_unlock(&stream->evLock);
    if (id < 0) {
        g_atomic_int_dec_and_test(&stream->refs);
        g_free(ev);
        vkReportError(ERR_STREAM, VIR_ERR_INTERNAL_ERROR, "%s",
                      "no event loop is registered (virEventRegisterDefaultImpl)");
        return vkApiResultInt(stream->conn, -1);
    }
    return 0;
}

int virStreamEventUpdateCallback(virStreamPtr stream, int events)
{
    int watch = -1, timer = -1;
    gboolean registered;

    if (!enterStream(stream, __func__))
        return -1;
    g_mutex_lock(&stream->evLock);
    registered = stream->events != NULL;
    if (registered) {
        stream->events->events = events;
        watch = stream->events->watch;
        timer = stream->events->timer;
    }
    g_mutex_unlock(&stream->evLock);
    if (!registered) {
        vkReportError(ERR_STREAM, VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
        return vkApiResultInt(stream->conn, -1);
    }
    if (watch >= 0)
        virEventUpdateHandle(watch, toHandleEvents(events));
    else if (timer >= 0)
        virEventUpdateTimeout(timer, 0);
    return 0;
}

int virStreamEventRemoveCallback(virStreamPtr stream)
{
    gboolean registered;

    if (!enterStream(stream, __func__))
        return -1;
    g_mutex_lock(&stream->evLock);
    registered = stream->events != NULL;
    g_mutex_unlock(&stream->evLock);
    if (!registered) {
        vkReportError(ERR_STREAM, VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
        return vkApiResultInt(stream->conn, -1);
    }
    eventsRemove(stream);
    return 0;
}
