/* Public entry points for streams, and the local file descriptor backend that embedded drivers
 * attach (volume upload and download). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "libvirtkit-priv.h"
#include "stream.h"
#include "util/vkfile.h"

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

/* Detaches the backend after its last call; caller holds the lock. */
static void detach(virStreamPtr st)
{
    if (st->backend && st->backend->release)
        st->backend->release(st);
    st->backend = NULL;
    st->backendData = NULL;
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

int virStreamFree(virStreamPtr st)
{
    if (!enterStream(st, __func__))
        return -1;
    if (!g_atomic_int_dec_and_test(&st->refs))
        return 0;
    /* A transfer never finished is abandoned. */
    g_mutex_lock(&st->lock);
    if (st->backend && st->backend->abort)
        st->backend->abort(st);
    detach(st);
    g_mutex_unlock(&st->lock);
    st->magic = 0;
    g_mutex_clear(&st->lock);
    vkConnectUnref(st->conn);
    g_free(st);
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

/* ---- the local file descriptor backend ---- */

typedef struct {
    int fd;
    unsigned long long left; /* bytes still allowed; G_MAXUINT64 without a limit */
    char *what;              /* names the file in errors */
} vkFdStream;

static int fdSend(virStreamPtr st, const char *data, size_t nbytes)
{
    vkFdStream *fs = st->backendData;

    if (nbytes > fs->left) {
        vkReportError(ERR_STREAM, VIR_ERR_OPERATION_FAILED,
                      "Request to send %zu bytes exceeds the %llu bytes left for '%s'", nbytes,
                      fs->left, fs->what);
        return -1;
    }
    if (vkFileWriteFd(fs->fd, data, nbytes) < 0) {
        vkReportSystemError(ERR_STREAM, errno, "cannot write to '%s'", fs->what);
        return -1;
    }
    fs->left -= nbytes;
    return (int)nbytes;
}

static int fdRecv(virStreamPtr st, char *data, size_t nbytes)
{
    vkFdStream *fs = st->backendData;
    ssize_t got;

    if ((unsigned long long)nbytes > fs->left)
        nbytes = (size_t)fs->left;
    if (nbytes == 0)
        return 0;
    while ((got = read(fs->fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    if (got < 0) {
        vkReportSystemError(ERR_STREAM, errno, "cannot read from '%s'", fs->what);
        return -1;
    }
    fs->left -= got;
    return (int)got;
}

static int fdFinish(virStreamPtr st)
{
    vkFdStream *fs = st->backendData;

    if (fsync(fs->fd) < 0 && errno != EINVAL) {
        vkReportSystemError(ERR_STREAM, errno, "cannot sync '%s'", fs->what);
        return -1;
    }
    return 0;
}

static void fdRelease(virStreamPtr st)
{
    vkFdStream *fs = st->backendData;

    close(fs->fd);
    g_free(fs->what);
    g_free(fs);
}

static const vkStreamBackend fdBackend = {
    .send = fdSend,
    .recv = fdRecv,
    .finish = fdFinish,
    .release = fdRelease,
};

int vkStreamAttachFd(virStreamPtr st, int fd, unsigned long long length, const char *what)
{
    vkFdStream *fs = g_new0(vkFdStream, 1);

    fs->fd = fd;
    fs->left = length ? length : G_MAXUINT64;
    fs->what = g_strdup(what);
    if (vkStreamAttach(st, &fdBackend, fs) < 0) {
        close(fd);
        g_free(fs->what);
        g_free(fs);
        return -1;
    }
    return 0;
}
