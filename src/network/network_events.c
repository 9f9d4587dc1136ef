/* Lifecycle events of qemu:/// networks: while callbacks are registered on a connection, inotify
 * on the network driver's config and run directories tells which networks' files changed, by
 * whatever process, and what the files say now becomes libvirt's events (defined, undefined,
 * started, stopped). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "network_priv.h"
#include "object_event_watchers.h"
#include "util/vkdirwatch.h"

/* What a network's files say. */
typedef struct {
    gboolean exists;
    gboolean persistent;
    gboolean active;
    unsigned char uuid[VIR_UUID_BUFLEN];
} vkNetFacts;

typedef struct {
    gint refs;
    GMutex lock; /* guards everything below; taken by the loop's callback and by stop */
    gboolean stopped;
    vkNetworkDriverState *drv;        /* the watcher's own, over the connection's directories */
    vkObjectEventFanout *subscribers; /* the connections' event states it feeds */
    vkDirWatch *dirs;
    int watch;
    GHashTable *known; /* name -> vkNetFacts */
} vkNetWatcher;

static void watcherUnref(void *opaque)
{
    vkNetWatcher *w = opaque;

    if (!g_atomic_int_dec_and_test(&w->refs))
        return;
    g_hash_table_unref(w->known);
    vkDirWatchFree(w->dirs);
    vkObjectEventFanoutFree(w->subscribers);
    vkNetworkDriverStateFree(w->drv);
    g_mutex_clear(&w->lock);
    g_free(w);
}

static gboolean readFacts(vkNetWatcher *w, const char *name, vkNetFacts *facts)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    int rc = vkNetworkObjRead(w->drv, name, &obj);

    memset(facts, 0, sizeof(*facts));
    if (rc < 0) {
        vkResetLastError();
        return FALSE;
    }
    if (rc == 0)
        return TRUE;
    facts->exists = TRUE;
    facts->persistent = obj->config != NULL;
    facts->active = vkNetworkObjIsActive(obj);
    memcpy(facts->uuid, vkNetworkObjDef(obj)->uuid, VIR_UUID_BUFLEN);
    return TRUE;
}

static void emit(vkNetWatcher *w, const char *name, const vkNetFacts *facts, int event)
{
    vkObjectEventFanoutQueueLifecycle(w->subscribers, VK_OBJECT_EVENT_NETWORK, name, facts->uuid,
                                      -1, event, 0);
}

/* Lock held. As libvirt's network driver: every define is announced, a new one or not.
 * CHANGES (VK_DIRWATCH_*) says whether the config was written, and removed after that. */
static void update(vkNetWatcher *w, const char *name, unsigned int changes, gboolean emitting)
{
    gboolean written = (changes & VK_DIRWATCH_CONFIG_WRITTEN) != 0;
    vkNetFacts *old = g_hash_table_lookup(w->known, name);
    vkNetFacts none = { 0 };
    vkNetFacts new;

    if (!readFacts(w, name, &new))
        return;
    if (!old)
        old = &none;
    if (emitting) {
        if (old->active && !new.active)
            emit(w, name, old, VIR_NETWORK_EVENT_STOPPED);
        const vkNetFacts *known = new.exists ? &new : old;

        if ((written && (new.persistent || (changes & VK_DIRWATCH_CONFIG_GONE))) ||
            (new.persistent && !old->persistent))
            emit(w, name, known, VIR_NETWORK_EVENT_DEFINED);
        if ((old->persistent || written) && !new.persistent)
            emit(w, name, known, VIR_NETWORK_EVENT_UNDEFINED);
        if (new.active && !old->active)
            emit(w, name, &new, VIR_NETWORK_EVENT_STARTED);
    }
    if (new.exists)
        g_hash_table_insert(w->known, g_strdup(name), g_memdup2(&new, sizeof(new)));
    else
        g_hash_table_remove(w->known, name);
}

static void rescan(vkNetWatcher *w, gboolean emitting)
{
    g_autoptr(GPtrArray) all =
        vkObjectEventWatchNames(w->drv->paths->etc, w->drv->paths->run, w->known);

    for (guint i = 0; i < all->len; i++)
        update(w, g_ptr_array_index(all, i), 0, emitting);
}

static void onInotify(int watch, int fd, int events, void *opaque)
{
    vkNetWatcher *w = opaque;
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
    vkNetWatcher *w = watcher;

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

/* The loop's handle keeps the watcher; the inotify descriptor is the watch's. */
typedef struct {
    vkNetWatcher *w;
    int fd;
} vkNetHandle;

static void handleFree(void *opaque)
{
    vkNetHandle *h = opaque;

    watcherUnref(h->w);
    g_free(h);
}

static void onHandle(int watch, int fd, int events, void *opaque)
{
    onInotify(watch, fd, events, ((vkNetHandle *)opaque)->w);
}

static void *watcherStart(void *driverState)
{
    const vkNetworkDriverState *state = driverState;
    vkNetWatcher *w = g_new0(vkNetWatcher, 1);
    static const char *const runFiles[] = { ".xml", NULL };
    vkNetHandle *h;

    w->refs = 1;
    g_mutex_init(&w->lock);
    w->drv = g_new0(vkNetworkDriverState, 1);
    w->drv->paths = vkDriverPathsCopy(state->paths);
    w->drv->autostartDir = g_strdup(state->autostartDir);
    w->drv->privileged = state->privileged;
    w->drv->store = vkObjStoreNew(&vkNetworkStoreClass, w->drv->paths->etc, w->drv->paths->run);
    g_mutex_init(&w->drv->lock);
    w->subscribers = vkObjectEventFanoutNew();
    w->watch = -1;
    w->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    /* Watching before looking: nothing changes unseen in between. */
    if (!(w->dirs =
              vkDirWatchNew(w->drv->paths->etc, w->drv->paths->run, runFiles, 0755, VK_NET_ERR))) {
        watcherUnref(w);
        return NULL;
    }
    g_mutex_lock(&w->lock);
    h = g_new0(vkNetHandle, 1);
    h->w = w;
    g_atomic_int_inc(&w->refs);
    h->fd = vkDirWatchFd(w->dirs);
    if ((w->watch = virEventAddHandle(h->fd, VIR_EVENT_HANDLE_READABLE, onHandle, h, handleFree)) <
        0) {
        g_mutex_unlock(&w->lock);
        handleFree(h);
        vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "cannot add the network watcher to the event loop");
        watcherUnref(w);
        return NULL;
    }
    rescan(w, FALSE);
    g_mutex_unlock(&w->lock);
    return w;
}

/* One watcher per root for all the connections of the process, as for domains. */
static const char *watcherRoot(void *driverState)
{
    return ((vkNetworkDriverState *)driverState)->paths->run;
}

static vkObjectEventFanout *watcherFanout(void *watcher)
{
    return ((vkNetWatcher *)watcher)->subscribers;
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
    vkNetworkDriverState *state = conn->networkPrivateData;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    if (!state->events)
        state->events = vkObjectEventStateNewWatched(&watchOps, state);
    return state->events;
}

int vkNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                              virConnectNetworkEventGenericCallback cb, void *opaque,
                              virFreeCallback freecb)
{
    return vkObjectEventStateRegister(eventsOf(conn), conn, VK_OBJECT_EVENT_NETWORK, eventID,
                                      net ? net->uuid : NULL, (void (*)(void))cb, opaque, freecb,
                                      FALSE);
}

int vkNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return vkObjectEventStateDeregister(eventsOf(conn), conn, callbackID, TRUE);
}
