/* Lifecycle events of qemu:/// domains. Truth is on disk, so a watcher follows the files (inotify
 * on the config and run directories: whatever process defines, starts, pauses or stops a
 * guest, its files change) and each running qemu (a pidfd says when it is gone; the events QMP
 * socket says what the guest does by itself), brings a domain up to date the driver's normal
 * way when qemu changed behind everyone's back, and turns what changed on disk into libvirt's
 * events. Nothing runs unless a callback is registered, and nothing polls. See
 * docs/events.md for why the events socket is a second monitor. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "object_event_watchers.h"
#include "qemu_driver_priv.h"
#include "util/vkdirwatch.h"
#include "util/vkprocess.h"

/* ---- what a watcher knows of a domain ---- */

/* What the files of a domain say, as far as events go. */
typedef struct {
    gboolean exists;
    gboolean persistent;
    gboolean hasStatus; /* a qemu was started, or is being started */
    gboolean running;   /* ... and its start is over: the guest counts as active */
    int state;          /* virDomainState: the status's, or shut off */
    int reason;         /* its reason; shut off: the recorded one */
    int id;
    unsigned char uuid[VIR_UUID_BUFLEN];
    pid_t pid; /* with startTime, the run; 0 without status */
    unsigned long long startTime;
    gint64 logOffset;
} vkDomFacts;

/* The events QMP socket of one run. qemu accepts one client at a time: the others wait in
 * its backlog, and the next in line is accepted (and greeted) when the holder leaves. */
typedef enum {
    SOCK_NONE,    /* not connected: no socket (an older guest), or qemu has closed it */
    SOCK_PENDING, /* connected, not greeted: another watcher holds the socket */
    SOCK_HOLDER,  /* greeted: this watcher hears qemu's events */
} vkSockState;

/* Work that needs the domain's lock, done by a worker thread so that waiting for the lock
 * never stalls the event loop. */
enum {
    WORK_SHUTDOWN = 1 << 0, /* record that qemu announced a shutdown (done first) */
    WORK_RUNSTATE = 1 << 1, /* the guest paused, resumed, panicked...: bring the status along */
    WORK_GONE = 1 << 2,     /* qemu is gone: the driver's refresh cleans up after it */
};

/* What qemu said last about its vCPUs, for WORK_RUNSTATE. */
typedef enum {
    RUN_NONE,
    RUN_STOP,
    RUN_RESUME,
    RUN_PANICKED,
    RUN_PMSUSPEND,
    RUN_WAKEUP,
} vkRunEvent;

typedef struct _vkQemuWatcher vkQemuWatcher;

typedef struct {
    char *name;
    vkDomFacts facts;
    int pidfdWatch; /* -1: none */
    int sockWatch;  /* -1: none */
    int sockFd;     /* borrowed from the handle, which closes it */
    vkSockState sock;
    gboolean queued; /* this run's events socket was another watcher's while we waited */
    GString *input;  /* QMP text not yet parsed */
    unsigned int pendingWork;
    int shutdownDetail;   /* virDomainEventShutdownDetailType, with WORK_SHUTDOWN */
    vkRunEvent runEvent;  /* with WORK_RUNSTATE */
    gboolean runDeferred; /* a worker found qemu's words unread: decide once they are read */
    gboolean working;     /* a worker owns the pending work */
} vkWatchedDomain;

struct _vkQemuWatcher {
    gint refs;
    GMutex lock; /* guards everything below; the loop's callbacks and the workers take it */
    gboolean stopped;
    vkQemuDriverState *drv;           /* the watcher's own, over the connection's directories */
    vkObjectEventFanout *subscribers; /* the connections' event states it feeds */
    vkDirWatch *dirs;
    int inotifyWatch;
    GHashTable *domains; /* name -> vkWatchedDomain */
    GThreadPool *workers;
};

/* A handle of the loop: owns its descriptor, which it closes when the loop lets it go. */
typedef struct {
    vkQemuWatcher *w; /* referenced */
    int fd;
    char *name; /* the domain, for pidfds and sockets */
} vkWatchHandle;

static vkQemuWatcher *watcherRef(vkQemuWatcher *w)
{
    g_atomic_int_inc(&w->refs);
    return w;
}

static void watcherUnref(vkQemuWatcher *w)
{
    if (!g_atomic_int_dec_and_test(&w->refs))
        return;
    g_hash_table_unref(w->domains);
    vkDirWatchFree(w->dirs);
    vkObjectEventFanoutFree(w->subscribers);
    vkQemuDriverStateFree(w->drv);
    g_mutex_clear(&w->lock);
    g_free(w);
}

static void handleFree(void *opaque)
{
    vkWatchHandle *h = opaque;

    if (h->fd >= 0)
        close(h->fd);
    watcherUnref(h->w);
    g_free(h->name);
    g_free(h);
}

/* Adds FD to the loop; with OWNED the handle takes FD whatever happens, and closes it when the
 * loop lets it go. Returns the watch, or -1. */
static int addHandle(vkQemuWatcher *w, int fd, gboolean owned, const char *name,
                     virEventHandleCallback cb)
{
    vkWatchHandle *h = g_new0(vkWatchHandle, 1);
    int watch;

    h->w = watcherRef(w);
    h->fd = owned ? fd : -1;
    h->name = g_strdup(name);
    watch = virEventAddHandle(fd, VIR_EVENT_HANDLE_READABLE, cb, h, handleFree);
    if (watch < 0)
        handleFree(h);
    return watch;
}

static void removeWatch(int *watch)
{
    if (*watch >= 0)
        virEventRemoveHandle(*watch);
    *watch = -1;
}

static void closeSocket(vkWatchedDomain *d)
{
    if (d->sock == SOCK_PENDING)
        d->queued = TRUE;
    removeWatch(&d->sockWatch);
    d->sockFd = -1;
    d->sock = SOCK_NONE;
    g_string_truncate(d->input, 0);
}

static void domainFree(gpointer data)
{
    vkWatchedDomain *d = data;

    removeWatch(&d->pidfdWatch);
    closeSocket(d);
    g_string_free(d->input, TRUE);
    g_free(d->name);
    g_free(d);
}

static vkWatchedDomain *domainGet(vkQemuWatcher *w, const char *name)
{
    vkWatchedDomain *d = g_hash_table_lookup(w->domains, name);

    if (d)
        return d;
    d = g_new0(vkWatchedDomain, 1);
    d->name = g_strdup(name);
    d->pidfdWatch = -1;
    d->sockWatch = -1;
    d->sockFd = -1;
    d->input = g_string_new(NULL);
    g_hash_table_insert(w->domains, d->name, d);
    return d;
}

/* ---- reading the files ---- */

/* FACTS from NAME's files. FALSE when they cannot be read just now (a corrupt config): the
 * domain then keeps what was last known of it. */
static gboolean readFacts(vkQemuWatcher *w, const char *name, vkDomFacts *facts)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;
    const vkDomainDef *def;
    int rc = vkQemuDomainObjRead(w->drv, name, &obj);

    memset(facts, 0, sizeof(*facts));
    facts->state = VIR_DOMAIN_SHUTOFF;
    facts->id = -1;
    if (rc < 0) {
        vkResetLastError();
        return FALSE;
    }
    if (rc == 0)
        return TRUE;
    def = vkQemuDomainObjDef(obj);
    facts->exists = TRUE;
    facts->persistent = obj->config != NULL;
    memcpy(facts->uuid, def->uuid, VIR_UUID_BUFLEN);
    facts->state = vkQemuDomainObjGetState(obj, &facts->reason);
    if (obj->status) {
        facts->hasStatus = TRUE;
        facts->pid = obj->status->pid;
        facts->startTime = obj->status->startTime;
        facts->logOffset = obj->status->logOffset;
        facts->running =
            !(facts->state == VIR_DOMAIN_PAUSED && facts->reason == VIR_DOMAIN_PAUSED_STARTING_UP);
        facts->id = facts->running ? def->id : -1;
    }
    return TRUE;
}

static char *shutdownRecordPath(vkQemuDriverState *drv, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".shutdown", NULL);
    return g_build_filename(drv->paths->run, base, NULL);
}

static const char *const shutdownDetails[] = { "finished", "guest", "host" };

/* How the run (PID, STARTTIME) announced its shutdown, as the watcher that heard qemu wrote it
 * down; -1 when nobody did. The record outlives the status file, so that a watcher that only
 * sees the guest gone tells the same story. */
static int shutdownRecordRead(vkQemuDriverState *drv, const char *name, pid_t pid,
                              unsigned long long startTime)
{
    g_autofree char *path = shutdownRecordPath(drv, name);
    g_autofree char *text = NULL;
    g_auto(GStrv) words = NULL;

    if (vkFileReadIfExists(path, &text, NULL) < 0 || !text) {
        vkResetLastError();
        return -1;
    }
    words = g_strsplit(g_strstrip(text), " ", 3);
    if (g_strv_length(words) != 3 || g_ascii_strtoll(words[1], NULL, 10) != pid ||
        g_ascii_strtoull(words[2], NULL, 10) != startTime)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(shutdownDetails); i++) {
        if (g_str_equal(words[0], shutdownDetails[i]))
            return (int)i;
    }
    return -1;
}

/* Why the run described by OLD ended, for a domain whose files no longer say (a transient
 * guest leaves nothing behind): a recorded shutdown, else what the driver itself concludes
 * from qemu's log (qemu logs the signal it was stopped with). */
static int guessStopReason(vkQemuWatcher *w, const char *name, const vkDomFacts *old)
{
    g_autofree char *log = vkQEMUDomainLogPath(&w->drv->procPaths, name);
    g_autofree char *text = NULL;
    gsize len = 0;

    if (old->state == VIR_DOMAIN_SHUTDOWN ||
        shutdownRecordRead(w->drv, name, old->pid, old->startTime) >= 0)
        return VIR_DOMAIN_SHUTOFF_SHUTDOWN;
    if (vkFileReadIfExists(log, &text, &len) < 0 || !text) {
        vkResetLastError();
        return VIR_DOMAIN_SHUTOFF_CRASHED;
    }
    if ((gsize)old->logOffset < len && strstr(text + old->logOffset, "terminating on signal"))
        return VIR_DOMAIN_SHUTOFF_DESTROYED;
    return VIR_DOMAIN_SHUTOFF_CRASHED;
}

/* The recorded reason of NAME's last stop, or a guess when there is none. */
static int stopReason(vkQemuWatcher *w, const char *name, const vkDomFacts *old)
{
    g_autofree char *path = vkQEMUDomainReasonPath(&w->drv->procPaths, name);
    g_autofree char *text = NULL;
    int reason = -1;

    if (vkFileReadIfExists(path, &text, NULL) == 0 && text)
        reason = vkQEMUDomainStateReasonFromString(VIR_DOMAIN_SHUTOFF, g_strstrip(text));
    vkResetLastError();
    return reason >= 0 ? reason : guessStopReason(w, name, old);
}

/* ---- from facts to libvirt's events ---- */

static void emit(vkQemuWatcher *w, const char *name, const vkDomFacts *facts, int id, int event,
                 int detail)
{
    vkObjectEventFanoutQueueLifecycle(w->subscribers, VK_OBJECT_EVENT_DOMAIN, name, facts->uuid, id,
                                      event, detail);
}

static int startedDetail(const vkDomFacts *f)
{
    if (f->state != VIR_DOMAIN_RUNNING)
        return VIR_DOMAIN_EVENT_STARTED_BOOTED;
    switch (f->reason) {
    case VIR_DOMAIN_RUNNING_MIGRATED:
        return VIR_DOMAIN_EVENT_STARTED_MIGRATED;
    case VIR_DOMAIN_RUNNING_RESTORED:
        return VIR_DOMAIN_EVENT_STARTED_RESTORED;
    case VIR_DOMAIN_RUNNING_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT;
    case VIR_DOMAIN_RUNNING_WAKEUP:
        return VIR_DOMAIN_EVENT_STARTED_WAKEUP;
    default:
        return VIR_DOMAIN_EVENT_STARTED_BOOTED;
    }
}

static int suspendedDetail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_PAUSED_MIGRATION:
        return VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED;
    case VIR_DOMAIN_PAUSED_IOERROR:
        return VIR_DOMAIN_EVENT_SUSPENDED_IOERROR;
    case VIR_DOMAIN_PAUSED_WATCHDOG:
        return VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG;
    case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT;
    case VIR_DOMAIN_PAUSED_POSTCOPY:
        return VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY;
    case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
        return VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED;
    default:
        return VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
    }
}

static int resumedDetail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_RUNNING_MIGRATED:
        return VIR_DOMAIN_EVENT_RESUMED_MIGRATED;
    case VIR_DOMAIN_RUNNING_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT;
    case VIR_DOMAIN_RUNNING_POSTCOPY:
        return VIR_DOMAIN_EVENT_RESUMED_POSTCOPY;
    case VIR_DOMAIN_RUNNING_POSTCOPY_FAILED:
        return VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED;
    default:
        return VIR_DOMAIN_EVENT_RESUMED_UNPAUSED;
    }
}

/* As libvirt's qemu driver: qemu gone without a shutdown is a failure (reason crashed); a
 * guest that panicked and was then stopped crashed. */
static int stoppedDetail(int reason, int oldState)
{
    switch (reason) {
    case VIR_DOMAIN_SHUTOFF_SHUTDOWN:
        return VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF_DESTROYED:
        return VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    case VIR_DOMAIN_SHUTOFF_CRASHED:
        return oldState == VIR_DOMAIN_CRASHED ? VIR_DOMAIN_EVENT_STOPPED_CRASHED
                                              : VIR_DOMAIN_EVENT_STOPPED_FAILED;
    case VIR_DOMAIN_SHUTOFF_MIGRATED:
        return VIR_DOMAIN_EVENT_STOPPED_MIGRATED;
    case VIR_DOMAIN_SHUTOFF_SAVED:
        return VIR_DOMAIN_EVENT_STOPPED_SAVED;
    case VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT;
    default:
        return VIR_DOMAIN_EVENT_STOPPED_FAILED;
    }
}

static void emitShutdown(vkQemuWatcher *w, const char *name, const vkDomFacts *run)
{
    int detail = shutdownRecordRead(w->drv, name, run->pid, run->startTime);

    emit(w, name, run, run->id, VIR_DOMAIN_EVENT_SHUTDOWN,
         detail < 0 ? VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED : detail);
}

/* A change of state within one run. */
static void emitStateChange(vkQemuWatcher *w, const char *name, const vkDomFacts *old,
                            const vkDomFacts *new)
{
    if (old->state == new->state)
        return;
    switch (new->state) {
    case VIR_DOMAIN_PAUSED:
        emit(w, name, new, new->id, VIR_DOMAIN_EVENT_SUSPENDED, suspendedDetail(new->reason));
        break;
    case VIR_DOMAIN_RUNNING:
        emit(w, name, new, new->id, VIR_DOMAIN_EVENT_RESUMED, resumedDetail(new->reason));
        break;
    case VIR_DOMAIN_SHUTDOWN:
        emitShutdown(w, name, new);
        break;
    case VIR_DOMAIN_CRASHED:
        emit(w, name, new, new->id, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
        break;
    case VIR_DOMAIN_PMSUSPENDED:
        emit(w, name, new, new->id, VIR_DOMAIN_EVENT_PMSUSPENDED,
             VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
        break;
    }
}

/* The events that take a domain from OLD to NEW; CHANGES (VK_DIRWATCH_*) says whether its
 * config was (re)written meanwhile, which is a define even when nothing else changed, and
 * removed again. The order is libvirt's: a run ends, the definition changes, a run begins. */
static void emitChanges(vkQemuWatcher *w, const char *name, const vkDomFacts *old,
                        const vkDomFacts *new, unsigned int changes)
{
    gboolean written = (changes & VK_DIRWATCH_CONFIG_WRITTEN) != 0;
    const vkDomFacts *known = new->exists ? new : old;
    gboolean sameRun =
        old->running && new->running && old->pid == new->pid && old->startTime == new->startTime;

    if (old->running && !sameRun) {
        int reason = new->exists && !new->hasStatus ? new->reason : stopReason(w, name, old);

        if (reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN && old->state != VIR_DOMAIN_SHUTDOWN)
            emitShutdown(w, name, old);
        emit(w, name, old, -1, VIR_DOMAIN_EVENT_STOPPED, stoppedDetail(reason, old->state));
    }
    if ((written && (new->persistent || (changes & VK_DIRWATCH_CONFIG_GONE))) ||
        (new->persistent && !old->persistent))
        emit(w, name, known, new->id, VIR_DOMAIN_EVENT_DEFINED,
             old->persistent ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
    /* A definition removed, perhaps right after it was written. */
    if ((old->persistent || written) && !new->persistent)
        emit(w, name, known, new->id, VIR_DOMAIN_EVENT_UNDEFINED,
             VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (new->running && !sameRun) {
        emit(w, name, new, new->id, VIR_DOMAIN_EVENT_STARTED, startedDetail(new));
        if (new->state == VIR_DOMAIN_PAUSED)
            emit(w, name, new, new->id, VIR_DOMAIN_EVENT_SUSPENDED, suspendedDetail(new->reason));
    } else if (sameRun) {
        emitStateChange(w, name, old, new);
    }
}

/* ---- work under the domain's lock ---- */

/* qemu announced a shutdown: put it in the status, as libvirt keeps it in its domain state, so
 * that whoever finds qemu gone records a shutdown rather than a crash; and how it came about,
 * for the SHUTDOWN event. Only for the run that announced it, and only while it runs. */
static void recordShutdown(vkQemuDriverState *drv, const char *name, pid_t pid,
                           unsigned long long startTime, int detail)
{
    g_autofree char *path = vkQEMUDomainStatusPath(&drv->procPaths, name);
    g_autofree char *record = shutdownRecordPath(drv, name);
    g_autofree char *text =
        g_strdup_printf("%s %lld %llu\n", shutdownDetails[detail], (long long)pid, startTime);
    g_autoptr(vkQEMUDomainStatus) st = NULL;

    if (vkQEMUDomainStatusRead(path, &st) < 0 || !st || st->pid != pid ||
        st->startTime != startTime || st->state == VIR_DOMAIN_SHUTDOWN ||
        (st->state == VIR_DOMAIN_PAUSED && st->reason == VIR_DOMAIN_PAUSED_STARTING_UP))
        return;
    st->state = VIR_DOMAIN_SHUTDOWN;
    st->reason = VIR_DOMAIN_SHUTDOWN_UNKNOWN;
    if (vkFileWriteRunState(record, text, -1, 0600) < 0 || vkQEMUDomainStatusWrite(path, st) < 0)
        vkErrorWarn("cannot record the shutdown of a domain");
}

/* The guest powered itself off: qemu, kept alive by -no-shutdown, waits for the lifecycle
 * action, which the driver carries out as it does for the events it hears itself. */
static void guestPoweredOff(vkQemuDriverState *drv, const char *name)
{
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    int reason;

    if (vkQemuDomainObjRead(drv, name, &obj) <= 0 ||
        vkQEMUProcessAttach(&drv->procPaths, name, &proc, &reason) != VK_QEMU_RECONNECT_RUNNING ||
        vkQEMUProcessGetDef(proc)->onPoweroff != VK_DOMAIN_LIFECYCLE_DESTROY)
        return;
    if (vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VK_QEMU_PROCESS_STOP_GRACE_MS) == 0)
        vkQemuDomainStopped(drv, obj, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
}

/* qemu changed its vCPUs' state. Whoever asked for it through the driver (another process
 * pausing the guest) records it in the status while holding the lock this waited for; what is
 * left to record is what the guest did by itself. No monitor is needed for that, so the
 * command monitor stays free for others. */
static void runStateChanged(vkQemuDriverState *drv, const char *name, vkRunEvent ev)
{
    g_autofree char *path = vkQEMUDomainStatusPath(&drv->procPaths, name);
    g_autoptr(vkQEMUDomainStatus) st = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    int reason;
    int state;

    if (ev == RUN_NONE)
        return;
    /* A qemu that is gone is the pidfd's business: it is cleaned up after once its last words
     * on the events socket (a shutdown?) have been heard. */
    if (vkQEMUDomainStatusRead(path, &st) < 0 || !st || !vkProcessIsAlive(st->pid, st->startTime))
        return;
    if (vkQEMUProcessAttach(&drv->procPaths, name, &proc, &reason) != VK_QEMU_RECONNECT_RUNNING)
        return;
    state = vkQEMUProcessGetState(proc, &reason);
    switch (ev) {
    case RUN_STOP:
        if (state == VIR_DOMAIN_RUNNING)
            vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
        break;
    case RUN_RESUME:
        if (state == VIR_DOMAIN_PAUSED)
            vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        break;
    case RUN_PMSUSPEND:
        if (state == VIR_DOMAIN_RUNNING)
            vkQEMUProcessSetState(proc, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
        break;
    case RUN_WAKEUP:
        if (state == VIR_DOMAIN_PMSUSPENDED)
            vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP);
        break;
    case RUN_PANICKED:
        if (state == VIR_DOMAIN_CRASHED)
            break;
        if (vkQEMUProcessSetState(proc, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED) == 0 &&
            vkQEMUProcessGetDef(proc)->onCrash == VK_DOMAIN_LIFECYCLE_DESTROY) {
            g_autoptr(vkQemuDomainObj) obj = NULL;

            if (vkQemuDomainObjRead(drv, name, &obj) > 0 &&
                vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_CRASHED,
                                  VK_QEMU_PROCESS_STOP_GRACE_MS) == 0)
                vkQemuDomainStopped(drv, obj, VIR_DOMAIN_SHUTOFF_CRASHED);
        }
        break;
    case RUN_NONE:
        break;
    }
}

/* The latest of qemu's run state events, for a worker holding the domain's lock. Whoever held
 * the lock before made qemu send its events before its own reply, so they are in the socket by
 * now: unread ones mean the last event known may be stale, and the decision waits for them. */
static vkRunEvent latestRunEvent(vkQemuWatcher *w, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
    vkWatchedDomain *d = g_hash_table_lookup(w->domains, name);
    int unread = 0;

    if (!d)
        return RUN_NONE;
    if (d->sockFd >= 0 && ioctl(d->sockFd, FIONREAD, &unread) == 0 && unread > 0) {
        d->runDeferred = TRUE;
        return RUN_NONE;
    }
    return d->runEvent;
}

static void doWork(vkQemuWatcher *w, const char *name, unsigned int work, pid_t pid,
                   unsigned long long startTime, int detail)
{
    vkQemuDriverState *drv = w->drv;
    g_autoptr(vkFileLock) lock = vkQemuDomainLock(drv, name);
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (!lock) {
        vkErrorWarn("cannot lock a domain for its events");
        return;
    }
    if (work & WORK_SHUTDOWN) {
        recordShutdown(drv, name, pid, startTime, detail);
        if (detail == VIR_DOMAIN_EVENT_SHUTDOWN_GUEST)
            guestPoweredOff(drv, name);
    }
    if (work & WORK_RUNSTATE)
        runStateChanged(drv, name, latestRunEvent(w, name));
    /* A qemu found dead is cleaned up after by the refresh without a word to any monitor. */
    if ((work & WORK_GONE) && vkQemuDomainObjRead(drv, name, &obj) > 0 && obj->status &&
        vkQemuDomainObjRefresh(drv, obj, TRUE) < 0) {
        g_autofree char *what = g_strdup_printf("cannot refresh domain '%s'", name);
        vkErrorWarn(what);
    }
    vkResetLastError();
}

/* A worker takes over a domain's pending work until there is none left. */
static void worker(gpointer data, gpointer userData)
{
    g_autofree char *name = data;
    vkQemuWatcher *w = userData;

    for (;;) {
        vkWatchedDomain *d;
        unsigned int work;
        pid_t pid;
        unsigned long long startTime;
        int detail;

        g_mutex_lock(&w->lock);
        d = g_hash_table_lookup(w->domains, name);
        if (w->stopped || !d || !d->pendingWork) {
            if (d)
                d->working = FALSE;
            g_mutex_unlock(&w->lock);
            break;
        }
        work = d->pendingWork;
        detail = d->shutdownDetail;
        pid = d->facts.pid;
        startTime = d->facts.startTime;
        d->pendingWork = 0;
        g_mutex_unlock(&w->lock);
        doWork(w, name, work, pid, startTime, detail);
    }
    watcherUnref(w);
}

/* Lock held. */
static void schedule(vkQemuWatcher *w, vkWatchedDomain *d, unsigned int work)
{
    d->pendingWork |= work;
    if (d->working)
        return;
    d->working = TRUE;
    watcherRef(w);
    g_thread_pool_push(w->workers, g_strdup(d->name), NULL);
}

/* ---- following one qemu ---- */

static void onPidfd(int watch, int fd, int events, void *opaque);
static void onSocket(int watch, int fd, int events, void *opaque);
static void readSocket(vkQemuWatcher *w, vkWatchedDomain *d, int fd);

/* qemu of D is gone. A watcher that waited in the events socket's queue during this run leaves
 * the cleanup to the one that held the socket: only that one heard whether qemu announced a
 * shutdown, and it records that before it cleans up. */
static void qemuGone(vkQemuWatcher *w, vkWatchedDomain *d)
{
    removeWatch(&d->pidfdWatch);
    if (d->sock == SOCK_PENDING || d->queued)
        return;
    schedule(w, d, WORK_GONE);
}

static void watchPid(vkQemuWatcher *w, vkWatchedDomain *d)
{
    unsigned long long now = 0;
    int fd = syscall(SYS_pidfd_open, d->facts.pid, 0);

    if (fd < 0) {
        if (errno == ESRCH)
            qemuGone(w, d);
        return;
    }
    /* The pidfd pins the pid: once checked, it stays the qemu of this run. */
    if (vkProcessGetStartTime(d->facts.pid, &now) < 0 || now != d->facts.startTime) {
        vkResetLastError();
        close(fd);
        qemuGone(w, d);
        return;
    }
    d->pidfdWatch = addHandle(w, fd, TRUE, d->name, onPidfd);
}

/* Queues on the events socket; a qemu without one (started before there were) or with a full
 * backlog is followed through its pidfd only. */
static void watchSocket(vkQemuWatcher *w, vkWatchedDomain *d)
{
    g_autofree char *path = vkQEMUDomainEventsPath(&w->drv->procPaths, d->name);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path))
        return;
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
        return;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        close(fd);
        return;
    }
    d->sockFd = fd;
    d->sockWatch = addHandle(w, fd, TRUE, d->name, onSocket);
    d->sock = d->sockWatch >= 0 ? SOCK_PENDING : SOCK_NONE;
}

/* Follows the qemu NEW names, if it is not already followed. */
static void followRun(vkQemuWatcher *w, vkWatchedDomain *d, const vkDomFacts *new)
{
    gboolean sameRun = d->facts.hasStatus && new->hasStatus && d->facts.pid == new->pid &&
                       d->facts.startTime == new->startTime;

    if (!sameRun) {
        removeWatch(&d->pidfdWatch);
        closeSocket(d);
        d->queued = FALSE;
    }
    d->facts = *new;
    if (!new->hasStatus || sameRun)
        return;
    watchSocket(w, d);
    watchPid(w, d);
}

/* Lock held: NAME's files changed (or may have). */
static void update(vkQemuWatcher *w, const char *name, unsigned int changes, gboolean emitting)
{
    vkWatchedDomain *d = domainGet(w, name);
    vkDomFacts new;

    if (!readFacts(w, name, &new))
        return;
    if (emitting)
        emitChanges(w, name, &d->facts, &new, changes);
    followRun(w, d, &new);
    if (!new.exists && !d->working)
        g_hash_table_remove(w->domains, name);
}

/* The loop's view of a domain handle: the domain, if the watch is still its current one. */
static vkWatchedDomain *handleDomain(vkQemuWatcher *w, const vkWatchHandle *h, int watch,
                                     gboolean isSocket)
{
    vkWatchedDomain *d = w->stopped ? NULL : g_hash_table_lookup(w->domains, h->name);

    if (!d || (isSocket ? d->sockWatch : d->pidfdWatch) != watch)
        return NULL;
    return d;
}

static void onPidfd(int watch, int fd, int events, void *opaque)
{
    vkWatchHandle *h = opaque;
    vkQemuWatcher *w = h->w;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
    vkWatchedDomain *d = handleDomain(w, h, watch, FALSE);

    if (!d)
        return;
    /* What qemu said before it went counts: read it first. */
    if (d->sock == SOCK_HOLDER && d->sockFd >= 0)
        readSocket(w, d, d->sockFd);
    qemuGone(w, d);
}

/* ---- the events socket: just enough QMP to hear the events ---- */

static void onQMPEvent(vkQemuWatcher *w, vkWatchedDomain *d, json_object *msg)
{
    const char *event = vkQEMUJSONGetString(msg, "event");
    json_object *data = vkQEMUJSONGetMember(msg, "data", json_type_object);

    if (!event)
        return;
    if (g_str_equal(event, "SHUTDOWN")) {
        json_object *guest = vkQEMUJSONGetMember(data, "guest", json_type_boolean);

        d->shutdownDetail = !guest                           ? VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED
                            : json_object_get_boolean(guest) ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST
                                                             : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
        schedule(w, d, WORK_SHUTDOWN);
        return;
    }
    if (g_str_equal(event, "STOP"))
        d->runEvent = RUN_STOP;
    else if (g_str_equal(event, "RESUME"))
        d->runEvent = RUN_RESUME;
    else if (g_str_equal(event, "GUEST_PANICKED"))
        d->runEvent = RUN_PANICKED;
    else if (g_str_equal(event, "SUSPEND"))
        d->runEvent = RUN_PMSUSPEND;
    else if (g_str_equal(event, "WAKEUP"))
        d->runEvent = RUN_WAKEUP;
    else
        return;
    schedule(w, d, WORK_RUNSTATE);
}

static void onQMPLine(vkQemuWatcher *w, vkWatchedDomain *d, const char *line)
{
    g_autoptr(json_object) msg = json_tokener_parse(line);
    static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";

    if (!msg || !json_object_is_type(msg, json_type_object))
        return;
    if (json_object_object_get_ex(msg, "QMP", NULL)) {
        /* Greeted: the socket is ours now. A short write to an idle socket does not block. */
        d->sock = SOCK_HOLDER;
        if (send(d->sockFd, caps, sizeof(caps) - 1, MSG_NOSIGNAL) != (ssize_t)sizeof(caps) - 1)
            closeSocket(d);
        return;
    }
    if (json_object_object_get_ex(msg, "event", NULL))
        onQMPEvent(w, d, msg);
}

/* Reads what qemu sent; at end of file qemu is going (or gone). */
static void readSocket(vkQemuWatcher *w, vkWatchedDomain *d, int fd)
{
    char buf[4096];
    gboolean holder;
    char *nl;

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* All read: a decision a worker put off can be made now. */
            if (d->runDeferred) {
                d->runDeferred = FALSE;
                schedule(w, d, WORK_RUNSTATE);
            }
            break;
        }
        if (n <= 0) {
            holder = d->sock == SOCK_HOLDER;
            closeSocket(d);
            if (holder)
                qemuGone(w, d);
            return;
        }
        g_string_append_len(d->input, buf, n);
        while (d->sockFd >= 0 && (nl = memchr(d->input->str, '\n', d->input->len))) {
            g_autofree char *line = g_strndup(d->input->str, nl - d->input->str);

            g_string_erase(d->input, 0, nl - d->input->str + 1);
            onQMPLine(w, d, line);
        }
        if (d->sockFd < 0)
            return;
    }
}

static void onSocket(int watch, int fd, int events, void *opaque)
{
    vkWatchHandle *h = opaque;
    vkQemuWatcher *w = h->w;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
    vkWatchedDomain *d = handleDomain(w, h, watch, TRUE);

    if (d)
        readSocket(w, d, fd);
}

/* ---- the directories ---- */

static void rescan(vkQemuWatcher *w, gboolean emitting)
{
    g_autoptr(GPtrArray) all =
        vkObjectEventWatchNames(w->drv->paths->etc, w->drv->paths->run, w->domains);

    for (guint i = 0; i < all->len; i++)
        update(w, g_ptr_array_index(all, i), 0, emitting);
}

static void onInotify(int watch, int fd, int events, void *opaque)
{
    vkWatchHandle *h = opaque;
    vkQemuWatcher *w = h->w;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
    g_autoptr(GPtrArray) changes = NULL;
    gboolean overflow;

    if (w->stopped)
        return;
    /* Everything queued now, per domain: one look at its files tells the result. */
    changes = vkDirWatchRead(w->dirs, &overflow);
    for (guint i = 0; i < changes->len; i++) {
        const vkDirChange *c = g_ptr_array_index(changes, i);
        update(w, c->name, c->flags, TRUE);
    }
    if (overflow)
        rescan(w, TRUE);
}

/* ---- starting and stopping a watcher ---- */

static void watcherStop(void *watcher)
{
    vkQemuWatcher *w = watcher;

    g_mutex_lock(&w->lock);
    w->stopped = TRUE;
    if (w->inotifyWatch >= 0)
        virEventRemoveHandle(w->inotifyWatch);
    w->inotifyWatch = -1;
    /* The loop polls the inotify descriptor no more: it goes now, not when the loop gets round
     * to letting the handle go, as root has only 128 inotify instances on the whole host. */
    g_clear_pointer(&w->dirs, vkDirWatchFree);
    g_hash_table_remove_all(w->domains);
    g_mutex_unlock(&w->lock);
    /* Workers waiting for a domain's lock finish on their own, holding their references. */
    g_thread_pool_free(w->workers, FALSE, FALSE);
    w->workers = NULL;
    watcherUnref(w);
}

static void *watcherStart(void *driverState)
{
    vkQemuDriverState *state = driverState;
    static const char *const runFiles[] = { ".xml", ".reason", NULL };
    vkDriverPaths *paths = vkDriverPathsCopy(state->paths);
    vkQemuWatcher *w = g_new0(vkQemuWatcher, 1);

    w->refs = 1;
    g_mutex_init(&w->lock);
    w->drv = vkQemuDriverStateNew(paths, NULL);
    w->subscribers = vkObjectEventFanoutNew();
    w->inotifyWatch = -1;
    w->domains = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, domainFree);
    w->workers = g_thread_pool_new(worker, w, -1, FALSE, NULL);

    /* Watching before looking: nothing changes unseen in between. */
    if (!(w->dirs =
              vkDirWatchNew(w->drv->paths->etc, w->drv->paths->run, runFiles, 0700, VK_QEMU_ERR))) {
        watcherStop(w);
        return NULL;
    }
    g_mutex_lock(&w->lock);
    /* The descriptor stays the watch's (see watcherStop). */
    w->inotifyWatch = addHandle(w, vkDirWatchFd(w->dirs), FALSE, "", onInotify);
    if (w->inotifyWatch < 0) {
        g_mutex_unlock(&w->lock);
        vkReportError(VK_QEMU_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "cannot add the domain watcher to the event loop");
        watcherStop(w);
        return NULL;
    }
    rescan(w, FALSE);
    g_mutex_unlock(&w->lock);
    return w;
}

/* ---- registrations ---- */

/* Every connection of the process on one root shares one watcher: one inotify instance, one
 * queue on each guest's events socket, and the same story told to all of them. */
static const char *watcherRoot(void *driverState)
{
    return ((vkQemuDriverState *)driverState)->paths->run;
}

static vkObjectEventFanout *watcherFanout(void *watcher)
{
    return ((vkQemuWatcher *)watcher)->subscribers;
}

static const vkObjectEventWatcherClass watcherClass = { watcherRoot, watcherStart, watcherStop,
                                                        watcherFanout };
static vkObjectEventWatchers watchers = { &watcherClass };

static void *subscribe(void *opaque, vkObjectEventState *events)
{
    return vkObjectEventWatchersSubscribe(&watchers, opaque, events);
}

static const vkObjectEventWatch watchOps = { subscribe, vkObjectEventWatchersUnsubscribe };

/* The connection's callbacks, made on first use. */
static vkObjectEventState *eventsOf(virConnectPtr conn)
{
    vkQemuDriverState *state = conn->privateData;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    if (!state->events)
        state->events = vkObjectEventStateNewWatched(&watchOps, state);
    return state->events;
}

int vkQemuDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque,
                              virFreeCallback freecb)
{
    int id = vkObjectEventStateRegister(eventsOf(conn), conn, VK_OBJECT_EVENT_DOMAIN,
                                        VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, (void (*)(void))cb,
                                        opaque, freecb, TRUE);
    return id < 0 ? -1 : 0;
}

int vkQemuDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    vkObjectEventState *events = eventsOf(conn);
    int id = vkObjectEventStateLegacyID(events, conn, (void (*)(void))cb);

    return id < 0 ? -1 : vkObjectEventStateDeregister(events, conn, id, TRUE);
}

int vkQemuDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb, void *opaque,
                                 virFreeCallback freecb)
{
    return vkObjectEventStateRegister(eventsOf(conn), conn, VK_OBJECT_EVENT_DOMAIN, eventID,
                                      dom ? dom->uuid : NULL, (void (*)(void))cb, opaque, freecb,
                                      FALSE);
}

int vkQemuDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return vkObjectEventStateDeregister(eventsOf(conn), conn, callbackID, TRUE);
}
