/* Stream backends over local descriptors, which embedded drivers attach: a file (volume upload
 * and download) and a guest's pseudo-terminal (consoles). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include "libvirtkit-priv.h"
#include "stream.h"
#include "util/vkfile.h"

#define ERR_STREAM VIR_FROM_STREAMS

typedef struct {
    int fd;
    unsigned long long left; /* bytes still allowed; G_MAXUINT64 without a limit */
    char *what;              /* names the file in errors */
    vkStreamClosedFunc closed;
    void *opaque;
    GDestroyNotify freeOpaque;
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
    if (fs->closed) {
        /* What the owner does once the file is closed is no part of the stream's result. */
        virErrorPtr saved = vkSaveError();

        fs->closed(st, fs->opaque);
        vkRestoreError(saved);
    }
    if (fs->freeOpaque)
        fs->freeOpaque(fs->opaque);
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
    return vkStreamAttachFdFull(st, fd, length, what, NULL, NULL, NULL);
}

int vkStreamAttachFdFull(virStreamPtr st, int fd, unsigned long long length, const char *what,
                         vkStreamClosedFunc closed, void *opaque, GDestroyNotify freeOpaque)
{
    vkFdStream *fs = g_new0(vkFdStream, 1);

    fs->fd = fd;
    fs->left = length ? length : G_MAXUINT64;
    fs->what = g_strdup(what);
    if (vkStreamAttach(st, &fdBackend, fs) < 0) {
        close(fd);
        if (freeOpaque)
            freeOpaque(opaque);
        g_free(fs->what);
        g_free(fs);
        return -1;
    }
    fs->closed = closed;
    fs->opaque = opaque;
    fs->freeOpaque = freeOpaque;
    return 0;
}

/* ---- a pseudo-terminal ---- */

typedef struct {
    int fd;
    char *path;
} vkTerminal;

/* The sessions of this process, by terminal path, so that FORCE can take one over. */
static GMutex terminalsLock;
static GHashTable *terminals; /* path -> vkTerminal, not owned */

/* Waits for EVENTS on a blocking stream's descriptor. */
static int waitFd(int fd, short events)
{
    struct pollfd p = { .fd = fd, .events = events };

    while (poll(&p, 1, -1) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

static int termRecv(virStreamPtr st, char *data, size_t nbytes)
{
    vkTerminal *t = st->backendData;
    ssize_t got;

    for (;;) {
        got = read(t->fd, data, MIN(nbytes, (size_t)G_MAXINT));
        if (got >= 0)
            return (int)got;
        if (errno == EINTR)
            continue;
        /* The far side (qemu) closed the terminal: the guest is gone. */
        if (errno == EIO)
            return 0;
        if (errno != EAGAIN) {
            vkReportSystemError(ERR_STREAM, errno, "cannot read from console '%s'", t->path);
            return -1;
        }
        if (st->flags & VIR_STREAM_NONBLOCK)
            return -2;
        if (waitFd(t->fd, POLLIN) < 0) {
            vkReportSystemError(ERR_STREAM, errno, "cannot wait for console '%s'", t->path);
            return -1;
        }
    }
}

static int termSend(virStreamPtr st, const char *data, size_t nbytes)
{
    vkTerminal *t = st->backendData;
    ssize_t done;

    for (;;) {
        done = write(t->fd, data, MIN(nbytes, (size_t)G_MAXINT));
        if (done >= 0)
            return (int)done;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN) {
            vkReportSystemError(ERR_STREAM, errno, "cannot write to console '%s'", t->path);
            return -1;
        }
        if (st->flags & VIR_STREAM_NONBLOCK)
            return -2;
        if (waitFd(t->fd, POLLOUT) < 0) {
            vkReportSystemError(ERR_STREAM, errno, "cannot wait for console '%s'", t->path);
            return -1;
        }
    }
}

static int termEventFd(virStreamPtr st)
{
    vkTerminal *t = st->backendData;

    return t->fd;
}

static void termRelease(virStreamPtr st)
{
    vkTerminal *t = st->backendData;

    g_mutex_lock(&terminalsLock);
    if (g_hash_table_lookup(terminals, t->path) == t)
        g_hash_table_remove(terminals, t->path);
    close(t->fd);
    g_mutex_unlock(&terminalsLock);
    g_free(t->path);
    g_free(t);
}

static const vkStreamBackend terminalBackend = {
    .send = termSend,
    .recv = termRecv,
    .release = termRelease,
    .eventFd = termEventFd,
};

/* Ends the session T of this process: its descriptor becomes /dev/null (it reads end of data)
 * and its lock on the terminal goes with the terminal's descriptor. terminalsLock held. */
static int takeOver(vkTerminal *t)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);

    if (null < 0 || dup3(null, t->fd, O_CLOEXEC) < 0) {
        vkReportSystemError(ERR_STREAM, errno, "cannot end the console session on '%s'", t->path);
        if (null >= 0)
            close(null);
        return -1;
    }
    close(null);
    g_hash_table_remove(terminals, t->path);
    return 0;
}

/* The exclusive lock on FD's terminal, taking it from a session of this process with FORCE.
 * terminalsLock held. */
static int lockTerminal(int fd, const char *path, gboolean force)
{
    vkTerminal *old;

    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK) {
        vkReportSystemError(ERR_STREAM, errno, "cannot lock console '%s'", path);
        return -1;
    }
    old = g_hash_table_lookup(terminals, path);
    if (force && old && takeOver(old) == 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    vkResetLastError();
    vkReportError(ERR_STREAM, VIR_ERR_OPERATION_FAILED, "%s",
                  "Active console session exists for this domain");
    return -1;
}

static int makeRaw(int fd)
{
    struct termios tio;

    if (tcgetattr(fd, &tio) < 0)
        return -1;
    cfmakeraw(&tio);
    return tcsetattr(fd, TCSANOW, &tio);
}

int vkStreamOpenTerminal(virStreamPtr st, const char *path, gboolean force)
{
    vkTerminal *t;
    int fd;

    if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        vkReportSystemError(ERR_STREAM, errno, "Unable to open console '%s'", path);
        return -1;
    }
    g_mutex_lock(&terminalsLock);
    if (!terminals)
        terminals = g_hash_table_new(g_str_hash, g_str_equal);
    if (lockTerminal(fd, path, force) < 0) {
        g_mutex_unlock(&terminalsLock);
        close(fd);
        return -1;
    }
    /* The guest's bytes as they are: no echo, no line editing, no newline translation. */
    if (makeRaw(fd) < 0) {
        vkReportSystemError(ERR_STREAM, errno, "cannot set console '%s' to raw mode", path);
        g_mutex_unlock(&terminalsLock);
        close(fd);
        return -1;
    }
    t = g_new0(vkTerminal, 1);
    t->fd = fd;
    t->path = g_strdup(path);
    g_hash_table_insert(terminals, t->path, t);
    g_mutex_unlock(&terminalsLock);
    if (vkStreamAttach(st, &terminalBackend, t) < 0) {
        g_mutex_lock(&terminalsLock);
        g_hash_table_remove(terminals, t->path);
        close(fd);
        g_mutex_unlock(&terminalsLock);
        g_free(t->path);
        g_free(t);
        return -1;
    }
    return 0;
}
