/* Events of qemu:/// storage pools: while callbacks are registered, inotify on the storage
 * driver's config and run directories tells which pools' files changed, by whatever process;
 * what the files say now becomes libvirt's lifecycle events (defined, undefined, started,
 * stopped), and the counts in NAME.event the ones that change no file (created, deleted,
 * refresh). Shares its per-root registry with the network and domain watchers. */
#include <string.h>
#include <unistd.h>

#include "object_event_watchers.h"
#include "storage_priv.h"
#include "util/vkdirwatch.h"

/* What a pool's files say. */
typedef struct {
    gboolean exists;
    gboolean persistent;
    gboolean active;
    unsigned char uuid[VIR_UUID_BUFLEN];
    vkStorageEventCounts counts;
} vkPoolFacts;

typedef struct {
    gint refs;
    GMutex lock; /* guards everything below; taken by the loop's callback and by stop */
    gboolean stopped;
    vkStorageDriverState *drv;        /* the watcher's own, over the connection's directories */
    vkObjectEventFanout *subscribers; /* the connections' event states it feeds */
    vkDirWatch *dirs;
    int watch;
    GHashTable *known; /* name -> vkPoolFacts */
} vkPoolWatcher;

static vkPoolWatcher *watcherRef(vkPoolWatcher *w)
{
    g_atomic_int_inc(&w->refs);
    return w;
}

static void watcherUnref(void *opaque)
{
    vkPoolWatcher *w = opaque;

    if (!g_atomic_int_dec_and_test(&w->refs))
        return;
    g_hash_table_unref(w->known);
    vkDirWatchFree(w->dirs);
    vkObjectEventFanoutFree(w->subscribers);
    vkStorageDriverStateFree(w->drv);
    g_mutex_clear(&w->lock);
    g_free(w);
}

/* FALSE when the files cannot be read just now: the pool keeps what was last known. */
static gboolean readFacts(vkPoolWatcher *w, const char *name, vkPoolFacts *facts)
{
    g_autoptr(vkStoragePoolObj) obj = NULL;
    int rc = vkObjStoreRead(w->drv->store, name, &obj);

    memset(facts, 0, sizeof(*facts));
    if (rc < 0) {
        vkResetLastError();
        return FALSE;
    }
    vkStoragePoolEventCountsRead(w->drv, name, &facts->counts);
    if (rc == 0)
        return TRUE;
    facts->exists = TRUE;
    facts->persistent = obj->config != NULL;
    facts->active = vkStoragePoolObjIsActive(obj);
    memcpy(facts->uuid, vkStoragePoolObjDef(obj)->uuid, VIR_UUID_BUFLEN);
    return TRUE;
}

static void emit(vkPoolWatcher *w, const char *name, const vkPoolFacts *facts, int event)
{
    vkObjectEventFanoutQueueLifecycle(w->subscribers, VK_OBJECT_EVENT_STORAGE_POOL, name,
                                      facts->uuid, -1, event, 0);
}

/* How many RECORD events happened between OLD and NEW: none when the count went down (the
 * pool was gone in between, and its counts with it). */
static guint64 newRecords(const vkPoolFacts *old, const vkPoolFacts *new, int record)
{
    guint64 before = old->counts.count[record];
    guint64 now = new->counts.count[record];

    return now > before ? now - before : 0;
}

static void emitRecords(vkPoolWatcher *w, const char *name, const vkPoolFacts *old,
                        const vkPoolFacts *new, const vkPoolFacts *known, int record, int event)
{
    for (guint64 n = newRecords(old, new, record); n > 0; n--) {
        if (record == VK_STORAGE_EVENT_REFRESH)
            vkObjectEventFanoutQueueRefresh(w->subscribers, name, known->uuid);
        else
            emit(w, name, known, event);
    }
}

/* Lock held. Each operation leaves its own trace, but several may be read at once: they are
 * told in the order a pool's life has them (a refresh of a pool that was running comes before
 * its stop, one of a pool that was not after its start). As libvirt's storage driver, every
 * define is announced, a new one or not. */
static void update(vkPoolWatcher *w, const char *name, unsigned int changes, gboolean emitting)
{
    gboolean written = (changes & VK_DIRWATCH_CONFIG_WRITTEN) != 0;
    vkPoolFacts *old = g_hash_table_lookup(w->known, name);
    vkPoolFacts none = { 0 };
    vkPoolFacts new;

    if (!readFacts(w, name, &new))
        return;
    if (!old)
        old = &none;
    if (emitting) {
        const vkPoolFacts *known = new.exists ? &new : old;

        if (old->active)
            emitRecords(w, name, old, &new, known, VK_STORAGE_EVENT_REFRESH, 0);
        if (old->active && !new.active)
            emit(w, name, old, VIR_STORAGE_POOL_EVENT_STOPPED);
        if ((written && (new.persistent || (changes & VK_DIRWATCH_CONFIG_GONE))) ||
            (new.persistent && !old->persistent))
            emit(w, name, known, VIR_STORAGE_POOL_EVENT_DEFINED);
        emitRecords(w, name, old, &new, known, VK_STORAGE_EVENT_CREATED,
                    VIR_STORAGE_POOL_EVENT_CREATED);
        if (!old->active) {
            if (new.active)
                emit(w, name, &new, VIR_STORAGE_POOL_EVENT_STARTED);
            emitRecords(w, name, old, &new, known, VK_STORAGE_EVENT_REFRESH, 0);
        }
        emitRecords(w, name, old, &new, known, VK_STORAGE_EVENT_DELETED,
                    VIR_STORAGE_POOL_EVENT_DELETED);
        if ((old->persistent || written) && !new.persistent)
            emit(w, name, known, VIR_STORAGE_POOL_EVENT_UNDEFINED);
    }
    if (new.exists)
        g_hash_table_insert(w->known, g_strdup(name), g_memdup2(&new, sizeof(new)));
    else
        g_hash_table_remove(w->known, name);
}

static void rescan(vkPoolWatcher *w, gboolean emitting)
{
    g_autoptr(GPtrArray) all =
        vkObjectEventWatchNames(w->drv->paths->etc, w->drv->paths->run, w->known);

    for (guint i = 0; i < all->len; i++)
        update(w, g_ptr_array_index(all, i), 0, emitting);
}

static void onInotify(int watch, int fd, int events, void *opaque)
{
    vkPoolWatcher *w = opaque;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
    g_autoptr(GPtrArray) changes = NULL;
    gboolean overflow;

    if (w->stopped)
        return;
    changes = vkDirWatchRead(w->dirs, &overflow);
    for (guint i = 0; i < changes->len; i++) {
        const vkDirChange *c = g_ptr_array_index(changes, i);
        update(w, c->name, c->flags, TRUE);
    }
    if (overflow)
        rescan(w, TRUE);
}

static void watcherStop(void *watcher)
{
    vkPoolWatcher *w = watcher;

    g_mutex_lock(&w->lock);
    w->stopped = TRUE;
    if (w->watch >= 0)
        virEventRemoveHandle(w->watch);
    w->watch = -1;
    /* The loop polls it no more: the inotify instance goes now (root has 128 on the host). */
    g_clear_pointer(&w->dirs, vkDirWatchFree);
    g_mutex_unlock(&w->lock);
    watcherUnref(w);
}

static void *watcherStart(void *driverState)
{
    const vkStorageDriverState *state = driverState;
    static const char *const runFiles[] = { ".xml", ".event", NULL };
    vkPoolWatcher *w = g_new0(vkPoolWatcher, 1);

    w->refs = 1;
    g_mutex_init(&w->lock);
    w->drv = g_new0(vkStorageDriverState, 1);
    w->drv->paths = vkDriverPathsCopy(state->paths);
    w->drv->store = vkObjStoreNew(&vkStoragePoolStoreClass, w->drv->paths->etc, w->drv->paths->run);
    w->drv->imagesDir = g_strdup(state->imagesDir);
    g_mutex_init(&w->drv->lock);
    w->subscribers = vkObjectEventFanoutNew();
    w->watch = -1;
    w->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    /* Watching before looking: nothing changes unseen in between. */
    if (!(w->dirs = vkDirWatchNew(w->drv->paths->etc, w->drv->paths->run, runFiles, 0700, ERR))) {
        watcherUnref(w);
        return NULL;
    }
    g_mutex_lock(&w->lock);
    /* The loop's reference; the inotify descriptor stays the watch's (see watcherStop). */
    w->watch = virEventAddHandle(vkDirWatchFd(w->dirs), VIR_EVENT_HANDLE_READABLE, onInotify,
                                 watcherRef(w), watcherUnref);
    if (w->watch < 0) {
        g_mutex_unlock(&w->lock);
        watcherUnref(w);
        vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "cannot add the storage pool watcher to the event loop");
        watcherUnref(w);
        return NULL;
    }
    rescan(w, FALSE);
    g_mutex_unlock(&w->lock);
    return w;
}

/* One watcher per root for all the connections of the process, as for networks. */
static const char *watcherRoot(void *driverState)
{
    return ((vkStorageDriverState *)driverState)->paths->run;
}

static vkObjectEventFanout *watcherFanout(void *watcher)
{
    return ((vkPoolWatcher *)watcher)->subscribers;
}

static const vkObjectEventWatcherClass watcherClass = { watcherRoot, watcherStart, watcherStop,
                                                        watcherFanout };
static vkObjectEventWatchers watchers = { &watcherClass };

static void *subscribe(void *opaque, vkObjectEventState *events)
{
    return vkObjectEventWatchersSubscribe(&watchers, opaque, events);
}

static const vkObjectEventWatch watchOps = { subscribe, vkObjectEventWatchersUnsubscribe };

static vkObjectEventState *eventsOf(virConnectPtr conn)
{
    vkStorageDriverState *state = conn->storagePrivateData;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    if (!state->events)
        state->events = vkObjectEventStateNewWatched(&watchOps, state);
    return state->events;
}

int vkStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                  virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return vkObjectEventStateRegister(eventsOf(conn), conn, VK_OBJECT_EVENT_STORAGE_POOL, eventID,
                                      pool ? pool->uuid : NULL, (void (*)(void))cb, opaque, freecb,
                                      FALSE);
}

int vkStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return vkObjectEventStateDeregister(eventsOf(conn), conn, callbackID, TRUE);
}
